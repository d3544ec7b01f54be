import { InputError } from '@backstage/errors';
import type {
  BreakdownMetric,
  MetricsSummary,
  MetricsTrendBucket,
  SatisfactionSummary,
} from '@internal/plugin-platform-metrics-common';
import type {
  BreakdownDimension,
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

  async summary(query: MetricsQuery): Promise<MetricsSummary> {
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

  async trend(query: MetricsQuery, bucket: MetricsTrendBucket) {
    const periods = splitPeriods(query.from, query.to, bucket);
    const points = await Promise.all(
      periods.map(period => this.summary({ ...query, ...period })),
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
}

function onlyTeamOrTemplate(by: BreakdownDimension): 'team' | 'template' {
  if (by !== 'team' && by !== 'template') {
    throw new InputError(
      `This metric breaks down by team or template, not ${by}`,
    );
  }
  return by;
}

/** Calendar months or quarters (UTC) covering [from, to), clipped to the range. */
export function splitPeriods(
  from: Date,
  to: Date,
  bucket: MetricsTrendBucket,
): { from: Date; to: Date }[] {
  const months = bucket === 'month' ? 1 : 3;
  const start = new Date(
    Date.UTC(
      from.getUTCFullYear(),
      Math.floor(from.getUTCMonth() / months) * months,
      1,
    ),
  );
  const periods: { from: Date; to: Date }[] = [];
  for (
    let cursor = start;
    cursor < to;
    cursor = new Date(
      Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + months, 1),
    )
  ) {
    const next = new Date(
      Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + months, 1),
    );
    periods.push({
      from: cursor < from ? from : cursor,
      to: next > to ? to : next,
    });
    if (periods.length > MAX_TREND_POINTS) {
      throw new InputError(
        `A trend has at most ${MAX_TREND_POINTS} points; narrow the period or use quarters`,
      );
    }
  }
  return periods;
}
