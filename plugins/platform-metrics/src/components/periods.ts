import type { MetricsPeriod } from '@internal/plugin-platform-metrics-common';

export type PeriodPreset = 'quarter' | 'previous-quarter' | 'year' | 'custom';

export const periodPresetLabels: Record<PeriodPreset, string> = {
  quarter: 'This quarter',
  'previous-quarter': 'Last quarter',
  year: 'Last 12 months',
  custom: 'Custom range',
};

const quarterStart = (date: Date) =>
  new Date(
    Date.UTC(date.getUTCFullYear(), Math.floor(date.getUTCMonth() / 3) * 3, 1),
  );

const addMonths = (date: Date, months: number) =>
  new Date(
    Date.UTC(
      date.getUTCFullYear(),
      date.getUTCMonth() + months,
      date.getUTCDate(),
    ),
  );

/** Half-open periods in UTC, the way the backend counts them. */
export function periodFor(
  preset: PeriodPreset,
  now: Date,
  custom?: { from?: string; to?: string },
): MetricsPeriod {
  if (preset === 'custom' && custom?.from && custom?.to) {
    // Both custom dates are inclusive days for the user; `to` is exclusive here.
    const to = new Date(`${custom.to}T00:00:00.000Z`);
    to.setUTCDate(to.getUTCDate() + 1);
    return {
      from: new Date(`${custom.from}T00:00:00.000Z`).toISOString(),
      to: to.toISOString(),
    };
  }
  if (preset === 'previous-quarter') {
    const end = quarterStart(now);
    return { from: addMonths(end, -3).toISOString(), to: end.toISOString() };
  }
  if (preset === 'year') {
    const end = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1),
    );
    return { from: addMonths(end, -12).toISOString(), to: end.toISOString() };
  }
  const start = quarterStart(now);
  return { from: start.toISOString(), to: addMonths(start, 3).toISOString() };
}

/** The period of the same length that ends where this one starts. */
export function previousPeriod(period: MetricsPeriod): MetricsPeriod {
  const from = new Date(period.from);
  const to = new Date(period.to);
  // Whole calendar quarters and years keep their calendar shape.
  const months =
    (to.getUTCFullYear() - from.getUTCFullYear()) * 12 +
    (to.getUTCMonth() - from.getUTCMonth());
  if (
    from.getUTCDate() === to.getUTCDate() &&
    months > 0 &&
    from.getUTCHours() === 0 &&
    to.getUTCHours() === 0
  ) {
    return { from: addMonths(from, -months).toISOString(), to: period.from };
  }
  const length = to.getTime() - from.getTime();
  return {
    from: new Date(from.getTime() - length).toISOString(),
    to: period.from,
  };
}

/** Everything up to the end of the period: the baseline is the whole ticket era. */
export function baselinePeriod(period: MetricsPeriod): MetricsPeriod {
  const to = new Date(period.to);
  return { from: addMonths(to, -120).toISOString(), to: period.to };
}

/** The two years up to the period end, for the small trends. */
export function trendPeriod(period: MetricsPeriod): MetricsPeriod {
  const to = new Date(period.to);
  return { from: addMonths(to, -24).toISOString(), to: period.to };
}

export const formatDay = (iso: string) => iso.slice(0, 10);

/** The last day inside a half-open period. */
export const lastDay = (period: MetricsPeriod) =>
  new Date(new Date(period.to).getTime() - 1).toISOString().slice(0, 10);

/** The calendar quarter (UTC) an instant falls in, e.g. "2026-Q3". */
export function quarterName(iso: string): string {
  const date = new Date(iso);
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

/**
 * A period as people name it: "2026-Q3" for a whole calendar quarter, else its
 * first and last day.
 */
export function periodName(period: MetricsPeriod): string {
  const from = new Date(period.from);
  const isQuarter =
    from.getTime() === quarterStart(from).getTime() &&
    addMonths(from, 3).toISOString() === period.to;
  return isQuarter
    ? quarterName(period.from)
    : `${formatDay(period.from)} to ${lastDay(period)}`;
}
