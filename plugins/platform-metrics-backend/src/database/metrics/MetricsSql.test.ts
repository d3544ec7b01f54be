import {
  A,
  at,
  B,
  C,
  describeOnEachDatabase,
  EMPTY_LEAD_TIME,
  EMPTY_MTTR,
  incidentEvent,
  leadTimeOf,
  MARCH,
  request,
  resolvedIncident,
} from '../__testUtils__/metricsStoreFixtures';
import type { DatabaseMetricsStore } from '../DatabaseMetricsStore';

describe('MetricsSql', () => {
  describeOnEachDatabase(context => {
    let store: DatabaseMetricsStore;

    beforeEach(() => {
      ({ store } = context);
    });

    it('keeps ticket-era rows apart from live rows', async () => {
      await store.ingest([
        // Ticket era: requested 02-01, in production 02-15 → 14 days.
        {
          ...request(A, at('02-01 00:00'), { ticketId: 'OPS-1' }),
          source: 'baseline',
          inProductionAt: at('02-15 00:00'),
        },
        {
          ...request(B, at('02-01 00:00'), { ticketId: 'OPS-2' }),
          source: 'baseline',
          inProductionAt: at('02-08 00:00'),
        },
        {
          ...incidentEvent('INC-1', 'triggered', at('02-03 00:00')),
          source: 'baseline',
        },
        {
          ...incidentEvent('INC-1', 'resolved', at('02-04 00:00')),
          source: 'baseline',
        },
        // Live
        ...leadTimeOf(C, 60),
        ...resolvedIncident(600),
      ]);
      const february = {
        from: new Date('2026-02-01T00:00:00Z'),
        to: new Date('2026-03-01T00:00:00Z'),
      };
      // 7 and 14 days: median 10.5 d = 907200 s,
      // p90 = 7 d + 0.9 * 7 d = 13.3 d = 1149120 s
      expect(await store.leadTime({ ...february, baseline: true })).toEqual({
        medianSeconds: 907200,
        p90Seconds: 1149120,
        count: 2,
        inFlight: 0,
        observabilityUnverified: 2,
      });
      expect(await store.mttr({ ...february, baseline: true })).toMatchObject({
        medianSeconds: 86400,
        count: 1,
      });
      expect(await store.leadTime(february)).toEqual(EMPTY_LEAD_TIME);
      expect(await store.mttr(february)).toEqual(EMPTY_MTTR);
      expect(await store.leadTime({ ...MARCH, baseline: true })).toEqual(
        EMPTY_LEAD_TIME,
      );
      expect(await store.leadTime(MARCH)).toMatchObject({
        count: 1,
        medianSeconds: 60,
      });

      const rows = await store.listServiceRequests(
        { ...february, baseline: true },
        10,
      );
      expect(rows.map(r => [r.ticketId, r.baseline])).toEqual(
        expect.arrayContaining([
          ['OPS-1', true],
          ['OPS-2', true],
        ]),
      );
      const [incident] = await store.listIncidents(
        { ...february, baseline: true },
        10,
      );
      expect(incident).toMatchObject({
        incidentKey: 'INC-1',
        baseline: true,
      });
    });
  });
});
