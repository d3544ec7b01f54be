import { Knex } from 'knex';
import { chunks } from './chunks';
import { durationBin } from './durationBin';
import { floorDay, startOfMonth } from './rollupBuckets';

/** `incident_duration_rollups.grain` of a UTC day and of a UTC month. */
export const DURATION_ROLLUP_DAY = 1;
export const DURATION_ROLLUP_MONTH = 2;

/** The columns of an `incidents` row that say how the duration rollup counts it. */
export const COUNTED_INCIDENT_COLUMNS = [
  'id',
  'baseline',
  'started_at_ms',
  'resolved_at_ms',
  'duration_bin',
];

/** An `incidents` row's {@link COUNTED_INCIDENT_COLUMNS}, as the database returns them. */
export interface CountedIncidentRow {
  id: string;
  baseline: boolean | number;
  started_at_ms: number | string;
  resolved_at_ms: number | string | null;
  /** The bin it is counted under; null: not counted. */
  duration_bin: number | null;
}

interface RollupDelta {
  grain: number;
  bucket_ms: number;
  baseline: boolean;
  bin: number;
  n: number;
  sum_ms: number;
}

/**
 * Keeps `incident_duration_rollups` and `incidents.duration_bin` in step with the
 * incidents' state, in the caller's transaction: every resolved incident in
 * `current` is counted under its resolution's UTC day and month and its duration's
 * bin, and what `counted` says was counted before (rows with a `duration_bin`, as
 * they were when counted) is taken out. An open incident is not counted.
 *
 * Concurrent callers must not pass the same incident (the ingestion and the
 * catch-up hold its advisory lock). Rollup rows are written in key order, so
 * transactions counting into the same rows wait for each other but never deadlock.
 */
export async function countIncidentDurations(
  tx: Knex.Transaction,
  counted: CountedIncidentRow[],
  current: CountedIncidentRow[],
): Promise<void> {
  const before = new Map(
    counted.filter(row => row.duration_bin !== null).map(row => [row.id, row]),
  );
  const deltas = new Map<string, RollupDelta>();
  const count = (row: CountedIncidentRow, bin: number, sign: 1 | -1) => {
    const resolvedAt = Number(row.resolved_at_ms);
    const ms = resolvedAt - Number(row.started_at_ms);
    const baseline = Boolean(row.baseline);
    for (const [grain, bucket] of [
      [DURATION_ROLLUP_DAY, floorDay(resolvedAt)],
      [DURATION_ROLLUP_MONTH, startOfMonth(resolvedAt)],
    ]) {
      const key = JSON.stringify([grain, bucket, baseline, bin]);
      const delta = deltas.get(key) ?? {
        grain,
        bucket_ms: bucket,
        baseline,
        bin,
        n: 0,
        sum_ms: 0,
      };
      delta.n += sign;
      delta.sum_ms += sign * ms;
      deltas.set(key, delta);
    }
  };

  const bins = new Map<string, number | null>();
  for (const row of current) {
    const was = before.get(row.id);
    if (
      was &&
      Number(was.started_at_ms) === Number(row.started_at_ms) &&
      Number(was.resolved_at_ms) === Number(row.resolved_at_ms)
    ) {
      continue; // counted as it is
    }
    const bin =
      row.resolved_at_ms === null
        ? null
        : durationBin(Number(row.resolved_at_ms) - Number(row.started_at_ms));
    if (was) count(was, was.duration_bin!, -1);
    if (bin !== null) count(row, bin, 1);
    if (bin !== row.duration_bin) bins.set(row.id, bin);
  }

  const rows = [...deltas.values()]
    .filter(d => d.n !== 0 || d.sum_ms !== 0)
    .sort(
      (a, b) =>
        a.grain - b.grain ||
        Number(a.baseline) - Number(b.baseline) ||
        a.bucket_ms - b.bucket_ms ||
        a.bin - b.bin,
    );
  for (const chunk of chunks(rows)) {
    await tx('incident_duration_rollups')
      .insert(chunk)
      .onConflict(['grain', 'baseline', 'bucket_ms', 'bin'])
      .merge({
        n: tx.raw('incident_duration_rollups.n + excluded.n'),
        sum_ms: tx.raw('incident_duration_rollups.sum_ms + excluded.sum_ms'),
      });
  }
  for (const chunk of chunks([...bins.entries()])) {
    await tx('incidents')
      .whereIn(
        'id',
        chunk.map(([id]) => id),
      )
      .update({
        duration_bin: tx.raw(
          `CASE id ${chunk
            .map(() => 'WHEN ? THEN CAST(? AS smallint)')
            .join(' ')} END`,
          chunk.flat(),
        ),
      });
  }
}
