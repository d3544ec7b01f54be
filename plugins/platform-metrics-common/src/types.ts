/** A time range, `from` inclusive and `to` exclusive, as ISO 8601 timestamps. */
export interface MetricsPeriod {
  from: string;
  to: string;
}

/** Narrows every metric to one owning team and/or one golden-path template. */
export interface MetricsFilter extends MetricsPeriod {
  /** Owning Group, as an entity ref (`group:default/payments`). */
  team?: string;
  /** Template entity ref (`template:default/node-service`) or name. */
  template?: string;
}

/** Values are `null` (never 0) when there is no data: `count` tells n. */
export interface LeadTimeSummary {
  medianSeconds: number | null;
  p90Seconds: number | null;
  count: number;
  /** Requested before the period end and not in production by then. */
  inFlight: number;
  /** Of `count`, services whose observability was not declared by a golden path. */
  observabilityUnverified: number;
}

export interface GoldenPathSummary {
  /** 0 to 100. */
  percent: number | null;
  goldenDeployments: number;
  totalDeployments: number;
}

export interface MttrSummary {
  medianSeconds: number | null;
  meanSeconds: number | null;
  p90Seconds: number | null;
  count: number;
  /** Started at or before the period end and unresolved then. */
  open: number;
}

export interface SatisfactionSummary {
  /** Share of answers 4 or 5 on the satisfaction item, 0 to 100. */
  percentFavourable: number | null;
  mean: number | null;
  responses: number;
  /** True when the selection has fewer responses than the minimum group size. */
  suppressed: boolean;
}

export interface MetricsSummary {
  period: MetricsPeriod;
  leadTime: LeadTimeSummary;
  goldenPath: GoldenPathSummary;
  mttr: MttrSummary;
  satisfaction: SatisfactionSummary;
}
