import type { BackstageUserInfo } from '@backstage/backend-plugin-api';
import type {
  FeatureUsageResponse,
  TemplateFunnelResult,
  UsageEventInput,
} from '@internal/plugin-platform-metrics-common';
import type { UsageRange } from '../database/UsageStore';

/** A past event of a known user, as a seeded history holds it. */
export interface HistoricUsageEvent
  extends Omit<UsageEventInput, 'occurredAt'> {
  occurredAt: Date;
  userEntityRef: string;
  teamRef: string | null;
}

/** Portal usage: activity, not value. */
export interface UsageService {
  /**
   * Stores a signed-in user's events with their team and a keyed hash of the
   * user, clamping times to the server clock and dropping free text.
   */
  record(
    user: BackstageUserInfo,
    events: UsageEventInput[],
  ): Promise<{ stored: number }>;

  /**
   * Records a history of usage at its own times, as a seeder replays it; the
   * users are hashed and the text rules applied as for live events.
   */
  importHistory(events: HistoricUsageEvent[]): Promise<void>;

  hasEvents(): Promise<boolean>;

  templateFunnel(range: UsageRange): Promise<TemplateFunnelResult>;

  featureUsage(range: UsageRange): Promise<FeatureUsageResponse>;

  /** Deletes the raw events older than the retention period; rollups stay. */
  applyRetention(): Promise<{ deleted: number }>;
}
