import { parseEntityRef } from '@backstage/catalog-model';
import type { CheckTarget } from '../ServiceCheck';

/** The check target of a Component with no links and no Prometheus annotation. */
export function checkTargetOf(entityRef: string): CheckTarget {
  const { namespace, name } = parseEntityRef(entityRef);
  return { entityRef, namespace, name, kubernetesId: name };
}
