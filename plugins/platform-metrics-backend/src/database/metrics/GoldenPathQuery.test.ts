import { Knex } from 'knex';
import {
  A,
  APRIL,
  at,
  B,
  C,
  D,
  deployment,
  E,
  describeOnEachDatabase,
  MARCH,
  NODE,
  TEAM_X,
  TEAM_Y,
} from '../__testUtils__/metricsStoreFixtures';
import { DatabaseMetricsStore } from '../DatabaseMetricsStore';

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

    describe('with supported versions', () => {
      let supportedStore: DatabaseMetricsStore;

      beforeEach(async () => {
        supportedStore = await DatabaseMetricsStore.create({
          knex,
          supportedGoldenVersions: {
            byTemplate: { 'python-service': ['1.0.0', '1.1.0'] },
            otherwise: ['1.1.0'],
          },
        });
      });

      const node = (version: string) => ({ template: NODE, version });
      const python = (version: string) => ({
        template: 'template:default/python-service',
        version,
      });

      it('reports the share of golden deployments made from a supported version', async () => {
        await store.ingest([
          deployment(at('03-02 10:00'), {
            entityRef: A,
            goldenPath: node('1.1.0'),
          }),
          deployment(at('03-09 10:00'), {
            entityRef: A,
            goldenPath: node('1.1.0'),
          }),
          deployment(at('03-02 11:00'), {
            entityRef: B,
            goldenPath: node('1.0.0'),
          }),
          // python-service lists 1.0.0 as supported; 0.9.0 is not
          deployment(at('03-03 10:00'), {
            entityRef: C,
            teamRef: TEAM_Y,
            goldenPath: python('1.0.0'),
          }),
          deployment(at('03-04 10:00'), {
            entityRef: D,
            teamRef: TEAM_Y,
            goldenPath: python('0.9.0'),
          }),
          deployment(at('03-05 10:00'), { entityRef: E, teamRef: TEAM_Y }),
          // not counted: not successful, or not production
          deployment(at('03-06 10:00'), {
            goldenPath: node('1.1.0'),
            outcome: 'failure',
          }),
          deployment(at('03-06 12:00'), {
            goldenPath: node('1.1.0'),
            environment: 'staging',
            production: false,
          }),
        ]);
        // 5 golden of 6; 3 of the 5 from a supported version
        expect(await supportedStore.goldenPath(MARCH)).toEqual({
          percent: (100 * 5) / 6,
          goldenDeployments: 5,
          totalDeployments: 6,
          supportedPercent: 60,
          supportedDeployments: 3,
        });
        expect(
          await supportedStore.goldenPath({ ...MARCH, template: NODE }),
        ).toMatchObject({
          goldenDeployments: 3,
          supportedDeployments: 2,
          supportedPercent: (100 * 2) / 3,
        });
        expect(await supportedStore.goldenPathBreakdown(MARCH, 'team')).toEqual(
          [
            {
              key: TEAM_X,
              value: {
                percent: 100,
                goldenDeployments: 3,
                totalDeployments: 3,
                supportedPercent: (100 * 2) / 3,
                supportedDeployments: 2,
              },
            },
            {
              key: TEAM_Y,
              value: {
                percent: (100 * 2) / 3,
                goldenDeployments: 2,
                totalDeployments: 3,
                supportedPercent: 50,
                supportedDeployments: 1,
              },
            },
          ],
        );
        expect(
          (await supportedStore.goldenPathBreakdown(MARCH, 'template')).map(
            ({ key, value }) => [key, value.supportedDeployments],
          ),
        ).toEqual([
          ['node-service', 2],
          ['python-service', 1],
          [null, 0],
        ]);
        // The store without supported versions reports the share as before.
        expect(await store.goldenPath(MARCH)).not.toHaveProperty(
          'supportedPercent',
        );
      });

      it('reports the supported share as unknown without golden deployments', async () => {
        await store.ingest([deployment(at('03-05 10:00'), { entityRef: E })]);
        expect(await supportedStore.goldenPath(MARCH)).toEqual({
          percent: 0,
          goldenDeployments: 0,
          totalDeployments: 1,
          supportedPercent: null,
          supportedDeployments: 0,
        });
        expect(await supportedStore.goldenPath(APRIL)).toEqual({
          percent: null,
          goldenDeployments: 0,
          totalDeployments: 0,
          supportedPercent: null,
          supportedDeployments: 0,
        });
      });
    });
  });
});
