// Proposed test for plugins/platform-metrics-backend/src/service/ (kept here because
// that directory was outside this change's files). Imports are written for that
// location. It ran there, on PostgreSQL 15 and SQLite, with
//   yarn backstage-cli package test --watchAll=false src/service/DefaultIngestionService.test.ts
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { DatabaseMetricsStore } from '../database/DatabaseMetricsStore';
import { applyDatabaseMigrations } from '../database/migrations';
import type { Attribution } from '../database/MetricsStore';
import type { DeploymentRecord, ServiceReference } from '../ingestion/types';
import { DefaultIngestionService } from './DefaultIngestionService';

jest.setTimeout(60_000);

const MARCH = {
  from: new Date('2026-03-01T00:00:00Z'),
  to: new Date('2026-04-01T00:00:00Z'),
};

/** Known services are attributed to component:default/<name>, others not at all. */
const attribution = {
  async attributeAll(services: Array<ServiceReference | undefined>) {
    return services.map(
      (s): Attribution =>
        s?.name?.startsWith('known-')
          ? { entityRef: `component:default/${s.name}`, teamRef: null }
          : { entityRef: null, teamRef: null },
    );
  },
};

function deployment(key: string, service: string, pipelineId?: string) {
  const record: DeploymentRecord = {
    kind: 'deployment',
    source: 'github',
    deliveryKey: key,
    service: { name: service },
    environment: 'production',
    production: true,
    outcome: 'success',
    occurredAt: new Date('2026-03-02T10:00:00Z'),
  };
  if (pipelineId !== undefined) record.pipelineId = pipelineId;
  return record;
}

const stored = (key: string) => ({
  ...deployment(key, 'x'),
  attribution: { entityRef: null, teamRef: null },
});

describe('DefaultIngestionService', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let store: DatabaseMetricsStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      await applyDatabaseMigrations(knex);
      store = await DatabaseMetricsStore.create({ knex });
    });

    afterEach(async () => {
      await knex.destroy();
    });

    it('answers each group of a combined transaction as if stored in turn', async () => {
      await store.ingest([stored('a')]);
      await expect(
        store.ingestGroups([
          [stored('a'), stored('b')],
          [stored('b'), stored('c')],
          [],
        ]),
      ).resolves.toEqual([
        { stored: 1, duplicates: 1 },
        { stored: 1, duplicates: 1 },
        { stored: 0, duplicates: 0 },
      ]);
      expect(Number((await knex('deployments').count({ n: '*' }))[0].n)).toBe(
        3,
      );
    });

    it('stores concurrent deliveries once each, grouped, and skips redeliveries', async () => {
      const ingestion = DefaultIngestionService.create({
        store,
        attribution,
        maxInFlight: 2,
      });
      const batch = Array.from({ length: 60 }, (_, i) =>
        deployment(`d-${i}`, i % 2 ? `known-${i % 5}` : `unknown-${i}`),
      );
      const transactions = jest.spyOn(store, 'ingestGroups');
      const first = await Promise.all(batch.map(r => ingestion.ingest([r])));
      expect(first).toEqual(batch.map(() => ({ stored: 1, duplicates: 0 })));
      // Grouped: far fewer transactions than deliveries.
      expect(transactions.mock.calls.length).toBeLessThan(batch.length / 2);
      const again = await Promise.all(batch.map(r => ingestion.ingest([r])));
      expect(again).toEqual(batch.map(() => ({ stored: 0, duplicates: 1 })));
      expect(await store.goldenPath(MARCH)).toMatchObject({
        totalDeployments: 60,
      });
      const attributed = await knex('deployments')
        .whereNotNull('entity_ref')
        .count({ n: '*' });
      expect(Number(attributed[0].n)).toBe(30);
    });

    it('refuses only the delivery with the bad record when deliveries were grouped', async () => {
      const ingestion = DefaultIngestionService.create({
        store,
        attribution,
        maxInFlight: 1,
      });
      const results = await Promise.allSettled([
        ingestion.ingest([deployment('g-0', 'known-1')]),
        ingestion.ingest([deployment('g-1', 'known-1')]),
        ingestion.ingest([deployment('g-2', 'known-1', 'x'.repeat(300))]),
        ingestion.ingest([deployment('g-3', 'unknown-1')]),
      ]);
      expect(results.map(r => r.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(
        InputError,
      );
      expect(await store.goldenPath(MARCH)).toMatchObject({
        totalDeployments: 3,
      });
    });
  });
});
