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

    it('counts requests in production and, once checks cover services, those verified', async () => {
      const request = (
        n: number,
        ready: { deployed: boolean; byChecks?: boolean; readyAt?: boolean },
      ) => ({
        id: `00000000-0000-4000-8000-00000000000${n}`,
        source: 'scaffolder',
        delivery_key: `request-${n}`,
        entity_ref: `component:default/svc-${n}`,
        template: 'template:default/node-service',
        template_name: 'node-service',
        requested_at: new Date(MONDAY),
        requested_at_ms: MONDAY,
        ready_deployment_id: ready.deployed
          ? `10000000-0000-4000-8000-00000000000${n}`
          : null,
        ready_at: ready.readyAt ? new Date(MONDAY + DAY) : null,
        ready_at_ms: ready.readyAt ? MONDAY + DAY : null,
        ready_by_checks: Boolean(ready.byChecks),
      });
      const range = {
        from: new Date(MONDAY - DAY),
        to: new Date(MONDAY + 7 * DAY),
      };
      expect(await store.hasVerifications()).toBe(false);
      await knex('service_requests').insert([
        request(1, { deployed: true, readyAt: true }),
        request(2, { deployed: true, byChecks: true, readyAt: true }),
        // Deployed, checks covering it but not passing yet: in flight.
        request(3, { deployed: true, byChecks: false, readyAt: false }),
        request(4, { deployed: false }),
      ]);
      await knex('service_verifications').insert({
        entity_ref: 'component:default/svc-2',
        covered_since: new Date(MONDAY),
        covered_since_ms: MONDAY,
        verified_at: new Date(MONDAY + DAY),
        verified_at_ms: MONDAY + DAY,
      });

      expect(await store.countReadyServiceRequests(range)).toEqual([
        { templateName: 'node-service', ready: 3, verified: 1 },
      ]);
      expect(await store.hasVerifications()).toBe(true);
      await knex('service_verifications').delete();
      await knex('service_requests').delete();
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

    it('tells whether usage was recorded before a day, after the raw events are gone', async () => {
      const newYear = Date.parse('2020-01-01T00:00:00Z');
      expect(await store.hasEventsBefore(new Date(newYear + DAY))).toBe(false);
      await store.insertEvents([
        stored({ occurredAt: new Date(newYear + 12 * 3600_000) }),
      ]);
      await store.deleteEventsBefore(new Date(newYear + DAY));
      expect(await store.hasEventsBefore(new Date(newYear))).toBe(false);
      expect(await store.hasEventsBefore(new Date(newYear + DAY))).toBe(true);
    });
  });
});
