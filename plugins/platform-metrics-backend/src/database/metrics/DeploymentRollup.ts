import { Knex } from 'knex';
import type { MetricsQuery } from '../MetricsStore';
import { tryAdvisoryLock } from './advisoryLocks';
import { BackgroundCatchUp } from './BackgroundCatchUp';
import { GoldenPathCountRow, goldenPathCounts } from './goldenPathCounts';
import { MetricsSql } from './MetricsSql';
import { Range, rollupBuckets } from './rollupBuckets';
import { templateName } from './templateName';

/** `deployment_rollups.grain` of a UTC day and of a UTC month. */
const ROLLUP_DAY = 1;
const ROLLUP_MONTH = 2;
/** The catch-up's advisory lock, in the ingestion's namespace and key space. */
const CATCH_UP_LOCK = 'rollup:deployments';

/** Rollup rows `a` and `b` count the same bucket, era, team and template. */
function sameRollupRow(a: string, b: string): string {
  return `${a}.grain = ${b}.grain AND ${a}.bucket_ms = ${b}.bucket_ms
    AND ${a}.baseline = ${b}.baseline
    AND ${a}.team_ref IS NOT DISTINCT FROM ${b}.team_ref
    AND ${a}.golden_template_name IS NOT DISTINCT FROM ${b}.golden_template_name`;
}

/**
 * PostgreSQL: successful production deployments counted per UTC day and month in
 * `deployment_rollups`, caught up in the background and read exactly however far
 * behind it is; see the 20261127090000 migration.
 */
export class DeploymentRollup {
  private readonly catchUps = new BackgroundCatchUp(() => this.catchUp());
  /** The watermark the last read saw. */
  private watermark?: string;

  constructor(private readonly sql: MetricsSql) {}

  /**
   * {@link goldenPathCounts} of the period: whole UTC months and days from the
   * rollup, the partial days at either end and the rows the rollup has not counted
   * yet (`ins_xid` at or above the watermark, read in the same statement, hence
   * the same snapshot) from `deployments`. Exact however far behind the rollup is.
   */
  async goldenPathCounts(
    query: MetricsQuery,
    column: string | undefined,
  ): Promise<GoldenPathCountRow[]> {
    const { sql } = this;
    const { db } = sql;
    const { from, to } = sql.period(query);
    const buckets = rollupBuckets(from, to);
    if (!buckets) {
      // Less than one whole day: the raw rows are few.
      return goldenPathCounts(sql, sql.productionDeployments(query), column);
    }
    const fromRollup = (grain: number, ranges: Range[]) => {
      const qb = db('deployment_rollups')
        .where('baseline', Boolean(query.baseline))
        .where('grain', grain)
        .where(sql.inRanges('bucket_ms', ranges))
        .select(sql.groupKey(column), 'total', 'golden');
      // The same filters as `filtered`, on the rollup's copies of the columns.
      if (query.team) {
        qb.where('team_ref', query.team);
      }
      if (query.template) {
        qb.where('golden_template_name', templateName(query.template));
      }
      return qb;
    };
    const fromDeployments = (ranges: Range[]) =>
      sql
        .filtered('deployments', query)
        .where('deployments.production', true)
        .where('deployments.outcome', 'success')
        .where(sql.inRanges('deployments.deployed_at_ms', ranges))
        .select(
          sql.groupKey(column),
          db.raw('1 AS total'),
          db.raw(
            'CASE WHEN golden_template IS NOT NULL THEN 1 ELSE 0 END AS golden',
          ),
        );

    // Rows below the watermark come from the rollup, the others from deployments.
    // The watermark is passed as a value, so that the planner sees how few rows lie
    // above it and uses the index; the statement returns the watermark of its own
    // snapshot too, and when a catch-up has moved it (rows counted twice or not at
    // all) runs again with the new one. Catch-ups are rare: one statement, mostly.
    const count = async (tx: Knex | Knex.Transaction, watermark: string) => {
      const parts: Knex.QueryBuilder[] = [
        fromDeployments([buckets.counted]).whereRaw(
          'deployments.ins_xid >= ?::xid8',
          [watermark],
        ),
      ];
      if (buckets.months.length > 0) {
        parts.push(fromRollup(ROLLUP_MONTH, buckets.months));
      }
      if (buckets.days.length > 0) {
        parts.push(fromRollup(ROLLUP_DAY, buckets.days));
      }
      if (buckets.edges.length > 0) {
        parts.push(fromDeployments(buckets.edges));
      }
      const union = parts.map(() => '?').join(' UNION ALL ');
      const { rows } = await tx.raw(
        `SELECT s.watermark::text AS watermark, c.g, c.total, c.golden
        FROM deployment_rollup_state s
        LEFT JOIN (
          SELECT g, SUM(total) AS total, SUM(golden) AS golden
          FROM (${union}) AS p GROUP BY g
        ) AS c ON true
        WHERE s.id = 1`,
        parts,
      );
      return rows as Array<GoldenPathCountRow & { watermark: string }>;
    };
    const readWatermark = async (tx: Knex | Knex.Transaction) => {
      const { rows } = await tx.raw(
        'SELECT watermark::text AS watermark FROM deployment_rollup_state WHERE id = 1',
      );
      return rows[0].watermark as string;
    };

    let watermark = this.watermark ?? (await readWatermark(db));
    let counted = await count(db, watermark);
    for (let retry = 0; counted[0].watermark !== watermark; retry++) {
      watermark = counted[0].watermark;
      if (retry === 2) {
        // Catch-ups kept committing in between: one snapshot for both reads.
        counted = await db.transaction(
          async tx => count(tx, await readWatermark(tx)),
          { isolationLevel: 'repeatable read', readOnly: true },
        );
        break;
      }
      counted = await count(db, watermark);
    }
    this.watermark = counted[0].watermark;
    const rows = counted.filter(row => row.total !== null);
    this.catchUps.schedule();
    return rows;
  }

  /**
   * Counts the deployments inserted by transactions that have finished since the
   * last catch-up into `deployment_rollups`, and moves the watermark past them.
   * One catch-up at a time across replicas (advisory lock); rollup and watermark
   * change in one transaction, so readers see both before or both after.
   */
  private async catchUp(): Promise<void> {
    await this.sql.db.transaction(async tx => {
      // A crash may lose this commit, but then rollup and watermark together.
      await tx.raw('SET LOCAL synchronous_commit = off');
      if (!(await tryAdvisoryLock(tx, CATCH_UP_LOCK))) {
        return;
      }
      // Every transaction with an id below the oldest one still running has
      // committed or aborted: no row below that id can appear any more.
      const { rows: state } = await tx.raw(
        `SELECT watermark::text AS done,
          pg_snapshot_xmin(pg_current_snapshot())::text AS next
        FROM deployment_rollup_state WHERE id = 1`,
      );
      const { done, next } = state[0] as { done: string; next: string };
      if (BigInt(next) <= BigInt(done)) {
        return;
      }
      // Nothing new: leave the watermark, rather than write on every read.
      const { rows: pending } = await tx.raw(
        `SELECT EXISTS (SELECT 1 FROM deployments
          WHERE production AND outcome = 'success'
            AND ins_xid >= ?::xid8 AND ins_xid < ?::xid8) AS pending`,
        [done, next],
      );
      if (!pending[0].pending) {
        return;
      }
      const updatedRow = sameRollupRow('r', 'd');
      const wasUpdated = sameRollupRow('u', 'd');
      await tx.raw(
        `WITH src AS (
          SELECT baseline, team_ref, golden_template_name,
            deployed_at_ms - ((deployed_at_ms % 86400000) + 86400000) % 86400000 AS day_ms,
            CASE WHEN golden_template IS NOT NULL THEN 1 ELSE 0 END AS golden
          FROM deployments
          WHERE production AND outcome = 'success'
            AND ins_xid >= ?::xid8 AND ins_xid < ?::xid8
        ), days AS (
          SELECT baseline, team_ref, golden_template_name, day_ms,
            COUNT(*) AS total, SUM(golden) AS golden
          FROM src GROUP BY baseline, team_ref, golden_template_name, day_ms
        ), delta AS (
          SELECT ${ROLLUP_DAY}::smallint AS grain, day_ms AS bucket_ms, baseline,
            team_ref, golden_template_name, total, golden
          FROM days
          UNION ALL
          SELECT ${ROLLUP_MONTH}::smallint,
            (extract(epoch FROM date_trunc('month',
              timestamptz 'epoch' + day_ms * interval '1 millisecond', 'UTC')) * 1000)::bigint,
            baseline, team_ref, golden_template_name, SUM(total), SUM(golden)
          FROM days GROUP BY 2, baseline, team_ref, golden_template_name
        ), updated AS (
          UPDATE deployment_rollups r
          SET total = r.total + d.total, golden = r.golden + d.golden
          FROM delta d
          WHERE ${updatedRow}
          RETURNING r.grain, r.bucket_ms, r.baseline, r.team_ref, r.golden_template_name
        )
        INSERT INTO deployment_rollups
          (grain, bucket_ms, baseline, team_ref, golden_template_name, total, golden)
        SELECT grain, bucket_ms, baseline, team_ref, golden_template_name, total, golden
        FROM delta d
        WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE ${wasUpdated})`,
        [done, next],
      );
      await tx.raw(
        'UPDATE deployment_rollup_state SET watermark = ?::xid8 WHERE id = 1',
        [next],
      );
    });
  }
}
