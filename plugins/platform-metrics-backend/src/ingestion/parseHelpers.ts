import { makeValidator, stringifyEntityRef } from '@backstage/catalog-model';
import {
  formatPath,
  type PlatformMetricsParseResult,
} from '@internal/plugin-platform-metrics-node';
import { z } from 'zod';
import type { ServiceReference } from './types';

/** What a parser makes of one request body. */
export type ParseResult = PlatformMetricsParseResult;

export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** No payload we read nests deeper; deeper ones only exercise recursive code. */
export const MAX_JSON_DEPTH = 64;

/**
 * What makes a parsed JSON value unfit to go further, as a message naming the field, or
 * undefined when nothing does:
 * - nesting deeper than `maxDepth`, which recursive code (JSON.stringify, validators)
 *   would answer with a stack overflow;
 * - a NUL character in a string, value or key, which PostgreSQL cannot store in text
 *   and no field of ours has a use for.
 *
 * Walks without recursion and builds a path only for the hit, so a body nested 100,000
 * levels deep costs neither stack nor quadratic memory.
 */
export function findJsonProblem(
  value: unknown,
  maxDepth: number = MAX_JSON_DEPTH,
): string | undefined {
  interface Node {
    value: unknown;
    depth: number;
    key?: string | number;
    parent?: Node;
  }
  const pathOf = (node: Node, key?: string): string => {
    const path: Array<string | number> = key === undefined ? [] : [key];
    for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) {
      path.unshift(n.key);
    }
    return formatPath('', path);
  };
  const nul = (path: string) =>
    `${path}: must not contain NUL (\\u0000) characters`;
  const stack: Node[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    const current = node.value;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return nul(pathOf(node));
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (node.depth >= maxDepth) {
      return `body: nested deeper than ${maxDepth} levels`;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(current)
      ? current.map((child, i) => [i, child])
      : Object.entries(current);
    for (const [key] of entries) {
      if (typeof key === 'string' && key.includes('\u0000')) {
        return nul(pathOf(node, key));
      }
    }
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      stack.push({ value: child, depth: node.depth + 1, key, parent: node });
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Timestamps

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses an RFC 3339 date-time (`2023-03-20T14:27:05.315384Z`, `…+02:00`), or returns
 * undefined. Calendar-checked: `2023-02-30` is rejected rather than rolled over into March.
 */
export function parseRfc3339(value: string): Date | undefined {
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return undefined;
  }
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[8] && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined;
  const date = new Date(value.replace(/[t ]/, 'T').replace(/z$/, 'Z'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const TIMESTAMP_MESSAGE = 'expected an RFC 3339 timestamp';

/** A required RFC 3339 timestamp, parsed to a Date. */
export const timestampSchema = z
  .string({
    error: issue =>
      issue.input === undefined ? 'required' : TIMESTAMP_MESSAGE,
  })
  .refine(value => parseRfc3339(value) !== undefined, {
    error: TIMESTAMP_MESSAGE,
  })
  .transform(value => parseRfc3339(value) as Date);

/** A string with at least one non-blank character. */
export const nonEmptyString = z.string().trim().min(1);

// ---------------------------------------------------------------------------
// Services and environments

const validator = makeValidator();

/**
 * Returns the normalised entity ref (`component:default/payments`) when `value` is one,
 * with or without its namespace, else undefined. A bare name is only a ref when a
 * `defaultKind` is given. Package URLs (`pkg:oci/myapp@sha256…`) are not refs.
 */
export function asEntityRef(
  value: string,
  options?: { defaultKind?: string },
): string | undefined {
  const m = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(value.trim());
  if (!m) return undefined;
  const kind = m[1] ?? options?.defaultKind;
  const namespace = (m[2] ?? 'default').toLocaleLowerCase('en-US');
  const name = m[3];
  if (!kind || kind.toLocaleLowerCase('en-US') === 'pkg') return undefined;
  if (
    !validator.isValidKind(kind) ||
    !validator.isValidNamespace(namespace) ||
    !validator.isValidEntityName(name)
  ) {
    return undefined;
  }
  return stringifyEntityRef({ kind, namespace, name });
}

/** A service named by an id that may be an entity ref: a ref when it parses as one, else a name. */
export function serviceFromId(id: string): ServiceReference {
  const entityRef = asEntityRef(id);
  return entityRef ? { entityRef } : { name: id.trim() };
}

/** The parts of a package URL (`pkg:type/namespace/name@version?qualifiers#subpath`) we read. */
interface PackageUrl {
  type: string;
  name: string;
  /** Percent-decoded; undefined when the URL has none. */
  version?: string;
}

function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** The type, name and version of a package URL; undefined when `value` is not one. */
function parsePackageUrl(value: string): PackageUrl | undefined {
  if (!/^pkg:/i.test(value)) return undefined;
  const [path, version] = value
    .slice(4)
    .replace(/^\/+/, '')
    .split(/[?#]/)[0]
    .split('@');
  const segments = path.split('/').filter(Boolean);
  // type/name at least
  if (segments.length < 2) return undefined;
  const name = decode(segments[segments.length - 1]);
  if (!name) return undefined;
  const parsed: PackageUrl = { type: segments[0].toLowerCase(), name };
  const decodedVersion = version ? decode(version) : undefined;
  if (decodedVersion) parsed.version = decodedVersion;
  return parsed;
}

/**
 * The package name in a package URL: `pkg:oci/myapp@sha256%3A…` is `myapp`. Undefined
 * when `value` is not a package URL.
 */
export function nameFromPackageUrl(value: string): string | undefined {
  return parsePackageUrl(value)?.name;
}

/** An OCI content digest: sha256 or sha512, in the hex the OCI image spec requires. */
const OCI_DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/** `value` lower-cased when it is an OCI image digest, else undefined. */
export function asImageDigest(value: string): string | undefined {
  const digest = value.trim().toLowerCase();
  return OCI_DIGEST.test(digest) ? digest : undefined;
}

/**
 * The image digest an OCI (or docker) package URL pins:
 * `pkg:oci/myapp@sha256%3A<64 hex>?repository_url=…` (the spec percent-encodes
 * the colon; the golden path's report-deployment.sh does not) is
 * `sha256:<64 hex>`. Undefined for any other version, such as a tag or the commit
 * SHA that golden paths before 1.1.0 put there.
 */
export function imageDigestFromPackageUrl(value: string): string | undefined {
  const parsed = parsePackageUrl(value);
  if (!parsed?.version || !['oci', 'docker'].includes(parsed.type)) {
    return undefined;
  }
  return asImageDigest(parsed.version);
}

/** A declared image digest: `sha256:<64 hex>` (or `sha512:<128 hex>`). */
export const imageDigestSchema = z
  .string()
  .refine(value => asImageDigest(value) !== undefined, {
    error: 'expected an OCI image digest like sha256:<64 hex digits>',
  })
  .transform(value => asImageDigest(value) as string);

/** `production` and `prod`, in any case, are production. */
export function isProductionEnvironment(name: string): boolean {
  return /^(?:production|prod)$/i.test(name.trim());
}

// ---------------------------------------------------------------------------
// Golden-path declarations shared by CDEvents customData and GitHub deployment payloads

export const goldenPathSchema = z.object({
  template: nonEmptyString,
  version: nonEmptyString,
});

const observabilityChecks = ['alerts', 'logs', 'tls', 'dns'] as const;

/**
 * `true`/`false`, or `{ alerts, logs, tls, dns }` which counts as declared only when all
 * four are `true`.
 */
export const observabilitySchema = z
  .union(
    [
      z.boolean(),
      z.object({
        alerts: z.boolean().nullish(),
        logs: z.boolean().nullish(),
        tls: z.boolean().nullish(),
        dns: z.boolean().nullish(),
      }),
    ],
    { error: 'expected a boolean or { alerts, logs, tls, dns }' },
  )
  .transform(value =>
    typeof value === 'boolean'
      ? value
      : observabilityChecks.every(check => value[check] === true),
  );

/** What a golden-path pipeline declares alongside a deployment. */
export const pipelineDeclarationsSchema = z.object({
  goldenPath: goldenPathSchema.nullish(),
  /** The deployed image, where the event has no standard field for it. */
  imageDigest: imageDigestSchema.nullish(),
  pipelineId: z
    .union([nonEmptyString, z.number()], {
      error: 'expected a string or a number',
    })
    .nullish()
    .transform(v => (v === null || v === undefined ? undefined : String(v))),
  observability: observabilitySchema.nullish(),
});
