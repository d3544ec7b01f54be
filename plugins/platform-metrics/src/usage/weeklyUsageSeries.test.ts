import { weeklyUsageSeries } from './weeklyUsageSeries';

const item = (week: string, feature: string, users: number, teams = 1) => ({
  week,
  kind: 'plugin' as const,
  feature,
  users,
  teams,
});

describe('weeklyUsageSeries', () => {
  it('charts the most used keys week by week, 0 where a week has none', () => {
    const series = weeklyUsageSeries(
      [
        item('2026-11-09', 'catalog', 20, 4),
        item('2026-11-02', 'catalog', 30, 5),
        item('2026-11-02', 'techdocs', 10, 2),
        item('2026-11-09', 'search', 2, 1),
        { ...item('2026-11-02', '/docs', 99), kind: 'page' as const },
      ],
      'plugin',
      'users',
      2,
    );
    expect(series.keys).toEqual(['catalog', 'techdocs']);
    expect(series.points).toEqual([
      { week: '2026-11-02', catalog: 30, techdocs: 10 },
      { week: '2026-11-09', catalog: 20, techdocs: 0 },
    ]);
  });

  it('ranks and charts by teams when asked', () => {
    const series = weeklyUsageSeries(
      [
        item('2026-11-02', 'catalog', 30, 2),
        item('2026-11-02', 'scaffolder', 5, 4),
      ],
      'plugin',
      'teams',
    );
    expect(series.keys).toEqual(['scaffolder', 'catalog']);
    expect(series.points).toEqual([
      { week: '2026-11-02', scaffolder: 4, catalog: 2 },
    ]);
  });
});
