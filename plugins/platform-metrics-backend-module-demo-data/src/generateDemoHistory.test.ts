import type { AttributedRecord } from '@internal/plugin-platform-metrics-node';
import { generateDemoHistory } from './generateDemoHistory';

const now = new Date('2026-11-26T00:00:00Z');
const questionIds = ['satisfaction', 'ease-of-delivery'];
const services = ['checkout', 'payments', 'search'].flatMap(team =>
  [1, 2, 3].map(n => ({
    entityRef: `component:default/${team}-service-${n}`,
    teamRef: `group:default/${team}`,
  })),
);

describe('generateDemoHistory', () => {
  it('is deterministic for a seed', () => {
    const a = generateDemoHistory({ services, now, questionIds, seed: 7 });
    const b = generateDemoHistory({ services, now, questionIds, seed: 7 });
    const c = generateDemoHistory({ services, now, questionIds, seed: 8 });
    expect(JSON.stringify(a)).toEqual(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toEqual(JSON.stringify(c));
  });

  it('never writes events after now', () => {
    const { records } = generateDemoHistory({ services, now, questionIds });
    const latest = Math.max(
      ...records.map(r =>
        r.kind === 'service-request'
          ? r.requestedAt.getTime()
          : r.occurredAt.getTime(),
      ),
    );
    expect(latest).toBeLessThanOrEqual(now.getTime());
  });

  it('answers every question it is given, and only those', () => {
    const { campaigns } = generateDemoHistory({ services, now, questionIds });
    const responses = campaigns.flatMap(c => c.responses);
    expect(responses.length).toBeGreaterThan(0);
    for (const response of responses) {
      expect(Object.keys(response.answers)).toEqual(questionIds);
    }
  });

  it.each([
    ['a day and a half into it', '2027-01-02T12:00:00Z'],
    ['halfway through', '2026-11-26T00:00:00Z'],
    ['on its last evening', '2026-12-31T20:00:00Z'],
  ])(
    'has completed requests, deployments, resolved incidents and survey answers in the current quarter, %s',
    (_, iso) => {
      const at = new Date(iso);
      const quarterBegan = Date.UTC(
        at.getUTCFullYear(),
        Math.floor(at.getUTCMonth() / 3) * 3,
        1,
      );
      const inQuarter = (date: Date) =>
        date.getTime() >= quarterBegan && date.getTime() < at.getTime();
      const { records, campaigns } = generateDemoHistory({
        services,
        now: at,
        questionIds,
      });
      type Of<K> = Extract<AttributedRecord, { kind: K }>;
      const deployed = records.filter(
        (r): r is Of<'deployment'> =>
          r.kind === 'deployment' && r.production && r.outcome === 'success',
      );

      // Requested this quarter and in production since.
      const completed = records.filter(
        (r): r is Of<'service-request'> =>
          r.kind === 'service-request' &&
          inQuarter(r.requestedAt) &&
          deployed.some(
            d =>
              d.service.entityRef === r.entityRef &&
              d.occurredAt >= r.requestedAt &&
              inQuarter(d.occurredAt),
          ),
      );
      expect(completed.length).toBeGreaterThan(0);
      expect(deployed.some(d => inQuarter(d.occurredAt))).toBe(true);
      expect(
        records.some(
          r =>
            r.kind === 'incident' &&
            r.type === 'resolved' &&
            inQuarter(r.occurredAt),
        ),
      ).toBe(true);

      // Last quarter's survey, answered and closed in this one; this
      // quarter's open for answers.
      const answered = campaigns.filter(
        c =>
          !c.open &&
          c.responses.length > 0 &&
          inQuarter(c.answeredAt) &&
          inQuarter(c.closesAt) &&
          c.opensAt <= c.answeredAt &&
          c.answeredAt < c.closesAt,
      );
      expect(answered).toHaveLength(1);
      expect(
        campaigns.filter(c => c.open && c.closesAt.getTime() > at.getTime()),
      ).toHaveLength(1);
    },
  );
});
