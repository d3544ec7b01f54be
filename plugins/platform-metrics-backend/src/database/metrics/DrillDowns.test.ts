import {
  A,
  at,
  B,
  C,
  D,
  deployment,
  describeOnEachDatabase,
  E,
  incidentEvent,
  leadTimeOf,
  MARCH,
  NODE,
  request,
  TEAM_X,
  TEAM_Y,
} from '../__testUtils__/metricsStoreFixtures';
import type { DatabaseMetricsStore } from '../DatabaseMetricsStore';

describe('DrillDowns', () => {
  describeOnEachDatabase(context => {
    let store: DatabaseMetricsStore;

    beforeEach(() => {
      ({ store } = context);
    });

    it('lists production deployments newest first, with a limit', async () => {
      const golden = { template: NODE, version: '2.0.0' };
      await store.ingest([
        deployment(at('03-02 10:00'), {
          entityRef: A,
          goldenPath: golden,
          pipelineId: 'run-1',
        }),
        deployment(at('03-04 10:00'), { entityRef: null, teamRef: null }),
        deployment(at('03-03 10:00'), { entityRef: B, goldenPath: golden }),
        deployment(at('03-05 10:00'), { entityRef: C, outcome: 'failure' }),
      ]);
      const all = await store.listDeployments(MARCH, 10);
      expect(all.map(d => d.deployedAt)).toEqual([
        at('03-04 10:00'),
        at('03-03 10:00'),
        at('03-02 10:00'),
      ]);
      expect(all[2]).toEqual({
        id: expect.any(String),
        source: 'github',
        entityRef: A,
        teamRef: TEAM_X,
        environment: 'production',
        outcome: 'success',
        deployedAt: at('03-02 10:00'),
        goldenTemplate: NODE,
        goldenVersion: '2.0.0',
        pipelineId: 'run-1',
      });
      expect(all[0]).toMatchObject({ entityRef: null, teamRef: null });
      expect(
        (await store.listDeployments(MARCH, 2)).map(d => d.entityRef),
      ).toEqual([null, B]);
      expect(
        (await store.listDeployments({ ...MARCH, goldenPath: true }, 10)).map(
          d => d.entityRef,
        ),
      ).toEqual([B, A]);
      expect(
        (await store.listDeployments({ ...MARCH, goldenPath: false }, 10)).map(
          d => d.entityRef,
        ),
      ).toEqual([null]);
      expect(await store.listDeployments(MARCH, 0)).toEqual([]);
    });

    it('lists incidents by state', async () => {
      await store.ingest([
        incidentEvent('resolved-1', 'triggered', at('03-02 10:00')),
        incidentEvent('resolved-1', 'resolved', at('03-02 11:00')),
        incidentEvent('resolved-2', 'triggered', at('03-03 10:00')),
        incidentEvent('resolved-2', 'resolved', at('03-03 11:00')),
        incidentEvent('open-1', 'triggered', at('03-04 10:00')),
        incidentEvent('old', 'triggered', at('02-01 10:00')),
        incidentEvent('old', 'resolved', at('02-01 11:00')),
      ]);
      const keys = async (
        q: Parameters<typeof store.listIncidents>[0],
        limit = 10,
      ) => (await store.listIncidents(q, limit)).map(i => i.incidentKey);
      expect(await keys(MARCH)).toEqual(['open-1', 'resolved-2', 'resolved-1']);
      expect(await keys(MARCH, 1)).toEqual(['open-1']);
      expect(await keys({ ...MARCH, state: 'resolved' })).toEqual([
        'resolved-2',
        'resolved-1',
      ]);
      expect(await keys({ ...MARCH, state: 'open' })).toEqual(['open-1']);
      const [open] = await store.listIncidents({ ...MARCH, state: 'open' }, 1);
      expect(open.resolvedAt).toBeNull();
    });

    it('lists service requests by state', async () => {
      await store.ingest([
        ...leadTimeOf(A, 60),
        request(B, at('03-05 00:00')),
        request(C, at('03-06 00:00')),
      ]);
      const entities = async (
        q: Parameters<typeof store.listServiceRequests>[0],
        limit = 10,
      ) => (await store.listServiceRequests(q, limit)).map(r => r.entityRef);
      expect(await entities(MARCH)).toEqual([C, B, A]);
      expect(await entities(MARCH, 2)).toEqual([C, B]);
      expect(await entities({ ...MARCH, state: 'ready' })).toEqual([A]);
      expect(await entities({ ...MARCH, state: 'in-flight' })).toEqual([C, B]);
      const [ready] = await store.listServiceRequests(
        { ...MARCH, state: 'ready' },
        1,
      );
      expect(ready).toEqual({
        id: expect.any(String),
        source: 'demo',
        entityRef: A,
        teamRef: TEAM_X,
        template: NODE,
        templateVersion: null,
        requestedAt: at('03-02 00:00'),
        readyAt: at('03-02 00:01'),
        observabilityVerified: false,
        ticketId: null,
        baseline: false,
      });
    });

    it('lists services deploying off the golden path', async () => {
      const golden = { template: NODE, version: '1' };
      await store.ingest([
        deployment(at('03-02 10:00'), { entityRef: A, teamRef: TEAM_X }),
        deployment(at('03-03 10:00'), { entityRef: A, teamRef: TEAM_Y }),
        deployment(at('03-04 10:00'), { entityRef: null, teamRef: null }),
        deployment(at('03-05 10:00'), { entityRef: B, goldenPath: golden }),
        deployment(at('03-06 10:00'), { entityRef: C, outcome: 'failure' }),
        deployment(at('03-07 10:00'), {
          entityRef: D,
          production: false,
          environment: 'dev',
        }),
        deployment(at('04-02 10:00'), { entityRef: E }),
      ]);
      expect(await store.listOffPathServices(MARCH)).toEqual([
        // team from A's latest deployment
        {
          entityRef: A,
          teamRef: TEAM_Y,
          deployments: 2,
          reason: 'no-golden-path-metadata',
        },
        {
          entityRef: null,
          teamRef: null,
          deployments: 1,
          reason: 'no-golden-path-metadata',
        },
      ]);
      expect(
        await store.listOffPathServices({ ...MARCH, team: TEAM_X }),
      ).toEqual([
        {
          entityRef: A,
          teamRef: TEAM_X,
          deployments: 1,
          reason: 'no-golden-path-metadata',
        },
      ]);
    });
  });
});
