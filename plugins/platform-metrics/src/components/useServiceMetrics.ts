import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { platformMetricsApiRef } from '../api';
import { useAsyncData } from './useAsyncData';

const HISTORY_MONTHS = 24;

/**
 * One service's rows. The API filters by team, so the lists are asked for the
 * owning team and narrowed to this service here.
 */
export function useServiceMetrics() {
  const { entity } = useEntity();
  const api = useApi(platformMetricsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const team = entity.relations?.find(
    r => r.type === RELATION_OWNED_BY,
  )?.targetRef;

  return useAsyncData(async () => {
    const to = new Date();
    const from = new Date(to);
    from.setUTCMonth(from.getUTCMonth() - HISTORY_MONTHS);
    const query = {
      from: from.toISOString(),
      to: to.toISOString(),
      team,
      limit: 500,
    };
    const mine = <T extends { entityRef: string | null }>(items: T[]) =>
      items.filter(item => item.entityRef === entityRef);
    const [requests, deployments, incidents, mttr, offPath] = await Promise.all(
      [
        api.listServiceRequests(query),
        api.listDeployments(query),
        api.listIncidents(query),
        api.getBreakdown(query, 'mttr', 'service'),
        api.listOffPathServices(query),
      ],
    );
    const result = {
      entityRef,
      requests: mine(requests.items),
      deployments: mine(deployments.items),
      incidents: mine(incidents.items),
      mttr: mttr.items.find(i => i.key === entityRef)?.value,
      offPath: mine(offPath.items)[0],
    };
    return {
      ...result,
      hasData:
        result.requests.length +
          result.deployments.length +
          result.incidents.length >
        0,
    };
  }, [api, entityRef, team]);
}
