import type { Entity } from '@backstage/catalog-model';
import type { ServiceCheckId } from '@internal/plugin-platform-metrics-common';
import type { CheckOutcome, CheckTarget, ServiceCheck } from '../ServiceCheck';
import type {
  ProductionDeploymentFacts,
  ServiceVerifications,
} from '../ServiceVerifications';

/** Runs in flight at once, across every check that shares it. */
export class InFlightGauge {
  current = 0;
  max = 0;
}

/**
 * A check whose verdict the test sets per service (default `pass`); it records
 * the targets it ran for, and its runs in flight on a gauge.
 */
export class FakeCheck implements ServiceCheck {
  readonly runs: CheckTarget[] = [];
  private readonly verdicts = new Map<string, CheckOutcome | 'hang'>();

  constructor(
    readonly id: ServiceCheckId,
    readonly configured = true,
    private readonly options: { delayMs?: number; gauge?: InFlightGauge } = {},
  ) {}

  /** `hang`: never answers, whatever the signal says. */
  set(entityRef: string, verdict: CheckOutcome | 'hang') {
    this.verdicts.set(entityRef, verdict);
  }

  async run(target: CheckTarget): Promise<CheckOutcome> {
    this.runs.push(target);
    const gauge = this.options.gauge ?? new InFlightGauge();
    gauge.current += 1;
    gauge.max = Math.max(gauge.max, gauge.current);
    try {
      const verdict = this.verdicts.get(target.entityRef) ?? {
        status: 'pass',
        detail: `${this.id} holds`,
      };
      if (verdict === 'hang') return await new Promise<never>(() => {});
      if (this.options.delayMs) {
        await new Promise(resolve => setTimeout(resolve, this.options.delayMs));
      }
      return verdict;
    } finally {
      gauge.current -= 1;
    }
  }
}

/** The metrics store's side of verification, in memory. */
export class InMemoryVerifications implements ServiceVerifications {
  readonly deployments = new Map<string, ProductionDeploymentFacts>();
  readonly recorded = new Map<
    string,
    { coveredSince: Date; verifiedAt: Date | null }
  >();

  deployed(entityRef: string, deployedAt: Date) {
    this.deployments.set(entityRef, { deployedAt, source: 'github' });
  }

  async firstProductionDeployment(entityRef: string) {
    return this.deployments.get(entityRef);
  }

  async latestProductionDeployment(entityRef: string) {
    return this.deployments.get(entityRef);
  }

  async recordVerification(
    entityRef: string,
    state: { coveredSince: Date; verifiedAt: Date | null },
  ) {
    this.recorded.set(entityRef, state);
  }
}

/** The golden path Template the test services are created from. */
export const nodeServiceTemplate: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'node-service',
    namespace: 'default',
    tags: ['golden-path'],
  },
  spec: {},
};

/** A Component as the golden path's catalog-info.yaml writes it. */
export function goldenPathComponent(
  name: string,
  owner = 'group:default/payments-team',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      links: [
        { url: `https://${name}.apps.acme.example`, title: 'Production' },
      ],
      annotations: {
        'backstage.io/source-template': 'template:default/node-service',
        'backstage.io/kubernetes-id': name,
        'prometheus.io/rule': name,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}
