import { Knex } from 'knex';
import {
  at,
  B,
  describeOnEachDatabase,
  EMPTY_MTTR,
  incidentEvent,
  MARCH,
  TEAM_Y,
} from '../__testUtils__/metricsStoreFixtures';
import type { DatabaseMetricsStore } from '../DatabaseMetricsStore';

describe('recomputeIncidents', () => {
  describeOnEachDatabase(context => {
    let knex: Knex;
    let store: DatabaseMetricsStore;

    beforeEach(() => {
      ({ knex, store } = context);
    });

    it('keeps a reopened incident open until its final resolution', async () => {
      // trigger 10:00, resolve 10:30, reopen 11:00, resolve 12:00 → 2 h
      const events = [
        incidentEvent('P1', 'triggered', at('03-02 10:00'), {
          severity: 'P2',
        }),
        incidentEvent('P1', 'resolved', at('03-02 10:30')),
        incidentEvent('P1', 'reopened', at('03-02 11:00')),
        incidentEvent('P1', 'resolved', at('03-02 12:00')),
      ];
      await store.ingest(events.slice(0, 3));
      expect(await store.mttr(MARCH)).toEqual({ ...EMPTY_MTTR, open: 1 });
      await store.ingest(events.slice(3));
      expect(await store.mttr(MARCH)).toEqual({
        medianSeconds: 7200,
        meanSeconds: 7200,
        p90Seconds: 7200,
        count: 1,
        open: 0,
      });
    });

    it('gives the same result for events delivered shuffled and duplicated', async () => {
      const events = [
        incidentEvent('P1', 'triggered', at('03-02 10:00')),
        incidentEvent('P1', 'acknowledged', at('03-02 10:05')),
        incidentEvent('P1', 'resolved', at('03-02 10:30')),
        incidentEvent('P1', 'reopened', at('03-02 11:00')),
        incidentEvent('P1', 'resolved', at('03-02 12:00')),
      ];
      for (const order of [[4, 2, 0, 3, 1], [3], [1, 4], [0, 2, 2, 4]]) {
        await store.ingest(order.map(i => events[i]));
      }
      expect(await store.mttr(MARCH)).toMatchObject({
        medianSeconds: 7200,
        count: 1,
        open: 0,
      });
      const [incident] = await store.listIncidents(MARCH, 10);
      expect(incident).toMatchObject({
        incidentKey: 'P1',
        startedAt: at('03-02 10:00'),
        resolvedAt: at('03-02 12:00'),
      });
      expect(Number((await knex('incidents').count({ n: '*' }))[0].n)).toBe(1);
    });

    it('starts at the earliest event when no trigger was received', async () => {
      // acknowledged 09:50, resolved 10:20 → 30 min
      await store.ingest([
        incidentEvent('P2', 'resolved', at('03-02 10:20')),
        incidentEvent('P2', 'acknowledged', at('03-02 09:50')),
      ]);
      expect(await store.mttr(MARCH)).toMatchObject({
        medianSeconds: 1800,
        count: 1,
      });
    });

    it('keeps the latest non-null attribution, severity, title and url', async () => {
      await store.ingest([
        incidentEvent('P3', 'resolved', at('03-02 11:00'), {
          entityRef: null,
          teamRef: null,
          severity: 'P1',
        }),
        incidentEvent('P3', 'triggered', at('03-02 10:00'), {
          entityRef: B,
          teamRef: TEAM_Y,
          severity: 'P3',
          title: 'Checkout down',
          url: 'https://pd.example/P3',
        }),
      ]);
      const [incident] = await store.listIncidents(MARCH, 10);
      expect(incident).toEqual({
        id: expect.any(String),
        source: 'pagerduty',
        incidentKey: 'P3',
        entityRef: B,
        teamRef: TEAM_Y,
        severity: 'P1',
        title: 'Checkout down',
        url: 'https://pd.example/P3',
        startedAt: at('03-02 10:00'),
        resolvedAt: at('03-02 11:00'),
        baseline: false,
      });
    });
  });
});
