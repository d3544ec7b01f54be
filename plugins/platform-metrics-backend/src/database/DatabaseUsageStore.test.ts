import { TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { DatabaseUsageStore } from './DatabaseUsageStore';
import { applyDatabaseMigrations } from './migrations';
import type { StoredUsageEvent } from './UsageStore';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const MONDAY = Date.parse('2026-11-30T00:00:00Z');

function stored(overrides: Partial<StoredUsageEvent> = {}): StoredUsageEvent {
  return {
    occurredAt: new Date(MONDAY + 10 * 3600_000),
    action: 'navigate',
    subject: '/catalog',
    pluginId: 'catalog',
    extensionId: null,
    templateRef: null,
    taskId: null,
    value: null,
    searchTerm: null,
    teamRef: 'group:default/payments',
    userKey: 'a'.repeat(64),
    ...overrides,
  };
}

describe('DatabaseUsageStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let store: DatabaseUsageStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      store = DatabaseUsageStore.create({ knex });
    });

    afterAll(async () => {
      await knex.destroy();
    });

    it('adds batches, also concurrent ones, into the same daily rollups', async () => {
      await Promise.all(
        Array.from({ length: 4 }, () =>
          store.insertEvents([
            stored(),
            stored(),
            stored({ subject: '/docs' }),
          ]),
        ),
      );
      const rollups = await knex('usage_daily_rollups')
        .orderBy('subject')
        .select('subject', 'events', 'day_ms');
      expect(
        rollups.map(r => [r.subject, Number(r.events), Number(r.day_ms)]),
      ).toEqual([
        ['/catalog', 8, MONDAY],
        ['/docs', 4, MONDAY],
      ]);
    });

    it('counts distinct users and teams per ISO week, page and plugin', async () => {
      const sunday = new Date(MONDAY + 6 * DAY + 3600_000);
      const nextMonday = new Date(MONDAY + 7 * DAY + 3600_000);
      await store.insertEvents([
        stored({
          userKey: 'b'.repeat(64),
          teamRef: 'group:default/search',
          occurredAt: sunday,
        }),
        stored({
          userKey: 'c'.repeat(64),
          teamRef: null,
          occurredAt: nextMonday,
        }),
      ]);
      const weeks = await store.countWeeklyUsers({
        from: new Date(MONDAY),
        to: new Date(MONDAY + 14 * DAY),
      });
      expect(
        weeks
          .filter(w => w.feature === 'catalog' || w.feature === '/catalog')
          .map(w => [
            w.weekStart.toISOString().slice(0, 10),
            w.kind,
            w.feature,
            w.users,
            w.teams,
          ]),
      ).toEqual([
        ['2026-11-30', 'page', '/catalog', 2, 2],
        ['2026-11-30', 'plugin', 'catalog', 2, 2],
        ['2026-12-07', 'page', '/catalog', 1, 0],
        ['2026-12-07', 'plugin', 'catalog', 1, 0],
      ]);
    });

    it('keeps the first hash secret stored', async () => {
      const first = await store.getOrCreateHashSecret('first-secret');
      const second = await store.getOrCreateHashSecret('second-secret');
      expect([first, second]).toEqual(['first-secret', 'first-secret']);
    });
  });
});
