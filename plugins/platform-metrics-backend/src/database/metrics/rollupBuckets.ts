/** A half-open range of epoch milliseconds. */
export type Range = [number, number];

const DAY_MS = 86_400_000;

/** Start of the UTC day of an epoch-millisecond instant (floored, also before 1970). */
export function floorDay(value: number): number {
  return value - (((value % DAY_MS) + DAY_MS) % DAY_MS);
}

/** Start of the UTC month of an epoch-millisecond instant. */
export function startOfMonth(value: number): number {
  const date = new Date(value);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/**
 * Splits [from, to) into whole UTC months and days, which a rollup counts, and
 * the partial days at either end (`edges`), which it cannot; `counted` spans the
 * months and days. Undefined when the period holds no whole day.
 */
export function rollupBuckets(
  from: number,
  to: number,
):
  | { counted: Range; months: Range[]; days: Range[]; edges: Range[] }
  | undefined {
  const d0 = floorDay(from) === from ? from : floorDay(from + DAY_MS);
  const d1 = floorDay(to);
  if (d0 >= d1) {
    return undefined;
  }
  const first = new Date(d0);
  const m0 =
    startOfMonth(d0) === d0
      ? d0
      : Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1);
  const m1 = startOfMonth(d1);
  const nonEmpty = ([start, end]: Range) => start < end;
  const wholeMonths = m0 < m1;
  const days: Range[] = wholeMonths
    ? [
        [d0, m0],
        [m1, d1],
      ]
    : [[d0, d1]];
  const edges: Range[] = [
    [from, d0],
    [d1, to],
  ];
  return {
    counted: [d0, d1],
    months: wholeMonths ? [[m0, m1]] : [],
    days: days.filter(nonEmpty),
    edges: edges.filter(nonEmpty),
  };
}
