import type {
  ServiceCheckId,
  ServiceCheckStatus,
} from '@internal/plugin-platform-metrics-common';

/**
 * What the checks know of one service, derived from its catalog entity (a
 * Component created from a golden path, or any with the same annotations).
 */
export interface CheckTarget {
  /** `component:<namespace>/<name>`, lower-case. */
  entityRef: string;
  namespace: string;
  name: string;
  /**
   * The production hostname, from the entity's `https://` link titled
   * "Production"; undefined when the entity has none (network checks then fail
   * with a detail saying which link to add).
   */
  hostname?: string;
  /** `backstage.io/kubernetes-id`, the `app.kubernetes.io/name` label the golden path sets. */
  kubernetesId: string;
  /** `prometheus.io/rule`: the name prefix of the service's generated rule groups. */
  prometheusRule?: string;
}

export interface CheckOutcome {
  status: Exclude<ServiceCheckStatus, 'not-configured'>;
  /** Plain words: what was found and, when failing, what to do. */
  detail: string;
}

/** One live check. Implementations bound their own time and response size. */
export interface ServiceCheck {
  readonly id: ServiceCheckId;
  /**
   * False when the backend this check needs is not configured; the runner then
   * reports `not-configured` without calling `run`.
   */
  readonly configured: boolean;
  /** Never throws: a probe error is a `fail` or `unknown` outcome with its reason. */
  run(
    target: CheckTarget,
    options: { signal: AbortSignal },
  ): Promise<CheckOutcome>;
}
