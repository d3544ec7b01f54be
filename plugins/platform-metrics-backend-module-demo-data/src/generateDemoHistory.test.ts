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
});
