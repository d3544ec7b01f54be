import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  applyDatabaseMigrations,
  rollbackDatabaseMigrations,
} from './migrations';

jest.setTimeout(60_000);

const METRICS_TABLES = [
  'deployments',
  'incident_events',
  'incidents',
  'ingest_deliveries',
  'service_requests',
  'usage_daily_rollups',
  'usage_daily_users',
  'usage_events',
  'usage_settings',
];

/** The tables of the schema, without knex's own bookkeeping. */
async function listTables(knex: Knex): Promise<string[]> {
  let names: string[];
  if (knex.client.config.client.includes('pg')) {
    const rows = await knex('information_schema.tables')
      .select('table_name')
      .where('table_schema', knex.raw('current_schema()'));
    names = rows.map((r: { table_name: string }) => r.table_name);
  } else {
    const rows = await knex('sqlite_master')
      .select('name')
      .where('type', 'table')
      .whereNot('name', 'like', 'sqlite_%');
    names = rows.map((r: { name: string }) => r.name);
  }
  return names.filter(n => !n.startsWith('knex_migrations')).sort();
}

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'migrates up, down to an empty schema and up again, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);

      await applyDatabaseMigrations(knex);
      expect(await listTables(knex)).toEqual(
        expect.arrayContaining(METRICS_TABLES),
      );

      await rollbackDatabaseMigrations(knex);
      expect(await listTables(knex)).toEqual([]);

      await applyDatabaseMigrations(knex);
      expect(await listTables(knex)).toEqual(
        expect.arrayContaining(METRICS_TABLES),
      );

      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps one row per delivery and per incident, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);

      await knex('ingest_deliveries').insert({
        source: 'github',
        delivery_key: 'k1',
        kind: 'deployment',
      });
      await expect(
        knex('ingest_deliveries').insert({
          source: 'github',
          delivery_key: 'k1',
          kind: 'deployment',
        }),
      ).rejects.toThrow();
      // The same key from another source is another delivery.
      await knex('ingest_deliveries').insert({
        source: 'gitlab',
        delivery_key: 'k1',
        kind: 'deployment',
      });

      const incident = {
        source: 'pagerduty',
        incident_key: 'P1',
        started_at: new Date('2026-03-02T10:00:00Z'),
        started_at_ms: Date.parse('2026-03-02T10:00:00Z'),
      };
      await knex('incidents').insert({
        id: '00000000-0000-4000-8000-000000000001',
        ...incident,
      });
      await expect(
        knex('incidents').insert({
          id: '00000000-0000-4000-8000-000000000002',
          ...incident,
        }),
      ).rejects.toThrow();

      await knex.destroy();
    },
  );
});
