import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DatabaseMetricsStore } from '../database/DatabaseMetricsStore';
import { DatabaseSurveyStore } from '../database/DatabaseSurveyStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { DefaultSurveyService } from '../service/SurveyService';
import { DemoDataSeeder } from './DemoDataSeeder';
import type { AttributedRecord } from '../database/MetricsStore';
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
      const { records, campaigns } = generateDemoHistory({ services, now: at });
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

      // "This quarter", the dashboard's default, has a number for each metric.
      const thisQuarter = {
        from: new Date('2026-10-01T00:00:00Z'),
        to: new Date('2027-01-01T00:00:00Z'),
      };
      expect((await store.leadTime(thisQuarter)).count).toBeGreaterThan(0);
      expect(
        (await store.goldenPath(thisQuarter)).totalDeployments,
      ).toBeGreaterThan(0);
      expect((await store.mttr(thisQuarter)).count).toBeGreaterThan(0);
      const satisfaction = await survey.satisfaction(thisQuarter);
      expect(satisfaction.responses).toBeGreaterThan(0);
      expect(satisfaction.percentFavourable).not.toBeNull();

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
