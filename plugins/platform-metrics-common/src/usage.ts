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
