import { Knex } from 'knex';
import {
  A,
  APRIL,
  at,
  B,
  describeOnEachDatabase,
  EMPTY_MTTR,
  incidentEvent,
  MARCH,
  resolvedIncident,
  TEAM_X,
  TEAM_Y,
} from '../__testUtils__/metricsStoreFixtures';
import type { DatabaseMetricsStore } from '../DatabaseMetricsStore';

describe('MttrQuery', () => {
  describeOnEachDatabase(context => {
    let knex: Knex;
    let store: DatabaseMetricsStore;

    beforeEach(() => {
      ({ knex, store } = context);
    });

    it('computes median, mean and p90, with ties', async () => {
      // durations 100, 100, 100, 200
      // median = 100; mean = 500 / 4 = 125
      // p90: h = 2.7 → 100 + 0.7 * (200 - 100) = 170
      await store.ingest([
        ...resolvedIncident(100),
        ...resolvedIncident(200),
        ...resolvedIncident(100),
        ...resolvedIncident(100),
      ]);
      expect(await store.mttr(MARCH)).toEqual({
        medianSeconds: 100,
        meanSeconds: 125,
        p90Seconds: 170,
        count: 4,
        open: 0,
      });
    });

    it('handles a single value and an empty period', async () => {
      expect(await store.mttr(MARCH)).toEqual(EMPTY_MTTR);
      await store.ingest(resolvedIncident(42));
      expect(await store.mttr(MARCH)).toEqual({
        medianSeconds: 42,
        meanSeconds: 42,
        p90Seconds: 42,
        count: 1,
        open: 0,
      });
      expect(await store.mttr(APRIL)).toEqual(EMPTY_MTTR);
    });

    it('counts resolutions in [from, to) and incidents open at the end', async () => {
      await store.ingest([
        // resolved exactly at `from`: counted in March (1 h)
        incidentEvent('edge-from', 'triggered', at('02-28 23:00')),
        incidentEvent('edge-from', 'resolved', at('03-01 00:00')),
        // resolved exactly at `to`: open at March's end, counted in April (1 h)
        incidentEvent('edge-to', 'triggered', at('03-31 23:00')),
        incidentEvent('edge-to', 'resolved', at('04-01 00:00')),
        // still open
        incidentEvent('open', 'triggered', at('03-15 00:00')),
        // started in April: not open in March
        incidentEvent('later', 'triggered', at('04-05 00:00')),
      ]);
      expect(await store.mttr(MARCH)).toEqual({
        medianSeconds: 3600,
        meanSeconds: 3600,
        p90Seconds: 3600,
        count: 1,
        open: 2,
      });
      expect(await store.mttr(APRIL)).toMatchObject({ count: 1, open: 2 });
      expect(await store.mttr({ ...MARCH, team: TEAM_Y })).toEqual(EMPTY_MTTR);
    });

    it('breaks down by severity, service and team', async () => {
      await store.ingest([
        ...resolvedIncident(100, {
          severity: 'P1',
          entityRef: A,
          teamRef: TEAM_X,
        }),
        ...resolvedIncident(300, {
          severity: 'P1',
          entityRef: B,
          teamRef: TEAM_Y,
        }),
        ...resolvedIncident(50, {
          severity: 'P2',
          entityRef: A,
          teamRef: TEAM_X,
        }),
        ...resolvedIncident(70, { entityRef: null, teamRef: null }),
        incidentEvent('open-p2', 'triggered', at('03-03 00:00'), {
          severity: 'P2',
          entityRef: B,
          teamRef: TEAM_Y,
        }),
      ]);
      expect(await store.mttrBreakdown(MARCH, 'severity')).toEqual([
        {
          key: 'P1',
          // 100, 300: median 200, p90 = 100 + 0.9 * 200 = 280
          value: {
            medianSeconds: 200,
            meanSeconds: 200,
            p90Seconds: 280,
            count: 2,
            open: 0,
          },
        },
        {
          key: 'P2',
          value: {
            medianSeconds: 50,
            meanSeconds: 50,
            p90Seconds: 50,
            count: 1,
            open: 1,
          },
        },
        {
          key: null,
          value: {
            medianSeconds: 70,
            meanSeconds: 70,
            p90Seconds: 70,
            count: 1,
            open: 0,
          },
        },
      ]);
      expect(
        (await store.mttrBreakdown(MARCH, 'service')).map(b => [
          b.key,
          b.value.count,
          b.value.meanSeconds,
          b.value.open,
        ]),
      ).toEqual([
        [A, 2, 75, 0],
        [B, 1, 300, 1],
        [null, 1, 70, 0],
      ]);
      expect(
        (await store.mttrBreakdown(MARCH, 'team')).map(b => [
          b.key,
          b.value.count,
        ]),
      ).toEqual([
        [TEAM_X, 2],
        [TEAM_Y, 1],
        [null, 1],
      ]);
    });

    it('matches percentile_cont on many values', async () => {
      // 101 incidents with durations from a fixed pseudo-random sequence (ms precision).
      let seed = 7;
      const durations: number[] = [];
      for (let i = 0; i < 101; i++) {
        seed = (seed * 48271) % 2147483647;
        durations.push((seed % 10_000_000) / 1000); // up to ~2.8 h, in ms steps
      }
      await store.ingest(durations.flatMap(s => resolvedIncident(s)));
      const mttr = await store.mttr(MARCH);

      // The reference: PostgreSQL's own percentile_cont where there is one, else
      // its definition (interpolation between the closest ranks) in plain code.
      const sorted = [...durations].sort((a, b) => a - b);
      const cont = (p: number) => {
        const h = p * (sorted.length - 1);
        const lo = Math.floor(h);
        return (
          sorted[lo] + (h - lo) * ((sorted[lo + 1] ?? sorted[lo]) - sorted[lo])
        );
      };
      const reference = knex.client.config.client.includes('pg')
        ? (
            await knex.raw(
              `SELECT
                 percentile_cont(0.5) WITHIN GROUP (ORDER BY (resolved_at_ms - started_at_ms) / 1000.0) AS median,
                 percentile_cont(0.9) WITHIN GROUP (ORDER BY (resolved_at_ms - started_at_ms) / 1000.0) AS p90
               FROM incidents`,
            )
          ).rows[0]
        : { median: cont(0.5), p90: cont(0.9) };

      expect(mttr.count).toBe(101);
      expect(mttr.medianSeconds).toBeCloseTo(Number(reference.median), 6);
      expect(mttr.p90Seconds).toBeCloseTo(Number(reference.p90), 6);
      expect(mttr.meanSeconds).toBeCloseTo(
        durations.reduce((a, b) => a + b, 0) / durations.length,
        6,
      );
    });
  });
});
