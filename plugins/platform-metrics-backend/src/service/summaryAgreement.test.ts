/*
 * One query, one number: the lead time a tile shows (`/v1/summary`) is the one
 * its trend point, its breakdown and the requests listed behind it add up to,
 * and a period without a number says what is in flight and where things stood.
 */
import { TestDatabases, type TestBackend } from '@backstage/backend-test-utils';
import type { ServiceRequestItem } from '@internal/plugin-platform-metrics-common';
import { getMetricsJson } from '../__testUtils__/getMetricsJson';
import { startMetricsTestBackend } from '../__testUtils__/startMetricsTestBackend';
import {
  deployment,
  request as serviceRequest,
  TEAM_X,
  TEAM_Y,
} from '../database/__testUtils__/metricsStoreFixtures';
import { DatabaseMetricsStore } from '../database/DatabaseMetricsStore';
import type { AttributedRecord } from '../database/MetricsStore';

jest.setTimeout(180_000);

const Q3 = { from: '2026-07-01T00:00:00.000Z', to: '2026-10-01T00:00:00.000Z' };
const Q4 = { from: '2026-10-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
const Q1 = { from: '2027-01-01T00:00:00.000Z', to: '2027-04-01T00:00:00.000Z' };

/** A request and its first production deployment `minutes` later. */
function readyAfter(
  entity: string,
  requestedAt: string,
  minutes: number,
  teamRef: string,
): AttributedRecord[] {
  const ref = `component:default/${entity}`;
  const at = new Date(requestedAt);
  return [
    serviceRequest(ref, at, { teamRef }),
    deployment(new Date(at.getTime() + minutes * 60_000), {
      entityRef: ref,
      teamRef,
    }),
  ];
}

/** A ticket-era request, in production `days` after it was opened. */
function ticket(id: string, openedAt: string, days: number): AttributedRecord {
  const at = new Date(openedAt);
  return {
    kind: 'service-request',
    source: 'baseline',
    deliveryKey: id,
    entityRef: `component:default/${id.toLowerCase()}`,
    requestedAt: at,
    inProductionAt: new Date(at.getTime() + days * 86_400_000),
    ticketId: id,
    attribution: { entityRef: null, teamRef: TEAM_X },
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

describe('summary agreement', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let backend: TestBackend;
    const get = (path: string, params: Record<string, string>) =>
      getMetricsJson(backend, path, params);

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      backend = await startMetricsTestBackend({ knex });
      // The plugin has migrated the database; its store writes the fixture.
      const store = await DatabaseMetricsStore.create({ knex });
      await store.ingest([
        ...readyAfter('q3-api', '2026-08-03T09:00:00Z', 240, TEAM_X),
        ...readyAfter('checkout', '2026-10-05T09:00:00Z', 38, TEAM_X),
        ...readyAfter('search', '2026-11-02T09:00:00Z', 95, TEAM_Y),
        ...readyAfter('ledger', '2026-11-20T14:00:00Z', 12, TEAM_X),
        ...readyAfter('billing', '2026-12-01T08:00:00Z', 61, TEAM_Y),
        // Requested in Q4, in production in Q1: in flight at Q4's end.
        ...readyAfter('late', '2026-12-31T23:00:00Z', 120, TEAM_Y),
        serviceRequest('component:default/new-api', new Date('2027-02-01Z'), {
          teamRef: TEAM_X,
        }),
        ticket('OPS-1', '2025-01-06T09:00:00Z', 21),
        ticket('OPS-2', '2025-02-03T09:00:00Z', 35),
        ticket('OPS-3', '2025-04-07T09:00:00Z', 14),
      ]);
    });

    afterAll(() => backend?.stop());

    it('gives one lead time for one query: summary, trend point, breakdown and the requests behind it', async () => {
      const { leadTime } = await get('/v1/summary', Q4);
      const trend = await get('/v1/trend', { ...Q4, bucket: 'quarter' });
      const byTeam = await get('/v1/breakdown', {
        ...Q4,
        metric: 'leadTime',
        by: 'team',
      });
      const ready: { items: ServiceRequestItem[] } = await get(
        '/v1/service-requests',
        { ...Q4, state: 'ready' },
      );
      const inFlight = await get('/v1/service-requests', {
        ...Q4,
        state: 'in-flight',
      });

      // 38, 95, 12 and 61 minutes: median (38 + 61) / 2 minutes.
      expect(leadTime).toMatchObject({
        medianSeconds: 49.5 * 60,
        count: 4,
        inFlight: 1,
      });
      expect(trend.points).toEqual([expect.objectContaining({ leadTime })]);
      const durations = ready.items.map(
        r => (Date.parse(r.readyAt!) - Date.parse(r.requestedAt)) / 1000,
      );
      expect(durations).toHaveLength(leadTime.count);
      expect(median(durations)).toBe(leadTime.medianSeconds);
      expect(inFlight.items).toHaveLength(leadTime.inFlight);
      expect(
        byTeam.items.reduce(
          (n: number, item: { value: { count: number } }) =>
            n + item.value.count,
          0,
        ),
      ).toBe(leadTime.count);
    });

    it('answers a quarter without ready requests with those in flight and the last known lead time', async () => {
      const april = {
        from: '2027-04-01T00:00:00.000Z',
        to: '2027-07-01T00:00:00.000Z',
      };
      const { leadTime } = await get('/v1/summary', april);
      expect(leadTime).toEqual({
        medianSeconds: null,
        p90Seconds: null,
        count: 0,
        inFlight: 1,
        observabilityUnverified: 0,
        lastKnown: { period: Q1, medianSeconds: 120 * 60, count: 1 },
      });
      // The last known value is the named period's own number.
      const named = (await get('/v1/summary', Q1)).leadTime;
      expect(named).toMatchObject({ medianSeconds: 120 * 60, count: 1 });
      expect(named).not.toHaveProperty('lastKnown');

      // Nothing of team X was ready in Q1 either: its last known quarter is Q4,
      // with 38 and 12 minutes.
      const teamX = (await get('/v1/summary', { ...april, team: TEAM_X }))
        .leadTime;
      expect(teamX.lastKnown).toEqual({
        period: Q4,
        medianSeconds: 25 * 60,
        count: 2,
      });
      expect(
        (await get('/v1/summary', { ...Q4, team: TEAM_X })).leadTime,
      ).toMatchObject({ medianSeconds: 25 * 60, count: 2 });
    });

    it('gives the ticket era by quarter with baseline=true', async () => {
      const year = {
        from: '2025-01-01T00:00:00.000Z',
        to: '2026-01-01T00:00:00.000Z',
      };
      const era = await get('/v1/trend', {
        ...year,
        bucket: 'quarter',
        baseline: 'true',
      });
      expect(
        era.points.map((p: any) => [
          p.period.from.slice(0, 7),
          p.leadTime.medianSeconds,
          p.leadTime.count,
        ]),
      ).toEqual([
        ['2025-01', 28 * 86400, 2],
        ['2025-04', 14 * 86400, 1],
        ['2025-07', null, 0],
        ['2025-10', null, 0],
      ]);
      const live = await get('/v1/trend', { ...year, bucket: 'quarter' });
      expect(live.points.map((p: any) => p.leadTime.count)).toEqual([
        0, 0, 0, 0,
      ]);
      expect(
        (await get('/v1/trend', { ...Q3, bucket: 'quarter' })).points[0]
          .leadTime,
      ).toMatchObject({ medianSeconds: 240 * 60, count: 1 });
    });
  });
});
