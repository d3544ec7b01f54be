import {
  A,
  APRIL,
  at,
  B,
  C,
  D,
  deployment,
  describeOnEachDatabase,
  incidentEvent,
  leadTimeOf,
  MARCH,
  resolvedIncident,
} from '../__testUtils__/metricsStoreFixtures';
import type { DatabaseMetricsStore } from '../DatabaseMetricsStore';

describe('dataQuality', () => {
  describeOnEachDatabase(context => {
    let store: DatabaseMetricsStore;

    beforeEach(() => {
      ({ store } = context);
    });

    it('reports data quality', async () => {
      await store.ingest([
        // unattributed deployments in March: 2 (any environment and outcome)
        deployment(at('03-02 10:00'), { entityRef: null, teamRef: null }),
        deployment(at('03-02 11:00'), {
          entityRef: null,
          teamRef: null,
          production: false,
          environment: 'staging',
        }),
        deployment(at('04-02 10:00'), { entityRef: null, teamRef: null }),
        // A has a request; B and C deploy to production without one; D only to staging
        ...leadTimeOf(A, 60),
        deployment(at('03-03 10:00'), { entityRef: B }),
        deployment(at('03-04 10:00'), { entityRef: B }),
        deployment(at('03-05 10:00'), { entityRef: C }),
        deployment(at('03-05 10:00'), {
          entityRef: D,
          production: false,
          environment: 'staging',
        }),
        // unattributed incidents in March: one resolved, one open
        ...resolvedIncident(60, { entityRef: null, teamRef: null }),
        incidentEvent('open', 'triggered', at('03-03 00:00'), {
          entityRef: null,
          teamRef: null,
        }),
        ...resolvedIncident(60, { entityRef: A }),
      ]);
      expect(await store.dataQuality(MARCH)).toEqual({
        unattributedDeployments: 2,
        unattributedIncidents: 2,
        servicesWithoutRequest: 2,
      });
      expect(await store.dataQuality(APRIL)).toEqual({
        unattributedDeployments: 1,
        unattributedIncidents: 1, // the open one is still open at April's end
        servicesWithoutRequest: 0,
      });
    });
  });
});
