import {
  A,
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
} from '../database/__testUtils__/metricsStoreFixtures';
import type { MetricsQuery } from '../database/MetricsStore';
import { DefaultMetricsService } from './DefaultMetricsService';

const Q1 = { from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };
const quarter = (from: string, to: string): MetricsQuery => ({
  from: new Date(from),
  to: new Date(to),
});
const Q2 = quarter('2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z');
const Q3 = quarter('2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z');

describe('DefaultMetricsService', () => {
  describeOnEachDatabase(context => {
    let service: DefaultMetricsService;

    beforeEach(() => {
      service = DefaultMetricsService.create({
        store: context.store,
        satisfaction: {
          satisfaction: async () => ({
            percentFavourable: null,
            mean: null,
            responses: 0,
            suppressed: false,
          }),
        },
      });
    });

    it('gives a period without ready requests its requests in flight and the last known lead time', async () => {
      await context.store.ingest([
        // Q1: 1 h and 2 h.
        ...leadTimeOf(A, 3600),
        ...leadTimeOf(B, 7200),
        // Requested in Q2, never ready.
        request(C, at('05-10 00:00')),
      ]);
      const { leadTime } = await service.summary(Q2);
      expect(leadTime).toEqual({
        medianSeconds: null,
        p90Seconds: null,
        count: 0,
        inFlight: 1,
        observabilityUnverified: 0,
        lastKnown: { period: Q1, medianSeconds: 5400, count: 2 },
      });
      // Q2 had no ready request either: the last known value is still Q1's.
      expect((await service.summary(Q3)).leadTime.lastKnown).toEqual({
        period: Q1,
        medianSeconds: 5400,
        count: 2,
      });
    });

    it('ends the last known quarter where the period starts', async () => {
      await context.store.ingest([
        ...leadTimeOf(A, 60),
        // Ready in the same quarter, after the period: not "before" it.
        request(B, at('03-31 00:00')),
        deployment(at('03-31 12:00'), { entityRef: B }),
      ]);
      const period = quarter('2026-03-15T00:00:00Z', '2026-03-31T00:00:00Z');
      expect((await service.summary(period)).leadTime.lastKnown).toEqual({
        period: { from: Q1.from, to: '2026-03-15T00:00:00.000Z' },
        medianSeconds: 60,
        count: 1,
      });
    });

    it('keeps the last known value to the era, team and template', async () => {
      await context.store.ingest([
        ...leadTimeOf(A, 60, { teamRef: TEAM_X }),
        ...leadTimeOf(B, 600, {
          teamRef: TEAM_Y,
          template: 'python-service',
        }),
        {
          kind: 'service-request',
          source: 'baseline',
          deliveryKey: 'ticket-1',
          entityRef: D,
          requestedAt: at('01-05 09:00'),
          inProductionAt: at('01-26 09:00'),
          ticketId: 'OPS-1',
          attribution: { entityRef: null, teamRef: TEAM_X },
        },
      ]);
      const lastKnown = async (query: Partial<MetricsQuery>) =>
        (await service.summary({ ...Q2, ...query })).leadTime.lastKnown;
      expect(await lastKnown({ team: TEAM_Y })).toMatchObject({
        medianSeconds: 600,
        count: 1,
      });
      expect(await lastKnown({ template: 'node-service' })).toMatchObject({
        medianSeconds: 60,
        count: 1,
      });
      expect(await lastKnown({ baseline: true })).toEqual({
        period: Q1,
        medianSeconds: 21 * 86400,
        count: 1,
      });
      expect(await lastKnown({ baseline: true, team: TEAM_Y })).toBeNull();
    });

    it('gives a period without resolved incidents its open ones and the last known MTTR', async () => {
      await context.store.ingest([
        ...resolvedIncident(100),
        ...resolvedIncident(300),
        incidentEvent('open', 'triggered', at('05-01 00:00')),
      ]);
      const { mttr } = await service.summary(Q2);
      expect(mttr).toEqual({
        medianSeconds: null,
        meanSeconds: null,
        p90Seconds: null,
        count: 0,
        open: 1,
        lastKnown: { period: Q1, medianSeconds: 200, count: 2 },
      });
    });

    it('says there is no last known value before the first one, and gives none where the period has its own', async () => {
      const empty = await service.summary(MARCH);
      expect(empty.leadTime.lastKnown).toBeNull();
      expect(empty.mttr.lastKnown).toBeNull();

      await context.store.ingest([
        ...leadTimeOf(A, 60),
        ...resolvedIncident(42),
      ]);
      const own = await service.summary(MARCH);
      expect(own.leadTime).not.toHaveProperty('lastKnown');
      expect(own.mttr).not.toHaveProperty('lastKnown');
    });

    it('keeps trend points to their own period', async () => {
      await context.store.ingest([
        ...leadTimeOf(A, 60),
        ...resolvedIncident(42),
      ]);
      const { points } = await service.trend(
        quarter('2026-01-01T00:00:00Z', '2026-10-01T00:00:00Z'),
        'quarter',
      );
      expect(points.map(p => [p.leadTime.count, p.mttr.count])).toEqual([
        [1, 1],
        [0, 0],
        [0, 0],
      ]);
      for (const point of points) {
        expect(point.leadTime).not.toHaveProperty('lastKnown');
        expect(point.mttr).not.toHaveProperty('lastKnown');
      }
    });
  });
});
