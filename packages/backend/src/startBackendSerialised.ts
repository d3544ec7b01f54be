import type { createBackend } from '@backstage/backend-defaults';
import type { Config } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';
import { createHash } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';

type Backend = ReturnType<typeof createBackend>;

const DEFAULT_PREFIX = 'backstage_plugin_';

/**
 * Each plugin runs its own knex migrations at startup, and knex gives up at once
 * ("Migration table is already locked") instead of waiting when another replica is
 * migrating the same database; the plugin then fails and the backend stays up but
 * never ready. Replicas sharing a PostgreSQL therefore start one after the other,
 * under an advisory lock keyed by the database prefix. Once migrated, a start takes
 * seconds, so the wait is short.
 */
export async function startBackendSerialised(backend: Backend): Promise<void> {
  let lockSession: Knex | undefined;
  try {
    const config = await readConfig();
    const database = config.getConfig('backend.database');
    if (database.getString('client') === 'pg') {
      // One connection: an advisory lock belongs to the session that took it.
      lockSession = knexFactory({
        client: 'pg',
        connection: lockConnection(database),
        pool: { min: 1, max: 1 },
      });
      const key = lockKey(
        database.getOptionalString('prefix') ?? DEFAULT_PREFIX,
      );
      await lockSession.raw('SELECT pg_advisory_lock(?::bigint)', [key]);
    }
    await backend.start();
  } catch (error) {
    // Exiting lets the orchestrator restart the process; a backend left running
    // after a failed start answers liveness but never becomes ready.
    console.error('Backend startup failed', error);
    process.exit(1);
  } finally {
    // Closing the session releases the advisory lock.
    await lockSession?.destroy().catch(() => {});
  }
}

async function readConfig(): Promise<Config> {
  const config = await ConfigSources.toConfig(
    ConfigSources.default({ argv: process.argv, env: process.env }),
  );
  config.close();
  return config;
}

function lockConnection(database: Config): Knex.PgConnectionConfig | string {
  // Read raw, as Backstage's database manager does: an unset password
  // arrives as an empty string, which the typed getters reject.
  const connection = database.get('connection');
  if (typeof connection === 'string') {
    return connection;
  }
  const settings = connection as Record<string, any>;
  return {
    host: settings.host,
    // ${POSTGRES_PORT} arrives as a string.
    port: settings.port === undefined ? undefined : Number(settings.port),
    user: settings.user,
    password: settings.password,
    ssl: settings.ssl,
    // Plugin databases may not exist yet; the maintenance database always does.
    database: settings.database ?? 'postgres',
  };
}

/** A 64-bit lock id per database prefix, so portals sharing a server don't wait on each other. */
function lockKey(prefix: string): string {
  const digest = createHash('sha256')
    .update(`portal-startup:${prefix}`)
    .digest();
  return digest.readBigInt64BE(0).toString();
}
