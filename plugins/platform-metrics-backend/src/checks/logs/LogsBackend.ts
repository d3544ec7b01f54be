import type { CheckTarget } from '../ServiceCheck';

export type RecentLinesAnswer =
  | {
      ok: true;
      /** The newest line at or after `since`; undefined when there is none. */
      latestLineAt?: Date;
      /** The backend's query, for the detail: `{service="payments"}`. */
      query: string;
    }
  /** The backend gave no answer; `detail` names it and says why. */
  | { ok: false; detail: string };

/**
 * Where the platform's logs go. Loki is the one shipped; an Elasticsearch or
 * OpenSearch backend would implement the same question with its own query,
 * using the same Fluent Bit fields.
 */
export interface LogsBackend {
  /** Names the backend in details: "Loki at https://loki.example". */
  readonly name: string;
  /** Whether the service wrote at least one line at or after `since`. Never rejects. */
  hasRecentLines(
    target: CheckTarget,
    since: Date,
    options: { signal: AbortSignal },
  ): Promise<RecentLinesAnswer>;
}
