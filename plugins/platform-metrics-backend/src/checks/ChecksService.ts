import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  ServiceCheckId,
  ServiceChecksResponse,
  ServiceCheckStatus,
  UnverifiedServiceItem,
} from '@internal/plugin-platform-metrics-common';

/** A Component by name, as the routes take it. */
export interface ServiceName {
  namespace: string;
  name: string;
}

/** What one cycle did. */
export interface ChecksCycleReport {
  services: number;
  checksRun: number;
  /** Services whose checks or store write failed; the next cycle tries again. */
  failedServices: number;
}

/** The live checks of golden-path services in production. */
export interface ChecksService {
  /** Whether checks are enabled; when not, nothing is scheduled or stored. */
  readonly enabled: boolean;
  /** Checks every service the catalog lists, and stores the results. */
  runCycle(): Promise<ChecksCycleReport>;
  /** The service's current results; NotFoundError when the checks do not cover it. */
  getServiceChecks(
    service: ServiceName,
    options: { credentials: BackstageCredentials },
  ): Promise<ServiceChecksResponse>;
  /** Runs one service's checks now, stores and answers the results. */
  runServiceChecks(
    service: ServiceName,
    options: { credentials: BackstageCredentials },
  ): Promise<ServiceChecksResponse>;
  /** Services in production whose required checks do not all pass now. */
  listUnverified(filter: {
    teamRef?: string;
  }): Promise<UnverifiedServiceItem[]>;
  /**
   * Stores outcomes found elsewhere (the demo history) as a cycle at `at`,
   * through the same rules as a live cycle.
   */
  recordOutcomes(
    service: { entityRef: string; teamRef: string | null },
    at: Date,
    outcomes: Array<{
      checkId: ServiceCheckId;
      status: ServiceCheckStatus;
      detail: string;
    }>,
  ): Promise<void>;
}
