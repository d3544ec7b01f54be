import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  SERVICE_CHECK_IDS,
  type ServiceCheckId,
  type ServiceCheckResult,
  type ServiceChecksResponse,
  type ServiceCheckStatus,
  type UnverifiedServiceItem,
} from '@internal/plugin-platform-metrics-common';
import pLimit from 'p-limit';
import type {
  ChecksStore,
  ServiceCheckState,
  StoredCheckResult,
} from '../database/ChecksStore';
import {
  type CheckedService,
  findCheckedService,
  listCheckedServices,
} from './checkTargets';
import type {
  ChecksCycleReport,
  ChecksService,
  ServiceName,
} from './ChecksService';
import type { ServiceCheck } from './ServiceCheck';
import type { ServiceVerifications } from './ServiceVerifications';

/** How the runner runs; `checks` and the rest come from the checks config. */
export interface ChecksRunnerOptions {
  /** False: nothing is scheduled or stored, every check reads `not-configured`. */
  enabled: boolean;
  /** The live checks; ids without one read `not-configured`. */
  checks: ServiceCheck[];
  /** The checks that must pass for a service to be verified; default every configured check. */
  required?: readonly ServiceCheckId[];
  /** Probes in flight at once. */
  concurrency: number;
  /** Each probe is abandoned (`unknown`) after this long. */
  timeoutMs: number;
  intervalMinutes: number;
}

type Outcome = {
  checkId: ServiceCheckId;
  status: ServiceCheckStatus;
  detail: string;
};

/** Details are shown in the checklist; a runaway one must not fill the table. */
const MAX_DETAIL_LENGTH = 2000;

const DISABLED_DETAIL =
  'Live checks are off in this portal (platformMetrics.checks.enabled), so nothing verifies this promise.';

const NOT_CONFIGURED_DETAIL =
  'The backend this check needs is not configured in the portal, so it cannot say whether the promise holds; see the README on pointing the checks at Prometheus, Loki and a resolver.';

function truncate(detail: string): string {
  return detail.length <= MAX_DETAIL_LENGTH
    ? detail
    : `${detail.slice(0, MAX_DETAIL_LENGTH - 1)}…`;
}

function toResult(result: StoredCheckResult): ServiceCheckResult {
  return {
    id: result.checkId,
    status: result.status,
    since: result.since.toISOString(),
    lastCheckedAt: result.lastCheckedAt.toISOString(),
    detail: result.detail,
  };
}

/**
 * Runs the live checks of every golden-path service: bounded concurrency, a
 * timeout on every probe, results stored with their transitions, and the
 * service's verification handed to the metrics store.
 */
export class DefaultChecksService implements ChecksService {
  private readonly probeLimit: ReturnType<typeof pLimit>;
  private readonly required: readonly ServiceCheckId[];

  private constructor(
    private readonly options: ChecksRunnerOptions & {
      store: ChecksStore;
      verifications: ServiceVerifications;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      now: () => Date;
    },
  ) {
    this.probeLimit = pLimit(Math.max(1, options.concurrency));
    this.required =
      options.required ??
      options.checks.filter(check => check.configured).map(check => check.id);
  }

  static create(
    options: ChecksRunnerOptions & {
      store: ChecksStore;
      verifications: ServiceVerifications;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      /** The clock; tests set it. */
      now?: () => Date;
    },
  ): DefaultChecksService {
    const service = new DefaultChecksService({
      ...options,
      now: options.now ?? (() => new Date()),
    });
    if (options.enabled) service.warnAboutRequiredChecks();
    return service;
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  async runCycle(): Promise<ChecksCycleReport> {
    const report = { services: 0, checksRun: 0, failedServices: 0 };
    if (!this.enabled) return report;
    const { catalog, auth, logger, concurrency } = this.options;
    const services = await listCheckedServices(
      catalog,
      await auth.getOwnServiceCredentials(),
    );
    // Services between their first probe and their store write; the probes
    // themselves are bounded by `probeLimit`.
    const serviceLimit = pLimit(Math.max(1, concurrency));
    await Promise.all(
      services.map(service =>
        serviceLimit(async () => {
          try {
            // Read after the await: `+=` would read the total before it.
            const checksRun = await this.checkService(service);
            report.checksRun += checksRun;
            report.services += 1;
          } catch (error) {
            report.failedServices += 1;
            logger.warn(
              `Live checks of ${service.target.entityRef} not stored; the next cycle retries: ${error}`,
            );
          }
        }),
      ),
    );
    logger.info(
      `Live checks: ${report.services} services, ${report.checksRun} probes, ${report.failedServices} failed`,
    );
    return report;
  }

  async getServiceChecks(
    name: ServiceName,
    options: { credentials: BackstageCredentials },
  ): Promise<ServiceChecksResponse> {
    const service = await this.findService(name, options.credentials);
    return this.response(service.target.entityRef);
  }

  async runServiceChecks(
    name: ServiceName,
    options: { credentials: BackstageCredentials },
  ): Promise<ServiceChecksResponse> {
    const service = await this.findService(name, options.credentials);
    if (this.enabled) await this.checkService(service);
    return this.response(service.target.entityRef);
  }

  async listUnverified(filter: {
    teamRef?: string;
  }): Promise<UnverifiedServiceItem[]> {
    if (!this.enabled || this.required.length === 0) return [];
    const unverified = await this.options.store.listUnverified(filter);
    return unverified.flatMap(({ state, results }) => {
      const byId = new Map(results.map(r => [r.checkId, r]));
      const failing = this.required.flatMap(id => {
        const result = byId.get(id);
        if (result?.status === 'pass') return [];
        return [
          {
            id,
            status: result?.status ?? ('unknown' as const),
            since: result?.since.toISOString() ?? null,
          },
        ];
      });
      // The required set may have changed since the service's last cycle.
      if (failing.length === 0) return [];
      return [
        {
          entityRef: state.entityRef,
          teamRef: state.teamRef,
          firstProductionDeploymentAt:
            state.firstProductionDeploymentAt!.toISOString(),
          failing,
          verifiedAt: state.verifiedAt?.toISOString() ?? null,
        },
      ];
    });
  }

  async recordOutcomes(
    service: { entityRef: string; teamRef: string | null },
    at: Date,
    outcomes: Outcome[],
  ): Promise<void> {
    await this.record(service, at, outcomes);
  }

  /** Runs every check of one service and stores the cycle; the probes run. */
  private async checkService(service: CheckedService): Promise<number> {
    const at = this.options.now();
    const outcomes = await Promise.all(
      this.options.checks.map(check => this.runCheck(check, service)),
    );
    await this.record(
      { entityRef: service.target.entityRef, teamRef: service.teamRef },
      at,
      outcomes,
    );
    return this.options.checks.filter(check => check.configured).length;
  }

  private async runCheck(
    check: ServiceCheck,
    service: CheckedService,
  ): Promise<Outcome> {
    if (!check.configured) {
      return {
        checkId: check.id,
        status: 'not-configured',
        detail: NOT_CONFIGURED_DETAIL,
      };
    }
    const { timeoutMs } = this.options;
    return this.probeLimit(async () => {
      const signal = AbortSignal.timeout(timeoutMs);
      // A check that ignores its signal is abandoned all the same.
      const abandoned = new Promise<never>((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), {
          once: true,
        });
      });
      try {
        const outcome = await Promise.race([
          check.run(service.target, { signal }),
          abandoned,
        ]);
        return {
          checkId: check.id,
          status: outcome.status,
          detail: truncate(outcome.detail),
        };
      } catch (error) {
        const detail = signal.aborted
          ? `The ${check.id} check did not finish within ${
              timeoutMs / 1000
            } s; it runs again in the next cycle.`
          : `The ${check.id} check could not run: ${error}; it runs again in the next cycle.`;
        return { checkId: check.id, status: 'unknown', detail };
      }
    });
  }

  /**
   * Stores a cycle and hands the verification to the metrics store. A service is
   * verified by the first cycle at or after its first production deployment in
   * which every required check passed; the store keeps the first such time.
   */
  private async record(
    service: { entityRef: string; teamRef: string | null },
    at: Date,
    outcomes: Outcome[],
  ): Promise<ServiceCheckState> {
    const { store, verifications } = this.options;
    const first = await verifications.firstProductionDeployment(
      service.entityRef,
    );
    const statuses = new Map(outcomes.map(o => [o.checkId, o.status]));
    const requiredPassing =
      this.required.length > 0 &&
      this.required.every(id => statuses.get(id) === 'pass');
    const state = await store.recordCycle({
      entityRef: service.entityRef,
      teamRef: service.teamRef,
      at,
      outcomes,
      firstProductionDeploymentAt: first?.deployedAt ?? null,
      requiredPassing,
      verifiedAt:
        requiredPassing && first && at >= first.deployedAt ? at : null,
    });
    // With no check to require, lead time keeps its definition without checks.
    if (this.required.length > 0) {
      await verifications.recordVerification(service.entityRef, {
        coveredSince: state.coveredSince,
        verifiedAt: state.verifiedAt,
      });
    }
    return state;
  }

  private async findService(
    name: ServiceName,
    credentials: BackstageCredentials,
  ): Promise<CheckedService> {
    const found = await findCheckedService(
      this.options.catalog,
      name,
      credentials,
    );
    const ref = `component:${name.namespace}/${name.name}`;
    if (found === 'not-found') {
      throw new NotFoundError(`${ref} is not in the catalog`);
    }
    if (found === 'not-checked') {
      throw new NotFoundError(
        `${ref} has no live checks: only Components created from a golden-path template, or with a prometheus.io/rule annotation, are checked`,
      );
    }
    return found;
  }

  private async response(entityRef: string): Promise<ServiceChecksResponse> {
    if (!this.enabled) {
      return {
        checks: SERVICE_CHECK_IDS.map(id => ({
          id,
          status: 'not-configured',
          since: null,
          lastCheckedAt: null,
          detail: DISABLED_DETAIL,
        })),
        verifiedAt: null,
      };
    }
    const { store, checks, intervalMinutes } = this.options;
    const [results, state] = await Promise.all([
      store.getResults(entityRef),
      store.getState(entityRef),
    ]);
    const stored = new Map(results.map(r => [r.checkId, r]));
    return {
      checks: SERVICE_CHECK_IDS.map((id): ServiceCheckResult => {
        const check = checks.find(c => c.id === id);
        // The configuration now decides, whatever an earlier one stored.
        if (!check?.configured) {
          return {
            id,
            status: 'not-configured',
            since: null,
            lastCheckedAt: null,
            detail: check
              ? NOT_CONFIGURED_DETAIL
              : `No ${id} check is installed in this portal, so nothing verifies this promise.`,
          };
        }
        const result = stored.get(id);
        if (result) return toResult(result);
        return {
          id,
          status: 'unknown',
          since: null,
          lastCheckedAt: null,
          detail: `Not checked yet; the checks run every ${intervalMinutes} minutes, or use "check now".`,
        };
      }),
      verifiedAt: state?.verifiedAt?.toISOString() ?? null,
    };
  }

  private warnAboutRequiredChecks() {
    const configured = new Set(
      this.options.checks.filter(c => c.configured).map(c => c.id),
    );
    const never = this.required.filter(id => !configured.has(id));
    if (never.length > 0) {
      this.options.logger.warn(
        `Required live checks ${never.join(
          ', ',
        )} are not configured: no service can be verified until they are`,
      );
    }
  }
}
