// The straightforward way to compute the summary's delivery figures, as Four Keys
// style dashboards do: percentile_cont over the raw events of the period, joined and
// aggregated on every request, without the derived columns, indexes or rollups the
// store relies on. Lead time joins each service request to the raw deployments to
// find its first successful production deployment; MTTR rebuilds every incident
// from its raw lifecycle events. Same rules as DatabaseMetricsStore, so the figures
// must equal the API's (run.mjs checks that).

/** One statement, so one timing covers the three metrics. `$1` from, `$2` to (epoch ms). */
export const FULL_SCAN_SQL = `
WITH first_ready AS (
  SELECT r.id, r.requested_at_ms, MIN(d.deployed_at_ms) AS ready_ms
  FROM service_requests r
  LEFT JOIN deployments d
    ON d.entity_ref = r.entity_ref AND d.production AND d.outcome = 'success'
   AND NOT d.baseline AND d.deployed_at_ms >= r.requested_at_ms
  WHERE NOT r.baseline
  GROUP BY r.id, r.requested_at_ms
), lead_time AS (
  SELECT
    percentile_cont(0.5) WITHIN GROUP (ORDER BY (ready_ms - requested_at_ms) / 1000.0)
      FILTER (WHERE ready_ms >= $1 AND ready_ms < $2) AS median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY (ready_ms - requested_at_ms) / 1000.0)
      FILTER (WHERE ready_ms >= $1 AND ready_ms < $2) AS p90,
    COUNT(*) FILTER (WHERE ready_ms >= $1 AND ready_ms < $2) AS count,
    COUNT(*) FILTER (WHERE requested_at_ms < $2 AND (ready_ms IS NULL OR ready_ms >= $2))
      AS in_flight
  FROM first_ready
), golden_path AS (
  SELECT COUNT(*) AS total,
    COUNT(*) FILTER (WHERE golden_template IS NOT NULL) AS golden
  FROM deployments
  WHERE production AND outcome = 'success' AND NOT baseline
    AND deployed_at_ms >= $1 AND deployed_at_ms < $2
), incident AS (
  SELECT
    COALESCE(MIN(occurred_at_ms) FILTER (WHERE type = 'triggered'), MIN(occurred_at_ms))
      AS started,
    MAX(occurred_at_ms) FILTER (WHERE type = 'resolved') AS last_resolved,
    MAX(occurred_at_ms) FILTER (WHERE type IN ('triggered', 'reopened')) AS last_opened
  FROM incident_events
  WHERE source <> 'baseline'
  GROUP BY source, incident_key
), restored AS (
  SELECT started,
    CASE WHEN last_resolved IS NOT NULL
      AND (last_opened IS NULL OR last_opened <= last_resolved)
    THEN last_resolved END AS resolved
  FROM incident
), mttr AS (
  SELECT
    percentile_cont(0.5) WITHIN GROUP (ORDER BY (resolved - started) / 1000.0)
      FILTER (WHERE resolved >= $1 AND resolved < $2) AS median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY (resolved - started) / 1000.0)
      FILTER (WHERE resolved >= $1 AND resolved < $2) AS p90,
    AVG((resolved - started) / 1000.0) FILTER (WHERE resolved >= $1 AND resolved < $2)
      AS mean,
    COUNT(*) FILTER (WHERE resolved >= $1 AND resolved < $2) AS count,
    COUNT(*) FILTER (WHERE started < $2 AND (resolved IS NULL OR resolved >= $2)) AS open
  FROM restored
)
SELECT
  l.median AS lead_median, l.p90 AS lead_p90, l.count AS lead_count,
  l.in_flight AS lead_in_flight,
  g.total AS golden_total, g.golden AS golden_golden,
  m.median AS mttr_median, m.p90 AS mttr_p90, m.mean AS mttr_mean,
  m.count AS mttr_count, m.open AS mttr_open
FROM lead_time l, golden_path g, mttr m`;

/**
 * The full scan's figures next to the API summary's: differences beyond float
 * rounding (the store computes percentiles exactly, percentile_cont in floating
 * point) are listed; an empty list means the same figures.
 */
export function compareWithSummary(row, summary) {
  const pairs = [
    ['leadTime.medianSeconds', row.lead_median, summary.leadTime.medianSeconds],
    ['leadTime.p90Seconds', row.lead_p90, summary.leadTime.p90Seconds],
    ['leadTime.count', row.lead_count, summary.leadTime.count],
    ['leadTime.inFlight', row.lead_in_flight, summary.leadTime.inFlight],
    [
      'goldenPath.totalDeployments',
      row.golden_total,
      summary.goldenPath.totalDeployments,
    ],
    [
      'goldenPath.goldenDeployments',
      row.golden_golden,
      summary.goldenPath.goldenDeployments,
    ],
    ['mttr.medianSeconds', row.mttr_median, summary.mttr.medianSeconds],
    ['mttr.p90Seconds', row.mttr_p90, summary.mttr.p90Seconds],
    ['mttr.meanSeconds', row.mttr_mean, summary.mttr.meanSeconds],
    ['mttr.count', row.mttr_count, summary.mttr.count],
    ['mttr.open', row.mttr_open, summary.mttr.open],
  ];
  return pairs
    .filter(([, a, b]) => {
      if (a === null || b === null) return a !== b;
      const x = Number(a);
      const y = Number(b);
      return Math.abs(x - y) > 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
    })
    .map(([name, a, b]) => `${name}: full scan ${a}, API ${b}`);
}
