/**
 * Portal usage analytics: the contract of `POST /v1/usage/events` and of the
 * usage read routes. Activity, not value: the four value metrics live elsewhere.
 */

/** Backstage analytics actions the portal keeps. */
export const USAGE_ACTIONS = [
  'navigate',
  'click',
  'create',
  'search',
  'discover',
] as const;

export type UsageAction = (typeof USAGE_ACTIONS)[number];

/**
 * One analytics event as the frontend sends it. No free text: `subject` is a
 * path, a template or entity ref, or an extension id; a search term is sent only
 * when the search found nothing (`value` 0 results).
 */
export interface UsageEventInput {
  action: UsageAction;
  subject: string;
  /** ISO time on the client; the backend clamps it to its own clock. */
  occurredAt: string;
  pluginId?: string;
  extensionId?: string;
  /** Template ref for template form events (`opened`, `submitted`). */
  templateRef?: string;
  /** Scaffolder task id, joining `create` to the task's outcome. */
  taskId?: string;
  /** Search result count, form time in ms, … */
  value?: number;
  /** Kept only for `search` events whose `value` is 0. */
  searchTerm?: string;
}

export interface UsageEventsBatch {
  events: UsageEventInput[];
}

/** Per template, the steps services go through, in [from, to). */
export interface TemplateFunnelItem {
  templateRef: string;
  opened: number;
  submitted: number;
  succeeded: number;
  failed: number;
  /** Failed tasks per failing step id. */
  failedSteps: { stepId: string; count: number }[];
  firstProductionDeployment: number;
  /** null where no live checks are configured. */
  verified: number | null;
  /** Median time from opening the form to submitting it, in ms. */
  medianFormMs: number | null;
  /** Tasks started without the form (the scaffolder API). */
  startedViaApi: number;
}

export interface TemplateFunnelResponse {
  from: string;
  to: string;
  items: TemplateFunnelItem[];
}

/** Whether the funnel's task outcomes could be read from the scaffolder. */
export type TaskOutcomesAvailability = 'available' | 'unavailable';

/** `TemplateFunnelResponse` as the backend answers it. */
export interface TemplateFunnelResult extends TemplateFunnelResponse {
  /**
   * `unavailable` when the scaffolder could not be asked: `succeeded`, `failed`
   * and `startedViaApi` are then 0 for want of data, not because nothing happened.
   */
  taskOutcomes: TaskOutcomesAvailability;
}

/** A page (its path) or a plugin (its id). */
export type UsageFeatureKind = 'page' | 'plugin';

/** Distinct users and teams of one page or plugin in one ISO week. */
export interface FeatureWeekUsage {
  /** Monday of the ISO week, `2026-11-30` (UTC). */
  week: string;
  kind: UsageFeatureKind;
  feature: string;
  users: number;
  teams: number;
}

/** A search term that found nothing, and how often it was searched. */
export interface UnfoundSearch {
  term: string;
  count: number;
}

/** A template or page nobody used in the last 90 days: a candidate to drop. */
export interface DropCandidate {
  kind: 'template' | UsageFeatureKind;
  /** Template entity ref, page path or plugin id. */
  ref: string;
  /** Last use within the kept history; null when never used. */
  lastUsedOn: string | null;
}

export interface FeatureUsageResponse {
  from: string;
  to: string;
  weeks: FeatureWeekUsage[];
  unfoundSearches: UnfoundSearch[];
  /** Relative to now, not to the period: unused in the 90 days before the request. */
  dropCandidates: DropCandidate[];
  /** Teams that created nothing from a golden path in the period. */
  teamsWithoutCreations: {
    /** Teams at or above the minimum group size, by entity ref. */
    teamRefs: string[];
    /** Smaller teams that created nothing: counted, never named. */
    otherTeams: number;
  };
  /** Teams smaller than this are never shown by name. */
  minimumGroupSize: number;
}
