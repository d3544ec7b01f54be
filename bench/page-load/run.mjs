#!/usr/bin/env node
// Page-load benchmark of the Platform value page on the production build: the
// built frontend (packages/app, `backstage-cli package build`) served by the
// built backend's app plugin (packages/backend/dist/bundle.tar.gz), NODE_ENV=
// production, app-config.production.yaml, PostgreSQL. Chromium (Debian's,
// driven by playwright-core) navigates to /platform-value and the page itself
// records when the four metric tiles show their values.
//
//   node bench/page-load/run.mjs [--runs 5] [--warm 2] [--port 7051]
//     [--variant name=<unpacked bundle dir>]...  (default: unpack the current bundle)
//     [--unpack-to <dir>]                        (unpack the current bundle there and exit)
//     [--build]                                  (yarn build:backend first; it builds packages/app)
//     [--keep]                                   (keep the databases)
//     [--tracking on|off|both]                   (usage tracking; default on)
//
// Each run opens a fresh browser context (empty HTTP cache, the signed-in
// session restored) and navigates once ("cold"), then navigates --warm more
// times in the same context ("warm": scripts and styles from the HTTP cache).
// Several --variant flags start one backend per variant (each with its own
// databases and demo history) and measure them in turn within every run,
// alternating which goes first, so that a before/after comparison shares the
// machine's load. Needs BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING.
//
// Sign-in: production offers only GitHub, which cannot be reached here. The
// bench layers a config file of its own (never app-config.production.yaml)
// that turns on Backstage's guest provider outside development
// (auth.providers.guest.dangerouslyAllowOutsideDevelopment) and offers it on
// the sign-in page, plus the demo catalog and the demo history
// (platformMetrics.demoData). Everything else is the production build and
// config. The session is created once per variant and restored into every
// run's context, the way a returning user arrives: the app refreshes the
// session from its cookie during the measured navigation.
//
// Usage tracking (issue 13): the app sends usage events unless the browser
// asks not to be tracked. `--tracking off` measures with Do Not Track on in
// every context (navigator.doNotTrack, and the DNT header), `--tracking both`
// measures each variant both ways within every run, on the same backend.

import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import {
  dropDatabases,
  generateSecrets,
  postgresConnectionString,
  root,
  startBackend,
  unpackBundle,
} from '../../scripts/lib/prodBackend.mjs';
import { median, percentile } from '../lib/stats.mjs';
import { installDemoModule, needsSeedingStart } from './seedDemoHistory.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    warm: { type: 'string', default: '2' },
    page: { type: 'string', multiple: true },
    settle: { type: 'string', default: '3000' },
    port: { type: 'string', default: '7051' },
    variant: { type: 'string', multiple: true },
    'unpack-to': { type: 'string' },
    build: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '30000' },
    tracking: { type: 'string', default: 'on' },
  },
});

const TRACKING_MODES = { on: ['on'], off: ['off'], both: ['on', 'off'] };
const trackingModes = TRACKING_MODES[args.tracking];
if (!trackingModes) {
  throw new Error(`--tracking wants on, off or both: ${args.tracking}`);
}

const runs = Number(args.runs);
const warmPerRun = Number(args.warm);
const settleMs = Number(args.settle);
const basePort = Number(args.port);
const navigationTimeout = Number(args.timeout);
// The last 12 months first: every tile has a number there. The default view
// (this quarter) is where people land.
const pages = args.page?.length
  ? args.page
  : ['/platform-value?period=year', '/platform-value'];
const outDir = join(root, '.artifacts/bench-page-load');
const executablePath = process.env.PORTAL_CHROMIUM ?? '/usr/bin/chromium';
const METRICS = ['leadTime', 'goldenPath', 'mttr', 'satisfaction'];
const TARGET_MS = 2000;

const log = message => process.stderr.write(`${message}\n`);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const fmt = (value, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    : 'n/a';
const load = () =>
  loadavg()
    .map(v => v.toFixed(2))
    .join(' ');

// ---------------------------------------------------------------------------
// Backends

function variants() {
  if (!args.variant?.length) {
    return [{ name: 'current', dir: unpackBundle(join(outDir, 'current')) }];
  }
  return args.variant.map(spec => {
    const at = spec.indexOf('=');
    if (at <= 0) {
      throw new Error(`--variant wants name=<unpacked bundle dir>: ${spec}`);
    }
    const dir = resolve(spec.slice(at + 1));
    if (!existsSync(join(dir, 'packages/app/dist/index.html'))) {
      throw new Error(`${dir} holds no built frontend (packages/app/dist)`);
    }
    return { name: spec.slice(0, at), dir };
  });
}

// Config arrays replace, not merge: the locations repeat those of
// app-config.production.yaml and add the demo catalog, whose Groups and Users
// stand in for the GitHub organisation (its teams own the demo services).
const extraConfig = [
  'auth:',
  '  providers:',
  '    guest:',
  '      dangerouslyAllowOutsideDevelopment: true',
  'portal:',
  '  signInProviders: [guest]',
  'catalog:',
  '  locations:',
  '    - type: file',
  '      target: ./catalog-info.yaml',
  '    - type: file',
  '      target: ./templates/*/template.yaml',
  '      rules:',
  '        - allow: [Template]',
  '    - type: file',
  '      target: ./catalog/*.yaml',
  '      rules:',
  '        - allow: [Domain, System, Component, API, Resource, Group, User]',
  'platformMetrics:',
  '  demoData: true',
].join('\n');

// The app backend finds the frontend with require.resolve(app.packageName)
// from the repository's node_modules, where `app` is the working tree's
// packages/app: every variant would serve the same, latest build. Under a name
// found only on NODE_PATH, it resolves each unpacked bundle's own build.
const FRONTEND_PACKAGE = 'portal-bench-frontend';

function frontendNodePath(dir) {
  const nodePath = join(dir, '.bench-node-path');
  rmSync(nodePath, { recursive: true, force: true });
  mkdirSync(nodePath);
  symlinkSync(join(dir, 'packages/app'), join(nodePath, FRONTEND_PACKAGE));
  return nodePath;
}

/** Fails unless the backend serves the variant's own frontend build. */
function checkServedFrontend(variant) {
  const served = /Serving static app content from ([^"]+)"/.exec(
    readFileSync(variant.logFile, 'utf8'),
  )?.[1];
  const expected = join(variant.dir, 'packages/app/dist');
  if (served !== expected) {
    throw new Error(
      `${variant.name} serves ${served ?? 'no frontend'}, not ${expected}`,
    );
  }
}

async function startVariant(
  variant,
  index,
  connectionString,
  secrets,
  { seeding = false, keepDatabases = false } = {},
) {
  cpSync(join(root, 'catalog'), join(variant.dir, 'catalog'), {
    recursive: true,
  });
  const prefix = `portal_bench_p_${index}_`;
  const logFile = join(
    outDir,
    `${variant.name}.${seeding ? 'seeding' : 'backend'}.log`,
  );
  if (!keepDatabases) await dropDatabases(connectionString, prefix);
  const backend = startBackend({
    bundleDir: variant.dir,
    port: basePort + index,
    prefix,
    secrets,
    connectionString,
    logFile,
    extraConfig: `${extraConfig}\napp:\n  packageName: ${FRONTEND_PACKAGE}`,
    env: {
      ...(seeding ? { NODE_ENV: 'development' } : {}),
      NODE_PATH: frontendNodePath(variant.dir),
      // Idle plugins then hold no connections: PostgreSQL's 100 are shared with
      // everything else on the machine, and a refused one is a 500 on the page.
      APP_CONFIG_backend_database_knexConfig_pool_min: '0',
    },
  });
  return { ...variant, prefix, backend, logFile };
}

/** Resolves once the demo seeder has written its history. */
async function demoHistory(variant, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (variant.backend.hasExited) {
      throw new Error(
        `${variant.name}: backend exited; see ${variant.logFile}`,
      );
    }
    const text = readFileSync(variant.logFile, 'utf8');
    const seeded = /Seeded demo metrics: ([^"\n]+)/.exec(text);
    if (seeded) return seeded[1];
    await sleep(1000);
  }
  throw new Error(`${variant.name}: no demo history after ${timeoutMs} ms`);
}

// ---------------------------------------------------------------------------
// One navigation

// Runs in the page before its own scripts. A MutationObserver notes the first
// moment the four tiles hold a value (in the DOM, then painted: the next
// animation frame), and when every part of the overview has loaded (painted).
function pageProbe(metrics) {
  const state = {};
  window.__pageLoad = state;
  const painted = key => {
    requestAnimationFrame(() => {
      state[key] = performance.now();
    });
  };
  let completeInDom;
  const check = () => {
    if (state.tilesInDom === undefined) {
      const values = metrics.map(
        m =>
          document
            .querySelector(`[data-testid="${m}-value"]`)
            ?.textContent?.trim() ?? '',
      );
      if (!values.every(Boolean)) return;
      state.tilesInDom = performance.now();
      state.values = values;
      painted('tiles');
    }
    const loading = document.querySelector(
      '[role="status"][aria-label^="Loading"]',
    );
    const pending = document.body.textContent.includes('… vs');
    if (!completeInDom && !loading && !pending) {
      completeInDom = true;
      painted('complete');
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  document.addEventListener('DOMContentLoaded', () => {
    observer.observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
}

// Runs in the page before its own scripts: Do Not Track as the browser
// reports it, which the portal's usage tracker honours by sending nothing.
function doNotTrack() {
  Object.defineProperty(Navigator.prototype, 'doNotTrack', {
    configurable: true,
    get: () => '1',
  });
}

const USAGE_EVENTS_PATH = '/api/platform-metrics/v1/usage/events';

/** Collects what the page fetches, from the DevTools protocol. */
async function recordNetwork(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const requests = new Map();
  const get = id => requests.get(id) ?? {};
  cdp.on('Network.requestWillBeSent', e => {
    requests.set(e.requestId, {
      url: e.request.url,
      type: e.type,
      start: e.timestamp,
    });
  });
  cdp.on('Network.responseReceived', e => {
    const r = get(e.requestId);
    r.status = e.response.status;
    r.cached = e.response.fromDiskCache || e.response.fromMemoryCache;
  });
  cdp.on('Network.requestServedFromCache', e => {
    get(e.requestId).cached = true;
  });
  cdp.on('Network.loadingFinished', e => {
    const r = get(e.requestId);
    r.end = e.timestamp;
    r.bytes = e.encodedDataLength;
  });
  cdp.on('Network.loadingFailed', e => {
    const r = get(e.requestId);
    r.end = e.timestamp;
    r.failed = e.errorText;
  });
  return {
    requests,
    detach: () => cdp.detach().catch(() => {}),
  };
}

/**
 * What was fetched until the page had loaded everything, in ms from the page's
 * own request; and what it went on fetching in the settle time after that.
 */
function summariseNetwork(requests, baseUrl, { tiles, complete }) {
  const all = [...requests.values()];
  const document = all.find(r => r.type === 'Document');
  const t0 = document?.start ?? Math.min(...all.map(r => r.start));
  const at = seconds => (seconds - t0) * 1000;
  const path = url => {
    const u = new URL(url);
    return u.origin === baseUrl ? u.pathname : url;
  };
  const entries = all
    .map(r => ({
      path: path(r.url),
      query: new URL(r.url).search,
      type: r.type,
      start: at(r.start),
      end: r.end ? at(r.end) : NaN,
      duration: r.end ? (r.end - r.start) * 1000 : NaN,
      bytes: r.bytes ?? 0,
      cached: !!r.cached,
      status: r.status,
      failed: r.failed,
    }))
    .sort((a, b) => a.start - b.start);
  const until = entries.filter(r => r.start <= complete);
  const later = entries.filter(r => r.start > complete);
  const api = until.filter(r => r.path.startsWith('/api/'));
  const scripts = until.filter(r => r.type === 'Script');
  const slowest = api.reduce(
    (worst, r) => (!worst || r.duration > worst.duration ? r : worst),
    undefined,
  );
  const bytesOf = list => list.reduce((sum, r) => sum + r.bytes, 0);
  return {
    requests: until.length,
    fromCache: until.filter(r => r.cached).length,
    apiCalls: api.length,
    scripts: scripts.length,
    transferBytes: bytesOf(until),
    scriptBytes: bytesOf(scripts),
    scriptBytesBeforeTiles: bytesOf(scripts.filter(r => r.start <= tiles)),
    errors: until
      .filter(r => r.failed || r.status >= 400)
      .map(r => `${r.path} ${r.failed ?? r.status}`),
    slowestApi: slowest && { path: slowest.path, ms: slowest.duration },
    // The app's session refresh: before it, the portal's own shell boots (the
    // same code in every variant); after it, the page loads its code and data.
    sessionRefresh: entries.find(r =>
      /^\/api\/auth\/[^/]+\/refresh$/.test(r.path),
    )?.start,
    laterRequests: later.length,
    laterPaths: [...new Set(later.map(r => r.path))],
    // Whether tracking was on shows here, in the page's life up to the end of the settle time.
    usageBatches: entries.filter(r => r.path === USAGE_EVENTS_PATH).length,
    timeline: entries,
  };
}

async function navigate(context, baseUrl, path) {
  const page = await context.newPage();
  const network = await recordNetwork(context, page);
  try {
    await page.goto(`${baseUrl}${path}`, { waitUntil: 'commit' });
    const handle = await page.waitForFunction(
      () => {
        const s = window.__pageLoad;
        return s && s.tiles !== undefined && s.complete !== undefined && s;
      },
      null,
      { timeout: navigationTimeout, polling: 100 },
    );
    const probe = await handle.jsonValue();
    // A page that keeps fetching after it has loaded shows up here.
    await sleep(settleMs);
    const timing = await page.evaluate(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        firstContentfulPaint: fcp?.startTime,
        domContentLoaded: nav?.domContentLoadedEventEnd,
      };
    });
    return {
      tiles: probe.tiles,
      tilesInDom: probe.tilesInDom,
      complete: probe.complete,
      values: probe.values,
      ...timing,
      ...summariseNetwork(network.requests, baseUrl, {
        tiles: probe.tilesInDom,
        complete: probe.complete,
      }),
    };
  } catch (error) {
    const shot = join(outDir, `failed-${Date.now()}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    log(`  navigation failed (${String(error).split('\n')[0]}); see ${shot}`);
    return { tiles: NaN, complete: NaN, errors: [String(error)] };
  } finally {
    await network.detach();
    await page.close();
  }
}

const contextOptions = { viewport: { width: 1440, height: 900 } };

/** Signs in as guest once; the session is then restored into every run. */
async function signIn(browser, variant) {
  const context = await browser.newContext(contextOptions);
  await context.addInitScript(pageProbe, METRICS);
  const page = await context.newPage();
  await page.goto(`${variant.backend.baseUrl}${pages[0]}`);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.waitForFunction(
    () => window.__pageLoad?.complete !== undefined,
    null,
    { timeout: 120_000 },
  );
  const state = await context.storageState();
  await context.close();
  return state;
}

/** A fresh context (empty HTTP cache): one cold navigation, then warm ones. */
async function measureRun(browser, variant, path) {
  const tracked = variant.tracking !== 'off';
  const context = await browser.newContext({
    ...contextOptions,
    storageState: variant.session,
    ...(!tracked && { extraHTTPHeaders: { DNT: '1' } }),
  });
  await context.addInitScript(pageProbe, METRICS);
  if (!tracked) await context.addInitScript(doNotTrack);
  try {
    const cold = await navigate(context, variant.backend.baseUrl, path);
    const warm = [];
    for (let i = 0; i < warmPerRun; i++) {
      warm.push(await navigate(context, variant.backend.baseUrl, path));
    }
    return { cold, warm };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------
// Tables

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(r => `| ${r.join(' | ')} |`),
  ].join('\n');
}

const finite = (list, key) => list.map(s => s[key]).filter(Number.isFinite);
const p50 = (list, key) => median(finite(list, key));
const p95 = (list, key) => percentile(finite(list, key), 0.95);

function reportPage(path, variantsOfPage) {
  const timing = [];
  const fetched = [];
  const waterfalls = [];
  for (const { name, samples } of variantsOfPage) {
    for (const cache of ['cold', 'warm']) {
      const list = samples[cache];
      const ok = list.filter(s => Number.isFinite(s.tiles));
      const tiles = finite(list, 'tiles');
      const within = v => (v <= TARGET_MS ? 'yes' : '**no**');
      timing.push([
        name,
        cache,
        `${tiles.length}${
          ok.length < list.length ? ` (${list.length - ok.length} failed)` : ''
        }`,
        fmt(p50(list, 'tiles')),
        fmt(p95(list, 'tiles')),
        `${fmt(Math.min(...tiles))}–${fmt(Math.max(...tiles))}`,
        `${fmt(p50(list, 'complete'))} / ${fmt(p95(list, 'complete'))}`,
        fmt(p50(list, 'firstContentfulPaint')),
        fmt(p50(list, 'sessionRefresh')),
        fmt(median(ok.map(n => n.tiles - n.sessionRefresh))),
        `${within(p50(list, 'tiles'))} / ${within(p95(list, 'tiles'))}`,
      ]);
      const slowest = ok
        .map(s => s.slowestApi)
        .filter(Boolean)
        .sort((a, b) => a.ms - b.ms);
      const mid = slowest[Math.floor(slowest.length / 2)];
      fetched.push([
        name,
        cache,
        fmt(p50(ok, 'requests')),
        fmt(p50(ok, 'fromCache')),
        fmt(p50(ok, 'scripts')),
        fmt(p50(ok, 'scriptBytesBeforeTiles') / 1024),
        fmt(p50(ok, 'scriptBytes') / 1024),
        fmt(p50(ok, 'transferBytes') / 1024),
        fmt(p50(ok, 'apiCalls')),
        mid ? `\`${mid.path}\` ${fmt(mid.ms)}` : 'n/a',
        fmt(p50(ok, 'laterRequests')),
        fmt(p50(ok, 'usageBatches')),
      ]);
    }
    // The median cold navigation, call by call.
    const cold = samples.cold
      .filter(s => Number.isFinite(s.tiles))
      .sort((a, b) => a.tiles - b.tiles);
    if (cold.length) {
      const mid = cold[Math.floor(cold.length / 2)];
      const rows = [];
      const lazy = mid.timeline.filter(
        r => r.type === 'Script' && r.start > mid.domContentLoaded,
      );
      const initial = mid.timeline.filter(
        r => r.type === 'Script' && r.start <= mid.domContentLoaded,
      );
      const span = (label, list) =>
        list.length &&
        rows.push([
          `${label} (${list.length}, ${fmt(
            list.reduce((a, r) => a + r.bytes, 0) / 1024,
          )} KiB)`,
          fmt(Math.min(...list.map(r => r.start))),
          fmt(Math.max(...list.map(r => r.end))),
          '',
        ]);
      span('scripts in the HTML', initial);
      rows.push([
        'DOMContentLoaded, first paint',
        fmt(mid.domContentLoaded),
        fmt(mid.firstContentfulPaint),
        '',
      ]);
      span('scripts loaded later', lazy);
      for (const r of mid.timeline.filter(
        r => r.path.startsWith('/api/') && r.start <= mid.complete,
      )) {
        const query =
          r.query.length > 48 ? `${r.query.slice(0, 47)}…` : r.query;
        rows.push([
          `\`${r.path}${query}\``,
          fmt(r.start),
          fmt(r.end),
          `${r.status ?? r.failed ?? 'n/a'}`,
        ]);
      }
      rows.push(['tiles with values', '', fmt(mid.tiles), '']);
      rows.push(['everything loaded', '', fmt(mid.complete), '']);
      const later = mid.laterRequests
        ? `; ${mid.laterRequests} more requests in the ${fmt(
            settleMs / 1000,
          )} s after (${mid.laterPaths.join(', ')})`
        : '';
      waterfalls.push(
        `\nMedian cold navigation, ${name}${later}:\n\n${table(
          ['request', 'start ms', 'end ms', 'status'],
          rows,
        )}`,
      );
    }
  }
  return [
    `### \`${path}\`: navigation → four tiles with values (ms)\n`,
    table(
      [
        'variant',
        'cache',
        'navigations',
        'p50',
        'p95',
        'min–max',
        'all loaded p50 / p95',
        'first paint p50',
        'session refresh starts p50',
        'refresh → tiles p50',
        `≤ ${TARGET_MS / 1000} s at p50 / p95`,
      ],
      timing,
    ),
    `\n### \`${path}\`: what the page fetched until everything had loaded (median per navigation)\n`,
    table(
      [
        'variant',
        'cache',
        'requests',
        'from cache',
        'scripts',
        'scripts KiB before the tiles',
        'scripts KiB in all',
        'all KiB transferred',
        'API calls',
        'slowest API call, ms (median run)',
        `requests in the ${fmt(settleMs / 1000)} s after`,
        'usage batches posted',
      ],
      fetched,
    ),
    ...waterfalls,
  ].join('\n');
}

// ---------------------------------------------------------------------------

async function main() {
  mkdirSync(outDir, { recursive: true });
  if (args['unpack-to']) {
    // Keeps a copy of a build so that it can be compared with a later one.
    console.log(`unpacked to ${unpackBundle(resolve(args['unpack-to']))}`);
    return;
  }
  if (args.build) {
    log('building the production bundle (yarn build:backend)…');
    execFileSync('flock', ['/tmp/portal-build.lock', 'yarn', 'build:backend'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const list = variants();
  const connectionString = postgresConnectionString();
  const secrets = generateSecrets();
  const started = [];
  // What is measured: each started variant once per tracking mode.
  let measured = [];
  let browser;
  const loadSamples = [load()];
  try {
    for (const [i, v] of list.entries()) {
      if (needsSeedingStart(v.dir)) {
        installDemoModule(root, v.dir);
        const seeding = await startVariant(v, i, connectionString, secrets, {
          seeding: true,
        });
        try {
          await seeding.backend.ready();
          v.history = await demoHistory(seeding);
          log(`${v.name}: seeded in a development start: ${v.history}`);
        } finally {
          await seeding.backend.stop();
        }
      }
      started.push(
        await startVariant(v, i, connectionString, secrets, {
          keepDatabases: Boolean(v.history),
        }),
      );
    }
    for (const v of started) {
      await v.backend.ready();
      checkServedFrontend(v);
      log(`${v.name}: ready on ${v.backend.baseUrl} (${v.dir})`);
    }
    for (const v of started) {
      v.history ??= await demoHistory(v);
      log(`${v.name}: ${v.history}`);
    }
    browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    for (const v of started) v.session = await signIn(browser, v);
    measured = started.flatMap(v =>
      trackingModes.map(tracking => ({
        ...v,
        name:
          trackingModes.length > 1 ? `${v.name}, tracking ${tracking}` : v.name,
        tracking,
        samples: Object.fromEntries(
          pages.map(path => [path, { cold: [], warm: [] }]),
        ),
      })),
    );
    for (const v of measured) {
      // Unmeasured, so that the backend's first-request costs (code loading,
      // connection pools) are not counted as the page's.
      for (const path of pages) await measureRun(browser, v, path);
    }
    loadSamples.push(load());
    for (let run = 0; run < runs; run++) {
      const order = run % 2 ? [...measured].reverse() : measured;
      for (const path of pages) {
        for (const v of order) {
          const { cold, warm } = await measureRun(browser, v, path);
          v.samples[path].cold.push(cold);
          v.samples[path].warm.push(...warm);
          log(
            `run ${run + 1}/${runs} ${v.name} ${path}: cold ${fmt(
              cold.tiles,
            )} ms, warm ${warm
              .map(w => fmt(w.tiles))
              .join(', ')} ms (load ${load()})`,
          );
        }
      }
      loadSamples.push(load());
    }
  } finally {
    await browser?.close();
    for (const v of started) {
      await v.backend.stop();
      if (!args.keep) {
        await dropDatabases(connectionString, v.prefix).catch(() => {});
      }
    }
  }

  const tiles = pages
    .map(path => {
      const shown = measured.map(
        v =>
          `${v.name}: ${
            v.samples[path].cold.find(s => s.values)?.values?.join(' | ') ??
            'none'
          }`,
      );
      return `- \`${path}\`: ${shown.join('; ')}`;
    })
    .join('\n');
  console.log(
    [
      `Machine: ${cpus().length} × ${cpus()[0]?.model}, ${fmt(
        totalmem() / 2 ** 30,
      )} GiB, Node ${process.version}, ${execFileSync(
        executablePath,
        ['--version'],
        {
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      )
        .toString()
        .trim()}`,
      `Load average (1/5/15 min) at start, after the warm-up, after each run: ${loadSamples.join(
        ' → ',
      )}`,
      `Runs: ${runs} per variant and page, each 1 cold + ${warmPerRun} warm navigations; usage tracking: ${
        args.tracking
      } (off: Do Not Track); demo history: ${started
        .map(v => `${v.name} ${v.history}`)
        .join('; ')}`,
      'Tile values (lead time | golden path | MTTR | satisfaction):',
      tiles,
      '',
      ...pages.map(path =>
        reportPage(
          path,
          measured.map(v => ({ name: v.name, samples: v.samples[path] })),
        ),
      ),
    ].join('\n'),
  );
  writeFileSync(
    join(outDir, 'results.json'),
    JSON.stringify(
      {
        loadSamples,
        pages,
        variants: measured.map(v => ({
          name: v.name,
          tracking: v.tracking,
          samples: v.samples,
        })),
      },
      null,
      2,
    ),
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
