import { InputError } from '@backstage/errors';

/** Epoch milliseconds of `date`; an invalid date is rejected as an invalid `field`. */
export function epochMs(date: Date, field: string): number {
  const value = date instanceof Date ? date.getTime() : NaN;
  if (!Number.isFinite(value)) {
    throw new InputError(`Invalid ${field}`);
  }
  return value;
}

/** A `*_ms` column's value (a string when the database returns bigints so) as a date. */
export function dateFromEpochMs(value: number | string | null): Date | null {
  return value === null || value === undefined ? null : new Date(Number(value));
}
