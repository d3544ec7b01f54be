import { Knex } from 'knex';
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
  resolvedIncident,
  TEAM_X,
  TEAM_Y,
} from '../__testUtils__/metricsStoreFixtures';
import type { DatabaseMetricsStore } from '../DatabaseMetricsStore';

describe('DeliveryWriter', () => {
  describeOnEachDatabase(context => {
    let knex: Knex;
    let store: DatabaseMetricsStore;

    beforeEach(() => {
      ({ knex, store } = context);
    });

    describe('idempotent ingest', () => {
      it('skips a redelivered batch and leaves the metrics unchanged', async () => {
        const batch = [
          ...leadTimeOf(A, 60),
          ...resolvedIncident(600),
          deployment(at('03-03 10:00'), {
            entityRef: B,
            goldenPath: { template: NODE, version: '1' },
          }),
        ];
        await expect(store.ingest(batch)).resolves.toEqual({
          stored: 5,
          duplicates: 0,
        });
        const before = await Promise.all([
          store.leadTime(MARCH),
          store.goldenPath(MARCH),
          store.mttr(MARCH),
        ]);

        await expect(store.ingest(batch)).resolves.toEqual({
          stored: 0,
          duplicates: 5,
        });
        const after = await Promise.all([
          store.leadTime(MARCH),
          store.goldenPath(MARCH),
          store.mttr(MARCH),
        ]);
        expect(after).toEqual(before);
        expect(after[1]).toEqual({
          percent: 50,
          goldenDeployments: 1,
          totalDeployments: 2,
        });
        expect(Number((await knex('deployments').count({ n: '*' }))[0].n)).toBe(
          2,
        );
        expect(
          Number((await knex('incident_events').count({ n: '*' }))[0].n),
        ).toBe(2);
      });

      it('counts a key repeated within one batch once, keeping the first', async () => {
        const first = deployment(at('03-03 10:00'), { entityRef: A });
        const repeat = {
          ...deployment(at('03-04 10:00'), { entityRef: B }),
          deliveryKey: first.deliveryKey,
        };
        const other = deployment(at('03-05 10:00'), { entityRef: C });
        await expect(store.ingest([first, repeat, other])).resolves.toEqual({
          stored: 2,
          duplicates: 1,
        });
        const rows = await store.listDeployments(MARCH, 10);
        expect(rows.map(r => r.entityRef)).toEqual([C, A]);
      });

      it('treats the same delivery key from two sources as two deliveries', async () => {
        const github = deployment(at('03-03 10:00'));
        const gitlab = {
          ...deployment(at('03-03 11:00')),
          source: 'gitlab' as const,
          deliveryKey: github.deliveryKey,
        };
        await expect(store.ingest([github, gitlab])).resolves.toEqual({
          stored: 2,
          duplicates: 0,
        });
      });

      it('stores nothing when a record is invalid', async () => {
        const good = deployment(at('03-03 10:00'));
        const bad = deployment(new Date('not a date'));
        await expect(store.ingest([good, bad])).rejects.toThrow(/Invalid/);
        expect(await store.goldenPath(MARCH)).toEqual({
          percent: null,
          goldenDeployments: 0,
          totalDeployments: 0,
        });
        // Nothing was claimed: the good record is stored on its next delivery.
        await expect(store.ingest([good])).resolves.toEqual({
          stored: 1,
          duplicates: 0,
        });
      });

      it('rejects a value longer than its column on both databases', async () => {
        const good = deployment(at('03-03 10:00'));
        const long = {
          ...deployment(at('03-03 11:00')),
          pipelineId: 'x'.repeat(256),
        };
        await expect(store.ingest([good, long])).rejects.toThrow(
          'pipeline_id is longer than 255 characters',
        );
        expect(await store.listDeployments(MARCH, 10)).toEqual([]);
      });

      it('skips a duplicate delivered concurrently, counting it once', async () => {
        const batch = [
          ...leadTimeOf(A, 60),
          ...resolvedIncident(600),
          deployment(at('03-03 10:00'), { entityRef: B }),
        ];
        const results = await Promise.all([
          store.ingest(batch),
          store.ingest(batch),
          store.ingest(batch),
        ]);
        expect(results.reduce((n, r) => n + r.stored, 0)).toBe(5);
        expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(10);
        expect(await store.goldenPath(MARCH)).toMatchObject({
          totalDeployments: 2,
        });
        expect(await store.mttr(MARCH)).toMatchObject({
          count: 1,
          medianSeconds: 600,
        });
        expect(await store.leadTime(MARCH)).toMatchObject({
          count: 1,
          medianSeconds: 60,
        });
      });
    });

    it('gives the serial result when related records arrive concurrently', async () => {
      // Each record in its own ingest, all at once: on PostgreSQL these run in
      // concurrent transactions (a request and its deployment, an incident's events).
      const records = [
        incidentEvent('P1', 'triggered', at('03-02 10:00')),
        incidentEvent('P1', 'resolved', at('03-02 10:30')),
        incidentEvent('P1', 'reopened', at('03-02 11:00')),
        incidentEvent('P1', 'resolved', at('03-02 12:00')),
        ...leadTimeOf(A, 600),
        ...leadTimeOf(B, 60),
        ...leadTimeOf(C, 300),
        ...leadTimeOf(D, 180),
        ...leadTimeOf(E, 120),
      ];
      const results = await Promise.all(records.map(r => store.ingest([r])));
      expect(results.every(r => r.stored === 1)).toBe(true);
      expect(await store.mttr(MARCH)).toMatchObject({
        medianSeconds: 7200,
        count: 1,
        open: 0,
      });
      // 60, 120, 180, 300, 600 → median 180, p90 = 300 + 0.6 * 300 = 480
      expect(await store.leadTime(MARCH)).toMatchObject({
        medianSeconds: 180,
        p90Seconds: 480,
        count: 5,
        inFlight: 0,
      });
    });

    it('takes the team from the request, else from the attribution', async () => {
      await store.ingest([
        request(A, at('03-02 00:00'), { team: TEAM_Y, teamRef: TEAM_X }),
        request(B, at('03-02 00:00'), { teamRef: TEAM_X }),
      ]);
      const rows = await store.listServiceRequests(MARCH, 10);
      expect(
        Object.fromEntries(rows.map(r => [r.entityRef, r.teamRef])),
      ).toEqual({ [A]: TEAM_Y, [B]: TEAM_X });
    });
  });
});
