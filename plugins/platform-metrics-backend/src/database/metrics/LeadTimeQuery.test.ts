import {
  A,
  APRIL,
  at,
  B,
  C,
  D,
  deployment,
  describeOnEachDatabase,
  E,
  EMPTY_LEAD_TIME,
  leadTimeOf,
  MARCH,
  NODE,
  request,
  TEAM_X,
  TEAM_Y,
} from '../__testUtils__/metricsStoreFixtures';
import type { DatabaseMetricsStore } from '../DatabaseMetricsStore';

describe('LeadTimeQuery', () => {
  describeOnEachDatabase(context => {
    let store: DatabaseMetricsStore;

    beforeEach(() => {
      ({ store } = context);
    });

    it('computes median and p90 of an even number of durations', async () => {
      // durations 60, 120, 180, 600 (ingested out of order)
      // median = (120 + 180) / 2 = 150
      // p90: h = 0.9 * 3 = 2.7 → 180 + 0.7 * (600 - 180) = 474
      await store.ingest([
        ...leadTimeOf(C, 180),
        ...leadTimeOf(A, 60, { observability: true }),
        ...leadTimeOf(D, 600),
        ...leadTimeOf(B, 120, { observability: true }),
      ]);
      expect(await store.leadTime(MARCH)).toEqual({
        medianSeconds: 150,
        p90Seconds: 474,
        count: 4,
        inFlight: 0,
        observabilityUnverified: 2,
      });
    });

    it('computes median and p90 of an odd number of durations', async () => {
      // durations 60, 120, 180, 300, 600
      // median = 180 (the middle one)
      // p90: h = 0.9 * 4 = 3.6 → 300 + 0.6 * (600 - 300) = 480
      await store.ingest([
        ...leadTimeOf(A, 600),
        ...leadTimeOf(B, 60),
        ...leadTimeOf(C, 300),
        ...leadTimeOf(D, 180),
        ...leadTimeOf(E, 120),
      ]);
      expect(await store.leadTime(MARCH)).toMatchObject({
        medianSeconds: 180,
        p90Seconds: 480,
        count: 5,
      });
    });

    it('returns nulls and count 0 for an empty period', async () => {
      expect(await store.leadTime(MARCH)).toEqual(EMPTY_LEAD_TIME);
      await store.ingest(leadTimeOf(A, 60));
      expect(await store.leadTime(APRIL)).toEqual(EMPTY_LEAD_TIME);
    });

    it('counts from inclusive and to exclusive, and in-flight requests', async () => {
      await store.ingest([
        // ready exactly at `from` of March: counted in March (duration 1 h)
        request(A, at('02-28 23:00')),
        deployment(at('03-01 00:00'), { entityRef: A }),
        // ready exactly at `to` of March: not counted, in flight at March's end
        request(B, at('03-31 22:00')),
        deployment(at('04-01 00:00'), { entityRef: B }),
        // never deployed: in flight
        request(C, at('03-10 00:00')),
        // requested after March: not in flight in March
        request(D, at('04-02 00:00')),
      ]);
      expect(await store.leadTime(MARCH)).toEqual({
        medianSeconds: 3600,
        p90Seconds: 3600,
        count: 1,
        inFlight: 2,
        observabilityUnverified: 1,
      });
      // April: B (2 h) is ready; C and D are in flight.
      expect(await store.leadTime(APRIL)).toMatchObject({
        medianSeconds: 7200,
        count: 1,
        inFlight: 2,
      });
    });

    it('filters on team and on template name or ref', async () => {
      await store.ingest([
        ...leadTimeOf(A, 60, { teamRef: TEAM_X, template: NODE }),
        ...leadTimeOf(B, 120, { teamRef: TEAM_Y, template: 'node-service' }),
        ...leadTimeOf(C, 600, {
          teamRef: TEAM_Y,
          template: 'template:default/python-service',
        }),
      ]);
      expect(await store.leadTime({ ...MARCH, team: TEAM_Y })).toMatchObject({
        medianSeconds: 360, // (120 + 600) / 2
        count: 2,
      });
      for (const template of ['node-service', NODE]) {
        expect(await store.leadTime({ ...MARCH, template })).toMatchObject({
          medianSeconds: 90, // (60 + 120) / 2
          count: 2,
        });
      }
      expect(
        await store.leadTime({
          ...MARCH,
          team: TEAM_Y,
          template: 'python-service',
        }),
      ).toMatchObject({ medianSeconds: 600, count: 1 });
      expect(
        await store.leadTime({ ...MARCH, team: 'group:default/none' }),
      ).toEqual(EMPTY_LEAD_TIME);
    });

    it('breaks down by team and template, unknown last', async () => {
      await store.ingest([
        ...leadTimeOf(A, 60, { teamRef: TEAM_Y }),
        ...leadTimeOf(B, 120, { teamRef: TEAM_X }),
        ...leadTimeOf(C, 180, {
          teamRef: TEAM_X,
          template: 'python-service',
        }),
        request(D, at('03-02 00:00'), { teamRef: null, template: undefined }),
      ]);
      expect(await store.leadTimeBreakdown(MARCH, 'team')).toEqual([
        {
          key: TEAM_X,
          value: {
            medianSeconds: 150,
            p90Seconds: 174, // 120 + 0.9 * 60
            count: 2,
            inFlight: 0,
            observabilityUnverified: 2,
          },
        },
        {
          key: TEAM_Y,
          value: {
            medianSeconds: 60,
            p90Seconds: 60,
            count: 1,
            inFlight: 0,
            observabilityUnverified: 1,
          },
        },
        { key: null, value: { ...EMPTY_LEAD_TIME, inFlight: 1 } },
      ]);
      expect(
        (await store.leadTimeBreakdown(MARCH, 'template')).map(b => [
          b.key,
          b.value.count,
          b.value.medianSeconds,
          b.value.inFlight,
        ]),
      ).toEqual([
        ['node-service', 2, 90, 0],
        ['python-service', 1, 180, 0],
        [null, 0, null, 1],
      ]);
    });
  });
});
