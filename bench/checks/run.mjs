#!/usr/bin/env node
// Scale benchmark of the live checks (issue 11, section 5), against the
// production build (packages/backend/dist/bundle.tar.gz) on PostgreSQL:
//
//   node bench/checks/run.mjs [--services 5000] [--teams 50] [--runs 3]
//     [--concurrency 16,64] [--port 7051] [--prefix portal_bench_chk_]
//     [--profile]   (V8 CPU profile of the checks backend over each cycle)
//
// One backend with the checks on probes `--services` generated golden-path
// Components in one cycle; a second backend, with the same catalog and config
// but the checks off, is measured idle for the same duration beside each cycle.
// Everything the probes reach is local (see README.md): dnsmasq answers the
// bench domain, one HTTPS server with a wildcard certificate from a throwaway
// CA answers every service's /readyz, and one HTTP server stands in for
// Prometheus and Loki. Prints markdown tables; raw numbers go to
// .artifacts/bench-checks/results.json. Needs
// BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING; drops its databases.
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  dropDatabases,
  generateSecrets,
  postgresConnectionString,
  root,
  startBackend,
  unpackBundle,
} from '../../scripts/lib/prodBackend.mjs';
import { createThrowawayCa } from '../../scripts/sandbox/createThrowawayCa.mjs';
import { freePort } from '../../scripts/sandbox/freePort.mjs';
import { ProcessGroup } from '../../scripts/sandbox/ProcessGroup.mjs';
import { startDnsServer } from '../../scripts/sandbox/startDnsServer.mjs';
import { startCpuProfile, summariseProfile } from '../lib/cpuProfile.mjs';
import { cpuMeter } from '../lib/processCpu.mjs';
import { rssMiB, sampleRss } from '../lib/processRss.mjs';
import { median } from '../lib/stats.mjs';
import {
  BENCH_TAG,
  benchCatalogYaml,
  serviceName,
} from './benchCatalogYaml.mjs';
import { reportProductionDeployments } from './productionDeployments.mjs';
import { startObservabilityServer, startReadyzServer } from './standIns.mjs';

const { values: args } = parseArgs({
  options: {
    services: { type: 'string', default: '5000' },
    teams: { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16,64' },
    port: { type: 'string', default: '7051' },
    prefix: { type: 'string', default: 'portal_bench_chk_' },
    profile: { type: 'boolean', default: false },
  },
});
const positive = name => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} must be a positive whole number`);
  }
  return value;
};
const SERVICES = positive('services');
const TEAMS = positive('teams');
const RUNS = positive('runs');
const PORT = positive('port');
const CONCURRENCIES = args.concurrency.split(',').filter(Boolean).map(Number);
if (!CONCURRENCIES.every(c => Number.isInteger(c) && c > 0)) {
  throw new Error('--concurrency must list positive whole numbers');
}

/** A reserved top-level domain: nothing outside this machine answers it. */
const DOMAIN = 'checks-bench.test';
const TASK_ID = 'platform-metrics-service-checks';
const AIM_WALL_S = 60;
/** The runner's interval: one cycle every this many minutes. */
const CYCLE_MINUTES = 2;
/** RSS "after" is read this long after a window. */
const SETTLE_MS = 5000;
/** How often the bench asks the scheduler whether the cycle ended (both backends alike). */
const POLL_MS = 250;

/**
 * Where a cycle's CPU goes (--profile): a sample counts for the innermost frame
 * on its stack that matches. The catalog and the scheduler run in the same
 * process; the runner reads the catalog through its HTTP API.
 */
const LAYERS = [
  [
    'database client (knex, pg)',
    /node_modules\/(knex|pg|pg-protocol|pg-pool|tarn)\/|database\/DatabaseChecksStore/,
  ],
  [
    'logging (winston)',
    /node_modules\/(winston|logform|winston-transport)\/|rootLogger/,
  ],
  ['TLS (node:tls)', /node:_tls|node:tls|node:internal\/tls/],
  ['DNS (node:dns)', /node:dns|node:internal\/dns/],
  [
    'HTTP client (node:http, fetch)',
    /node:_http_client|node:_http_agent|node:https|node:internal\/deps\/undici|node_modules\/undici\//,
  ],
  ['response parsing (zod)', /node_modules\/zod\//],
  [
    'probes (checks/network, probes, prometheus, logs)',
    /dist\/checks\/(network|probes|prometheus|logs)\//,
  ],
  ['checks runner', /dist\/checks\//],
  [
    'catalog (API and processing)',
    /plugin-catalog-backend|catalog-client|plugin-catalog-node/,
  ],
  ['scheduler', /backend-defaults\/dist\/entrypoints\/scheduler/],
  [
    'HTTP server (express, router, auth)',
    /node_modules\/(express|express-promise-router|helmet|compression|router|cors|morgan|jose)\/|node:_http_server|backend-defaults\/dist\/entrypoints\/(httpRouter|rootHttpRouter|auth|httpAuth)/,
  ],
];

const connectionString = postgresConnectionString();
const outDir = join(root, '.artifacts/bench-checks');
mkdirSync(outDir, { recursive: true });
const log = (...parts) =>
  console.error(`[${new Date().toISOString()}]`, ...parts);
const fmt = (value, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    : 'n/a';

// ---------------------------------------------------------------- the local network

const bundleDir = unpackBundle(join(outDir, 'bundle'));
try {
  // The bundle must be a build with the checks runner in it.
  execFileSync('grep', [
    '-rlq',
    TASK_ID,
    join(bundleDir, 'plugins/platform-metrics-backend/dist'),
  ]);
} catch {
  throw new Error(
    'The backend bundle has no live checks: run `flock /tmp/portal-build.lock yarn build:backend` first',
  );
}
writeFileSync(
  join(bundleDir, 'bench-checks-catalog.yaml'),
  benchCatalogYaml({ services: SERVICES, teams: TEAMS, domain: DOMAIN }),
);
const admin = new pg.Client({ connectionString, database: 'postgres' });
await admin.connect();

// The platform sandbox's helpers (scripts/sandbox), with one wildcard
// certificate and one DNS zone for every service instead of one hostname.
const processes = new ProcessGroup();
let certificate;
let dns;
let readyz;
let observability;
async function startLocalNetwork() {
  certificate = await createThrowawayCa({
    openssl: 'openssl',
    dir: join(outDir, 'tls'),
    hostname: `*.${DOMAIN}`,
  });
  dns = await startDnsServer({
    processes,
    dnsmasq: '/usr/sbin/dnsmasq',
    port: await freePort(),
    hostname: DOMAIN,
    logFile: join(outDir, 'dnsmasq.log'),
  });
  readyz = await startReadyzServer(certificate);
  observability = await startObservabilityServer();
}
const standInCounts = () => ({ ...readyz.counts, ...observability.counts });

/**
 * The production config plus the bench catalog and the checks pointed at the
 * stand-ins; the idle backend differs only in `enabled: false`. Config arrays
 * replace, not merge: the first two locations repeat app-config.production.yaml.
 */
function extraConfig({ enabled, concurrency }) {
  return [
    'catalog:',
    '  locations:',
    '    - type: file',
    '      target: ./catalog-info.yaml',
    '    - type: file',
    '      target: ./templates/*/template.yaml',
    '      rules:',
    '        - allow: [Template]',
    '    - type: file',
    '      target: ./bench-checks-catalog.yaml',
    '      rules:',
    '        - allow: [Component, Group]',
    'platformMetrics:',
    '  checks:',
    `    enabled: ${enabled}`,
    // Long enough for a cycle to end well inside it (the interval is also the
    // cycle's timeout), short enough to keep the run short.
    `    intervalMinutes: ${CYCLE_MINUTES}`,
    `    concurrency: ${concurrency}`,
    '    allowPrivateAddresses: true',
    `    allowedDomains: [${DOMAIN}]`,
    '    resolver:',
    `      servers: ['127.0.0.1:${dns.port}']`,
    '    tls:',
    `      caFile: ${certificate.caFile}`,
    `      port: ${readyz.port}`,
    '    prometheus:',
    `      baseUrl: http://127.0.0.1:${observability.port}`,
    '    logs:',
    '      loki:',
    `        baseUrl: http://127.0.0.1:${observability.port}`,
  ].join('\n');
}

// ---------------------------------------------------------------- backends

const secrets = generateSecrets();

function startVariant({ name, prefix, port, enabled, concurrency }) {
  const logFile = join(outDir, `${name}.log`);
  // The inspector, so that only the cycles are profiled, not the start-up.
  const inspectorPort = args.profile && enabled ? port + 1000 : undefined;
  const backend = startBackend({
    bundleDir,
    port,
    prefix,
    secrets,
    logFile,
    extraConfig: extraConfig({ enabled, concurrency }),
    env: inspectorPort
      ? { NODE_OPTIONS: `--inspect=127.0.0.1:${inspectorPort}` }
      : {},
  });
  return {
    name,
    prefix,
    port,
    enabled,
    concurrency,
    logFile,
    inspectorPort,
    backend,
  };
}

/**
 * One call to a backend's API. A keep-alive connection the server closes just
 * as a request goes out fails with ECONNRESET, more often on a loaded machine;
 * the bench only reads, so such a failure is retried.
 */
async function api(variant, path, { token }) {
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await fetch(`${variant.backend.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    } catch (error) {
      if (attempt >= 3) throw error;
      log(`GET ${path} failed (${error.cause?.code ?? error}); again`);
      await sleep(200);
      continue;
    }
    if (!res.ok) {
      throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    }
    return res.json();
  }
}

const SCHEDULER = '/api/platform-metrics/.backstage/scheduler/v1/tasks';

/** The checks task's state from the plugin's scheduler API (the ingest token is scoped to it). */
async function taskState(variant) {
  const { tasks } = await api(variant, SCHEDULER, {
    token: secrets.ingestToken,
  });
  return tasks.find(t => t.taskId === TASK_ID)?.taskState ?? undefined;
}

async function waitUntil(what, test, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await test();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1000);
  }
}

/** Ready, with every bench Component in its catalog and no cycle running. */
async function whenSettled(variant) {
  await variant.backend.ready();
  log(`${variant.name}: ready; waiting for the catalog`);
  const catalogCount = async filter =>
    (
      await api(
        variant,
        `/api/catalog/entities/by-query?limit=1&filter=${encodeURIComponent(
          filter,
        )}`,
        { token: secrets.apiToken },
      )
    ).totalItems;
  await waitUntil(
    `${SERVICES} bench Components in ${variant.name}'s catalog`,
    async () =>
      (await catalogCount(`kind=component,metadata.tags=${BENCH_TAG}`)) >=
        SERVICES &&
      (await catalogCount('kind=template,metadata.tags=golden-path')) > 0,
    20 * 60_000,
  );
  if (variant.enabled) {
    await waitUntil(
      `${variant.name}'s checks task to be idle`,
      // The first cycle comes one interval (a day here) after the start; a
      // runner that starts one at once is waited for.
      async () => {
        const state = await taskState(variant);
        return (
          state?.status === 'idle' &&
          (Boolean(state.lastRunEndedAt) ||
            Date.parse(state.startsAt) > Date.now() + 60_000)
        );
      },
      10 * 60_000,
    );
  }
  log(`${variant.name}: catalog loaded`);
}

// ---------------------------------------------------------------- measurements

/** Backend CPU and RSS, and its PostgreSQL sessions' CPU, over one window. */
async function startWindow(variant) {
  const pid = variant.backend.pid;
  const rssBefore = rssMiB(pid);
  const stopRss = sampleRss(pid);
  const stopCpu = await cpuMeter({
    admin,
    pid,
    databasePrefix: variant.prefix,
  });
  return async () => {
    const cpu = await stopCpu();
    const rssPeak = Math.max(...stopRss());
    await sleep(SETTLE_MS);
    return { cpu, rssBefore, rssPeak, rssAfter: rssMiB(pid) };
  };
}

/** The last "Live checks: …" line the runner logged. */
function lastCycleReport(variant) {
  const matches = [
    ...readFileSync(variant.logFile, 'utf8').matchAll(
      /Live checks: (\d+) services, (\d+) probes, (\d+) failed/g,
    ),
  ];
  const last = matches.at(-1);
  return last
    ? {
        services: Number(last[1]),
        probes: Number(last[2]),
        failedServices: Number(last[3]),
      }
    : undefined;
}

/** Statuses the cycle stored (rows checked at or after `sinceMs`). */
async function storedStatuses(variant, sinceMs) {
  const url = new URL(connectionString);
  url.pathname = `/${variant.prefix}platform-metrics`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT status, COUNT(*)::int AS n FROM service_check_results
        WHERE last_checked_at_ms >= $1 GROUP BY status`,
      [sinceMs],
    );
    return Object.fromEntries(rows.map(r => [r.status, r.n]));
  } finally {
    await client.end();
  }
}

/**
 * Waits for the runner's next scheduled cycle and measures it until it ends.
 * The runner's first cycle comes one interval after the start, and the
 * scheduler's worker sleeps through that delay, so a triggered run would wait
 * for it too: the bench lets the schedule run the cycles instead. The window
 * opens when the cycle is first seen running (at most POLL_MS late); the wall
 * time comes from the scheduler's own timestamps.
 */
async function measureCycle(variant, idle, label) {
  let state = await taskState(variant);
  // A cycle already under way is let go: its window would miss its start.
  while (state?.status === 'running') {
    await sleep(POLL_MS);
    state = await taskState(variant);
  }
  const before = state;
  const countsBefore = standInCounts();
  while (state?.status !== 'running') {
    await sleep(POLL_MS);
    state = await taskState(variant);
  }
  const startedAt = state.startedAt;
  const stopWindow = await startWindow(variant);
  // The idle backend over the same window, polled alike.
  const stopIdleWindow = await startWindow(idle);
  const stopProfile = variant.inspectorPort
    ? await startCpuProfile(variant.inspectorPort)
    : undefined;
  while (
    state?.status !== 'idle' ||
    !state.lastRunEndedAt ||
    state.lastRunEndedAt === before?.lastRunEndedAt
  ) {
    await sleep(POLL_MS);
    [state] = await Promise.all([
      taskState(variant),
      api(idle, SCHEDULER, { token: secrets.ingestToken }),
    ]);
  }
  const profileFile = join(
    outDir,
    `${variant.name}-${label.replace(/\W+/g, '-')}.cpuprofile`,
  );
  const profile = stopProfile
    ? summariseProfile(await stopProfile(profileFile), profileFile, LAYERS)
    : undefined;
  const [window, idleWindow] = await Promise.all([
    stopWindow(),
    stopIdleWindow(),
  ]);
  if (state.lastRunError) {
    throw new Error(`${variant.name}: the cycle failed: ${state.lastRunError}`);
  }
  const startMs = Date.parse(startedAt);
  const stored = await storedStatuses(variant, startMs);
  const wallS = (Date.parse(state.lastRunEndedAt) - startMs) / 1000;
  const countsAfter = standInCounts();
  const requests = Object.fromEntries(
    Object.keys(countsAfter).map(k => [k, countsAfter[k] - countsBefore[k]]),
  );
  const cycle = {
    kind: 'cycle',
    label,
    variant: variant.name,
    concurrency: variant.concurrency,
    wallS,
    report: lastCycleReport(variant),
    stored,
    requests,
    load: loadavg()[0],
    profile,
    ...window,
  };
  const quiet = {
    kind: 'idle',
    label,
    variant: idle.name,
    concurrency: variant.concurrency,
    seconds: idleWindow.cpu.elapsed,
    load: cycle.load,
    ...idleWindow,
  };
  return { cycle, quiet };
}

// ---------------------------------------------------------------- run

const results = [];
const saveResults = () =>
  writeFileSync(
    join(outDir, 'results.json'),
    JSON.stringify({ services: SERVICES, results }, null, 2),
  );
const loadBefore = loadavg();
const prefixes = { checks: `${args.prefix}on_`, idle: `${args.prefix}off_` };
let idle;
let checks;
let failure;
try {
  await startLocalNetwork();
  for (const prefix of Object.values(prefixes)) {
    await dropDatabases(connectionString, prefix);
  }
  idle = startVariant({
    name: 'idle',
    prefix: prefixes.idle,
    port: PORT + 1,
    enabled: false,
    concurrency: CONCURRENCIES[0],
  });
  for (const [i, concurrency] of CONCURRENCIES.entries()) {
    // Same databases each time: the catalog is already stored after the first.
    checks = startVariant({
      name: `checks-c${concurrency}`,
      prefix: prefixes.checks,
      port: PORT,
      enabled: true,
      concurrency,
    });
    const started = i === 0 ? [checks, idle] : [checks];
    await Promise.all(started.map(whenSettled));
    // Restarts keep the databases, and the deployments in them.
    if (i === 0) {
      const names = Array.from({ length: SERVICES }, (_, n) =>
        serviceName(n + 1),
      );
      for (const variant of started) {
        await reportProductionDeployments({
          baseUrl: variant.backend.baseUrl,
          ingestToken: secrets.ingestToken,
          names,
        });
      }
      log(`${SERVICES} production deployments reported`);
    }
    // The first cycle inserts every result; the measured ones update them, as
    // every cycle of a running portal does.
    for (let run = 0; run <= RUNS; run++) {
      const label = run === 0 ? 'warm-up' : `run ${run}`;
      const { cycle, quiet } = await measureCycle(checks, idle, label);
      results.push(cycle);
      if (run > 0) results.push(quiet);
      saveResults();
      log(
        `${checks.name} ${label}: ${fmt(cycle.wallS, 1)} s, ${JSON.stringify(
          cycle.report,
        )}, stored ${JSON.stringify(cycle.stored)}, backend CPU ${fmt(
          cycle.cpu.backendSeconds,
          1,
        )} s; idle backend ${fmt(quiet.cpu.backendSeconds, 1)} s`,
      );
    }
    await checks.backend.stop();
  }
} catch (error) {
  // The cycles measured so far are still reported.
  failure = error;
} finally {
  await Promise.all(
    [checks, idle].filter(Boolean).map(v => v.backend.stop().catch(() => {})),
  );
  await Promise.all([
    processes.stopAll(),
    readyz?.close(),
    observability?.close(),
  ]);
  await admin.end().catch(() => {});
  for (const prefix of Object.values(prefixes)) {
    await dropDatabases(connectionString, prefix).catch(() => {});
  }
}

// ---------------------------------------------------------------- report

const measured = (kind, concurrency) =>
  results.filter(
    r =>
      r.kind === kind && r.concurrency === concurrency && r.label !== 'warm-up',
  );
const coreShare = (seconds, window) => (100 * seconds) / window;

console.log(
  `\nMachine: ${cpus().length} cores, load average before ${loadBefore
    .map(l => l.toFixed(2))
    .join(' ')}, after ${loadavg()
    .map(l => l.toFixed(2))
    .join(
      ' ',
    )}. ${SERVICES} services owned by ${TEAMS} teams; ${RUNS} measured ` +
    'cycle(s) per concurrency after one warm-up, medians. CPU in seconds and in % of ' +
    'one core over the cycle; the idle backend (checks off) is measured over the ' +
    'same window.\n',
);

const row = cells => console.log(`| ${cells.join(' | ')} |`);
/** The aim is for a full-size cycle; a smoke run is not judged by it. */
const aim = (wall, share) => {
  if (SERVICES < 5000) return `— (aim is for 5,000 services)`;
  return wall <= AIM_WALL_S && share < 100 ? 'yes' : 'no';
};

console.log('### One cycle of live checks, beside an idle backend\n');
row([
  'backend',
  'concurrency',
  'services',
  'checks per service',
  'wall s',
  'probes/s',
  'backend CPU s',
  'backend % of one core',
  'backend CPU ms per service',
  'RSS MiB before / peak / after',
  'PostgreSQL CPU s',
  'stand-ins + bench CPU s',
  'load 1m',
  'aim (≤ 60 s, < 1 core)',
]);
row(Array(14).fill('---'));
for (const concurrency of CONCURRENCIES) {
  const cycles = measured('cycle', concurrency);
  const quiet = measured('idle', concurrency);
  if (cycles.length === 0) continue;
  const m = (rows, pick) => median(rows.map(pick));
  const rss = rows =>
    [
      m(rows, r => r.rssBefore),
      m(rows, r => r.rssPeak),
      m(rows, r => r.rssAfter),
    ]
      .map(v => fmt(v))
      .join(' / ');
  const wall = m(cycles, r => r.wallS);
  const services = m(cycles, r => r.report?.services);
  const share = m(cycles, r => coreShare(r.cpu.backendSeconds, r.wallS));
  row([
    'checks on',
    concurrency,
    fmt(services),
    fmt(m(cycles, r => r.report?.probes) / services),
    fmt(wall, 1),
    fmt(m(cycles, r => r.report?.probes / r.wallS)),
    fmt(
      m(cycles, r => r.cpu.backendSeconds),
      1,
    ),
    `${fmt(share)} %`,
    fmt(
      m(cycles, r => (1000 * r.cpu.backendSeconds) / r.report?.services),
      1,
    ),
    rss(cycles),
    fmt(
      m(cycles, r => r.cpu.postgresSeconds),
      1,
    ),
    fmt(
      m(cycles, r => r.cpu.generatorSeconds),
      1,
    ),
    fmt(
      m(cycles, r => r.load),
      2,
    ),
    aim(wall, share),
  ]);
  if (quiet.length === 0) continue;
  row([
    'idle, checks off',
    '—',
    '—',
    '—',
    fmt(
      m(quiet, r => r.seconds),
      1,
    ),
    '—',
    fmt(
      m(quiet, r => r.cpu.backendSeconds),
      1,
    ),
    `${fmt(m(quiet, r => coreShare(r.cpu.backendSeconds, r.seconds)))} %`,
    '—',
    rss(quiet),
    fmt(
      m(quiet, r => r.cpu.postgresSeconds),
      1,
    ),
    fmt(
      m(quiet, r => r.cpu.generatorSeconds),
      1,
    ),
    fmt(
      m(quiet, r => r.load),
      2,
    ),
    '',
  ]);
}

console.log('\n### Every cycle\n');
row([
  'concurrency',
  'cycle',
  'wall s',
  'services / probes / failed services',
  'stored results by status',
  'stand-ins: readyz requests, TCP connections (handshakes completed), Prometheus query, rules, Loki',
  'backend CPU s',
  'machine CPU %',
  'load 1m',
]);
row(Array(9).fill('---'));
for (const r of results.filter(x => x.kind === 'cycle')) {
  const { requests: q, report } = r;
  row([
    r.concurrency,
    r.label,
    fmt(r.wallS, 1),
    [report?.services, report?.probes, report?.failedServices]
      .map(v => v ?? '?')
      .join(' / '),
    Object.entries(r.stored)
      .map(([status, n]) => `${status} ${n}`)
      .join(', '),
    `${q.readyz}, ${q.connections} (${q.tlsHandshakes}), ${q.query}, ${q.rules}, ${q.logs}`,
    fmt(r.cpu.backendSeconds, 1),
    fmt(r.cpu.machine),
    fmt(r.load, 2),
  ]);
}

for (const r of results.filter(x => x.profile)) {
  console.log(
    `\nProfile of concurrency ${r.concurrency}, ${r.label} (${r.profile.file}), self time:\n` +
      `- by layer: ${r.profile.layers.join(', ')}\n` +
      `- by package: ${r.profile.groups.join(', ')}\n` +
      `- by function:\n${r.profile.functions.map(f => `  - ${f}`).join('\n')}`,
  );
}

if (failure) {
  console.log(`\nThe run stopped early: ${failure}`);
  console.error(failure);
  process.exitCode = 1;
}
