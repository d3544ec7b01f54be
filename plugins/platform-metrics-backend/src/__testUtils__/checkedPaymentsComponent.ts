import type { Entity } from '@backstage/catalog-model';
import { paymentsComponent } from './paymentsComponent';

/** The payments service as the live checks cover it (a `prometheus.io/rule`). */
export const checkedPaymentsComponent: Entity = {
  ...paymentsComponent,
  metadata: {
    ...paymentsComponent.metadata,
    annotations: {
      ...paymentsComponent.metadata.annotations,
      'prometheus.io/rule': 'payments',
    },
  },
};
