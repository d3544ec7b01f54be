import { InputError } from '@backstage/errors';
import { z } from 'zod';

/*
 * Validation with errors that name the field at fault, for every source's parser:
 * a sender's delivery log then says what to fix.
 */

/** How many issues an error message lists before it says "and N more". */
const MAX_LISTED_ISSUES = 5;

/** Joins a root label (`events[2]`, `data`, or '') and a zod path into `events[2].context.timestamp`. */
export function formatPath(
  root: string,
  path: ReadonlyArray<PropertyKey>,
): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
    } else {
      const key = String(segment);
      if (/^[A-Za-z_$][\w$]*$/.test(key)) {
        out += out ? `.${key}` : key;
      } else {
        out += `[${JSON.stringify(key)}]`;
      }
    }
  }
  return out || 'body';
}

/** Appends a key to a root label: `joinPath('events[2]', 'data')` is `events[2].data`. */
export function joinPath(root: string, key: string | number): string {
  return formatPath(root, [key]);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function describeType(expected: string): string {
  switch (expected) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return expected;
  }
}

/**
 * Messages for the issues our schemas do not word themselves. Schema-level `error`s win
 * over this one, so timestamps and entity refs keep their own wording.
 */
const issueMessage = (issue: z.core.$ZodRawIssue): string | undefined => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `expected ${describeType(issue.expected)}, got ${describeValue(
        issue.input,
      )}`;
    case 'invalid_value':
      return `expected ${issue.values
        .map(v => JSON.stringify(v))
        .join(' or ')}, got ${JSON.stringify(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) {
        return 'must not be empty';
      }
      return undefined;
    default:
      return undefined;
  }
};

/**
 * Validates `value` against `schema`, or throws an `InputError` whose message names every
 * field at fault (up to five), e.g.
 * `Invalid CDEvents payload: events[2].context.timestamp: expected an RFC 3339 timestamp`.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  root: string = '',
): z.output<S> {
  const result = schema.safeParse(value, { error: issueMessage });
  if (result.success) {
    return result.data;
  }
  const issues = result.error.issues;
  const listed = issues
    .slice(0, MAX_LISTED_ISSUES)
    .map(issue => `${formatPath(root, issue.path)}: ${issue.message}`);
  const more =
    issues.length > MAX_LISTED_ISSUES
      ? ` (and ${issues.length - MAX_LISTED_ISSUES} more)`
      : '';
  throw new InputError(`Invalid ${what}: ${listed.join('; ')}${more}`);
}

/** Throws an `InputError` for one field, worded like `parseOrThrow`'s. */
export function fieldError(what: string, path: string, message: string): never {
  throw new InputError(`Invalid ${what}: ${path}: ${message}`);
}
