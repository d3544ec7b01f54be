import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend, TestDatabases } from '@backstage/backend-test-utils';
import { perPluginTestDatabase } from './perPluginTestDatabase';

jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * A plugin whose stop leaves work running, as the catalog's processing engine
 * does: `begin()` starts database work that nothing awaits.
 */
function pluginWithWorkInFlight(pluginId: string) {
  const probe = {
    begin: (): void => {
      throw new Error(`${pluginId} did not start`);
    },
    finished: false,
    failure: undefined as unknown,
    tables: [] as string[],
  };
  const plugin = createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          const db = await database.getClient();
          await db.schema.createTable('items', table => {
            table.string('owner');
          });
          await db('items').insert({ owner: pluginId });
          probe.begin = () => {
            (async () => {
              for (let step = 0; step < 4; step++) {
                await sleep(100);
                await db('items').insert({ owner: `${pluginId}-${step}` });
              }
              probe.finished = true;
            })().catch(error => {
              probe.failure = error;
            });
          };
        },
      });
    },
  });
  return { plugin, probe };
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())('on %s', databaseId => {
  it('gives every plugin a database of its own', async () => {
    const database = perPluginTestDatabase(databases, databaseId);
    const first = pluginWithWorkInFlight('first');
    const second = pluginWithWorkInFlight('second');
    // Both create the same table: this only starts if the databases differ.
    const backend = await startTestBackend({
      features: [database.factory, first.plugin, second.plugin],
    });
    await backend.stop();
    await database.close();
  });

  it('stops the backend only after work left in flight has finished', async () => {
    const database = perPluginTestDatabase(databases, databaseId);
    const { plugin, probe } = pluginWithWorkInFlight('busy');
    const backend = await startTestBackend({
      features: [database.factory, plugin],
    });
    probe.begin();
    await backend.stop();
    expect(probe.finished).toBe(true);
    await database.close();
    expect(probe.failure).toBeUndefined();
  });
});
