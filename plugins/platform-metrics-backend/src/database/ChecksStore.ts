import type {
  ServiceCheckId,
  ServiceCheckStatus,
} from '@internal/plugin-platform-metrics-common';

/** The current result of one check of one service. */
export interface StoredCheckResult {
  checkId: ServiceCheckId;
  status: ServiceCheckStatus;
  /** When the check entered `status`. */
  since: Date;
  lastCheckedAt: Date;
  detail: string;
}

/** One change of a check's status. */
export interface CheckTransition {
  checkId: ServiceCheckId;
  /** Null for the check's first result. */
  from: ServiceCheckStatus | null;
  to: ServiceCheckStatus;
  at: Date;
  detail: string;
}

/** What the runner knows of a service after its last cycle. */
export interface ServiceCheckState {
  entityRef: string;
  teamRef: string | null;
  /** The first cycle that checked the service. */
  coveredSince: Date;
  lastCycleAt: Date;
  firstProductionDeploymentAt: Date | null;
  /** Every required check passed in the last cycle. */
  requiredPassing: boolean;
  /** Once set, it stays. */
  verifiedAt: Date | null;
}

/** One cycle of one service's checks, as the runner hands it to the store. */
export interface CheckCycle {
  entityRef: string;
  teamRef: string | null;
  at: Date;
  outcomes: Array<{
    checkId: ServiceCheckId;
    status: ServiceCheckStatus;
    detail: string;
  }>;
  firstProductionDeploymentAt: Date | null;
  requiredPassing: boolean;
  /** Written only when the service has none yet. */
  verifiedAt: Date | null;
}

export interface ChecksStore {
  /**
   * Stores one cycle in one transaction: the results, a transition for every
   * check whose status changed, and the service's state. Returns the state as
   * stored, whose `verifiedAt` is the earlier one when the service had one.
   */
  recordCycle(cycle: CheckCycle): Promise<ServiceCheckState>;
  getResults(entityRef: string): Promise<StoredCheckResult[]>;
  getState(entityRef: string): Promise<ServiceCheckState | undefined>;
  /** Newest first. */
  listTransitions(entityRef: string, limit: number): Promise<CheckTransition[]>;
  /**
   * Services with a first production deployment whose required checks did not
   * all pass in their last cycle, with their current results; optionally of
   * one team only.
   */
  listUnverified(filter: {
    teamRef?: string;
  }): Promise<
    Array<{ state: ServiceCheckState; results: StoredCheckResult[] }>
  >;
  /** Whether any result is stored; the demo seeder leaves such a database alone. */
  hasResults(): Promise<boolean>;
}
