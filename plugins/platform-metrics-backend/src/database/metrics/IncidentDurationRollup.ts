import type { MetricsQuery } from '../MetricsStore';
import {
  DurationStats,
  durationStats,
  EMPTY_STATS,
  PERCENTILE_RANKS,
} from '../percentiles';
import { takeAdvisoryLocks, tryAdvisoryLock } from './advisoryLocks';
import { BackgroundCatchUp } from './BackgroundCatchUp';
import { CHUNK } from './chunks';
import {
  COUNTED_INCIDENT_COLUMNS,
  CountedIncidentRow,
  countIncidentDurations,
  DURATION_ROLLUP_DAY,
  DURATION_ROLLUP_MONTH,
} from './countIncidentDurations';
import { deliveryId } from './deliveryId';
import { MetricsSql } from './MetricsSql';
import { rollupBuckets } from './rollupBuckets';

/** The catch-up's advisory lock, in the ingestion's namespace and key space. */
const CATCH_UP_LOCK = 'rollup:incidents';

/**
 * MTTR's durations of a period from `incident_duration_rollups` (see the
 * 20261203090000 migration), exactly as `percentile_cont` over the raw rows gives
 * them, without sorting every incident of the period. One statement:
 * - the rollup's counts per duration bin over the period's whole UTC months and
 *   days, with the incidents resolved in the partial days at either end counted
 *   under their own bins, give the count, the sum and, bin by bin, which bins
 *   hold the ranks that the percentiles interpolate between;
 * - only the durations of those few bins are read and numbered
 *   (`incidents_duration_bin_idx`).
 * Ingestion keeps the rollup in step in the transaction that recomputes an
 * incident. Incidents it has not counted (stored before the migration, or
 * inserted in bulk) are counted by a background catch-up that reads start; until
 * then, periods holding any are read from the rows.
 */
export class IncidentDurationRollup {
  private readonly catchUps = new BackgroundCatchUp(() => this.catchUp());

  constructor(
    private readonly sql: MetricsSql,
    private readonly isPostgres: boolean,
  ) {}

  /**
   * The statistics of the durations of the incidents of the query's era resolved
   * in its period; undefined when the period holds no whole UTC day (the raw rows
   * are few then) or incidents the rollup has not counted yet.
   */
  async durationStats(query: MetricsQuery): Promise<DurationStats | undefined> {
    const { from, to } = this.sql.period(query);
    const buckets = rollupBuckets(from, to);
    if (!buckets) {
      return undefined;
    }
    const { db } = this.sql;
    const baseline = Boolean(query.baseline);
    const counted = db('incident_duration_rollups')
      .select('bin', 'n', 'sum_ms')
      .where('baseline', baseline)
      .where(q => {
        for (const [grain, ranges] of [
          [DURATION_ROLLUP_MONTH, buckets.months],
          [DURATION_ROLLUP_DAY, buckets.days],
        ] as const) {
          if (ranges.length > 0) {
            q.orWhere(g =>
              g
                .where('grain', grain)
                .where(this.sql.inRanges('bucket_ms', ranges)),
            );
          }
        }
      });
    if (buckets.edges.length > 0) {
      counted.unionAll(
        db('incidents')
          .select(
            'duration_bin',
            db.raw('1'),
            db.raw('resolved_at_ms - started_at_ms'),
          )
          .where('baseline', baseline)
          .whereNotNull('duration_bin')
          .where(this.sql.inRanges('resolved_at_ms', buckets.edges)),
      );
    }

    // PostgreSQL estimates the target bins at dozens and would hash-join them to
    // every incident of the period; as an array they make an index scan.
    const inTargets = this.isPostgres
      ? 'AND i.duration_bin = ANY(ARRAY(SELECT bin FROM targets))'
      : '';
    const rows: Array<{
      count: number | string;
      sum: number | string;
      uncounted: boolean | number;
      rank: number | string | null;
      v: number | string | null;
      binned: number | string | null;
      held: number | string | null;
    }> = await db
      .with('counted', counted)
      .with(
        'total',
        db.raw(
          `SELECT CAST(COALESCE(SUM(n), 0) AS bigint) AS n,
            COALESCE(SUM(sum_ms), 0) AS s,
            EXISTS (SELECT 1 FROM incidents WHERE baseline = ?
              AND duration_bin IS NULL
              AND resolved_at_ms >= ? AND resolved_at_ms < ?) AS uncounted
          FROM counted`,
          [baseline, from, to],
        ),
      )
      .with(
        'ranks',
        db.raw(
          PERCENTILE_RANKS.map(
            rank => `SELECT ${rank} AS rank FROM total WHERE n > 0`,
          ).join(' UNION '),
        ),
      )
      // Each bin with the number of durations in the bins before it.
      .with(
        'bins',
        db.raw(
          `SELECT bin, n,
            SUM(n) OVER (ORDER BY bin ROWS UNBOUNDED PRECEDING) - n AS before
          FROM (SELECT bin, SUM(n) AS n FROM counted GROUP BY bin) AS b`,
        ),
      )
      .with(
        'targets',
        db.raw(
          `SELECT DISTINCT b.bin, b.n, b.before FROM bins b
          JOIN ranks r ON r.rank > b.before AND r.rank <= b.before + b.n`,
        ),
      )
      .with(
        'held',
        db.raw(
          `SELECT t.bin, t.n, t.before, i.resolved_at_ms - i.started_at_ms AS v,
            ROW_NUMBER() OVER (
              PARTITION BY t.bin ORDER BY i.resolved_at_ms - i.started_at_ms) AS k,
            COUNT(*) OVER (PARTITION BY t.bin) AS held
          FROM targets t JOIN incidents i ON i.duration_bin = t.bin
          WHERE i.baseline = ? AND i.resolved_at_ms >= ? AND i.resolved_at_ms < ?
            ${inTargets}`,
          [baseline, from, to],
        ),
      )
      .with(
        'picked',
        db.raw(
          `SELECT r.rank, h.v, h.n, h.held FROM held h
          JOIN ranks r ON r.rank = h.before + h.k`,
        ),
      )
      .select(
        'total.n AS count',
        'total.s AS sum',
        'total.uncounted',
        'picked.rank',
        'picked.v',
        'picked.n AS binned',
        'picked.held',
      )
      .from('total')
      .joinRaw('LEFT JOIN picked ON 1 = 1');

    this.catchUps.schedule();
    const [first] = rows;
    if (Boolean(first.uncounted)) {
      return undefined;
    }
    const count = Number(first.count);
    if (count === 0) {
      return EMPTY_STATS;
    }
    const byRank = new Map<number, number>();
    for (const row of rows) {
      if (Number(row.binned) !== Number(row.held)) {
        throw new Error(
          `incident_duration_rollups counts ${row.binned} durations in a bin, incidents hold ${row.held}`,
        );
      }
      byRank.set(Number(row.rank), Number(row.v));
    }
    return durationStats(count, Number(first.sum), 0, byRank);
  }

  /**
   * Counts the resolved incidents the rollup has not counted, a chunk per
   * transaction, each under the incidents' advisory locks (as ingestion takes
   * them), so that an incident is counted by the catch-up or by the ingestion
   * recomputing it, never by both. One catch-up at a time across replicas.
   */
  private async catchUp(): Promise<void> {
    let counted = 0;
    for (let more = true; more; ) {
      const chunk = await this.countChunk();
      counted += chunk.counted;
      more = chunk.more;
    }
    if (counted > 0 && this.isPostgres) {
      // The catch-up rewrote those rows: vacuum and analyze now rather than at
      // autovacuum's next round, which would leave index-only scans fetching
      // the heap and the planner thinking the incidents uncounted meanwhile.
      await this.sql.db.raw('VACUUM (ANALYZE) incidents');
    }
  }

  private countChunk(): Promise<{ counted: number; more: boolean }> {
    return this.sql.db.transaction(async tx => {
      if (this.isPostgres && !(await tryAdvisoryLock(tx, CATCH_UP_LOCK))) {
        return { counted: 0, more: false };
      }
      const uncounted = () =>
        tx('incidents')
          .whereNull('duration_bin')
          .whereNotNull('resolved_at_ms');
      const pending: Array<{
        id: string;
        source: string;
        incident_key: string;
      }> = await uncounted()
        .select('id', 'source', 'incident_key')
        .limit(CHUNK);
      if (pending.length === 0) {
        return { counted: 0, more: false };
      }
      if (this.isPostgres) {
        await takeAdvisoryLocks(
          tx,
          pending.map(p => `incident:${deliveryId(p.source, p.incident_key)}`),
        );
      }
      // Read again under the locks: ingestion may have counted some meanwhile.
      const rows: CountedIncidentRow[] = await uncounted()
        .whereIn(
          'id',
          pending.map(p => p.id),
        )
        .select(COUNTED_INCIDENT_COLUMNS);
      await countIncidentDurations(tx, [], rows);
      return { counted: rows.length, more: pending.length === CHUNK };
    });
  }
}
