import { Knex } from 'knex';

/**
 * A percentile as an exact fraction `num / den`, so that the rank arithmetic is integer
 * arithmetic on both databases and in Node.
 */
interface Fraction {
  num: number;
  den: number;
}

const MEDIAN: Fraction = { num: 1, den: 2 };
const P90: Fraction = { num: 9, den: 10 };

/** Duration statistics of one group, in seconds; null values when `count` is 0. */
export interface DurationStats {
  count: number;
  medianSeconds: number | null;
  meanSeconds: number | null;
  p90Seconds: number | null;
  /** Sum of the `u` column over the group (e.g. "not verified" flags). */
  flagged: number;
}

export const EMPTY_STATS: DurationStats = Object.freeze({
  count: 0,
  medianSeconds: null,
  meanSeconds: null,
  p90Seconds: null,
  flagged: 0,
});

/** The 1-based ranks around percentile `p` of `n` values, as a SQL expression. */
function rankCondition({ num, den }: Fraction): string {
  // 0-based position h = p * (n - 1); rows floor(h) + 1 and floor(h) + 2 (1-based).
  // Integer division: n and the constants are integers on both databases.
  const lower = `((${num} * (n - 1)) / ${den})`;
  return `rn = ${lower} + 1 OR rn = ${lower} + 2`;
}

/**
 * The statistics of `count` durations (more than 0) summing to `sumMs`, from the
 * values at their {@link PERCENTILE_RANKS} (`byRank`: 1-based rank → milliseconds).
 */
export function durationStats(
  count: number,
  sumMs: number,
  flagged: number,
  byRank: Map<number, number>,
): DurationStats {
  return {
    count,
    medianSeconds: percentileSeconds(byRank, count, MEDIAN),
    p90Seconds: percentileSeconds(byRank, count, P90),
    meanSeconds: sumMs / (count * 1000),
    flagged,
  };
}

/**
 * `percentile_cont(p)` over the sorted values `byRank` (1-based ranks → milliseconds),
 * in seconds: linear interpolation between the closest ranks, exactly as PostgreSQL.
 * Computed as one division of an exact integer, so the result is correctly rounded.
 */
function percentileSeconds(
  byRank: Map<number, number>,
  n: number,
  { num, den }: Fraction,
): number {
  const k = Math.floor((num * (n - 1)) / den);
  const rem = (num * (n - 1)) % den;
  const lo = byRank.get(k + 1)!;
  const hi = rem === 0 ? lo : byRank.get(k + 2)!;
  return (lo * den + rem * (hi - lo)) / (den * 1000);
}

/** The 1-based ranks around percentile `p` of `n` values, as SQL expressions. */
function rankExpressions({ num, den }: Fraction): string[] {
  const lower = `((${num} * (n - 1)) / ${den})`;
  return [`${lower} + 1`, `${lower} + 2`];
}

/**
 * The 1-based ranks of the values that the median and p90 of `n` values (an
 * integer column `n`) interpolate between, as SQL expressions; some may exceed `n`.
 */
export const PERCENTILE_RANKS = [
  ...rankExpressions(MEDIAN),
  ...rankExpressions(P90),
];

type RankRow = {
  g: string | null;
  v: number | string;
  rn: number | string;
  n: number | string;
  s: number | string;
  su: number | string;
};

/**
 * Median, p90, mean and count per group of durations, computed in SQL.
 *
 * `base` must select `g` (group key, null allowed), `v` (duration in integer
 * milliseconds) and `u` (0 or 1, summed into `flagged`). Only the one or two rows
 * around each percentile rank come back, so the result is O(groups) rows however
 * many values there are.
 */
export async function durationStatsByGroup(
  knex: Knex | Knex.Transaction,
  base: Knex.QueryBuilder,
): Promise<Map<string | null, DurationStats>> {
  const isPostgres = String(knex.client.config.client).includes('pg');
  const rows: RankRow[] = isPostgres
    ? await ranksBySortedArray(knex, base)
    : await ranksByWindow(knex, base);
  const groups = new Map<
    string | null,
    { n: number; sum: number; flagged: number; byRank: Map<number, number> }
  >();
  for (const row of rows) {
    const key = row.g ?? null;
    let group = groups.get(key);
    if (!group) {
      group = {
        n: Number(row.n),
        sum: Number(row.s),
        flagged: Number(row.su ?? 0),
        byRank: new Map(),
      };
      groups.set(key, group);
    }
    group.byRank.set(Number(row.rn), Number(row.v));
  }

  const result = new Map<string | null, DurationStats>();
  for (const [key, { n, sum, flagged, byRank }] of groups) {
    result.set(key, durationStats(n, sum, flagged, byRank));
  }
  return result;
}

/**
 * PostgreSQL: one sort per group into an array, then the values at the ranks by
 * subscript. The same rows as {@link ranksByWindow} (array_agg, like ROW_NUMBER,
 * puts nulls last) at a fraction of the cost: no window aggregates over every row.
 */
async function ranksBySortedArray(
  knex: Knex | Knex.Transaction,
  base: Knex.QueryBuilder,
): Promise<RankRow[]> {
  return knex
    .with('d', base)
    .with(
      'a',
      knex.raw(
        `SELECT g, COUNT(*) AS n, SUM(v) AS s, SUM(u) AS su,
          array_agg(v ORDER BY v) AS sorted
        FROM d GROUP BY g`,
      ),
    )
    .select('g', knex.raw('sorted[rn] AS v'), 'rn', 'n', 's', 'su')
    .from(
      knex.raw(
        `a CROSS JOIN LATERAL (SELECT DISTINCT r::int AS rn
          FROM unnest(ARRAY[${PERCENTILE_RANKS.join(', ')}]) AS r) AS k`,
      ),
    )
    .whereRaw('rn <= n');
}

/** Window functions number each group's values (SQLite has no arrays). */
async function ranksByWindow(
  knex: Knex | Knex.Transaction,
  base: Knex.QueryBuilder,
): Promise<RankRow[]> {
  return knex
    .with('d', base)
    .with(
      'r',
      knex.raw(
        `SELECT g, v,
          ROW_NUMBER() OVER (PARTITION BY g ORDER BY v) AS rn,
          COUNT(*) OVER (PARTITION BY g) AS n,
          SUM(v) OVER (PARTITION BY g) AS s,
          SUM(u) OVER (PARTITION BY g) AS su
        FROM d`,
      ),
    )
    .select('g', 'v', 'rn', 'n', 's', 'su')
    .from('r')
    .whereRaw(`${rankCondition(MEDIAN)} OR ${rankCondition(P90)}`);
}
