import type { SurveyQuestion, SurveyQuestionKind } from './surveySchemas';
import type {
  GoldenPathSummary,
  LeadTimeSummary,
  MetricsFilter,
  MetricsSummary,
  MttrSummary,
} from './types';

/*
 * Response shapes of the platform-metrics HTTP API as they arrive over the wire:
 * dates are ISO 8601 strings, never `Date` objects.
 */

/** The three metrics that have breakdowns and drill-down lists. */
export type BreakdownMetric = 'leadTime' | 'goldenPath' | 'mttr';

export type BreakdownDimension = 'team' | 'template' | 'service' | 'severity';

export type MetricsTrendBucket = 'month' | 'quarter';

/** Every read query: a period, optional team/template, and ticket-era selection. */
export interface MetricsQueryOptions extends MetricsFilter {
  /** Ticket-era (imported baseline) rows instead of live ones. */
  baseline?: boolean;
  /** Drill-down lists only; the backend caps it at 500. */
  limit?: number;
}

export interface MetricsTrend {
  bucket: MetricsTrendBucket;
  points: MetricsSummary[];
}

export interface MetricsBreakdownValueMap {
  leadTime: LeadTimeSummary;
  goldenPath: GoldenPathSummary;
  mttr: MttrSummary;
}

export interface MetricsBreakdown<M extends BreakdownMetric = BreakdownMetric> {
  metric: M;
  by: BreakdownDimension;
  /** `key` is the team ref, template, entity ref or severity; null for "unknown". */
  items: { key: string | null; value: MetricsBreakdownValueMap[M] }[];
}

export interface DeploymentItem {
  id: string;
  source: string;
  entityRef: string | null;
  teamRef: string | null;
  environment: string;
  outcome: 'success' | 'failure' | 'rollback';
  deployedAt: string;
  goldenTemplate: string | null;
  goldenVersion: string | null;
  pipelineId: string | null;
}

export interface IncidentItem {
  id: string;
  source: string;
  incidentKey: string;
  entityRef: string | null;
  teamRef: string | null;
  severity: string | null;
  title: string | null;
  url: string | null;
  startedAt: string;
  resolvedAt: string | null;
  baseline: boolean;
}

export interface ServiceRequestItem {
  id: string;
  source: string;
  entityRef: string;
  teamRef: string | null;
  template: string | null;
  templateVersion: string | null;
  requestedAt: string;
  readyAt: string | null;
  observabilityVerified: boolean;
  ticketId: string | null;
  baseline: boolean;
}

/** A service deploying to production off the golden path in the period. */
export interface OffPathServiceItem {
  entityRef: string | null;
  teamRef: string | null;
  deployments: number;
  /** `no-golden-path-metadata`, or `unsupported-template:<name>` etc. */
  reason: string;
}

export interface MetricsDataQuality {
  unattributedDeployments: number;
  unattributedIncidents: number;
  /** Services deploying to production that have no service-request record. */
  servicesWithoutRequest: number;
}

export interface ItemList<T> {
  items: T[];
}

/**
 * An endpoint that takes deployments or incidents: the plugin's CDEvents API,
 * then every registered ingestion source.
 */
export interface IngestionSourceInfo {
  /** `cdevents` for the plugin's own API, else the source's id. */
  id: string;
  displayName: string;
  /** Relative to the plugin's base URL: `/v1/events` or `/v1/webhooks/<id>`. */
  path: string;
  /**
   * `backstage`: a Backstage service token or static external-access token;
   * `signature`: an HMAC over the raw body; `token`: a shared secret in a header.
   */
  authentication: 'backstage' | 'signature' | 'token';
  /** How to point the sender at the portal: settings, headers and config keys. */
  setup: string;
  /** Catalog annotations its events are attributed by, besides entity refs. */
  attributionAnnotations: string[];
}

export type SurveyCampaignStatus = 'draft' | 'open' | 'closed';

export interface SurveyCampaign {
  id: string;
  title: string;
  /** `2026-Q4`: the quarter the answers describe. */
  quarter: string;
  opensAt: string;
  /** Exclusive end of the answering window. */
  closesAt: string;
  status: SurveyCampaignStatus;
  questions: SurveyQuestion[];
  createdAt: string;
  updatedAt: string;
}

export interface CurrentSurvey {
  campaign: SurveyCampaign | null;
  /** Whether the signed-in user has answered the open campaign. */
  answered: boolean;
  /** Groups with fewer responses than this are never shown. */
  minimumGroupSize: number;
}

export type SurveySuppressionReason =
  | 'below-minimum-group-size'
  | 'protects-another-group';

export interface SurveyQuestionResult {
  questionId: string;
  kind: SurveyQuestionKind;
  text: string;
  /** Answers behind the figures. */
  answers: number;
  /** Share of answers 4 or 5, 0 to 100. */
  percentFavourable: number | null;
  mean: number | null;
}

export interface SurveyGroupResult {
  /** Owning Group ref; null for respondents without a team; absent on the overall result. */
  team?: string | null;
  /** Every response of the group in the selected campaigns. */
  responses: number;
  /**
   * The responses behind the figures. Lower than `responses` when the group was
   * suppressed in some of the selected campaigns: suppression is decided per
   * campaign, so that comparing overlapping campaign selections reveals nothing.
   */
  reportedResponses: number;
  suppressed: boolean;
  reason?: SurveySuppressionReason;
  /** The satisfaction item: share of answers 4 or 5, 0 to 100. */
  percentFavourable: number | null;
  /** The satisfaction item's mean, 1 to 5. */
  mean: number | null;
  /** Responses per eligible person per campaign, 0 to 100; null without a head-count. */
  participationPercent: number | null;
  questions: SurveyQuestionResult[];
  /** Only when asked for and the group is not suppressed; in text order. */
  comments?: string[];
}

export interface SurveyResultsCampaign {
  id: string;
  title: string;
  quarter: string;
  opensAt: string;
  closesAt: string;
}

export interface SurveyResults {
  campaigns: SurveyResultsCampaign[];
  minimumGroupSize: number;
  overall: SurveyGroupResult;
  /** One entry per team (null: no team) with responses; only `team` when filtered. */
  teams: SurveyGroupResult[];
}

export type BaselineKind = 'service-requests' | 'incidents';

export interface BaselineRowError {
  /** 1-based data row (CSV header not counted). */
  row: number;
  field: string;
  message: string;
}

export interface BaselineImportResult {
  dryRun: boolean;
  rows: number;
  valid: number;
  errors: BaselineRowError[];
  /** The first valid rows, as they will be stored. */
  preview: Record<string, string | null>[];
  stored: number;
  duplicates: number;
}
