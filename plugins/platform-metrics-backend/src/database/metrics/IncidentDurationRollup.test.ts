import { Knex } from 'knex';
import {
  APRIL,
  at,
  describeOnEachDatabase,
  EMPTY_MTTR,
  incidentEvent,
  MARCH,
  TEAM_X,
  TEAM_Y,
} from '../__testUtils__/metricsStoreFixtures';
import type { DatabaseMetricsStore } from '../DatabaseMetricsStore';
import type { AttributedRecord, MetricsQuery } from '../MetricsStore';

/** An MTTR summary whose durations are all `seconds` long. */
function allOf(seconds: number, count: number, open = 0) {
  return {
    medianSeconds: seconds,
    meanSeconds: seconds,
    p90Seconds: seconds,
    count,
    open,
  };
}

/** Two events: triggered at `start`, resolved at `end`. */
function incident(
  key: string,
  start: string,
  end: string,
  opts: Parameters<typeof incidentEvent>[3] = {},
): AttributedRecord[] {
  return [
    incidentEvent(key, 'triggered', at(start), opts),
    incidentEvent(key, 'resolved', at(end), opts),
  ];
}

describe('IncidentDurationRollup', () => {
  describeOnEachDatabase(context => {
    let knex: Knex;
    let store: DatabaseMetricsStore;

    beforeEach(() => {
      ({ knex, store } = context);
    });

    it('counts a reopened incident at its final resolution only', async () => {
      await store.ingest([
        ...incident('P1', '03-02 10:00', '03-02 10:30'),
        ...incident('P2', '03-05 00:00', '03-05 01:00'),
      ]);
      // 1800 and 3600: p90 = 1800 + 0.9 * 1800
      expect(await store.mttr(MARCH)).toEqual({
        medianSeconds: 2700,
        meanSeconds: 2700,
        p90Seconds: 3420,
        count: 2,
        open: 0,
      });

      await store.ingest([incidentEvent('P1', 'reopened', at('03-02 11:00'))]);
      expect(await store.mttr(MARCH)).toEqual(allOf(3600, 1, 1));

      // Resolved again in April: 31 days and 2 hours after its trigger.
      await store.ingest([incidentEvent('P1', 'resolved', at('04-02 12:00'))]);
      expect(await store.mttr(MARCH)).toEqual(allOf(3600, 1, 1));
      expect(await store.mttr(APRIL)).toEqual(allOf(2_685_600, 1));

      // A later resolution delivered late moves it within the same day.
      await store.ingest([incidentEvent('P1', 'resolved', at('04-02 13:00'))]);
      expect(await store.mttr(APRIL)).toEqual(allOf(2_689_200, 1));
      expect(await store.mttr(MARCH)).toEqual(allOf(3600, 1, 1));
    });

    it('counts resolutions on the right side of day and month boundaries', async () => {
      await store.ingest([
        // before the partial period below
        ...incident('g', '03-30 11:58:59.999', '03-30 11:59:59.999'), // 60 s
        // in the partial day at its start
        ...incident('a', '03-30 17:50', '03-30 18:00'), // 600 s
        ...incident('b', '03-30 23:40', '03-31 00:00'), // 1200 s
        ...incident('c', '03-31 23:29:59.999', '03-31 23:59:59.999'), // 1800 s
        ...incident('d', '03-31 23:20', '04-01 00:00'), // 2400 s
        // in the partial day at its end
        ...incident('e', '04-02 05:10', '04-02 06:00'), // 3000 s
        // resolved exactly at its end: open then
        ...incident('f', '04-02 11:00', '04-02 12:00'), // 3600 s
      ]);
      const partial: MetricsQuery = {
        from: at('03-30 12:00'),
        to: at('04-02 12:00'),
      };
      const lastDayOfMarch: MetricsQuery = {
        from: at('03-31 00:00'),
        to: at('04-01 00:00'),
      };

      // 600, 1200, 1800, 2400, 3000: p90 = 2400 + 0.6 * 600
      expect(await store.mttr(partial)).toEqual({
        medianSeconds: 1800,
        meanSeconds: 1800,
        p90Seconds: 2760,
        count: 5,
        open: 1,
      });
      // 60, 600, 1200, 1800: p90 = 1200 + 0.7 * 600; d is open at the end
      expect(await store.mttr(MARCH)).toEqual({
        medianSeconds: 900,
        meanSeconds: 915,
        p90Seconds: 1620,
        count: 4,
        open: 1,
      });
      // 2400, 3000, 3600: p90 = 3000 + 0.8 * 600
      expect(await store.mttr(APRIL)).toEqual({
        medianSeconds: 3000,
        meanSeconds: 3000,
        p90Seconds: 3480,
        count: 3,
        open: 0,
      });
      // 1200, 1800: p90 = 1200 + 0.9 * 600
      expect(await store.mttr(lastDayOfMarch)).toEqual({
        medianSeconds: 1500,
        meanSeconds: 1500,
        p90Seconds: 1740,
        count: 2,
        open: 1,
      });

      // c reopens and is resolved in April, an hour after its trigger.
      await store.ingest([
        incidentEvent('c', 'reopened', at('04-01 00:10')),
        incidentEvent('c', 'resolved', at('04-01 00:29:59.999')),
      ]);
      // 60, 600, 1200: p90 = 600 + 0.8 * 600; c and d are open at the end
      expect(await store.mttr(MARCH)).toEqual({
        medianSeconds: 600,
        meanSeconds: 620,
        p90Seconds: 1080,
        count: 3,
        open: 2,
      });
      // 2400, 3000, 3600, 3600: p90 = 3600 + 0.7 * 0
      expect(await store.mttr(APRIL)).toEqual({
        medianSeconds: 3300,
        meanSeconds: 3150,
        p90Seconds: 3600,
        count: 4,
        open: 0,
      });
      expect(await store.mttr(lastDayOfMarch)).toEqual(allOf(1200, 1, 2));
    });

    it('agrees with the team and severity views, which read the incidents', async () => {
      const P1 = { severity: 'P1' };
      const P2 = { severity: 'P2' };
      await store.ingest([
        ...incident('x1', '03-02 00:00', '03-02 00:01:40', P1), // 100 s
        ...incident('x2', '03-02 00:00', '03-02 00:05', P2), // 300 s
        ...incident('y1', '03-02 00:00', '03-02 00:03:20', {
          ...P1,
          teamRef: TEAM_Y,
        }), // 200 s
        ...incident('y2', '03-02 00:00', '03-02 00:06:40', {
          ...P2,
          teamRef: TEAM_Y,
        }), // 400 s
        ...incident('u', '03-02 00:00', '03-02 00:08:20', {
          entityRef: null,
          teamRef: null,
        }), // 500 s
      ]);
      // 100 … 500: p90 = 400 + 0.6 * 100
      expect(await store.mttr(MARCH)).toEqual({
        medianSeconds: 300,
        meanSeconds: 300,
        p90Seconds: 460,
        count: 5,
        open: 0,
      });
      expect(await store.mttr({ ...MARCH, team: TEAM_X })).toEqual({
        medianSeconds: 200,
        meanSeconds: 200,
        p90Seconds: 280,
        count: 2,
        open: 0,
      });
      expect(
        (await store.mttrBreakdown(MARCH, 'severity')).map(b => [
          b.key,
          b.value.medianSeconds,
          b.value.count,
        ]),
      ).toEqual([
        ['P1', 150, 2],
        ['P2', 350, 2],
        [null, 500, 1],
      ]);

      await store.ingest([
        incidentEvent('y2', 'reopened', at('03-02 01:00'), {
          teamRef: TEAM_Y,
        }),
      ]);
      // 100, 200, 300, 500: p90 = 300 + 0.7 * 200
      expect(await store.mttr(MARCH)).toEqual({
        medianSeconds: 250,
        meanSeconds: 275,
        p90Seconds: 440,
        count: 4,
        open: 1,
      });
      expect(await store.mttr({ ...MARCH, team: TEAM_Y })).toEqual(
        allOf(200, 1, 1),
      );
      expect(
        (await store.mttrBreakdown(MARCH, 'severity')).map(b => [
          b.key,
          b.value.count,
          b.value.open,
        ]),
      ).toEqual([
        ['P1', 2, 0],
        ['P2', 1, 1],
        [null, 1, 0],
      ]);
    });

    it('reads incidents stored before the rollup, and counts them in the background', async () => {
      await store.ingest([
        ...incident('a', '03-02 00:00', '03-02 00:01:40'), // 100 s
        ...incident('b', '03-03 00:00', '03-03 00:05'), // 300 s
        ...incident('c', '03-31 23:00', '04-01 00:00'), // 3600 s
        incidentEvent('open', 'triggered', at('03-04 00:00')),
      ]);
      const partial: MetricsQuery = {
        from: at('03-01 12:00'),
        to: at('04-01 06:00'),
      };
      const expected = [
        { medianSeconds: 200, count: 2, open: 2 }, // March
        allOf(3600, 1, 1), // April
        { medianSeconds: 300, count: 3, open: 1 }, // partial
      ];
      const read = () =>
        Promise.all([
          store.mttr(MARCH),
          store.mttr(APRIL),
          store.mttr(partial),
        ]);
      const [march, april, inPartial] = await read();
      expect(march).toMatchObject(expected[0]);
      expect(april).toEqual(expected[1]);
      expect(inPartial).toMatchObject(expected[2]);

      // As the migration leaves incidents resolved before it.
      await knex('incident_duration_rollups').delete();
      await knex('incidents').update({ duration_bin: null });
      expect(await read()).toEqual([march, april, inPartial]);

      const uncounted = async () =>
        Number(
          (
            await knex('incidents')
              .whereNull('duration_bin')
              .whereNotNull('resolved_at_ms')
              .count({ n: '*' })
          )[0].n,
        );
      for (let i = 0; i < 40 && (await uncounted()) > 0; i++) {
        await new Promise(resolve => setTimeout(resolve, 250));
        expect(await read()).toEqual([march, april, inPartial]);
      }
      expect(await uncounted()).toBe(0);
      expect(await read()).toEqual([march, april, inPartial]);

      // Counted by the catch-up, then recomputed by ingestion.
      await store.ingest([
        incidentEvent('a', 'reopened', at('03-02 00:10')),
        incidentEvent('a', 'resolved', at('03-02 00:15')),
      ]);
      expect(await store.mttr(MARCH)).toMatchObject({
        medianSeconds: 600, // 300 and 900
        count: 2,
        open: 2,
      });
    });

    it('matches percentile_cont and the raw rows for incidents delivered shuffled and concurrently', async () => {
      // A fixed pseudo-random history from mid-February to mid-April: durations from
      // a minute to a few days in milliseconds, one in six reopened, a few open.
      let seed = 11;
      const random = () => {
        seed = (seed * 48271) % 2147483647;
        return seed / 2147483647;
      };
      const origin = at('02-20 00:00').getTime();
      const span = at('04-10 00:00').getTime() - origin;
      const events: AttributedRecord[] = [];
      const incidents: Array<{ start: number; resolved?: number }> = [];
      for (let i = 0; i < 180; i++) {
        const key = `r${i}`;
        const start = origin + Math.floor(random() * span);
        const first = start + Math.floor(60_000 * 2 ** (random() * 12));
        events.push(incidentEvent(key, 'triggered', new Date(start)));
        if (i % 30 === 29) {
          incidents.push({ start });
          continue;
        }
        events.push(incidentEvent(key, 'resolved', new Date(first)));
        let resolved = first;
        if (i % 6 === 5) {
          const reopened = first + Math.floor(random() * 86_400_000);
          resolved = reopened + Math.floor(60_000 * 2 ** (random() * 8));
          events.push(
            incidentEvent(key, 'reopened', new Date(reopened)),
            incidentEvent(key, 'resolved', new Date(resolved)),
          );
        }
        incidents.push({ start, resolved });
      }
      for (let i = events.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [events[i], events[j]] = [events[j], events[i]];
      }
      // Batches of 6 events, 4 at a time.
      const batches: AttributedRecord[][] = [];
      for (let i = 0; i < events.length; i += 6) {
        batches.push(events.slice(i, i + 6));
      }
      const ingestTogether = (together: AttributedRecord[][]) =>
        Promise.all(together.map(batch => store.ingest(batch)));
      for (let i = 0; i < batches.length; i += 4) {
        await ingestTogether(batches.slice(i, i + 4));
      }

      const periods: MetricsQuery[] = [
        MARCH,
        APRIL,
        { from: at('02-25 06:00'), to: at('04-03 18:00') },
        { from: at('02-01 00:00'), to: at('05-01 00:00') },
        { from: at('03-10 01:00'), to: at('03-10 09:00') },
      ];
      for (const period of periods) {
        const from = period.from.getTime();
        const to = period.to.getTime();
        const durations = incidents
          .filter(x => x.resolved !== undefined)
          .filter(x => x.resolved! >= from && x.resolved! < to)
          .map(x => (x.resolved! - x.start) / 1000)
          .sort((a, b) => a - b);
        const open = incidents.filter(
          x => x.start < to && (x.resolved === undefined || x.resolved >= to),
        ).length;
        const cont = (p: number) => {
          const h = p * (durations.length - 1);
          const lo = Math.floor(h);
          return (
            durations[lo] +
            (h - lo) * ((durations[lo + 1] ?? durations[lo]) - durations[lo])
          );
        };

        const mttr = await store.mttr(period);
        expect(mttr.count).toBe(durations.length);
        expect(mttr.open).toBe(open);
        expect(mttr.medianSeconds).toBeCloseTo(cont(0.5), 6);
        expect(mttr.p90Seconds).toBeCloseTo(cont(0.9), 6);
        expect(mttr.meanSeconds).toBeCloseTo(
          durations.reduce((a, b) => a + b, 0) / durations.length,
          6,
        );
        // Every incident is team x's: its breakdown reads the raw rows.
        expect(await store.mttrBreakdown(period, 'team')).toEqual([
          { key: TEAM_X, value: mttr },
        ]);
      }
      expect(await store.mttr({ ...MARCH, baseline: true })).toEqual(
        EMPTY_MTTR,
      );
    });
  });
});
