import type {
  LastKnownValue,
  MetricsSummary,
} from '@internal/plugin-platform-metrics-common';

export type MetricKey = 'leadTime' | 'goldenPath' | 'mttr' | 'satisfaction';

export const metricKeys: MetricKey[] = [
  'leadTime',
  'goldenPath',
  'mttr',
  'satisfaction',
];

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

/** Seconds as hours for charts and tables; null (no data) stays null. */
export const toHours = (seconds: number | null) =>
  seconds === null ? null : seconds / 3600;

export const formatTimestamp = (iso: string | null) =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '–';

const relativeTime = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

// The largest unit whose count is at least one, with rounding thresholds that
// keep "45 minutes ago" from reading as "1 hour ago" too early.
const relativeUnits: [Intl.RelativeTimeFormatUnit, number, number][] = [
  ['year', 365 * 86400, 330 * 86400],
  ['month', 30 * 86400, 26 * 86400],
  ['day', 86400, 22 * 3600],
  ['hour', 3600, 45 * 60],
  ['minute', 60, 45],
];

/** "3 days ago", "in 2 hours", "just now": how long ago `iso` was at `now`. */
export function formatRelativeTime(iso: string, now: number): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  for (const [unit, size, from] of relativeUnits) {
    if (Math.abs(seconds) >= from) {
      return relativeTime.format(Math.round(seconds / size), unit);
    }
  }
  return 'just now';
}

export const formatPercent = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : `${value.toFixed(1)} %`;

interface MetricDefinition {
  title: string;
  /** The headline number, null when there is no data. */
  value(summary: MetricsSummary): number | null;
  /** Sample size. */
  n(summary: MetricsSummary): number;
  nLabel: string;
  format(value: number | null): string;
  /** 'percent' changes are shown in percentage points. */
  unit: 'seconds' | 'percent';
  /** Which direction is an improvement. */
  better: 'lower' | 'higher';
  /**
   * How the tile sets the value against the ticket era: durations side by side
   * with the factor between them, shares as a change; the survey has no ticket era.
   */
  baseline: 'side-by-side' | 'change' | 'none';
  /**
   * Durations count only what completed in the period. Without a value, the tile
   * says what is still under way and the value before the period instead.
   */
  whileEmpty?(summary: MetricsSummary): {
    underWay: string;
    lastKnown: LastKnownValue | null | undefined;
  };
  /** What the backend computes, word for word with its README. */
  definition: string;
}

export const metricDefinitions: Record<MetricKey, MetricDefinition> = {
  leadTime: {
    title: 'Lead time to production',
    value: s => s.leadTime.medianSeconds,
    n: s => s.leadTime.count,
    nLabel: 'requests',
    format: formatDuration,
    unit: 'seconds',
    better: 'lower',
    baseline: 'side-by-side',
    whileEmpty: s => ({
      underWay: `${countOf(s.leadTime.inFlight, 'request')} in flight`,
      lastKnown: s.leadTime.lastKnown,
    }),
    definition:
      'For each service request, requested_at is when the scaffolder task was submitted (or, for imported baseline rows, when the ticket was opened); ready_at is the first successful production deployment of that service at or after the request. Lead time is ready_at − requested_at and counts in the period that contains ready_at. The headline is the median (PostgreSQL percentile_cont, linear interpolation); p90, n and the requests still in flight (requested before the period end, not ready by then) are reported beside it. Requests whose first production deployment did not declare observability still count and are reported as "observability unverified". Where the portal runs live checks of a service\'s golden-path promises (image, pipeline, health, DNS, TLS, Prometheus scraping, alerts, logs), ready_at is instead the first moment every required check passed at or after that first production deployment: such lead times are counted as "verified". Lead times that ended at the first production deployment without live checks (none configured, or none covering the service) are counted as "declared only". Services in production whose required checks do not all pass are listed as "in production without observability" and stay in flight.',
  },
  goldenPath: {
    title: 'Golden-path adoption',
    value: s => s.goldenPath.percent,
    n: s => s.goldenPath.totalDeployments,
    nLabel: 'deployments',
    format: formatPercent,
    unit: 'percent',
    better: 'higher',
    baseline: 'change',
    definition:
      'Of the successful production deployments in the period, the share whose pipeline declares a golden-path template and version (customData.goldenPath in CDEvents, deployment.payload.goldenPath on GitHub), from 0 to 100 %. Services deploying without it are listed with the reason. The detail also gives the share of golden deployments made from a supported version of their template (goldenPath.supportedVersions, by default the latest release).',
  },
  mttr: {
    title: 'Time to restore (MTTR)',
    value: s => s.mttr.medianSeconds,
    n: s => s.mttr.count,
    nLabel: 'incidents',
    format: formatDuration,
    unit: 'seconds',
    better: 'lower',
    baseline: 'side-by-side',
    whileEmpty: s => ({
      underWay: `${countOf(s.mttr.open, 'incident')} open`,
      lastKnown: s.mttr.lastKnown,
    }),
    definition:
      'Per incident, resolved minus started, where started is the earliest trigger or detection. Events are grouped per incident and the times recomputed from all of them, so out-of-order and duplicate deliveries give the same incident; a reopened incident runs until its final resolution. An incident counts in the period that contains its resolution. The headline is the median; mean and p90 are reported beside it, and "open" counts incidents started by the period end and unresolved then.',
  },
  satisfaction: {
    title: 'Developer satisfaction',
    value: s =>
      s.satisfaction.suppressed ? null : s.satisfaction.percentFavourable,
    n: s => s.satisfaction.responses,
    nLabel: 'responses',
    format: formatPercent,
    unit: 'percent',
    better: 'higher',
    baseline: 'none',
    definition:
      'One 1–5 satisfaction item per quarterly campaign, counted in the period in which the campaign closes: the share of 4s and 5s ("favourable"), with the mean beside it. Answers are anonymous by construction; a selection with fewer responses than the minimum group size is suppressed.',
  },
};

/** A change as text, e.g. "−12.0 %" or "+4.1 pp", and whether it is an improvement. */
export function describeChange(
  metric: MetricKey,
  current: number | null,
  previous: number | null,
): { text: string; improved: boolean | null } {
  if (current === null || previous === null) {
    return { text: 'no data to compare', improved: null };
  }
  const definition = metricDefinitions[metric];
  const delta = current - previous;
  let sign = '±';
  if (delta !== 0) sign = delta > 0 ? '+' : '−';
  let improved: boolean | null = null;
  if (delta !== 0) {
    improved = definition.better === 'higher' ? delta > 0 : delta < 0;
  }
  if (definition.unit === 'percent') {
    return { text: `${sign}${Math.abs(delta).toFixed(1)} pp`, improved };
  }
  if (previous === 0) return { text: 'no data to compare', improved: null };
  return {
    text: `${sign}${Math.abs((delta / previous) * 100).toFixed(0)} %`,
    improved,
  };
}

/**
 * A factor to two significant digits, the precision a median carries: 795.8
 * is "800", 3.36 is "3.4".
 */
export function formatFactor(factor: number): string {
  const rounded = Number(factor.toPrecision(2));
  return rounded < 10 ? rounded.toFixed(1) : rounded.toLocaleString('en-US');
}

/**
 * A duration beside its ticket-era value, e.g. "ticket era 21.0 d → 38 min
 * (×800)": the before and after themselves, which a percentage change rounds
 * to "−100 %".
 */
export function describeAgainstBaseline(
  metric: MetricKey,
  baseline: number | null,
  current: number | null,
): { text: string; improved: boolean | null } {
  if (baseline === null) {
    return { text: 'no ticket-era data to compare', improved: null };
  }
  const { format } = metricDefinitions[metric];
  const before = `ticket era ${format(baseline)}`;
  if (current === null) {
    return { text: `${before} → none in this period`, improved: null };
  }
  const text = `${before} → ${format(current)}`;
  if (current === baseline) {
    return { text: `${text} (unchanged)`, improved: null };
  }
  const improved = current < baseline;
  if (current === 0 || baseline === 0) {
    return { text, improved };
  }
  return {
    text: improved
      ? `${text} (×${formatFactor(baseline / current)})`
      : `${text} (${formatFactor(current / baseline)}× longer)`,
    improved,
  };
}

/** "no requests", "1 request", "3 requests". */
export function countOf(n: number, noun: string): string {
  if (n === 1) return `1 ${noun}`;
  return `${n === 0 ? 'no' : n} ${noun}s`;
}

export const isMetricKey = (value: string | undefined): value is MetricKey =>
  metricKeys.includes(value as MetricKey);
