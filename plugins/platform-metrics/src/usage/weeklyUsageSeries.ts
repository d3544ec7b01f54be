import type {
  FeatureWeekUsage,
  UsageFeatureKind,
} from '@internal/plugin-platform-metrics-common';

export type WeeklyMeasure = 'users' | 'teams';

/** One chart point per week, a property per page or plugin. */
export interface WeeklyUsageSeries {
  keys: string[];
  points: Array<{ week: string } & Record<string, number | string>>;
}

/**
 * The `limit` pages or plugins with the most people over the period, week by
 * week; a week where one was not used counts 0 rather than leaving a gap.
 */
export function weeklyUsageSeries(
  items: FeatureWeekUsage[],
  kind: UsageFeatureKind,
  measure: WeeklyMeasure,
  limit = 6,
): WeeklyUsageSeries {
  const ofKind = items.filter(item => item.kind === kind);
  const totals = new Map<string, number>();
  for (const item of ofKind) {
    totals.set(item.feature, (totals.get(item.feature) ?? 0) + item[measure]);
  }
  const keys = [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([key]) => key);
  const weeks = [...new Set(ofKind.map(item => item.week))].sort();
  const byWeek = new Map(
    weeks.map(week => [
      week,
      Object.fromEntries(keys.map(key => [key, 0])) as Record<string, number>,
    ]),
  );
  for (const item of ofKind) {
    const point = byWeek.get(item.week)!;
    if (item.feature in point) point[item.feature] = item[measure];
  }
  return {
    keys,
    points: weeks.map(week => ({ ...byWeek.get(week)!, week })),
  };
}
