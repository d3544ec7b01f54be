#!/usr/bin/env node
// Query benchmark of the platform value metrics on a large organisation's history,
// served by the production bundle on PostgreSQL:
//
//   export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://postgres@127.0.0.1:5432
//   node bench/queries/run.mjs [--before-ref HEAD] [--runs 3]
//     [--requests 200] [--breakdown-requests 100] [--trend-requests 30]
//     [--warmup 10] [--full-scan-runs 3] [--part-runs 30] [--port 7031]
//     [--prefix portal_bench_q_] [--keep]
//
// 1. Starts packages/backend/dist/bundle.tar.gz ("after") and, with --before-ref,
//    the same bundle with that commit's metrics read path ("before",
//    beforeBundle.mjs), each on its own copy of one generated dataset (generate.mjs: 5,000 services, 1,000,000 production
//    deployments, 50,000 incidents, 40,000 survey responses over two years).
// 2. Per run, sends the same sequential requests to both, alternating which goes
//    first, so that the shared host's load falls on both alike: summary (this
//    quarter, last 12 months; with and without a team), a monthly trend over two
//    years, breakdowns by team and template. Each response is compared between the
//    builds: the optimisation must not change a single figure.
// 3. Times the full-scan SQL (fullScan.mjs) on the same data and checks its figures
//    against the API's.
// 4. Times each part of the summary in-process with each build's own store code,
//    to show where the time goes, and samples both backends' RSS.
// Prints markdown tables; the raw numbers go to .artifacts/bench-queries/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
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
import { rssMiB, sampleRss } from '../lib/processRss.mjs';
import { median, percentile } from '../lib/stats.mjs';
import { makeBeforeBundle } from './beforeBundle.mjs';
import { generate } from './generate.mjs';
import { compareWithSummary, FULL_SCAN_SQL } from './fullScan.mjs';

const { values: args } = parseArgs({
  options: {
    'before-ref': { type: 'string' },
    runs: { type: 'string', default: '3' },
    requests: { type: 'string', default: '200' },
    'breakdown-requests': { type: 'string', default: '100' },
    'trend-requests': { type: 'string', default: '30' },
    warmup: { type: 'string', default: '10' },
    'full-scan-runs': { type: 'string', default: '3' },
    'part-runs': { type: 'string', default: '30' },
    port: { type: 'string', default: '7031' },
    prefix: { type: 'string', default: 'portal_bench_q_' },
    keep: { type: 'boolean', default: false },
  },
});
const count = name => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`--${name} must be a whole number`);
  }
  return value;
};
const RUNS = Math.max(1, count('runs'));
const WARMUP = count('warmup');
const PORT = count('port');
const connectionString = postgresConnectionString();
const artifacts = join(root, '.artifacts/bench-queries');
mkdirSync(artifacts, { recursive: true });
const log = (...parts) =>
  console.error(`[${new Date().toISOString()}]`, ...parts);

const SUMMARY_TARGET_MS = 50;
const SPEED_UP_TARGET = 50;

// ---------------------------------------------------------------- statistics

const fmt = ms =>
  ms === undefined ? '—' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
const uptime = () =>
  readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// ---------------------------------------------------------------- periods

/** The frontend's presets (plugins/platform-metrics/src/components/periods.ts). */
function periods(now = new Date()) {
  const quarterStart = new Date(
    Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1),
  );
  const quarterEnd = new Date(
    Date.UTC(quarterStart.getUTCFullYear(), quarterStart.getUTCMonth() + 3, 1),
  );
  const yearEnd = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1),
  );
  const yearStart = new Date(
    Date.UTC(
      yearEnd.getUTCFullYear(),
      yearEnd.getUTCMonth() - 12,
      yearEnd.getUTCDate(),
    ),
  );
  const trendStart = new Date(
    Date.UTC(
      yearEnd.getUTCFullYear(),
      yearEnd.getUTCMonth() - 24,
      yearEnd.getUTCDate(),
    ),
  );
  return {
    quarter: { from: quarterStart, to: quarterEnd },
    year: { from: yearStart, to: yearEnd },
    trend: { from: trendStart, to: yearEnd },
  };
}

function endpointCases(team) {
  const p = periods();
  const q = (period, extra = {}) =>
    new URLSearchParams({
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      ...extra,
    }).toString();
  const summaries = count('requests');
  const breakdowns = count('breakdown-requests');
  return [
    {
      name: 'summary, this quarter',
      path: `/v1/summary?${q(p.quarter)}`,
      n: summaries,
      summary: true,
    },
    {
      name: 'summary, this quarter, one team',
      path: `/v1/summary?${q(p.quarter, { team })}`,
      n: summaries,
      summary: true,
    },
    {
      name: 'summary, last 12 months',
      path: `/v1/summary?${q(p.year)}`,
      n: summaries,
      summary: true,
    },
    {
      name: 'summary, last 12 months, one team',
      path: `/v1/summary?${q(p.year, { team })}`,
      n: summaries,
      summary: true,
    },
    {
      name: 'trend, monthly over 2 years',
      path: `/v1/trend?${q(p.trend, { bucket: 'month' })}`,
      n: count('trend-requests'),
    },
    {
      name: 'breakdown golden path by team, 12 months',
      path: `/v1/breakdown?${q(p.year, { metric: 'goldenPath', by: 'team' })}`,
      n: breakdowns,
    },
    {
      name: 'breakdown golden path by template, 12 months',
      path: `/v1/breakdown?${q(p.year, {
        metric: 'goldenPath',
        by: 'template',
      })}`,
      n: breakdowns,
    },
    {
      name: 'breakdown lead time by team, 12 months',
      path: `/v1/breakdown?${q(p.year, { metric: 'leadTime', by: 'team' })}`,
      n: breakdowns,
    },
    {
      name: 'breakdown lead time by template, 12 months',
      path: `/v1/breakdown?${q(p.year, {
        metric: 'leadTime',
        by: 'template',
      })}`,
      n: breakdowns,
    },
    {
      name: 'breakdown MTTR by team, 12 months',
      path: `/v1/breakdown?${q(p.year, { metric: 'mttr', by: 'team' })}`,
      n: breakdowns,
    },
  ];
}

// ---------------------------------------------------------------- backends

/**
 * The production bundle (`after`) and, with --before-ref, the same bundle with the
 * store layer of that commit (`before`, see beforeBundle.mjs).
 */
function prepareBundles() {
  const after = unpackBundle(join(root, '.artifacts/bench-queries-bundle'));
  if (!args['before-ref']) return { after };
  const before = unpackBundle(
    join(root, '.artifacts/bench-queries-bundle-before'),
  );
  const { removedMigrations } = makeBeforeBundle({
    root,
    ref: args['before-ref'],
    bundleDir: before,
  });
  log(
    `before: store layer of ${args['before-ref']}, without ${
      removedMigrations.join(', ') || 'no migration'
    }`,
  );
  return { before, after };
}

async function adminQuery(sql, database = 'postgres') {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * One timed GET. A 500 is retried after a pause, untimed and counted: on the shared
 * server other runs sometimes take all 100 client connections ("too many clients
 * already"), which says nothing about the queries; the backend log has each one.
 */
async function request(backend, path) {
  for (let attempt = 0; ; attempt++) {
    const started = performance.now();
    const res = await fetch(`${backend.baseUrl}/api/platform-metrics${path}`, {
      headers: { authorization: `Bearer ${backend.token}` },
    });
    const body = await res.text();
    const ms = performance.now() - started;
    if (res.status === 200) {
      return { ms, body };
    }
    if (res.status < 500 || attempt >= 5) {
      throw new Error(
        `${backend.label} ${path}: ${res.status} ${body.slice(0, 300)}`,
      );
    }
    backend.retries = (backend.retries ?? 0) + 1;
    log(`${backend.label} ${path}: ${res.status}, retrying`);
    await new Promise(r => setTimeout(r, 2000));
  }
}

/**
 * Rows the rollups have not counted yet: successful production deployments at or
 * above the watermark, resolved incidents without a duration bin.
 */
async function rollupTail(database) {
  const { rows } = await adminQuery(
    `SELECT to_regclass('deployment_rollup_state') IS NOT NULL AS deployments,
      to_regclass('incident_duration_rollups') IS NOT NULL AS incidents`,
    database,
  );
  let tail = 0;
  if (rows[0].deployments) {
    const result = await adminQuery(
      `SELECT COUNT(*)::int AS n FROM deployments WHERE production AND outcome = 'success'
        AND ins_xid >= (SELECT watermark FROM deployment_rollup_state WHERE id = 1)`,
      database,
    );
    tail += result.rows[0].n;
  }
  if (rows[0].incidents) {
    const result = await adminQuery(
      `SELECT COUNT(*)::int AS n FROM incidents
        WHERE duration_bin IS NULL AND resolved_at_ms IS NOT NULL`,
      database,
    );
    tail += result.rows[0].n;
  }
  return tail;
}

// ---------------------------------------------------------------- in-process parts

/** A build's own store and survey code (the bundle's dist) on its database. */
async function openStores(bundleDir, database) {
  const require = createRequire(
    join(bundleDir, 'packages/backend/package.json'),
  );
  const dist = join(bundleDir, 'plugins/platform-metrics-backend/dist');
  const load = path => require(join(dist, path));
  const { DatabaseMetricsStore } = load('database/DatabaseMetricsStore.cjs.js');
  const { DatabaseSurveyStore } = load('database/DatabaseSurveyStore.cjs.js');
  const { DefaultSurveyService } = load('service/DefaultSurveyService.cjs.js');
  const { ConfigReader } = require('@backstage/config');
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  const knex = require('knex')({ client: 'pg', connection: url.toString() });
  return {
    knex,
    store: await DatabaseMetricsStore.create({ knex }),
    survey: DefaultSurveyService.create({
      store: await DatabaseSurveyStore.create({ knex }),
      config: new ConfigReader({
        platformMetrics: { survey: { participationSecret: 'x'.repeat(48) } },
      }),
    }),
  };
}

/**
 * Each part of a summary timed alone in-process, the builds alternating call by
 * call like the HTTP requests: where a summary's time goes.
 */
async function timeParts(builds, runs, team) {
  const opened = {};
  for (const { label, bundleDir, database } of builds) {
    opened[label] = await openStores(bundleDir, database);
  }
  try {
    const p = periods();
    const result = Object.fromEntries(builds.map(b => [b.label, {}]));
    for (const [period, query] of [
      ['this quarter', p.quarter],
      ['last 12 months', p.year],
      ['last 12 months, one team', { ...p.year, team }],
    ]) {
      const parts = {
        'lead time': ({ store }) => store.leadTime(query),
        'golden path': ({ store }) => store.goldenPath(query),
        MTTR: ({ store }) => store.mttr(query),
        satisfaction: ({ survey }) => survey.satisfaction(query),
      };
      for (const [part, fn] of Object.entries(parts)) {
        const name = `${period}\u0000${part}`;
        for (const { label } of builds) {
          result[label][name] = [];
          for (let i = 0; i < 3; i++) await fn(opened[label]); // warm-up
        }
        for (let i = 0; i < runs; i++) {
          const order = i % 2 ? [...builds].reverse() : builds;
          for (const { label } of order) {
            const started = performance.now();
            await fn(opened[label]);
            result[label][name].push(performance.now() - started);
          }
        }
      }
    }
    return result;
  } finally {
    for (const { knex } of Object.values(opened)) await knex.destroy();
  }
}

/** The top-level fields (and, in breakdowns, item keys) two responses differ in. */
function differingKeys(a, b) {
  const x = JSON.parse(a);
  const y = JSON.parse(b);
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...keys]
    .filter(k => JSON.stringify(x[k]) !== JSON.stringify(y[k]))
    .join(', ');
}

/** CREATE DATABASE ... TEMPLATE fails while autovacuum is connected to the source. */
async function copyDatabase(source, target) {
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(`CREATE DATABASE "${target}" TEMPLATE "${source}"`);
      return;
    } catch (error) {
      if (attempt >= 10 || !/being accessed/.test(String(error))) throw error;
      await new Promise(r => setTimeout(r, 2000));
    }
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const bundles = prepareBundles();
  const labels = Object.keys(bundles).sort().reverse(); // before, after
  const secrets = generateSecrets();
  const prefixOf = label => `${args.prefix}${label[0]}_`;
  const dbOf = label => `${prefixOf(label)}platform-metrics`;
  const started = {};
  const env = { uptimeStart: uptime() };
  const start = async (label, i) => {
    const backend = startBackend({
      bundleDir: bundles[label],
      port: PORT + i,
      prefix: prefixOf(label),
      secrets,
      logFile: join(artifacts, `${label}.backend.log`),
      // Node resolves the bundle's node_modules symlinks to their real paths, from
      // where resolvePackagePath finds the repository's plugin folders, so both
      // builds would run the working tree's migrations. Keeping the symlinked
      // paths makes each build run its own migrations, as its image would.
      env: { NODE_OPTIONS: '--preserve-symlinks' },
      // Under `backend.database`: no idle connections kept per plugin database
      // (knex keeps 2 by default), as the shared server allows 100 clients and
      // a trend request alone may take the metrics plugin's whole pool of 10.
      extraConfig: ['    knexConfig:', '      pool:', '        min: 0'].join(
        '\n',
      ),
    });
    started[label] = backend;
    await backend.ready();
    return backend;
  };

  try {
    for (const label of labels)
      await dropDatabases(connectionString, prefixOf(label));

    // The dataset is generated once, in the first build's freshly migrated
    // database, then copied (CREATE DATABASE ... TEMPLATE) for the other build,
    // whose own migrations then run on the copy.
    const first = labels[0];
    log(`starting ${first} to migrate its database`);
    await start(first, 0);
    await started[first].stop();
    delete started[first];
    log('generating the dataset');
    const dataset = await generate({
      connectionString,
      database: dbOf(first),
      log: line => log(line.trim()),
    });
    for (const label of labels.slice(1)) {
      await copyDatabase(dbOf(first), dbOf(label));
    }

    const backends = [];
    for (const [i, label] of labels.entries()) {
      log(`starting ${label}`);
      const backend = await start(label, i);
      await adminQuery('ANALYZE', dbOf(label));
      backends.push({
        label,
        baseUrl: backend.baseUrl,
        pid: backend.pid,
        token: secrets.ingestToken,
      });
    }

    // Read permission for the static ingest token: it is restricted to this plugin,
    // and the policy allows platform-metrics.read to every principal.
    const team = (
      await adminQuery(
        `SELECT team_ref FROM service_requests GROUP BY team_ref ORDER BY COUNT(*) DESC LIMIT 1`,
        dbOf(first),
      )
    ).rows[0].team_ref;
    const cases = endpointCases(team);

    // A new build's rollups start empty: its first reads start the catch-ups; wait
    // for them so that the runs measure the steady state (reads are exact meanwhile).
    const catchUp = {};
    for (const b of backends) {
      const since = performance.now();
      let tail = await rollupTail(dbOf(b.label));
      while (tail > 0) {
        if (performance.now() - since > 600_000)
          throw new Error(`${b.label}: rollup not caught up`);
        await request(b, cases[2].path);
        await new Promise(r => setTimeout(r, 1000));
        tail = await rollupTail(dbOf(b.label));
      }
      catchUp[b.label] = performance.now() - since;
    }

    // Warm-up, then idle RSS.
    for (const c of cases) {
      for (const b of backends) {
        for (let i = 0; i < Math.min(WARMUP, c.n); i++)
          await request(b, c.path);
      }
    }
    await new Promise(r => setTimeout(r, 5000));
    const idleRss = Object.fromEntries(
      backends.map(b => [b.label, rssMiB(b.pid)]),
    );

    const stopSampling = Object.fromEntries(
      backends.map(b => [b.label, sampleRss(b.pid)]),
    );
    const runs = [];
    const mismatches = [];
    for (let run = 0; run < RUNS; run++) {
      const load = { start: uptime() };
      const results = {};
      for (const c of cases) {
        const times = Object.fromEntries(backends.map(b => [b.label, []]));
        const bodies = {};
        for (let i = 0; i < c.n; i++) {
          const order = i % 2 ? [...backends].reverse() : backends;
          for (const b of order) {
            const { ms, body } = await request(b, c.path);
            times[b.label].push(ms);
            bodies[b.label] ??= body;
          }
        }
        if (backends.length > 1 && bodies.before !== bodies.after) {
          mismatches.push(c.name);
          log(
            `${c.name}: responses differ: ${differingKeys(
              bodies.before,
              bodies.after,
            )}`,
          );
        }
        results[c.name] = times;
        log(
          `run ${run + 1} ${c.name}: ${backends
            .map(b => `${b.label} p50 ${fmt(percentile(times[b.label], 0.5))}`)
            .join(', ')}`,
        );
      }

      // The full scan, on the same data, in the same run.
      const fullScan = {};
      for (const [label, period] of [
        ['this quarter', periods().quarter],
        ['last 12 months', periods().year],
      ]) {
        const url = new URL(connectionString);
        url.pathname = `/${encodeURIComponent(dbOf(first))}`;
        const client = new pg.Client({ connectionString: url.toString() });
        await client.connect();
        const times = [];
        let row;
        try {
          for (let i = 0; i < count('full-scan-runs'); i++) {
            const t = performance.now();
            ({
              rows: [row],
            } = await client.query(FULL_SCAN_SQL, [
              period.from.getTime(),
              period.to.getTime(),
            ]));
            times.push(performance.now() - t);
          }
        } finally {
          await client.end();
        }
        const apiPath = `/v1/summary?${new URLSearchParams({
          from: period.from.toISOString(),
          to: period.to.toISOString(),
        })}`;
        const api = JSON.parse((await request(backends.at(-1), apiPath)).body);
        fullScan[label] = { times, differences: compareWithSummary(row, api) };
        log(
          `run ${run + 1} full scan ${label}: p50 ${fmt(
            percentile(times, 0.5),
          )}`,
        );
      }
      load.end = uptime();
      runs.push({ results, fullScan, load });
    }
    const loadRss = Object.fromEntries(
      Object.entries(stopSampling).map(([label, stop]) => [label, stop()]),
    );

    log('timing the summary parts in-process');
    const parts = await timeParts(
      backends.map(b => ({
        label: b.label,
        bundleDir: bundles[b.label],
        database: dbOf(b.label),
      })),
      count('part-runs'),
      team,
    );
    env.uptimeEnd = uptime();

    const report = {
      machine: {
        cpus: cpus().length,
        memGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        loadavg: loadavg(),
      },
      env,
      dataset,
      team,
      catchUpMs: catchUp,
      rss: { idle: idleRss, load: loadRss },
      runs,
      parts,
      mismatches,
      retries: Object.fromEntries(backends.map(b => [b.label, b.retries ?? 0])),
    };
    writeFileSync(
      join(artifacts, 'results.json'),
      JSON.stringify(report, null, 1),
    );
    console.log(renderMarkdown(report, labels, cases));
  } finally {
    for (const backend of Object.values(started)) await backend.stop();
    if (!args.keep) {
      for (const label of labels)
        await dropDatabases(connectionString, prefixOf(label));
    }
  }
}

// ---------------------------------------------------------------- report

function renderMarkdown(report, labels, cases) {
  const lines = [];
  const { counts, startMs, endMs } = report.dataset;
  const both = labels.length > 1;
  lines.push(
    `Dataset: ${counts.production} production and ${counts.non_production} other deployments, ` +
      `${counts.service_requests} services in ${counts.teams} teams, ${counts.incidents} incidents ` +
      `(${counts.incident_events} events), ${counts.survey_responses} survey responses ` +
      `(${counts.survey_answers} ratings) from ${new Date(startMs)
        .toISOString()
        .slice(0, 10)} ` +
      `to ${new Date(endMs).toISOString().slice(0, 10)}; ${
        counts.size
      }. Team filter: \`${report.team}\`.`,
    '',
    `Load average (1/5/15 min): ${report.runs
      .map((r, i) => `run ${i + 1} ${r.load.start} → ${r.load.end}`)
      .join('; ')}.`,
    '',
  );

  // Median over runs of each run's p50 and p95.
  const stat = (label, name, p) =>
    median(report.runs.map(r => percentile(r.results[name][label], p)));
  const header = ['endpoint', 'requests × runs'];
  for (const label of labels) header.push(`${label} p50 ms`, `${label} p95 ms`);
  header.push('target', 'met?');
  if (both) header.push('same figures');
  lines.push(
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
  );
  for (const c of cases) {
    const row = [c.name, `${c.n} × ${report.runs.length}`];
    for (const label of labels)
      row.push(fmt(stat(label, c.name, 0.5)), fmt(stat(label, c.name, 0.95)));
    const p95 = stat(labels.at(-1), c.name, 0.95);
    row.push(c.summary ? `p95 ≤ ${SUMMARY_TARGET_MS} ms` : '—');
    row.push(c.summary ? (p95 <= SUMMARY_TARGET_MS ? 'yes' : 'no') : '—');
    if (both) row.push(report.mismatches.includes(c.name) ? '**no**' : 'yes');
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push('');

  lines.push(
    `| full scan (fullScan.mjs) | p50 ms | summary ${labels.at(
      -1,
    )} p50 / p95 ms | speed-up at p50 / p95 | target | met? | same figures as the API |`,
    '|---|---|---|---|---|---|---|',
  );
  for (const [period, name] of [
    ['this quarter', 'summary, this quarter'],
    ['last 12 months', 'summary, last 12 months'],
  ]) {
    const scan = median(
      report.runs.map(r => percentile(r.fullScan[period].times, 0.5)),
    );
    const p50 = stat(labels.at(-1), name, 0.5);
    const p95 = stat(labels.at(-1), name, 0.95);
    const differences = report.runs.flatMap(
      r => r.fullScan[period].differences,
    );
    lines.push(
      `| ${period} | ${fmt(scan)} | ${fmt(p50)} / ${fmt(p95)} | ${(
        scan / p50
      ).toFixed(0)}× / ${(scan / p95).toFixed(0)}× | ≥ ${SPEED_UP_TARGET}× | ${
        scan / p95 >= SPEED_UP_TARGET ? 'yes' : 'no'
      } | ${differences.length ? differences.join('; ') : 'yes'} |`,
    );
  }
  lines.push('');

  const partNames = Object.keys(report.parts[labels[0]]);
  const partHeader = ["period (in-process, each build's own code)", 'part'];
  for (const label of labels)
    partHeader.push(`${label} p50 ms`, `${label} p95 ms`);
  lines.push(
    `| ${partHeader.join(' | ')} |`,
    `|${partHeader.map(() => '---').join('|')}|`,
  );
  for (const name of partNames) {
    const row = name.split('\u0000');
    for (const label of labels) {
      row.push(
        fmt(percentile(report.parts[label][name], 0.5)),
        fmt(percentile(report.parts[label][name], 0.95)),
      );
    }
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push('');

  lines.push(
    '| backend | RSS idle MiB | RSS under query load, median / max MiB |',
    '|---|---|---|',
  );
  for (const label of labels) {
    const samples = report.rss.load[label] ?? [];
    lines.push(
      `| ${label} | ${report.rss.idle[label].toFixed(0)} | ${median(
        samples,
      ).toFixed(0)} / ${Math.max(...samples).toFixed(0)} |`,
    );
  }
  const caughtUp = labels.filter(l => report.catchUpMs[l] > 1000);
  if (caughtUp.length > 0) {
    lines.push(
      '',
      `First rollup catch-ups after start, from empty rollups (reads exact meanwhile): ${caughtUp
        .map(l => `${l} ${(report.catchUpMs[l] / 1000).toFixed(1)} s`)
        .join(', ')}.`,
    );
  }
  lines.push(
    '',
    `Requests retried after a 500 (server out of client connections): ${labels
      .map(l => `${l} ${report.retries[l]}`)
      .join(', ')}.`,
  );
  return lines.join('\n');
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
