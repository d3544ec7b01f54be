/**
 * DRAFT, frontend-side guess of the `GET /v1/usage/features` response, written
 * while the backend's type was not on main yet. The backend adds the real type
 * to `usage.ts`; at merge this file goes and `getFeatureUsage` returns that type.
 */

/** Distinct people on one page or plugin in one ISO week (Monday, UTC). */
export interface DraftWeeklyUsageItem {
  /** The week's Monday, `YYYY-MM-DD`. */
  week: string;
  kind: 'page' | 'plugin';
  /** A route path for a page, a plugin id for a plugin. */
  key: string;
  users: number;
  teams: number;
}

export interface DraftEmptySearchItem {
  term: string;
  count: number;
}

/** A template or page nobody used in the last 90 days. */
export interface DraftDropCandidateItem {
  kind: 'template' | 'page';
  /** Template entity ref or page path. */
  ref: string;
  /** null when it was never used in the kept history. */
  lastUsedAt: string | null;
}

export interface DraftFeatureUsageResponse {
  from: string;
  to: string;
  weekly: DraftWeeklyUsageItem[];
  emptySearches: DraftEmptySearchItem[];
  dropCandidates: DraftDropCandidateItem[];
  /** Teams (at least the minimum group size) that created nothing from a golden path. */
  teamsWithoutCreations: { teamRef: string }[];
}
