import { execFile, execFileSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const BIN = process.env.PORTAL_FAULTS_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL 15 cluster of its own, for faults that stop the server: the
 * shared server other work runs on must never be stopped. Trust auth, TCP on
 * 127.0.0.1:`port` only, its socket inside its own folder.
 *
 * initdb and the server refuse to run as root, so as root they run as the
 * `postgres` user. The port is the first free one from `port` on, since
 * other work on the machine may run throwaway clusters too.
 */
export async function throwawayPostgres({ port: firstPort }) {
  const port = await freePort(firstPort);
  if (!existsSync(join(BIN, 'pg_ctl'))) {
    throw new Error(
      `PostgreSQL 15 binaries not found in ${BIN} (set PORTAL_FAULTS_PG_BIN)`,
    );
  }
  const asRoot = process.getuid?.() === 0;
  // Asynchronous, so that load running in this process goes on while the
  // server stops and starts.
  const run = (command, args) =>
    execFileAsync(
      asRoot ? 'runuser' : join(BIN, command),
      asRoot ? ['-u', 'postgres', '--', join(BIN, command), ...args] : args,
      { cwd: tmpdir() },
    );
  const dir = mkdtempSync(join(tmpdir(), 'portal-faults-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const initdb = run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  // Awaited by start(); this only keeps a failure from being unhandled before.
  initdb.catch(() => {});
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  let running = false;
  return {
    connectionString: `postgresql://postgres@127.0.0.1:${port}`,
    port,
    async start() {
      await initdb;
      running = true;
      await run('pg_ctl', [
        '-D',
        data,
        '-o',
        options,
        '-l',
        join(dir, 'log'),
        '-w',
        'start',
      ]).catch(error => {
        const log = readFileSync(join(dir, 'log'), 'utf8').trim().split('\n');
        throw new Error(
          `PostgreSQL on :${port} did not start: ${log.slice(-3).join(' / ')}`,
          { cause: error },
        );
      });
    },
    /** `fast` ends open sessions, as a restart or a failover does. */
    async stop(mode = 'fast') {
      await run('pg_ctl', ['-D', data, '-w', 'stop', '-m', mode]);
      running = false;
    },
    async destroy() {
      await initdb.catch(() => {});
      if (running) {
        await this.stop('immediate').catch(() => {});
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(from) {
  for (let port = from; port < from + 50; port++) {
    const free = await new Promise(resolve => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}-${from + 49}`);
}
