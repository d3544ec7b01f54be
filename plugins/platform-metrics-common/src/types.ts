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

/**
 * A duration metric's value in the latest earlier stretch of time that has one,
 * for a period that has none.
 */
export interface LastKnownValue {
  /**
   * The UTC calendar quarter of the latest completion before the period, ending
   * at the period's start where the two overlap.
   */
  period: MetricsPeriod;
  medianSeconds: number;
  count: number;
}

/** Values are `null` (never 0) when there is no data: `count` tells n. */
export interface LeadTimeSummary {
  medianSeconds: number | null;
  p90Seconds: number | null;
  count: number;
  /** Requested before the period end and not in production by then. */
  inFlight: number;
  /**
   * Of `count`, requests whose observability neither the live checks verified
   * nor the deploying golden-path pipeline declared.
   */
  observabilityUnverified: number;
  /**
   * Summaries (and trend points) only, and only once the live checks cover any
   * service: absent while no checks run. Of `count`, requests whose lead time
   * ended when the service's live checks first all passed (its `verifiedAt`).
   */
  verified?: number;
  /**
   * Present exactly when `verified` is. Of `count`, requests whose lead time
   * ended at the first production deployment, without live checks: the checks
   * do not cover the service, or it was in production before they did.
   */
  declaredOnly?: number;
  /**
   * Only in a summary (not in trends or breakdowns) whose `count` is 0: the
   * lead time before the period, or null when no request was ever ready before it.
   */
  lastKnown?: LastKnownValue | null;
}

export interface GoldenPathSummary {
  /** 0 to 100. */
  percent: number | null;
  goldenDeployments: number;
  totalDeployments: number;
  /**
   * Of the golden deployments, those made from a supported version of their
   * template (`goldenPath.supportedVersions`, by default the latest), 0 to 100.
   * Absent when the backend does not know the released versions.
   */
  supportedPercent?: number | null;
  supportedDeployments?: number;
}

export interface MttrSummary {
  medianSeconds: number | null;
  meanSeconds: number | null;
  p90Seconds: number | null;
  count: number;
  /** Started at or before the period end and unresolved then. */
  open: number;
  /**
   * Only in a summary (not in trends or breakdowns) whose `count` is 0: the MTTR
   * before the period, or null when no incident was ever resolved before it.
   */
  lastKnown?: LastKnownValue | null;
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
