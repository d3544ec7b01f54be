import type { PlatformMetricsSeedUsageEvent } from '@internal/plugin-platform-metrics-node';
import { createRandom } from './createRandom';

/** A catalog User the demo usage is written for. */
export interface DemoUser {
  userEntityRef: string;
  teamRef: string | null;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAYS = 365;

interface DemoPage {
  path: string;
  pluginId: string;
  weight: number;
  /** Days ago the page appeared (launched) and stopped being used (retired). */
  from?: number;
  until?: number;
}

/**
 * The story: adoption grows over the year; the Platform value page launches half
 * way; Explore and the catalog graph fall out of use (drop candidates); Python
 * services stop being created; two teams never use a golden path.
 */
const PAGES: DemoPage[] = [
  { path: '/catalog', pluginId: 'catalog', weight: 30 },
  { path: '/docs', pluginId: 'techdocs', weight: 15 },
  { path: '/create', pluginId: 'scaffolder', weight: 10 },
  { path: '/search', pluginId: 'search', weight: 8 },
  {
    path: '/platform-value',
    pluginId: 'platform-metrics',
    weight: 6,
    from: 200,
  },
  { path: '/api-docs', pluginId: 'api-docs', weight: 4 },
  { path: '/explore', pluginId: 'explore', weight: 3, until: 130 },
  { path: '/catalog-graph', pluginId: 'catalog-graph', weight: 2, until: 280 },
];

const TEMPLATES = [
  { name: 'node-service', weight: 60, submitRate: 0.62 },
  { name: 'go-service', weight: 32, submitRate: 0.45 },
  { name: 'python-service', weight: 8, submitRate: 0.5, until: 110 },
];

const UNFOUND_TERMS = [
  'kafka topic',
  'kafka topic',
  'feature flags',
  'feature flags',
  'sso setup',
  'terraform module',
  'on-call rota',
  'grpc template',
];

/** Teams that browse but never create from a golden path, for the report. */
const NON_CREATING_TEAMS = ['group:default/mobile', 'group:default/fulfilment'];

function weighted<T extends { weight: number }>(
  items: T[],
  next: () => number,
): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let pick = next() * total;
  for (const item of items) {
    pick -= item.weight;
    if (pick < 0) return item;
  }
  return items[items.length - 1];
}

/** A deterministic year of portal usage by the catalog's users, weekdays only. */
export function generateDemoUsage(options: {
  users: DemoUser[];
  now: Date;
  seed?: number;
}): PlatformMetricsSeedUsageEvent[] {
  const random = createRandom(options.seed ?? 20261204);
  const today = Math.floor(options.now.getTime() / DAY) * DAY;
  const events: PlatformMetricsSeedUsageEvent[] = [];
  let task = 0;

  for (let daysAgo = DAYS; daysAgo >= 1; daysAgo--) {
    const day = today - daysAgo * DAY;
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    // Adoption grows from about 15 % to 55 % of people on a given day.
    const active = 0.15 + 0.4 * ((DAYS - daysAgo) / DAYS);
    const pages = PAGES.filter(
      p =>
        (p.from === undefined || daysAgo <= p.from) &&
        (p.until === undefined || daysAgo > p.until),
    );
    const templates = TEMPLATES.filter(
      t => t.until === undefined || daysAgo > t.until,
    );

    for (const user of options.users) {
      if (random.next() >= active) continue;
      const who = { userEntityRef: user.userEntityRef, teamRef: user.teamRef };
      let at = day + 8 * HOUR + random.next() * 9 * HOUR;
      const visits = random.int(1, 5);
      for (let v = 0; v < visits; v++) {
        at += random.between(1, 20) * MINUTE;
        const page = weighted(pages, random.next);
        events.push({
          ...who,
          occurredAt: new Date(at),
          action: 'navigate',
          subject: page.path,
          pluginId: page.pluginId,
        });
        if (page.path === '/search') {
          const found = random.next() >= 0.14;
          events.push({
            ...who,
            occurredAt: new Date(at + 20_000),
            action: 'search',
            subject: '/search',
            pluginId: 'search',
            value: found ? random.int(1, 40) : 0,
            searchTerm: found ? undefined : random.pick(UNFOUND_TERMS),
          });
        }
        const creates =
          !NON_CREATING_TEAMS.includes(user.teamRef ?? '') &&
          page.path === '/create' &&
          random.next() < 0.5;
        if (!creates) continue;
        const template = weighted(templates, random.next);
        const templateRef = `template:default/${template.name}`;
        events.push({
          ...who,
          occurredAt: new Date(at + MINUTE),
          action: 'navigate',
          subject: `/create/templates/default/${template.name}`,
          pluginId: 'scaffolder',
          templateRef,
        });
        if (random.next() < template.submitRate) {
          const formMs = Math.round(random.logNormal(4 * MINUTE, 0.6));
          task += 1;
          events.push({
            ...who,
            occurredAt: new Date(at + MINUTE + formMs),
            action: 'create',
            subject: template.name,
            pluginId: 'scaffolder',
            templateRef,
            taskId: `demo-task-${task}`,
            value: formMs,
          });
        }
      }
    }
  }
  return events;
}
