import { generateDemoUsage } from './generateDemoUsage';

const NOW = new Date('2026-12-03T12:00:00Z');
const DAY = 86_400_000;

const users = ['checkout', 'payments', 'mobile'].flatMap(team =>
  Array.from({ length: 6 }, (_, i) => ({
    userEntityRef: `user:default/${team}-${i}`,
    teamRef: `group:default/${team}`,
  })),
);

describe('generateDemoUsage', () => {
  const events = generateDemoUsage({ users, now: NOW });

  it('is the same history every time', () => {
    expect(generateDemoUsage({ users, now: NOW })).toEqual(events);
  });

  it('stays within the last year, before now', () => {
    for (const event of events) {
      expect(event.occurredAt.getTime()).toBeLessThan(NOW.getTime());
      expect(event.occurredAt.getTime()).toBeGreaterThan(
        NOW.getTime() - 366 * DAY,
      );
    }
  });

  it('tells the story: unused pages and templates, teams that never create', () => {
    const lastUse = (match: (e: (typeof events)[number]) => boolean) =>
      Math.max(...events.filter(match).map(e => e.occurredAt.getTime()));
    const ninetyDaysAgo = NOW.getTime() - 90 * DAY;
    expect(lastUse(e => e.subject === '/explore')).toBeLessThan(ninetyDaysAgo);
    expect(
      lastUse(e => e.templateRef === 'template:default/python-service'),
    ).toBeLessThan(ninetyDaysAgo);
    expect(lastUse(e => e.subject === '/catalog')).toBeGreaterThan(
      ninetyDaysAgo,
    );
    expect(
      events.some(
        e => e.action === 'create' && e.teamRef === 'group:default/mobile',
      ),
    ).toBe(false);
    expect(
      events.some(
        e => e.action === 'navigate' && e.teamRef === 'group:default/mobile',
      ),
    ).toBe(true);
  });

  it('keeps search terms only for searches that found nothing', () => {
    const searches = events.filter(e => e.action === 'search');
    expect(searches.some(e => e.value === 0)).toBe(true);
    for (const search of searches) {
      expect(search.searchTerm === undefined).toBe(search.value !== 0);
    }
  });

  it('opens more template forms than it submits', () => {
    const opened = events.filter(
      e => e.action === 'navigate' && e.templateRef,
    ).length;
    const submitted = events.filter(e => e.action === 'create').length;
    expect(submitted).toBeGreaterThan(0);
    expect(opened).toBeGreaterThan(submitted);
  });
});
