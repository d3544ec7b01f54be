import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  dropDatabases,
  generateSecrets,
  postgresConnectionString,
  startBackend,
} from '../../scripts/lib/prodBackend.mjs';
import { databaseUrl } from './databaseUrl.mjs';
import { stopBackend } from './stopBackend.mjs';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

// What a lost migration race looks like in a Backstage log: knex's lock, or
// two replicas creating the same migrations table.
// (The log is JSON, so quotes arrive escaped.)
const MIGRATION_RACE =
  /MigrationLocked|Migration table is already locked|knex_migrations\w*\\?" [^\n]*already exists|pg_type_typname_nsp_index/;
const STARTUP_FAILED = /BackendStartupError|Backend startup failed/;

/**
 * (3) Two replicas start at the same moment on an empty database, as a
 * two-replica deployment does on its first rollout. Both must become ready,
 * neither may exit or report a failed startup, and every plugin migration
 * must be recorded exactly once.
 */
export async function simultaneousFirstStart({
  bundleDir,
  logDir,
  timeoutMs = 120_000,
}) {
  const connectionString = postgresConnectionString();
  const prefix = 'portal_fault_firststart_';
  const secrets = generateSecrets();
  const replicas = [];
  await dropDatabases(connectionString, prefix);
  try {
    const started = Date.now();
    for (const port of [7054, 7055]) {
      replicas.push({
        logFile: join(logDir, `firststart-${port}.log`),
        port,
      });
    }
    for (const replica of replicas) {
      // The log is opened asynchronously: a previous run's must not be read.
      rmSync(replica.logFile, { force: true });
      replica.backend = startBackend({
        bundleDir,
        port: replica.port,
        prefix,
        secrets,
        connectionString,
        logFile: replica.logFile,
      });
    }
    // A replica that lost the race logs a failed startup but may stay up, not
    // ready, until an orchestrator restarts it: stop waiting at that point.
    await Promise.all(
      replicas.map(async replica => {
        const deadline = started + timeoutMs;
        while (Date.now() < deadline && !replica.backend.hasExited) {
          if (STARTUP_FAILED.test(readLog(replica.logFile))) {
            replica.failedAfterMs = Date.now() - started;
            return;
          }
          const ok = await fetch(
            `${replica.backend.baseUrl}/.backstage/health/v1/readiness`,
          ).then(
            r => r.ok,
            () => false,
          );
          if (ok) {
            replica.readyAfterMs = Date.now() - started;
            return;
          }
          await sleep(500);
        }
      }),
    );
    for (const replica of replicas) {
      // Would an orchestrator's liveness probe notice the failed replica?
      replica.liveness = await fetch(
        `${replica.backend.baseUrl}/.backstage/health/v1/liveness`,
      ).then(
        r => r.status,
        () => 'no answer',
      );
      const log = readLog(replica.logFile);
      replica.raceLines = log.split('\n').filter(l => MIGRATION_RACE.test(l));
      replica.failedStartup = STARTUP_FAILED.test(log);
      replica.exited = replica.backend.hasExited;
    }
    // Not a pass condition, but it tells what an orchestrator would get by
    // replacing the failed replicas, one at a time, now that the schema
    // exists.
    const failedReplicas = replicas.filter(r => r.readyAfterMs === undefined);
    await Promise.all(failedReplicas.map(r => stopBackend(r.backend)));
    for (const failed of failedReplicas) {
      const restartedAt = Date.now();
      failed.backend = startBackend({
        bundleDir,
        port: failed.port,
        prefix,
        secrets,
        connectionString,
        logFile: failed.logFile.replace(/\.log$/, '-restart.log'),
      });
      failed.restart = await failed.backend.ready(60_000).then(
        () => `ready after ${Date.now() - restartedAt} ms`,
        () => 'failed again',
      );
    }
    // Counted with every replica stopped: a lock still held now is one that
    // nobody will release, and blocks every later start until someone runs
    // `knex migrate:unlock` by hand.
    await Promise.all(replicas.map(r => stopBackend(r.backend)));
    const migrations = await countMigrations(connectionString, prefix);

    const ready = replicas.filter(r => r.readyAfterMs !== undefined);
    const checks = {
      'both replicas ready': ready.length === 2,
      'neither exited nor failed its startup': replicas.every(
        r => !r.exited && !r.failedStartup,
      ),
      'no migration lock or duplicate-table errors in the logs': replicas.every(
        r => r.raceLines.length === 0,
      ),
      'each migration recorded once': migrations.duplicates.length === 0,
      'no migration lock left held': migrations.locked.length === 0,
    };
    const describe = r =>
      r.readyAfterMs !== undefined
        ? `ready after ${r.readyAfterMs} ms`
        : r.failedAfterMs !== undefined
        ? `startup failed after ${r.failedAfterMs} ms, ${
            r.exited ? 'exited' : `kept running unready, liveness ${r.liveness}`
          }; one restart: ${r.restart}`
        : r.exited
        ? `exited; one restart: ${r.restart}`
        : `not ready in time; one restart: ${r.restart}`;
    return {
      checks,
      numbers: {
        'replica A': describe(replicas[0]),
        'replica B': describe(replicas[1]),
        'migration race log lines': replicas
          .map(r => r.raceLines.length)
          .join(' + '),
        'plugin databases': migrations.databases,
        'migrations tables': migrations.tables,
        'migrations recorded': migrations.total,
        'recorded twice': migrations.duplicates.length,
        'locks held after stop': migrations.locked.length,
      },
      details: replicas.flatMap(r =>
        r.raceLines.slice(0, 3).map(line => `:${r.port} ${line}`),
      ),
    };
  } finally {
    await Promise.all(replicas.map(r => stopBackend(r.backend)));
    await dropDatabases(connectionString, prefix).catch(() => {});
  }
}

function readLog(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Every knex migrations table in every plugin database of this run. */
async function countMigrations(connectionString, prefix) {
  const admin = new pg.Client({
    connectionString: databaseUrl(connectionString, 'postgres'),
  });
  await admin.connect();
  const { rows: databases } = await admin
    .query('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${prefix}%`,
    ])
    .finally(() => admin.end());
  const result = {
    databases: databases.length,
    tables: 0,
    total: 0,
    duplicates: [],
    locked: [],
  };
  for (const { datname } of databases) {
    const client = new pg.Client({
      connectionString: databaseUrl(connectionString, datname),
    });
    await client.connect();
    try {
      const { rows: tables } = await client.query(
        `SELECT table_schema, table_name FROM information_schema.tables
          WHERE table_name LIKE '%knex_migrations'`,
      );
      for (const { table_schema: schema, table_name: table } of tables) {
        result.tables += 1;
        const { rows } = await client.query(
          `SELECT name, count(*)::int AS n FROM "${schema}"."${table}" GROUP BY name`,
        );
        result.total += rows.reduce((n, r) => n + r.n, 0);
        for (const r of rows.filter(r => r.n > 1)) {
          result.duplicates.push(`${datname}.${table}: ${r.name}`);
        }
        const { rows: locks } = await client.query(
          `SELECT count(*)::int AS n FROM "${schema}"."${table}_lock" WHERE is_locked = 1`,
        );
        if (locks[0].n > 0) result.locked.push(`${datname}.${table}_lock`);
      }
    } finally {
      await client.end();
    }
  }
  return result;
}
