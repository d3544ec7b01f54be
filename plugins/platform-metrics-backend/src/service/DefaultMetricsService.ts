import { InputError } from '@backstage/errors';
import type {
  BreakdownMetric,
  LastKnownValue,
  LeadTimeSummary,
  MetricsSummary,
  MetricsTrendBucket,
  MttrSummary,
  SatisfactionSummary,
} from '@internal/plugin-platform-metrics-common';
import type {
  BreakdownDimension,
  DurationMetric,
  MetricsQuery,
  MetricsStore,
} from '../database/MetricsStore';
import type { MetricsService } from './MetricsService';

/** Satisfaction comes from the survey service; this is all the metrics need of it. */
export interface SatisfactionSource {
  satisfaction(query: {
    from: Date;
    to: Date;
    team?: string;
  }): Promise<SatisfactionSummary>;
}

/** Trends are limited so one request cannot ask for thousands of periods. */
const MAX_TREND_POINTS = 60;

/** Combines the four metrics; every number is computed by the stores. */
export class DefaultMetricsService implements MetricsService {
  private constructor(
    private readonly store: MetricsStore,
    private readonly satisfactionSource: SatisfactionSource,
  ) {}

  static create(options: {
    store: MetricsStore;
    satisfaction: SatisfactionSource;
  }) {
    return new DefaultMetricsService(options.store, options.satisfaction);
  }

  /**
   * The four metrics in the period. Lead time and MTTR without a value in it
   * carry `lastKnown`, the value before it, so that an empty period still says
   * where things stood.
   */
  async summary(query: MetricsQuery): Promise<MetricsSummary> {
    const summary = await this.periodSummary(query);
    const [leadTime, mttr] = await Promise.all([
      this.withLastKnown(query, 'leadTime', summary.leadTime),
      this.withLastKnown(query, 'mttr', summary.mttr),
    ]);
    return { ...summary, leadTime, mttr };
  }

  /** Each point holds only its own period's numbers. */
  async trend(query: MetricsQuery, bucket: MetricsTrendBucket) {
    const periods = splitPeriods(query.from, query.to, bucket);
    const points = await Promise.all(
      periods.map(period => this.periodSummary({ ...query, ...period })),
    );
    return { bucket, points };
  }

  async breakdown(
    query: MetricsQuery,
    metric: BreakdownMetric,
    by: BreakdownDimension,
  ) {
    switch (metric) {
      case 'leadTime':
        return this.store.leadTimeBreakdown(query, onlyTeamOrTemplate(by));
      case 'goldenPath':
        return this.store.goldenPathBreakdown(query, onlyTeamOrTemplate(by));
      default:
        if (by === 'template') {
          throw new InputError('MTTR has no template breakdown');
        }
        return this.store.mttrBreakdown(query, by);
    }
  }

  listDeployments(
    query: MetricsQuery & { goldenPath?: boolean },
    limit: number,
  ) {
    return this.store.listDeployments(query, limit);
  }

  listIncidents(
    query: MetricsQuery & { state?: 'resolved' | 'open' },
    limit: number,
  ) {
    return this.store.listIncidents(query, limit);
  }

  listServiceRequests(
    query: MetricsQuery & { state?: 'ready' | 'in-flight' },
    limit: number,
  ) {
    return this.store.listServiceRequests(query, limit);
  }

  listOffPathServices(query: MetricsQuery) {
    return this.store.listOffPathServices(query);
  }

  dataQuality(query: MetricsQuery) {
    return this.store.dataQuality(query);
  }

  private async periodSummary(query: MetricsQuery): Promise<MetricsSummary> {
    const [leadTime, goldenPath, mttr, satisfaction] = await Promise.all([
      this.store.leadTime(query),
      this.store.goldenPath(query),
      this.store.mttr(query),
      this.satisfactionSource.satisfaction({
        from: query.from,
        to: query.to,
        team: query.team,
      }),
    ]);
    return {
      period: { from: query.from.toISOString(), to: query.to.toISOString() },
      leadTime,
      goldenPath,
      mttr,
      satisfaction,
    };
  }

  private async withLastKnown<T extends LeadTimeSummary | MttrSummary>(
    query: MetricsQuery,
    metric: DurationMetric,
    value: T,
  ): Promise<T> {
    return value.count > 0
      ? value
      : { ...value, lastKnown: await this.lastKnown(query, metric) };
  }

  /**
   * The metric over the calendar quarter of its latest completion before the
   * period, cut off where the period starts: the most recent stretch with data.
   */
  private async lastKnown(
    query: MetricsQuery,
    metric: DurationMetric,
  ): Promise<LastKnownValue | null> {
    const latest = await this.store.lastCompletionBefore(query, metric);
    if (!latest) {
      return null;
    }
    const quarter = calendarBucket(latest, 'quarter');
    const period = {
      from: quarter.from,
      to: quarter.to < query.from ? quarter.to : query.from,
    };
    const { medianSeconds, count } =
      metric === 'leadTime'
        ? await this.store.leadTime({ ...query, ...period })
        : await this.store.mttr({ ...query, ...period });
    return {
      period: { from: period.from.toISOString(), to: period.to.toISOString() },
      // The period holds `latest`, so it has a value.
      medianSeconds: medianSeconds!,
      count,
    };
  }
}

function onlyTeamOrTemplate(by: BreakdownDimension): 'team' | 'template' {
  if (by !== 'team' && by !== 'template') {
    throw new InputError(
      `This metric breaks down by team or template, not ${by}`,
    );
  }
  return by;
}

/** The calendar month or quarter (UTC) that holds `date`. */
function calendarBucket(
  date: Date,
  bucket: MetricsTrendBucket,
): { from: Date; to: Date } {
  const months = bucket === 'month' ? 1 : 3;
  const year = date.getUTCFullYear();
  const month = Math.floor(date.getUTCMonth() / months) * months;
  return {
    from: new Date(Date.UTC(year, month, 1)),
    to: new Date(Date.UTC(year, month + months, 1)),
  };
}

/** Calendar months or quarters (UTC) covering [from, to), clipped to the range. */
function splitPeriods(
  from: Date,
  to: Date,
  bucket: MetricsTrendBucket,
): { from: Date; to: Date }[] {
  const periods: { from: Date; to: Date }[] = [];
  for (
    let cursor = calendarBucket(from, bucket);
    cursor.from < to;
    cursor = calendarBucket(cursor.to, bucket)
  ) {
    periods.push({
      from: cursor.from < from ? from : cursor.from,
      to: cursor.to > to ? to : cursor.to,
    });
    if (periods.length > MAX_TREND_POINTS) {
      throw new InputError(
        `A trend has at most ${MAX_TREND_POINTS} points; narrow the period or use quarters`,
      );
    }
  }
  return periods;
}
