import { TestDatabases } from '@backstage/backend-test-utils';
import type { UsageEventInput } from '@internal/plugin-platform-metrics-common';
import type { Knex } from 'knex';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { DefaultUsageService } from './DefaultUsageService';
import type { TemplateTaskSource } from './TemplateTaskSource';
import type { UsageDirectory, UsageTeam } from './UsageDirectory';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const NOW = new Date('2026-12-03T12:00:00Z');
const MINIMUM_GROUP_SIZE = 5;

/** The catalog, as far as the reports need it. */
function directory(
  teams: UsageTeam[],
  templates: string[] = [],
): UsageDirectory {
  return {
    listTemplateRefs: async () => templates,
    listTeams: async () => teams,
  };
}

const noTasks: TemplateTaskSource = { listTasks: async () => [] };

const user = (name: string, team?: string) => ({
  userEntityRef: `user:default/${name}`,
  ownershipEntityRefs: [`user:default/${name}`, ...(team ? [team] : [])],
});

const at = (ms: number) => new Date(ms).toISOString();

function navigate(subject: string, when = NOW.getTime()): UsageEventInput {
  return { action: 'navigate', subject, occurredAt: at(when) };
}

const week = {
  from: new Date(NOW.getTime() - 7 * DAY),
  to: new Date(NOW.getTime() + DAY),
};

describe('DefaultUsageService', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let now: Date;

    const createService = (
      options: {
        teams?: UsageTeam[];
        templates?: string[];
        hashSecret?: string;
        retentionDays?: number;
      } = {},
    ) =>
      DefaultUsageService.create({
        store: DatabaseUsageStore.create({ knex }),
        directory: directory(options.teams ?? [], options.templates),
        tasks: noTasks,
        hashSecret: options.hashSecret,
        retentionDays: options.retentionDays ?? 400,
        minimumGroupSize: MINIMUM_GROUP_SIZE,
        now: () => now,
      });

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      now = NOW;
    });

    afterEach(async () => {
      await knex.destroy();
    });

    it('counts distinct users through the key, across restarts without a configured secret', async () => {
      const first = await createService();
      await first.record(user('alice'), [navigate('/docs'), navigate('/docs')]);
      // A restart: a new service on the same database.
      const second = await createService();
      await second.record(user('alice'), [navigate('/docs')]);
      await second.record(user('bob'), [navigate('/docs')]);

      const { weeks } = await second.featureUsage(week);
      expect(weeks).toEqual([
        {
          week: '2026-11-30',
          kind: 'page',
          feature: '/docs',
          users: 2,
          teams: 0,
        },
      ]);
      // The key is a hash: nothing stored names the user.
      const stored = JSON.stringify(await knex('usage_events').select());
      expect(stored).not.toContain('alice');
    });

    it('keeps a search term only when the search found nothing', async () => {
      const service = await createService();
      const search = (searchTerm: string, value?: number): UsageEventInput => ({
        action: 'search',
        subject: '/search',
        occurredAt: at(NOW.getTime()),
        searchTerm,
        value,
      });
      await service.record(user('alice'), [
        search('kafka  topics', 0),
        search('kafka topics', 0),
        search('postgres', 3),
        search('no count given'),
        { ...navigate('/catalog'), searchTerm: 'typed text', value: 0 },
      ]);
      const { unfoundSearches } = await service.featureUsage(week);
      expect(unfoundSearches).toEqual([{ term: 'kafka topics', count: 2 }]);
      const terms = await knex('usage_events').whereNotNull('search_term');
      expect(terms).toHaveLength(2);
    });

    it('clamps event times to the server clock', async () => {
      const service = await createService();
      await service.record(user('alice'), [
        navigate('/future', NOW.getTime() + 30 * DAY),
        navigate('/past', NOW.getTime() - 30 * DAY),
      ]);
      const rows = await knex('usage_events').orderBy('subject');
      expect(rows.map(r => [r.subject, Number(r.occurred_at_ms)])).toEqual([
        ['/future', NOW.getTime()],
        ['/past', NOW.getTime() - DAY],
      ]);
    });

    it('never names a team smaller than the minimum group size', async () => {
      const teams = [
        { ref: 'group:default/payments', members: 8 },
        { ref: 'group:default/search', members: 6 },
        { ref: 'group:default/tiny', members: 2 },
        { ref: 'group:default/duo', members: 2 },
      ];
      const service = await createService({ teams });
      await service.record(user('alice', 'group:default/payments'), [
        {
          action: 'create',
          subject: 'node-service',
          templateRef: 'template:default/node-service',
          occurredAt: at(NOW.getTime()),
        },
      ]);
      const usage = await service.featureUsage(week);
      expect(usage.teamsWithoutCreations).toEqual({
        teamRefs: ['group:default/search'],
        otherTeams: 2,
      });
      expect(JSON.stringify(usage)).not.toContain('tiny');
      expect(JSON.stringify(usage)).not.toContain('duo');
    });

    it('marks templates and pages unused for 90 days as drop candidates', async () => {
      const templates = [
        'template:default/node-service',
        'template:default/legacy-java',
      ];
      const service = await createService({ templates });
      now = new Date(NOW.getTime() - 120 * DAY);
      await service.record(user('alice'), [
        navigate('/old-page', now.getTime()),
      ]);
      now = NOW;
      await service.record(user('alice'), [
        navigate('/catalog'),
        {
          ...navigate('/create/templates/default/node-service'),
          templateRef: 'template:default/node-service',
        },
      ]);
      const { dropCandidates } = await service.featureUsage(week);
      expect(dropCandidates).toEqual([
        { kind: 'page', ref: '/old-page', lastUsedOn: '2026-08-05' },
        {
          kind: 'template',
          ref: 'template:default/legacy-java',
          lastUsedOn: null,
        },
      ]);
    });

    it('deletes raw events past the retention period and keeps the rollups', async () => {
      const service = await createService({ retentionDays: 30 });
      now = new Date(NOW.getTime() - 40 * DAY);
      await service.record(user('alice'), [navigate('/old', now.getTime())]);
      now = NOW;
      await service.record(user('bob'), [navigate('/new')]);

      expect(await service.applyRetention()).toEqual({ deleted: 1 });
      expect(
        (await knex('usage_events').select('subject')).map(r => r.subject),
      ).toEqual(['/new']);

      const { weeks } = await service.featureUsage({
        from: new Date(NOW.getTime() - 60 * DAY),
        to: week.to,
      });
      expect(weeks.map(w => [w.feature, w.users])).toEqual([
        ['/old', 1],
        ['/new', 1],
      ]);
      const rollups = await knex('usage_daily_rollups').sum({ n: 'events' });
      expect(Number(rollups[0].n)).toBe(2);
    });
  });
});
