// CPU time of the benchmarked backends, their PostgreSQL sessions, the bench
// process itself and the whole machine, read from /proc (Linux).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/**
 * CPU seconds (user + system) a process has used so far; 0 when it is gone.
 * With `children`, also what its children used once they were waited for
 * (git commands a Node process runs, for instance).
 */
export function cpuSeconds(pid, { children = false } = {}) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    const waited = children ? Number(fields[13]) + Number(fields[14]) : 0;
    return (own + waited) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Busy and total jiffies of the whole machine. */
function machineJiffies() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/);
  const numbers = values.map(Number);
  const idle = numbers[3] + numbers[4];
  const total = numbers.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** PostgreSQL server processes serving the databases whose names start with `prefix`. */
async function postgresPids(admin, prefix) {
  const { rows } = await admin.query(
    'SELECT pid FROM pg_stat_activity WHERE datname LIKE $1',
    [`${prefix}%`],
  );
  return rows.map(r => r.pid);
}

/**
 * Starts measuring the CPU use of a backend (`pid`), its PostgreSQL sessions
 * (databases named `databasePrefix…`, listed through the `admin` pg client),
 * this bench process and the machine. The returned function stops and returns
 * seconds and percentages of one core (the machine's: of all cores, 200 % = 2).
 * Sessions opened during the window count from zero; sessions closed during it
 * are missed.
 */
export async function cpuMeter({ admin, pid, databasePrefix }) {
  const pgStart = new Map();
  for (const session of await postgresPids(admin, databasePrefix)) {
    pgStart.set(session, cpuSeconds(session));
  }
  const backendStart = cpuSeconds(pid);
  const selfStart = process.cpuUsage();
  const machineStart = machineJiffies();
  const started = performance.now();
  return async () => {
    const elapsed = (performance.now() - started) / 1000;
    let pgSeconds = 0;
    for (const session of await postgresPids(admin, databasePrefix)) {
      pgSeconds += cpuSeconds(session) - (pgStart.get(session) ?? 0);
    }
    const self = process.cpuUsage(selfStart);
    const machine = machineJiffies();
    const pct = seconds => (100 * seconds) / elapsed;
    const backendSeconds = cpuSeconds(pid) - backendStart;
    const generatorSeconds = (self.user + self.system) / 1e6;
    return {
      elapsed,
      backendSeconds,
      postgresSeconds: pgSeconds,
      generatorSeconds,
      backend: pct(backendSeconds),
      postgres: pct(pgSeconds),
      generator: pct(generatorSeconds),
      machine:
        (100 * cpus().length * (machine.busy - machineStart.busy)) /
        (machine.total - machineStart.total),
    };
  };
}
