import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DatabaseMetricsStore } from '../database/DatabaseMetricsStore';
import { DatabaseSurveyStore } from '../database/DatabaseSurveyStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { DefaultSurveyService } from '../service/DefaultSurveyService';
import { DemoDataSeeder } from './DemoDataSeeder';
import { generateDemoHistory } from './generateDemoHistory';

const DAY = 86_400;
const now = new Date('2026-11-26T00:00:00Z');

const teams = [
  'checkout',
  'payments',
  'search',
  'fulfilment',
  'identity',
  'mobile',
];
const entities: Entity[] = teams.flatMap(team =>
  [1, 2, 3].map(n => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: `${team}-service-${n}`, namespace: 'default' },
    spec: { type: 'service', owner: `group:default/${team}` },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${team}` }],
  })),
);
const services = entities.map(e => ({
  entityRef: `component:default/${e.metadata.name}`,
  teamRef: e.relations![0].targetRef,
}));

describe('generateDemoHistory', () => {
  it('is deterministic for a seed', () => {
    const a = generateDemoHistory({ services, now, seed: 7 });
    const b = generateDemoHistory({ services, now, seed: 7 });
    const c = generateDemoHistory({ services, now, seed: 8 });
    expect(JSON.stringify(a)).toEqual(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toEqual(JSON.stringify(c));
  });

  it('never writes events after now', () => {
    const { records } = generateDemoHistory({ services, now });
    const latest = Math.max(
      ...records.map(r =>
        r.kind === 'service-request'
          ? r.requestedAt.getTime()
          : r.occurredAt.getTime(),
      ),
    );
    expect(latest).toBeLessThanOrEqual(now.getTime());
  });
});

describe('DemoDataSeeder', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'tells the platform story on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const store = await DatabaseMetricsStore.create({ knex });
      const surveyStore = await DatabaseSurveyStore.create({ knex });
      const survey = DefaultSurveyService.create({
        store: surveyStore,
        config: new ConfigReader({
          platformMetrics: { survey: { participationSecret: 'x'.repeat(32) } },
        }),
      });
      const seeder = DemoDataSeeder.create({
        store,
        surveyStore,
        survey,
        catalog: catalogServiceMock({ entities }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
      });

      // The first look only notes the catalog's size; it seeds once it holds.
      expect(await seeder.seed(now)).toBe('catalog-settling');
      expect(await seeder.seed(now)).toBe('seeded');
      expect(await seeder.seed(now)).toBe('already-seeded');

      const twoYears = {
        from: new Date(now.getTime() - 730 * DAY * 1000),
        to: now,
      };
      const before = await store.leadTime({ ...twoYears, baseline: true });
      const after = await store.leadTime(twoYears);
      // The ticket era takes weeks; golden paths take minutes to hours.
      expect(before.count).toBeGreaterThan(10);
      expect(before.medianSeconds!).toBeGreaterThan(14 * DAY);
      expect(after.count).toBeGreaterThan(10);
      expect(after.medianSeconds!).toBeLessThan(DAY);
      expect(after.inFlight).toBeGreaterThan(0);

      // Adoption is uneven: some teams far ahead of others.
      const adoption = await store.goldenPathBreakdown(twoYears, 'team');
      const percents = adoption.map(a => a.value.percent ?? 0);
      expect(Math.max(...percents) - Math.min(...percents)).toBeGreaterThan(30);

      const incidents = await store.mttr(twoYears);
      expect(incidents.count).toBeGreaterThan(100);
      expect(incidents.open).toBeGreaterThanOrEqual(0);

      // Four ended survey quarters and the current one open for answers.
      const trend = await survey.trend({});
      expect(trend).toHaveLength(4);
      expect(trend[3].percentFavourable!).toBeGreaterThan(
        trend[0].percentFavourable!,
      );
      expect(await survey.getOpenCampaign()).toBeDefined();
      const results = await survey.results({
        campaignIds: [trend[3].campaignId],
      });
      expect(results.teams.some(t => t.suppressed)).toBe(true);

      await knex.destroy();
    },
    120_000,
  );
});
