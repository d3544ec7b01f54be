import { Knex } from 'knex';
import {
  A,
  APRIL,
  at,
  B,
  C,
  D,
  deployment,
  describeOnEachDatabase,
  MARCH,
  NODE,
  TEAM_X,
  TEAM_Y,
} from '../__testUtils__/metricsStoreFixtures';
import type { DatabaseMetricsStore } from '../DatabaseMetricsStore';

describe('GoldenPathQuery', () => {
  describeOnEachDatabase(context => {
    let knex: Knex;
    let store: DatabaseMetricsStore;

    beforeEach(() => {
      ({ knex, store } = context);
    });

    it('counts only successful production deployments', async () => {
      const golden = { template: NODE, version: '1.2.0' };
      await store.ingest([
        deployment(at('03-02 10:00'), { entityRef: A, goldenPath: golden }),
        deployment(at('03-03 10:00'), { entityRef: B, goldenPath: golden }),
        deployment(at('03-04 10:00'), { entityRef: C, goldenPath: golden }),
        deployment(at('03-05 10:00'), { entityRef: D }),
        // not counted
        deployment(at('03-06 10:00'), {
          goldenPath: golden,
          outcome: 'failure',
        }),
        deployment(at('03-06 11:00'), {
          goldenPath: golden,
          outcome: 'rollback',
        }),
        deployment(at('03-06 12:00'), {
          goldenPath: golden,
          environment: 'staging',
          production: false,
        }),
      ]);
      // 3 golden of 4 → 75 %
      expect(await store.goldenPath(MARCH)).toEqual({
        percent: 75,
        goldenDeployments: 3,
        totalDeployments: 4,
      });
      // All seven are kept.
      expect(Number((await knex('deployments').count({ n: '*' }))[0].n)).toBe(
        7,
      );
    });

    it('returns percent null when there are no deployments', async () => {
      expect(await store.goldenPath(MARCH)).toEqual({
        percent: null,
        goldenDeployments: 0,
        totalDeployments: 0,
      });
    });

    it('counts from inclusive and to exclusive', async () => {
      await store.ingest([
        deployment(at('03-01 00:00')),
        deployment(at('03-31 23:59:59.999')),
        deployment(at('04-01 00:00')),
        deployment(at('02-28 23:59:59.999')),
      ]);
      expect(await store.goldenPath(MARCH)).toMatchObject({
        totalDeployments: 2,
      });
      expect(await store.goldenPath(APRIL)).toMatchObject({
        totalDeployments: 1,
      });
    });

    it('keeps unattributed deployments and filters on team and template', async () => {
      const golden = { template: 'node-service', version: '1' };
      await store.ingest([
        deployment(at('03-02 10:00'), {
          entityRef: A,
          teamRef: TEAM_X,
          goldenPath: golden,
        }),
        deployment(at('03-02 11:00'), { entityRef: B, teamRef: TEAM_Y }),
        deployment(at('03-02 12:00'), { entityRef: null, teamRef: null }),
        deployment(at('03-02 13:00'), {
          entityRef: C,
          teamRef: TEAM_Y,
          goldenPath: {
            template: 'template:default/python-service',
            version: '3',
          },
        }),
      ]);
      // 2 golden of 4 (the unattributed one counts) → 50 %
      expect(await store.goldenPath(MARCH)).toEqual({
        percent: 50,
        goldenDeployments: 2,
        totalDeployments: 4,
      });
      // team y: 1 golden of 2
      expect(await store.goldenPath({ ...MARCH, team: TEAM_Y })).toEqual({
        percent: 50,
        goldenDeployments: 1,
        totalDeployments: 2,
      });
      expect(await store.goldenPath({ ...MARCH, template: NODE })).toEqual({
        percent: 100,
        goldenDeployments: 1,
        totalDeployments: 1,
      });
      expect(await store.goldenPathBreakdown(MARCH, 'team')).toEqual([
        {
          key: TEAM_X,
          value: { percent: 100, goldenDeployments: 1, totalDeployments: 1 },
        },
        {
          key: TEAM_Y,
          value: { percent: 50, goldenDeployments: 1, totalDeployments: 2 },
        },
        {
          key: null,
          value: { percent: 0, goldenDeployments: 0, totalDeployments: 1 },
        },
      ]);
      expect(await store.goldenPathBreakdown(MARCH, 'template')).toEqual([
        {
          key: 'node-service',
          value: { percent: 100, goldenDeployments: 1, totalDeployments: 1 },
        },
        {
          key: 'python-service',
          value: { percent: 100, goldenDeployments: 1, totalDeployments: 1 },
        },
        {
          key: null,
          value: { percent: 0, goldenDeployments: 0, totalDeployments: 2 },
        },
      ]);
    });
  });
});
