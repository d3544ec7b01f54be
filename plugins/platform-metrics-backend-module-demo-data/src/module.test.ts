import type { AddressInfo } from 'node:net';
import type { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// A test, not a runtime dependency: the seeder is checked against the plugin's
// real stores and API (newer Backstage releases exempt tests from this rule).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import platformMetricsPlugin from '@internal/plugin-platform-metrics-backend';
import type { Knex } from 'knex';
import { platformMetricsModuleDemoData } from './module';

const DAY = 86_400;
const TASK_ID = 'platform-metrics-demo-data';

const teams = [
  'checkout',
  'payments',
  'search',
  'fulfilment',
  'identity',
  'mobile',
];
const users: Entity[] = teams.flatMap(team =>
  [1, 2, 3, 4, 5, 6].map(n => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: `${team}-person-${n}`, namespace: 'default' },
    spec: { memberOf: [team] },
    relations: [{ type: 'memberOf', targetRef: `group:default/${team}` }],
  })),
);
const services: Entity[] = teams.flatMap(team =>
  [1, 2, 3].map(n => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `${team}-service-${n}`,
      namespace: 'default',
      // The first service of each team came from a golden path.
      ...(n === 1 && {
        annotations: {
          'backstage.io/source-template': 'template:default/node-service',
        },
      }),
    },
    spec: { type: 'service', owner: `group:default/${team}` },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${team}` }],
  })),
);
const entities = [...services, ...users];

/** The plugin and this module in a test backend; the seeding task runs when asked. */
async function startSeededBackend(options: { knex: Knex; demoData: boolean }) {
  const scheduler = mockServices.scheduler.mock();
  const backend: TestBackend = await startTestBackend({
    features: [
      platformMetricsPlugin,
      platformMetricsModuleDemoData,
      mockServices.rootConfig.factory({
        data: {
          platformMetrics: {
            demoData: options.demoData,
            survey: { participationSecret: 'x'.repeat(32) },
          },
        },
      }),
      mockServices.database.factory({ knex: options.knex }),
      catalogServiceMock.factory({ entities }),
      scheduler.factory,
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const tasks = scheduler.scheduleTask.mock.calls
    .map(([task]) => task as SchedulerServiceTaskInvocationDefinition)
    .filter(task => task.id === TASK_ID);
  return {
    backend,
    tasks,
    runSeeding: () => tasks[0].fn(new AbortController().signal),
    get: async (path: string) => {
      const res = await fetch(
        `http://localhost:${port}/api/platform-metrics${path}`,
      );
      expect(res.status).toBe(200);
      return res.json();
    },
  };
}

describe('the demo-data module', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it('schedules nothing without platformMetrics.demoData', async () => {
    const knex = await databases.init('SQLITE_3');
    const { backend, tasks } = await startSeededBackend({
      knex,
      demoData: false,
    });
    expect(tasks).toEqual([]);
    await backend.stop();
  });

  it.each(databases.eachSupportedId())(
    'tells the platform story on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { backend, runSeeding, get } = await startSeededBackend({
        knex,
        demoData: true,
      });

      // The first look only notes the catalog's size; it seeds once it holds.
      await runSeeding();
      const now = new Date();
      const twoYears = `from=${new Date(
        now.getTime() - 730 * DAY * 1000,
      ).toISOString()}&to=${now.toISOString()}`;
      expect((await get(`/v1/summary?${twoYears}`)).leadTime.count).toBe(0);
      await runSeeding();

      const before = (await get(`/v1/summary?${twoYears}&baseline=true`))
        .leadTime;
      const after = await get(`/v1/summary?${twoYears}`);
      // The ticket era takes weeks; golden paths take minutes to hours.
      expect(before.count).toBeGreaterThan(10);
      expect(before.medianSeconds).toBeGreaterThan(14 * DAY);
      expect(after.leadTime.count).toBeGreaterThan(10);
      expect(after.leadTime.medianSeconds).toBeLessThan(DAY);
      expect(after.leadTime.inFlight).toBeGreaterThan(0);

      // Adoption is uneven: some teams far ahead of others.
      const adoption = await get(
        `/v1/breakdown?${twoYears}&metric=goldenPath&by=team`,
      );
      const percents = adoption.items.map(
        (a: { value: { percent: number | null } }) => a.value.percent ?? 0,
      );
      expect(Math.max(...percents) - Math.min(...percents)).toBeGreaterThan(30);

      expect(after.mttr.count).toBeGreaterThan(100);
      expect(after.mttr.open).toBeGreaterThanOrEqual(0);

      // "This quarter", the dashboard's default, has a number for each metric.
      const quarterBegan = new Date(
        Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3),
      );
      const thisQuarter = await get(
        `/v1/summary?from=${quarterBegan.toISOString()}&to=${now.toISOString()}`,
      );
      expect(thisQuarter.leadTime.count).toBeGreaterThan(0);
      expect(thisQuarter.goldenPath.totalDeployments).toBeGreaterThan(0);
      expect(thisQuarter.mttr.count).toBeGreaterThan(0);
      expect(thisQuarter.satisfaction.responses).toBeGreaterThan(0);
      expect(thisQuarter.satisfaction.percentFavourable).not.toBeNull();

      // Four ended survey quarters with satisfaction rising, and the current one
      // open for answers.
      const campaigns: Array<{ id: string; quarter: string; status: string }> =
        (await get('/v1/survey/campaigns')).items;
      const closed = campaigns
        .filter(c => c.status === 'closed')
        .sort((a, b) => a.quarter.localeCompare(b.quarter));
      expect(closed).toHaveLength(4);
      expect(campaigns.filter(c => c.status === 'open')).toHaveLength(1);
      const first = await get(`/v1/survey/results?campaignId=${closed[0].id}`);
      const last = await get(`/v1/survey/results?campaignId=${closed[3].id}`);
      expect(last.overall.percentFavourable).toBeGreaterThan(
        first.overall.percentFavourable,
      );
      expect(
        last.teams.some((t: { suppressed: boolean }) => t.suppressed),
      ).toBe(true);

      // A week of live checks for the golden-path services: mostly passing, a
      // certificate and a log stream failing now, each failure a transition.
      const current = await knex('service_check_results').select(
        'entity_ref',
        'check_id',
        'status',
      );
      expect(new Set(current.map(r => r.entity_ref))).toEqual(
        new Set(teams.map(team => `component:default/${team}-service-1`)),
      );
      expect(current).toHaveLength(teams.length * 8);
      const failing = current.filter(r => r.status === 'fail');
      // Six services: the four-service story, then its first two again.
      expect(failing.map(r => r.check_id).sort()).toEqual([
        'logs',
        'tls',
        'tls',
      ]);
      const transitions = await knex('service_check_transitions');
      expect(transitions.length).toBeGreaterThan(current.length);
      // A year of portal usage: forms opened more than submitted, retired pages,
      // searches that found nothing.
      const lastYear = `from=${new Date(
        now.getTime() - 366 * DAY * 1000,
      ).toISOString()}&to=${now.toISOString()}`;
      const funnel = await get(`/v1/usage/templates?${lastYear}`);
      const node = funnel.items.find(
        (i: { templateRef: string }) =>
          i.templateRef === 'template:default/node-service',
      );
      expect(node.opened).toBeGreaterThan(node.submitted);
      expect(node.submitted).toBeGreaterThan(0);
      expect(node.medianFormMs).toBeGreaterThan(60_000);
      const features = await get(`/v1/usage/features?${lastYear}`);
      expect(features.weeks.length).toBeGreaterThan(50);
      expect(features.unfoundSearches.length).toBeGreaterThan(0);
      expect(features.dropCandidates).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'page', ref: '/explore' }),
        ]),
      );
      const usageSeeded = features.weeks;

      // Seeded once: a later run changes nothing.
      await runSeeding();
      expect(await knex('service_check_transitions')).toHaveLength(
        transitions.length,
      );
      expect(await get(`/v1/summary?${twoYears}`)).toEqual(after);
      expect((await get(`/v1/usage/features?${lastYear}`)).weeks).toEqual(
        usageSeeded,
      );
      expect((await get('/v1/survey/campaigns')).items).toHaveLength(5);

      await backend.stop();
    },
    120_000,
  );
});
