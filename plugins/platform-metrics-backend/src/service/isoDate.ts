import { z } from 'zod';
import { parseRfc3339 } from '../ingestion/parseHelpers';

/**
 * `2026-10-01` or an RFC 3339 timestamp. Not Date.parse, which reads
 * `' OR '1'='1` as a date in 2001.
 */
export function parseIsoDate(value: string): Date | undefined {
  return parseRfc3339(
    /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value,
  );
}

/** A required query parameter holding an ISO date, as a Date. */
export const isoDate = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .refine(v => parseIsoDate(v) !== undefined, {
      message: `${field}: expected an ISO 8601 date or timestamp`,
    })
    .transform(v => parseIsoDate(v) as Date);
