import type {
  BreakdownDimension,
  BreakdownMetric,
  MetricsSummary,
} from '@internal/plugin-platform-metrics-common';
import type { ComponentType } from 'react';
import type { MetricKey } from './format';
import { goldenPathDetail } from './goldenPathDetail';
import { leadTimeDetail } from './leadTimeDetail';
import { mttrDetail } from './mttrDetail';
import { satisfactionDetail } from './satisfactionDetail';
import type { MetricsFilterState } from './useMetricsFilter';

/** A metric computed from ingested events: it has a summary, breakdowns and the events behind it. */
export interface EventMetricDetail {
  kind: 'events';
  /** The metric's figures in the summary. */
  Distribution: ComponentType<{ summary: MetricsSummary }>;
  /** The dimensions the metric is broken down by, in the order shown. */
  breakdownDimensions: BreakdownDimension[];
  /** The breakdown by one of those dimensions. */
  Breakdown: ComponentType<{
    by: BreakdownDimension;
    filter: MetricsFilterState;
  }>;
  /** The events behind the number. */
  DrillDown: ComponentType<{ filter: MetricsFilterState }>;
}

/** A metric from survey campaigns: its results replace everything computed from events. */
export interface SurveyMetricDetail {
  kind: 'survey';
  Results: ComponentType<{ filter: MetricsFilterState }>;
}

/** What the detail page shows of each metric, keyed like `metricDefinitions`. */
export const metricDetails: {
  // Only the metrics the backend can break down are computed from events.
  [K in MetricKey]: K extends BreakdownMetric
    ? EventMetricDetail
    : SurveyMetricDetail;
} = {
  leadTime: leadTimeDetail,
  goldenPath: goldenPathDetail,
  mttr: mttrDetail,
  satisfaction: satisfactionDetail,
};
