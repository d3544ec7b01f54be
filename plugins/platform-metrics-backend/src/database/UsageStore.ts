import type {
  UsageAction,
  UsageFeatureKind,
} from '@internal/plugin-platform-metrics-common';

/** One usage event as stored: validated, clamped, stripped of free text. */
export interface StoredUsageEvent {
  occurredAt: Date;
  action: UsageAction;
  subject: string;
  pluginId: string | null;
  extensionId: string | null;
  templateRef: string | null;
  taskId: string | null;
  value: number | null;
  searchTerm: string | null;
  teamRef: string | null;
  userKey: string;
}

/** Half-open `[from, to)`. */
export interface UsageRange {
  from: Date;
  to: Date;
}

/** Raw events of one template and action in a period. */
export interface TemplateEventCount {
  templateRef: string;
  action: UsageAction;
  events: number;
}

/** A `create` event of a template form: its task (if known) and form time. */
export interface TemplateSubmission {
  templateRef: string;
  taskId: string | null;
  formMs: number | null;
}

export interface FeatureWeekCount {
  /** UTC midnight of the ISO week's Monday. */
  weekStart: Date;
  kind: UsageFeatureKind;
  feature: string;
  users: number;
  teams: number;
}

export interface SearchTermCount {
  term: string;
  count: number;
}

/** The last UTC day something was used on. */
export interface LastUse {
  ref: string;
  kind: UsageFeatureKind | 'template';
  lastDay: Date;
}

export interface TemplateReadyCount {
  /** The template's name, as service requests record it. */
  templateName: string;
  ready: number;
}

/** The only code that reads or writes the usage tables. */
export interface UsageStore {
  /**
   * Stores the events and adds them to the daily rollups and daily user sets, in
   * one transaction.
   */
  insertEvents(events: StoredUsageEvent[]): Promise<void>;

  /**
   * The stored hash secret; stores `candidate` first when there is none. All
   * replicas get the same answer.
   */
  getOrCreateHashSecret(candidate: string): Promise<string>;

  hasEvents(): Promise<boolean>;

  /** Deletes raw events before `before`; the rollups keep their counts. */
  deleteEventsBefore(before: Date): Promise<number>;

  countTemplateEvents(range: UsageRange): Promise<TemplateEventCount[]>;

  listTemplateSubmissions(range: UsageRange): Promise<TemplateSubmission[]>;

  /** Distinct users and teams per ISO week, page and plugin, from the daily sets. */
  countWeeklyUsers(range: UsageRange): Promise<FeatureWeekCount[]>;

  /** Most searched first, then by term. */
  countUnfoundSearches(
    range: UsageRange,
    limit: number,
  ): Promise<SearchTermCount[]>;

  /** Pages, plugins and templates used since `since`, with their last day. */
  listLastUses(since: Date): Promise<LastUse[]>;

  /** Teams with a `create` event of a template in the period. */
  listCreatingTeams(range: UsageRange): Promise<string[]>;

  /** Live service requests made in the period that reached production, per template. */
  countReadyServiceRequests(range: UsageRange): Promise<TemplateReadyCount[]>;
}
