import { Knex } from 'knex';
import type { MetricsQuery } from '../MetricsStore';
import {
  DurationStats,
  durationStats,
  EMPTY_STATS,
  percentileRanks,
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
import { durationBin } from './durationBin';
import { MetricsSql } from './MetricsSql';
import { rollupBuckets } from './rollupBuckets';

/** The catch-up's advisory lock, in the ingestion's namespace and key space. */
const CATCH_UP_LOCK = 'rollup:incidents';

/**
 * MTTR's durations of a period from `incident_duration_rollups` (see the
 * 20261203090000 migration), exactly as `percentile_cont` over the raw rows gives
 * them, without sorting every incident of the period:
 * - the rollup's counts per duration bin over the period's whole UTC months and
 *   days, plus the incidents it has not counted (the partial days at either end,
 *   rows stored before it existed), give the count, the sum and, bin by bin, which
 *   bin holds each rank that a percentile interpolates between;
 * - only the durations of those few bins are then read and sorted.
 * The reads share one snapshot. Ingestion keeps the rollup in step in the
 * transaction that recomputes an incident; incidents it has not counted (stored
 * before the migration, or inserted in bulk) are counted by a background catch-up
 * that reads start, and are read from `incidents` until then.
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
   * are few then).
   */
  async durationStats(query: MetricsQuery): Promise<DurationStats | undefined> {
    const { from, to } = this.sql.period(query);
    const buckets = rollupBuckets(from, to);
    if (!buckets) {
      return undefined;
    }
    const stats = await this.sql.db.transaction(
      tx => this.read(tx, Boolean(query.baseline), buckets),
      this.isPostgres
        ? { isolationLevel: 'repeatable read', readOnly: true }
        : undefined,
    );
    this.catchUps.schedule();
    return stats;
  }

  private async read(
    tx: Knex.Transaction,
    baseline: boolean,
    buckets: NonNullable<ReturnType<typeof rollupBuckets>>,
  ): Promise<DurationStats> {
    const [countedFrom, countedTo] = buckets.counted;
    const resolvedInCounted = (qb: Knex.QueryBuilder) =>
      qb
        .where('resolved_at_ms', '>=', countedFrom)
        .where('resolved_at_ms', '<', countedTo);

    // The rollup's count and sum per bin, and the durations it has not counted.
    const counts: Array<{
      bin: number;
      n: number | string;
      s: number | string;
    }> = await tx('incident_duration_rollups')
      .select('bin', tx.raw('SUM(n) AS n'), tx.raw('SUM(sum_ms) AS s'))
      .where('baseline', baseline)
      .where(q => {
        if (buckets.months.length > 0) {
          q.orWhere(m =>
            m
              .where('grain', DURATION_ROLLUP_MONTH)
              .where(this.sql.inRanges('bucket_ms', buckets.months)),
          );
        }
        if (buckets.days.length > 0) {
          q.orWhere(d =>
            d
              .where('grain', DURATION_ROLLUP_DAY)
              .where(this.sql.inRanges('bucket_ms', buckets.days)),
          );
        }
      })
      .groupBy('bin');
    const uncounted: Array<{ v: number | string }> = await tx('incidents')
      .select(tx.raw('resolved_at_ms - started_at_ms AS v'))
      .where('baseline', baseline)
      .where(q => {
        q.orWhere(u => resolvedInCounted(u.whereNull('duration_bin')));
        if (buckets.edges.length > 0) {
          q.orWhere(this.sql.inRanges('resolved_at_ms', buckets.edges));
        }
      });

    const countByBin = new Map<number, number>();
    const readByBin = new Map<number, number[]>();
    const keep = (bin: number, ms: number) => {
      const values = readByBin.get(bin);
      if (values) values.push(ms);
      else readByBin.set(bin, [ms]);
    };
    let count = 0;
    let sumMs = 0;
    for (const row of counts) {
      countByBin.set(row.bin, Number(row.n));
      count += Number(row.n);
      sumMs += Number(row.s);
    }
    for (const row of uncounted) {
      const ms = Number(row.v);
      const bin = durationBin(ms);
      countByBin.set(bin, (countByBin.get(bin) ?? 0) + 1);
      keep(bin, ms);
      count += 1;
      sumMs += ms;
    }
    if (count === 0) {
      return EMPTY_STATS;
    }

    // The bins holding the ranks, each with the number of durations before it.
    const ranks = percentileRanks(count);
    const binsOfRanks = new Map<number, number>();
    let before = 0;
    for (const bin of [...countByBin.keys()].sort((a, b) => a - b)) {
      const [first, last] = [before + 1, before + countByBin.get(bin)!];
      if (ranks.some(r => r >= first && r <= last)) {
        binsOfRanks.set(bin, before);
      }
      before = last;
    }

    const counted: Array<{ bin: number; v: number | string }> =
      await resolvedInCounted(
        tx('incidents')
          .select('duration_bin AS bin')
          .select(tx.raw('resolved_at_ms - started_at_ms AS v'))
          .where('baseline', baseline)
          .whereIn('duration_bin', [...binsOfRanks.keys()]),
      );
    for (const { bin, v } of counted) {
      keep(bin, Number(v));
    }

    const byRank = new Map<number, number>();
    for (const [bin, offset] of binsOfRanks) {
      const values = (readByBin.get(bin) ?? []).sort((a, b) => a - b);
      if (values.length !== countByBin.get(bin)) {
        throw new Error(
          `incident_duration_rollups counts ${countByBin.get(
            bin,
          )} durations in bin ${bin}, incidents hold ${values.length}`,
        );
      }
      for (const rank of ranks) {
        if (rank > offset && rank <= offset + values.length) {
          byRank.set(rank, values[rank - offset - 1]);
        }
      }
    }
    return durationStats(count, sumMs, 0, byRank);
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
      // Statistics now, not at autovacuum's next analyze: until then the planner
      // takes every resolved incident for uncounted and reads a period's
      // incidents in full instead of the few the rollup has not counted.
      await this.sql.db.raw('ANALYZE incidents');
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
