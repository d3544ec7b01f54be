import type { Entity } from '@backstage/catalog-model';

/**
 * A service in the catalog that every event source can name: by entity ref,
 * GitHub or GitLab project slug, or PagerDuty service id.
 */
export const paymentsComponent: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: {
      'github.com/project-slug': 'acme/payments',
      'gitlab.com/project-slug': 'acme/payments',
      'pagerduty.com/service-id': 'PWIXJZS',
    },
  },
  spec: { type: 'service', owner: 'group:default/payments-team' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments-team' }],
};
