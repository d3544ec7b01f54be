/** Code-unit order, the same whatever the database's collation. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Breakdown keys in order, "unknown" (null) last. */
export function compareKeys(a: string | null, b: string | null): number {
  if (a === null || b === null) {
    return Number(a === null) - Number(b === null);
  }
  return compareStrings(a, b);
}
