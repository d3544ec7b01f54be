#!/usr/bin/env node
// Usage-event ingestion benchmark of the platform-metrics backend (issue #13 part 5):
// batches of portal analytics events, as the frontend sends them, posted by a
// signed-in user to POST /api/platform-metrics/v1/usage/events against the
// production build (packages/backend/dist/bundle.tar.gz) on PostgreSQL, loaded
// with autocannon. Reports events/s stored (2xx answers × batch size), latency,
// and checks that PostgreSQL holds exactly the acknowledged events. Prints a
// markdown table. Target: ≥ 2,000 events/s.
//
//   node bench/usage/run.mjs [--duration 20] [--runs 3] [--connections 2,8]
//     [--batch-size 50] [--port 7051] [--bundle-dir <unpacked bundle>]
//
// The production backend refuses unauthenticated calls and has no test tokens: the
// bench turns on Backstage's guest provider outside development
// (auth.providers.guest.dangerouslyAllowOutsideDevelopment), as bench/page-load
// does, and signs in once through its refresh endpoint. Needs
// BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (see scripts/portal env);
// drops its databases when done.

import autocannon from 'autocannon';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  dropDatabases,
  generateSecrets,
  postgresConnectionString,
  root,
  startBackend,
  unpackBundle,
} from '../../scripts/lib/prodBackend.mjs';
import { median } from '../lib/stats.mjs';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '2,8' },
    'batch-size': { type: 'string', default: '50' },
    port: { type: 'string', default: '7051' },
    'bundle-dir': { type: 'string' },
  },
});

const durationS = Number(args.duration);
const runs = Number(args.runs);
const connectionsList = args.connections.split(',').filter(Boolean).map(Number);
const batchSize = Number(args['batch-size']);
const port = Number(args.port);
const outDir = join(root, '.artifacts/bench-usage');
mkdirSync(outDir, { recursive: true });
const connectionString = postgresConnectionString();
const PREFIX = 'portal_bench_u_';
const TARGET_EVENTS_PER_S = 2000;

const fmt = (value, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    : 'n/a';

// ---------------------------------------------------------------------------
// Request bodies: what a tab sends after a few minutes of browsing

const PAGES = ['/catalog', '/docs', '/create', '/search', '/platform-value'];

/**
 * One batch, built from a string template rather than JSON.stringify: the load
 * generator shares the two cores with the backend and PostgreSQL.
 */
function batchBody(n) {
  const at = new Date().toISOString();
  const events = [];
  for (let i = 0; i < batchSize; i++) {
    const kind = (n + i) % 10;
    if (kind === 0) {
      events.push(
        `{"action":"search","subject":"/search","occurredAt":"${at}","pluginId":"search","value":0,"searchTerm":"term ${
          (n + i) % 50
        }"}`,
      );
    } else if (kind === 1) {
      events.push(
        `{"action":"navigate","subject":"/create/templates/default/node-service","occurredAt":"${at}","pluginId":"scaffolder","templateRef":"template:default/node-service"}`,
      );
    } else if (kind === 2) {
      events.push(
        `{"action":"create","subject":"node-service","occurredAt":"${at}","pluginId":"scaffolder","templateRef":"template:default/node-service","taskId":"bench-${n}-${i}","value":${
          60000 + i
        }}`,
      );
    } else {
      events.push(
        `{"action":"navigate","subject":"${PAGES[(n + i) % PAGES.length]}/${
          (n + i) % 200
        }","occurredAt":"${at}","pluginId":"catalog"}`,
      );
    }
  }
  return `{"events":[${events.join(',')}]}`;
}

// ---------------------------------------------------------------------------
// The backend

const extraConfig = [
  'auth:',
  '  providers:',
  '    guest:',
  '      dangerouslyAllowOutsideDevelopment: true',
  'portal:',
  '  signInProviders: [guest]',
].join('\n');

async function signInAsGuest(baseUrl) {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh?env=production`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(
      `guest sign-in answered ${res.status}: ${await res.text()}`,
    );
  }
  const { backstageIdentity } = await res.json();
  return backstageIdentity.token;
}

async function storedEvents() {
  const url = new URL(connectionString);
  url.pathname = `/${PREFIX}platform-metrics`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query(
      'select count(*)::bigint as n from usage_events',
    );
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------
// Load

async function load(url, token, connections) {
  let next = 0;
  let acknowledged = 0;
  const statuses = {};
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    pipelining: 1,
    duration: durationS,
    timeout: 10,
    requests: [
      {
        setupRequest(request) {
          return {
            ...request,
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Authorization: `Bearer ${token}`,
            },
            body: batchBody(next++),
          };
        },
        onResponse(status) {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status >= 200 && status < 300) acknowledged += 1;
        },
      },
    ],
  });
  return { result, statuses, acknowledged };
}

async function main() {
  const bundleDir = args['bundle-dir']
    ? resolve(args['bundle-dir'])
    : unpackBundle(join(outDir, 'current'));
  await dropDatabases(connectionString, PREFIX);
  const backend = startBackend({
    bundleDir,
    port,
    prefix: PREFIX,
    secrets: generateSecrets(),
    logFile: join(outDir, 'backend.log'),
    extraConfig,
  });
  const rows = [];
  try {
    await backend.ready();
    const token = await signInAsGuest(backend.baseUrl);
    const url = `${backend.baseUrl}/api/platform-metrics/v1/usage/events`;
    // Warm-up: JIT, connection pool, the first rollup rows.
    await load(url, token, 2);

    for (const connections of connectionsList) {
      const perRun = [];
      for (let run = 0; run < runs; run++) {
        const before = await storedEvents();
        const { result, statuses, acknowledged } = await load(
          url,
          token,
          connections,
        );
        const stored = (await storedEvents()) - before;
        perRun.push({
          eventsPerS: (acknowledged * batchSize) / durationS,
          p50: result.latency.p50,
          p99: result.latency.p99,
          acknowledgedEvents: acknowledged * batchSize,
          stored,
          statuses,
        });
      }
      const eventsPerS = median(perRun.map(r => r.eventsPerS));
      rows.push({
        connections,
        eventsPerS,
        p50: median(perRun.map(r => r.p50)),
        p99: median(perRun.map(r => r.p99)),
        lost: perRun.reduce(
          (sum, r) => sum + Math.max(0, r.acknowledgedEvents - r.stored),
          0,
        ),
        extra: perRun.reduce(
          (sum, r) => sum + Math.max(0, r.stored - r.acknowledgedEvents),
          0,
        ),
        statuses: perRun
          .map(r =>
            Object.entries(r.statuses)
              .map(([s, n]) => `${s}×${n}`)
              .join(' '),
          )
          .join(' / '),
      });
    }
  } finally {
    backend.process.kill('SIGTERM');
    await backend.exited;
    await dropDatabases(connectionString, PREFIX);
  }

  console.log(
    `\n### Usage ingestion (batches of ${batchSize}, ${durationS} s × ${runs} runs, ` +
      `${cpus().length} cores, load ${loadavg()
        .map(l => l.toFixed(1))
        .join(' ')})\n`,
  );
  console.log(
    '| connections | events/s (median) | target | p50 ms | p99 ms | lost | extra | statuses |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.connections} | ${fmt(r.eventsPerS)} | ${
        r.eventsPerS >= TARGET_EVENTS_PER_S ? 'met' : 'missed'
      } (≥ ${fmt(TARGET_EVENTS_PER_S)}) | ${fmt(r.p50, 1)} | ${fmt(
        r.p99,
        1,
      )} | ${r.lost} | ${r.extra} | ${r.statuses} |`,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
