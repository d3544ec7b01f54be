import {
  coreServices,
  createServiceFactory,
  type ServiceFactory,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import type {
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Knex } from 'knex';

/**
 * How long a pool must stay unused before a stopped plugin counts as quiet:
 * longer than the one-second polling loops that outlive a stop (the
 * scaffolder watches each task it claimed for a completion event).
 */
const QUIET_MS = 1_500;
const POLL_MS = 25;
/**
 * A plugin still busy after this is left to TestDatabases' own shutdown. The
 * catalog's processing and stitching loops (Backstage 1.55) keep polling after
 * stop; they catch their own errors, so waiting for them would only cost time.
 */
const GIVE_UP_MS = 4_000;

export interface PerPluginTestDatabase {
  /** The `coreServices.database` implementation to pass to `startTestBackend`. */
  factory: ServiceFactory<DatabaseService, 'plugin'>;
  /** Destroys the plugins' connections; call after the backend has stopped. */
  close(): Promise<void>;
}

/**
 * Follows a client's connection pool: sampling it would miss the short
 * queries between a plugin's pauses, so every acquire and release is noted.
 */
function watchPool(knex: Knex) {
  const pool = (knex.client as { pool?: any }).pool;
  let lastActivity = Date.now();
  const touch = () => {
    lastActivity = Date.now();
  };
  pool?.on('acquireRequest', touch);
  pool?.on('release', touch);
  const inUse = () =>
    pool
      ? pool.numUsed() + pool.numPendingAcquires() + pool.numPendingCreates()
      : 0;

  /** Resolves once no connection has been asked for or returned for `QUIET_MS`. */
  return async function untilQuiet(): Promise<void> {
    const deadline = Date.now() + GIVE_UP_MS;
    while (Date.now() < deadline) {
      if (inUse() === 0 && Date.now() - lastActivity >= QUIET_MS) return;
      await new Promise(resolve => setTimeout(resolve, POLL_MS));
    }
  };
}

/**
 * Gives each plugin its own fresh database from `databases`, as each plugin
 * has its own database in the portal, and makes stopping the backend wait
 * until every plugin has stopped using it.
 *
 * The wait is what keeps database tests independent: the catalog's processing
 * engine stops taking work on shutdown but does not await what it has in
 * flight. Without the wait, TestDatabases destroys the connections under that
 * work, and its "Unable to acquire a connection" rejections surface in
 * whichever test file the Jest worker runs next, failing it.
 */
export function perPluginTestDatabase(
  databases: TestDatabases,
  id: TestDatabaseId,
): PerPluginTestDatabase {
  const clients = new Set<Promise<Knex>>();
  const factory = createServiceFactory({
    service: coreServices.database,
    deps: { lifecycle: coreServices.lifecycle },
    factory: ({ lifecycle }) => {
      let client: Promise<Knex> | undefined;
      let untilQuiet: (() => Promise<void>) | undefined;
      // Shutdown hooks run side by side, so this wait overlaps the plugin's
      // own stop and ends only once that stop's leftover work is done.
      lifecycle.addShutdownHook(async () => {
        await client;
        await untilQuiet?.();
      });
      return {
        getClient() {
          if (!client) {
            client = databases.init(id).then(knex => {
              untilQuiet = watchPool(knex);
              return knex;
            });
            clients.add(client);
          }
          return client;
        },
      };
    },
  });
  return {
    factory,
    async close() {
      for (const client of clients) {
        await (await client).destroy();
      }
      clients.clear();
    },
  };
}
