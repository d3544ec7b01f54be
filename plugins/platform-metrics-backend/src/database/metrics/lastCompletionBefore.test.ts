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
  request,
  resolvedIncident,
  TEAM_X,
  TEAM_Y,
} from '../__testUtils__/metricsStoreFixtures';
import type { DatabaseMetricsStore } from '../DatabaseMetricsStore';

describe('lastCompletionBefore', () => {
  describeOnEachDatabase(context => {
    let store: DatabaseMetricsStore;

    beforeEach(() => {
      ({ store } = context);
    });

    it('finds when the latest request before the period became ready', async () => {
      expect(await store.lastCompletionBefore(APRIL, 'leadTime')).toBeNull();
      await store.ingest([
        ...leadTimeOf(A, 3600),
        request(B, at('03-10 00:00')),
        deployment(at('03-20 12:00:01'), { entityRef: B }),
        // Ready exactly when April starts: inside April, not before it.
        request(C, at('03-31 00:00')),
        deployment(at('04-01 00:00'), { entityRef: C }),
        // Requested, never ready.
        request(D, at('03-25 00:00')),
      ]);
      expect(await store.lastCompletionBefore(APRIL, 'leadTime')).toEqual(
        at('03-20 12:00:01'),
      );
      expect(await store.lastCompletionBefore(MARCH, 'leadTime')).toBeNull();
    });

    it('keeps to the era, team and template', async () => {
      await store.ingest([
        ...leadTimeOf(A, 60, { teamRef: TEAM_X }),
        ...leadTimeOf(B, 7200, {
          teamRef: TEAM_Y,
          template: 'python-service',
        }),
        {
          kind: 'service-request',
          source: 'baseline',
          deliveryKey: 'ticket-1',
          entityRef: C,
          requestedAt: at('01-05 09:00'),
          inProductionAt: at('01-26 09:00'),
          ticketId: 'OPS-1',
          attribution: { entityRef: null, teamRef: TEAM_X },
        },
      ]);
      const before = (query: Partial<typeof APRIL>) =>
        store.lastCompletionBefore({ ...APRIL, ...query }, 'leadTime');
      expect(await before({})).toEqual(at('03-02 02:00'));
      expect(await before({ team: TEAM_X })).toEqual(at('03-02 00:01'));
      expect(await before({ template: 'node-service' })).toEqual(
        at('03-02 00:01'),
      );
      expect(await before({ template: 'python-service' })).toEqual(
        at('03-02 02:00'),
      );
      expect(await before({ baseline: true })).toEqual(at('01-26 09:00'));
      expect(await before({ baseline: true, team: TEAM_Y })).toBeNull();
    });

    it('finds when the latest incident before the period was resolved', async () => {
      expect(await store.lastCompletionBefore(APRIL, 'mttr')).toBeNull();
      await store.ingest([
        // Resolved 03-02 00:01:40.
        ...resolvedIncident(100, { teamRef: TEAM_Y }),
        // Still open when April starts, resolved inside it.
        incidentEvent('late', 'triggered', at('03-30 00:00')),
        incidentEvent('late', 'resolved', at('04-02 00:00')),
        // Never resolved.
        incidentEvent('open', 'triggered', at('03-15 00:00')),
      ]);
      expect(await store.lastCompletionBefore(APRIL, 'mttr')).toEqual(
        at('03-02 00:01:40'),
      );
      expect(
        await store.lastCompletionBefore({ ...APRIL, team: TEAM_X }, 'mttr'),
      ).toBeNull();
      expect(
        await store.lastCompletionBefore(
          { ...APRIL, from: new Date('2026-05-01T00:00:00Z') },
          'mttr',
        ),
      ).toEqual(at('04-02 00:00'));
    });
  });
});
