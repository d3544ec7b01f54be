import {
  A,
  at,
  deployment,
  describeOnEachDatabase,
  EMPTY_LEAD_TIME,
  MARCH,
  request,
} from '../__testUtils__/metricsStoreFixtures';
import type { DatabaseMetricsStore } from '../DatabaseMetricsStore';

describe('recomputeReadiness', () => {
  describeOnEachDatabase(context => {
    let store: DatabaseMetricsStore;

    beforeEach(() => {
      ({ store } = context);
    });

    it('sets ready_at from a deployment stored before the request', async () => {
      // The deployment (03-02 12:00) arrives first; the request (03-02 09:00) later.
      await store.ingest([
        deployment(at('03-02 12:00'), {
          entityRef: A,
          observabilityDeclared: true,
        }),
      ]);
      await store.ingest([request(A, at('03-02 09:00'))]);
      const [row] = await store.listServiceRequests(MARCH, 10);
      expect(row.readyAt).toEqual(at('03-02 12:00'));
      expect(row.observabilityVerified).toBe(true);
      expect(await store.leadTime(MARCH)).toEqual({
        medianSeconds: 3 * 3600,
        p90Seconds: 3 * 3600,
        count: 1,
        inFlight: 0,
        observabilityUnverified: 0,
      });
    });

    it('uses the earliest qualifying deployment, whatever the arrival order', async () => {
      await store.ingest([request(A, at('03-02 09:00'))]);
      // Before the request: does not count.
      await store.ingest([deployment(at('03-02 08:00'), { entityRef: A })]);
      // Failed, rolled back, or not production: do not count.
      await store.ingest([
        deployment(at('03-02 09:30'), { entityRef: A, outcome: 'failure' }),
        deployment(at('03-02 09:40'), { entityRef: A, outcome: 'rollback' }),
        deployment(at('03-02 09:50'), {
          entityRef: A,
          environment: 'staging',
          production: false,
        }),
      ]);
      expect(await store.leadTime(MARCH)).toEqual({
        ...EMPTY_LEAD_TIME,
        inFlight: 1,
      });

      await store.ingest([deployment(at('03-02 13:00'), { entityRef: A })]);
      expect(await store.leadTime(MARCH)).toMatchObject({
        medianSeconds: 4 * 3600,
        count: 1,
        inFlight: 0,
      });

      // An earlier deployment delivered late moves ready_at back to 11:00.
      await store.ingest([
        deployment(at('03-02 11:00'), {
          entityRef: A,
          observabilityDeclared: true,
        }),
      ]);
      expect(await store.leadTime(MARCH)).toEqual({
        medianSeconds: 2 * 3600,
        p90Seconds: 2 * 3600,
        count: 1,
        inFlight: 0,
        observabilityUnverified: 0,
      });
    });

    it('does not let a live deployment make a baseline request ready', async () => {
      await store.ingest([
        { ...request(A, at('03-02 00:00')), source: 'baseline' },
        deployment(at('03-02 01:00'), { entityRef: A }),
      ]);
      expect(await store.leadTime({ ...MARCH, baseline: true })).toEqual({
        ...EMPTY_LEAD_TIME,
        inFlight: 1,
      });
    });
  });
});
