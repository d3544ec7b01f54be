import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** `questions[2].id`: the field as it would be written in JavaScript. */
function fieldPath(path: PropertyKey[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      return index === 0 ? String(segment) : `.${String(segment)}`;
    })
    .join('');
}

/** Validates with zod and turns the first problem into an InputError naming the field. */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = fieldPath(issue.path);
    const message = issue.message.startsWith(`${field}:`)
      ? issue.message
      : `${field || 'request'}: ${issue.message}`;
    throw new InputError(message);
  }
  return result.data;
}
