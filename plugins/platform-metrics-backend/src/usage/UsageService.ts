import type { BackstageUserInfo } from '@backstage/backend-plugin-api';
import type {
  FeatureUsageResponse,
  TemplateFunnelResult,
  UsageEventInput,
} from '@internal/plugin-platform-metrics-common';
import type { UsageRange } from '../database/UsageStore';

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

  templateFunnel(range: UsageRange): Promise<TemplateFunnelResult>;

  featureUsage(range: UsageRange): Promise<FeatureUsageResponse>;

  /** Deletes the raw events older than the retention period; rollups stay. */
  applyRetention(): Promise<{ deleted: number }>;
}
