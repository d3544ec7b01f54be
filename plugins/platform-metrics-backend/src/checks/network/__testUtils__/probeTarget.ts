import type { CheckTarget } from '../../ServiceCheck';

/** A golden-path service's check target, served at `hostname`. */
export function probeTarget(hostname?: string): CheckTarget {
  return {
    entityRef: 'component:default/payments',
    namespace: 'default',
    name: 'payments',
    hostname,
    kubernetesId: 'payments',
    prometheusRule: 'payments',
  };
}
