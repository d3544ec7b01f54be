#!/usr/bin/env node
// Ingestion benchmark of the platform-metrics backend, against the production build
// (packages/backend/dist/bundle.tar.gz) on PostgreSQL, loaded with autocannon:
//
//   (a) single GitHub `deployment_status` webhooks, each signed (X-Hub-Signature-256)
//       and with its own X-GitHub-Delivery;
//   (b) CDEvents batches (an array of --batch-size events per request);
//
// then compares what was answered 2xx with what PostgreSQL holds (lost, duplicated),
// re-sends a sample of acknowledged deliveries to show a redelivery is not counted
// twice, and samples the backend's RSS. Prints markdown tables.
//
//   node bench/ingest/run.mjs [--duration 20] [--runs 3]
//     [--webhook-connections 16,64] [--batch-connections 2,8] [--batch-size 100]
//     [--known-share 0.5] [--port 7041]
//     [--variant name=<unpacked bundle dir>]...   (default: unpack the current bundle)
//     [--unpack-to <dir>]                         (unpack the current bundle there and exit)
//     [--profile]                                 (V8 CPU profile of the backend per scenario)
//     [--summarise <file.cpuprofile>]             (print a saved profile's summary and exit)
//
// Several --variant flags start one backend per variant (each with its own databases)
// and load them one after the other within each round, so that a before/after
// comparison sees the same machine load. Needs BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
// (see scripts/portal env); drops its databases when done.

import autocannon from 'autocannon';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
import { startCpuProfile, summariseProfile } from '../lib/cpuProfile.mjs';
import { cpuMeter } from '../lib/processCpu.mjs';
import { rssMiB, sampleRss } from '../lib/processRss.mjs';
import { median } from '../lib/stats.mjs';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
    'webhook-connections': { type: 'string', default: '16,64' },
    'batch-connections': { type: 'string', default: '2,8' },
    'batch-size': { type: 'string', default: '100' },
    'known-share': { type: 'string', default: '0.5' },
    'resend-sample': { type: 'string', default: '200' },
    port: { type: 'string', default: '7041' },
    variant: { type: 'string', multiple: true },
    'unpack-to': { type: 'string' },
    profile: { type: 'boolean', default: false },
    summarise: { type: 'string' },
  },
});

const durationS = Number(args.duration);
const runs = Number(args.runs);
const list = value => value.split(',').filter(Boolean).map(Number);
const webhookConnections = list(args['webhook-connections']);
const batchConnections = list(args['batch-connections']);
const batchSize = Number(args['batch-size']);
const knownShare = Number(args['known-share']);
const resendSample = Number(args['resend-sample']);
const basePort = Number(args.port);
const outDir = join(root, '.artifacts/bench-ingest');
mkdirSync(outDir, { recursive: true });

// Layers of a request, innermost first: a sample counts for the innermost frame on
// its stack that belongs to one (a socket write under pg is the database client's).
const LAYERS = [
  [
    'database client (knex, pg)',
    /node_modules\/(knex|pg|pg-protocol|pg-pool|tarn)\/|DatabaseMetricsStore|database\/metrics\//,
  ],
  [
    'logging (winston)',
    /node_modules\/(winston|logform|winston-transport)\/|rootLogger/,
  ],
  ['signature (HMAC)', /ingestion\/signatures/],
  ['catalog attribution', /CatalogAttribution/],
  ['payload parsing (zod, parsers)', /node_modules\/zod\/|ingestion\/parse/],
  ['ingestion service', /DefaultIngestionService/],
  ['body parsing (JSON)', /node_modules\/(body-parser|raw-body|iconv-lite)\//],
  ['OpenAPI request validation', /express-openapi-validator|ajv/],
  ['auth (tokens)', /node_modules\/jose\/|auth/],
  [
    'HTTP framework (express, helmet, compression, router)',
    /node_modules\/(express|express-promise-router|helmet|compression|path-to-regexp|router|cors|morgan|on-finished|finalhandler|send)\/|node:_http/,
  ],
];

if (args.summarise) {
  // Re-reads a saved profile.
  const summary = summariseProfile(
    JSON.parse(readFileSync(args.summarise, 'utf8')),
    args.summarise,
    LAYERS,
  );
  console.log(
    `- by layer: ${summary.layers.join(
      ', ',
    )}\n- by function:\n${summary.functions.map(f => `  - ${f}`).join('\n')}`,
  );
  process.exit(0);
}

if (args['unpack-to']) {
  // Keeps a copy of a build so that it can be compared with a later one.
  console.log(`unpacked to ${unpackBundle(resolve(args['unpack-to']))}`);
  process.exit(0);
}

const connectionString = postgresConnectionString();
const sleep = ms => new Promise(r => setTimeout(r, ms));
const fmt = (value, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    : 'n/a';

// ---------------------------------------------------------------------------
// The catalog the services are attributed to

// The production config loads only catalog-info.yaml (component:default/portal), and
// GitHub webhooks are attributed through the `github.com/project-slug` annotation,
// which that entity lacks. A few bench components with the annotation make "known"
// GitHub deliveries possible; they have the same owner as the portal. Known webhooks
// name bench-known-1…19; known CDEvents name those or component:default/portal.
const KNOWN_COMPONENTS = 20;
const knownSlug = i => `acme/bench-known-${i}`;
const knownRef = i =>
  i === 0 ? 'component:default/portal' : `component:default/bench-known-${i}`;
const UNKNOWN_SERVICES = 200;
const unknownSlug = i => `acme/bench-unknown-${i}`;
const unknownRef = i => `component:default/bench-unknown-${i}`;

function benchCatalogYaml() {
  const docs = [];
  for (let i = 1; i < KNOWN_COMPONENTS; i++) {
    docs.push(
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: bench-known-${i}`,
        '  annotations:',
        `    github.com/project-slug: ${knownSlug(i)}`,
        'spec:',
        '  type: service',
        '  owner: group:default/platform',
        '  lifecycle: production',
      ].join('\n'),
    );
  }
  return `${docs.join('\n---\n')}\n`;
}

// Config arrays replace, not merge: the first two locations repeat those of
// app-config.production.yaml, the third adds the bench components.
function extraConfig(githubSecret) {
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
    '      target: ./bench-catalog.yaml',
    'platformMetrics:',
    '  webhooks:',
    '    github:',
    `      secret: ${githubSecret}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------
// Request bodies

// Shaped like GitHub's deployment_status example (see the parser's test), about 3 kB.
// Built from a string rather than JSON.stringify of an object: the generator shares
// the two cores with the backend and PostgreSQL, so every microsecond it spends is
// taken from what is being measured.
function githubBody(n, slug) {
  const user =
    '{"login":"octo-deployer","id":583231,"node_id":"MDQ6VXNlcjU4MzIzMQ==","avatar_url":"https://avatars.githubusercontent.com/u/583231?v=4","gravatar_id":"","url":"https://api.github.com/users/octo-deployer","html_url":"https://github.com/octo-deployer","type":"User","site_admin":false}';
  const at = new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString();
  const api = `https://api.github.com/repos/${slug}`;
  return (
    `{"action":"created","deployment_status":{"url":"${api}/deployments/${n}/statuses/${n}","id":${n},` +
    `"node_id":"DES_${n}","state":"success","creator":${user},"description":"","environment":"production",` +
    `"target_url":"","created_at":"${at}","updated_at":"${at}","deployment_url":"${api}/deployments/${n}",` +
    `"repository_url":"${api}"},"deployment":{"url":"${api}/deployments/${n}","id":${n},"node_id":"DE_${n}",` +
    `"sha":"9f2c1a4e7b3d5c6a8e0f1b2c3d4e5f6a7b8c9d0e","ref":"main","task":"deploy",` +
    `"payload":{"goldenPath":{"template":"template:default/node-service","version":"1.4.0"},"observability":true},` +
    `"original_environment":"production","environment":"production","description":null,"creator":${user},` +
    `"created_at":"${at}","updated_at":"${at}","statuses_url":"${api}/deployments/${n}/statuses",` +
    `"repository_url":"${api}","performed_via_github_app":null},"repository":{"id":648763311,` +
    `"node_id":"R_kgDOJq3Vrw","name":"${
      slug.split('/')[1]
    }","full_name":"${slug}","private":true,` +
    `"owner":${user},"html_url":"https://github.com/${slug}","description":null,"fork":false,` +
    `"url":"${api}","default_branch":"main"},"sender":${user}}`
  );
}

// One CDEvent (spec 0.4, service.deployed 0.2.0) with context.id = `id`.
function cdEvent(id, n, ref, environment) {
  const at = new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString();
  return (
    `{"context":{"version":"0.4.0","id":"${id}","source":"/pipelines/bench/deploy",` +
    `"type":"dev.cdevents.service.deployed.0.2.0","timestamp":"${at}"},` +
    `"subject":{"id":"${ref}","source":"/pipelines/bench/deploy","type":"service",` +
    `"content":{"environment":{"id":"${environment}"},"artifactId":"pkg:oci/bench@sha256%3A${n}"}},` +
    `"customData":{"goldenPath":{"template":"template:default/node-service","version":"1.4.0"},` +
    `"pipelineId":"bench-${n}","observability":true}}`
  );
}

/** Known or unknown, deterministically from n, so that a re-send rebuilds the same body. */
const isKnown = n => ((n * 2654435761) >>> 0) / 2 ** 32 < knownShare;

function makeWebhook(secret, tag) {
  return n => {
    const slug = isKnown(n)
      ? knownSlug(1 + (n % (KNOWN_COMPONENTS - 1)))
      : unknownSlug(n % UNKNOWN_SERVICES);
    const body = Buffer.from(githubBody(n, slug));
    const signature = `sha256=${createHmac('sha256', secret)
      .update(body)
      .digest('hex')}`;
    return {
      n,
      delivery: `${tag}-${n}`,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/bench',
        'x-github-event': 'deployment_status',
        'x-github-delivery': `${tag}-${n}`,
        'x-hub-signature-256': signature,
      },
    };
  };
}

function makeBatch(token, tag) {
  return n => {
    const events = [];
    for (let i = 0; i < batchSize; i++) {
      const m = n * batchSize + i;
      const id = `${tag}-${m}`;
      const ref = isKnown(m)
        ? knownRef(m % KNOWN_COMPONENTS)
        : unknownRef(m % UNKNOWN_SERVICES);
      events.push(cdEvent(id, m, ref, m % 4 === 0 ? 'staging' : 'production'));
    }
    return {
      n,
      body: Buffer.from(`[${events.join(',')}]`),
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
    };
  };
}

// ---------------------------------------------------------------------------
// Profiling (--profile): the V8 profiler of the backend, over the inspector protocol

async function startProfiler(variant) {
  if (!args.profile) return async () => undefined;
  const stop = await startCpuProfile(variant.inspectorPort);
  return async name => {
    const file = join(outDir, `${name}.cpuprofile`);
    return summariseProfile(await stop(file), file, LAYERS);
  };
}

// ---------------------------------------------------------------------------
// Load

/**
 * Runs autocannon with one request template whose body comes from `build(n)`, n
 * counting per scenario. Each connection has one request in flight (no pipelining),
 * so the response autocannon reports belongs to the request last set up on that
 * connection's context: that is how each 2xx is tied to its delivery.
 */
async function load({ url, connections, build, onAcknowledged }) {
  let next = 0;
  const statuses = {};
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    pipelining: 1,
    duration: durationS,
    // GitHub gives up on a webhook after 10 s.
    timeout: 10,
    requests: [
      {
        setupRequest(request, context) {
          const n = next++;
          const built = build(n);
          context.n = n;
          context.built = built;
          return {
            ...request,
            method: 'POST',
            headers: built.headers,
            body: built.body,
          };
        },
        onResponse(status, _body, context) {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status >= 200 && status < 300) onAcknowledged(context.built);
        },
      },
    ],
  });
  return { result, statuses, sent: next };
}

async function readStored(variant) {
  // The database goes into the URL: pg lets a connection string win over `database`.
  const url = new URL(connectionString);
  url.pathname = `/${variant.prefix}platform-metrics`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const count = async (sql, params) =>
      Number((await client.query(sql, params)).rows[0].count);
    return { client, count };
  } catch (error) {
    await client.end();
    throw error;
  }
}

/**
 * One load run against `url`, with the backend's RSS, CPU and (with --profile)
 * a CPU profile sampled over it; waits for requests still in flight when
 * autocannon stopped before returning, so that counting sees them stored.
 */
async function measureLoad(
  variant,
  { url, connections, build, onAcknowledged, profileName },
) {
  const stopRss = sampleRss(variant.backend.pid);
  const stopProfiler = await startProfiler(variant);
  const stopCpu = await cpuMeter({
    admin: variant.admin,
    pid: variant.backend.pid,
    databasePrefix: variant.prefix,
  });
  const started = performance.now();
  const loaded = await load({ url, connections, build, onAcknowledged });
  const seconds = (performance.now() - started) / 1000;
  const cpu = await stopCpu();
  const peakRss = Math.max(...stopRss());
  const profile = await stopProfiler(profileName);
  await sleep(2000);
  return { ...loaded, seconds, cpu, peakRss, profile };
}

/** Delivery keys of a run's stored deployments, and how many pipelines were stored twice. */
async function storedDeliveries(client, count, source, tag) {
  const { rows } = await client.query(
    `SELECT delivery_key FROM deployments WHERE source = $1 AND delivery_key LIKE $2`,
    [source, `${tag}-%`],
  );
  const duplicated = await count(
    `SELECT COUNT(*) FROM (SELECT pipeline_id FROM deployments
       WHERE source = $1 AND delivery_key LIKE $2
       GROUP BY pipeline_id HAVING COUNT(*) > 1) d`,
    [source, `${tag}-%`],
  );
  return { stored: new Set(rows.map(r => r.delivery_key)), duplicated };
}

async function runWebhooks(variant, connections, round) {
  const tag = `gh-${round}-${connections}-${randomUUID().slice(0, 8)}`;
  const build = makeWebhook(variant.githubSecret, tag);
  const acknowledged = [];
  const { result, statuses, sent, seconds, cpu, peakRss, profile } =
    await measureLoad(variant, {
      url: `${variant.backend.baseUrl}/api/platform-metrics/v1/webhooks/github`,
      connections,
      build,
      onAcknowledged: built => acknowledged.push(built.delivery),
      profileName: `${variant.name}-webhooks-c${connections}-r${round}`,
    });

  const { client, count } = await readStored(variant);
  try {
    const { stored, duplicated } = await storedDeliveries(
      client,
      count,
      'github',
      tag,
    );
    const lost = acknowledged.filter(d => !stored.has(d)).length;

    // Redelivery, as GitHub's "Redeliver" does it: same delivery id, same body.
    const sample = acknowledged.slice(0, resendSample);
    let resent2xx = 0;
    let resentStored = 0;
    for (const delivery of sample) {
      const n = Number(delivery.slice(tag.length + 1));
      const built = build(n);
      const res = await fetch(
        `${variant.backend.baseUrl}/api/platform-metrics/v1/webhooks/github`,
        { method: 'POST', headers: built.headers, body: built.body },
      );
      if (res.ok) {
        resent2xx++;
        resentStored += (await res.json()).stored;
      }
    }
    const afterResend = await count(
      `SELECT COUNT(*) FROM deployments WHERE source = 'github' AND delivery_key LIKE $1`,
      [`${tag}-%`],
    );
    return {
      kind: 'webhook',
      variant: variant.name,
      connections,
      seconds,
      sent,
      ok: acknowledged.length,
      rate: acknowledged.length / seconds,
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statuses,
      stored: stored.size,
      lost,
      duplicated,
      resent: sample.length,
      resent2xx,
      resentStored,
      resendAdded: afterResend - stored.size,
      peakRss,
      cpu,
      profile,
    };
  } finally {
    await client.end();
  }
}

async function runBatches(variant, connections, round) {
  const tag = `cde-${round}-${connections}-${randomUUID().slice(0, 8)}`;
  const build = makeBatch(variant.ingestToken, tag);
  const acknowledged = [];
  const { result, statuses, sent, seconds, cpu, peakRss, profile } =
    await measureLoad(variant, {
      url: `${variant.backend.baseUrl}/api/platform-metrics/v1/events`,
      connections,
      build,
      // Only n: the bodies of a whole run would not fit comfortably in memory.
      onAcknowledged: built => acknowledged.push(built.n),
      profileName: `${variant.name}-batches-c${connections}-r${round}`,
    });

  const { client, count } = await readStored(variant);
  try {
    const { stored, duplicated } = await storedDeliveries(
      client,
      count,
      'cdevents',
      tag,
    );
    const ackedEvents = acknowledged.flatMap(n =>
      Array.from(
        { length: batchSize },
        (_, i) => `${tag}-${n * batchSize + i}`,
      ),
    );
    const lost = ackedEvents.filter(id => !stored.has(id)).length;
    // A sender retrying whole batches (after a timeout, say) re-sends them as they were.
    const sample = acknowledged.slice(
      0,
      Math.max(1, Math.ceil(resendSample / batchSize)),
    );
    let resent2xx = 0;
    let resentStored = 0;
    for (const n of sample) {
      const batch = build(n);
      const res = await fetch(
        `${variant.backend.baseUrl}/api/platform-metrics/v1/events`,
        { method: 'POST', headers: batch.headers, body: batch.body },
      );
      if (res.ok) {
        resent2xx++;
        resentStored += (await res.json()).stored;
      }
    }
    const afterResend = await count(
      `SELECT COUNT(*) FROM deployments WHERE source = 'cdevents' AND delivery_key LIKE $1`,
      [`${tag}-%`],
    );
    return {
      kind: 'batch',
      variant: variant.name,
      connections,
      seconds,
      sent,
      ok: acknowledged.length,
      rate: acknowledged.length / seconds,
      eventRate: ackedEvents.length / seconds,
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statuses,
      stored: stored.size,
      ackedEvents: ackedEvents.length,
      lost,
      duplicated,
      resent: sample.length * batchSize,
      resent2xx: resent2xx * batchSize,
      resentStored,
      resendAdded: afterResend - stored.size,
      peakRss,
      cpu,
      profile,
    };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------
// Backends

async function catalogHas(variant, ref) {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  const res = await fetch(
    `${variant.backend.baseUrl}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
    { headers: { authorization: `Bearer ${variant.secrets.apiToken}` } },
  );
  return res.ok;
}

async function startVariant(name, bundleDir, index) {
  const prefix = `portal_bench_i_${index}_`;
  await dropDatabases(connectionString, prefix);
  writeFileSync(join(bundleDir, 'bench-catalog.yaml'), benchCatalogYaml());
  const secrets = generateSecrets();
  const githubSecret = randomBytes(24).toString('hex');
  const port = basePort + index;
  // PostgreSQL's 100 connections are shared with other runs on this machine, and
  // knex keeps 2 idle connections per plugin database (11 plugins). min 0 lets the
  // idle plugins give theirs back; max stays at knex's 10, as in production.
  const env = { APP_CONFIG_backend_database_knexConfig_pool_min: '0' };
  if (args.profile) {
    // The inspector, so that only the load is profiled, not the start-up.
    env.NODE_OPTIONS = `--inspect=127.0.0.1:${port + 1000}`;
  }
  const backend = startBackend({
    bundleDir,
    port,
    prefix,
    secrets,
    logFile: join(outDir, `${name}.backend.log`),
    extraConfig: extraConfig(githubSecret),
    env,
  });
  const variant = {
    name,
    prefix,
    backend,
    secrets,
    githubSecret,
    ingestToken: secrets.ingestToken,
    inspectorPort: port + 1000,
  };
  // Registered before anything can fail, so that the finally below stops it.
  variants.push(variant);
  await backend.ready();
  // Attribution reads the catalog once and caches it: wait until the catalog has
  // processed its locations, else the first minute would attribute nothing.
  const deadline = Date.now() + 120_000;
  while (
    !(
      (await catalogHas(variant, 'component:default/portal')) &&
      (await catalogHas(
        variant,
        `component:default/bench-known-${KNOWN_COMPONENTS - 1}`,
      ))
    )
  ) {
    if (Date.now() > deadline)
      throw new Error(`${name}: catalog entities did not appear`);
    await sleep(1000);
  }
  variant.admin = new pg.Client({ connectionString, database: 'postgres' });
  await variant.admin.connect();
  // Warm-up: JIT, connection pool, the attribution index.
  const warm = makeWebhook(githubSecret, `warm-${randomUUID().slice(0, 8)}`);
  for (let i = 0; i < 200; i++) {
    const built = warm(i);
    const res = await fetch(
      `${backend.baseUrl}/api/platform-metrics/v1/webhooks/github`,
      { method: 'POST', headers: built.headers, body: built.body },
    );
    if (!res.ok) {
      throw new Error(
        `${name}: warm-up webhook answered ${res.status}: ${await res.text()}`,
      );
    }
  }
  const warmBatch = makeBatch(
    variant.ingestToken,
    `warm-${randomUUID().slice(0, 8)}`,
  )(0);
  const res = await fetch(`${backend.baseUrl}/api/platform-metrics/v1/events`, {
    method: 'POST',
    headers: warmBatch.headers,
    body: warmBatch.body,
  });
  if (!res.ok) {
    throw new Error(
      `${name}: warm-up batch answered ${res.status}: ${await res.text()}`,
    );
  }
  await sleep(5000);
  variant.idleRss = rssMiB(backend.pid);
  return variant;
}

// ---------------------------------------------------------------------------

const variantSpecs = args.variant?.length
  ? args.variant.map(spec => {
      const [name, dir] = spec.split('=');
      if (!dir || !existsSync(join(resolve(dir), 'packages/backend'))) {
        throw new Error(
          `--variant ${spec}: expected name=<unpacked bundle dir>`,
        );
      }
      return { name, dir: resolve(dir) };
    })
  : [
      {
        name: 'current',
        dir: unpackBundle(join(root, '.artifacts/bench-ingest-bundle')),
      },
    ];

const variants = [];
const results = [];
// Rewritten after every run, so that an interrupted benchmark keeps what it measured.
const resultsFile = join(outDir, `results-${Date.now()}.json`);
const saveResults = () =>
  writeFileSync(resultsFile, JSON.stringify({ args, results }, null, 2));

async function stopBackend(backend) {
  // Graceful first (the CPU profile is written on a clean exit); a backend that has
  // not shut down after 30 s is killed rather than left running on a shared machine.
  const killer = setTimeout(() => backend.process.kill('SIGKILL'), 30_000);
  await backend.stop();
  clearTimeout(killer);
}

let cleaning;
function cleanUp() {
  cleaning ??= (async () => {
    for (const variant of variants) {
      await variant.admin?.end().catch(() => {});
      await stopBackend(variant.backend);
    }
    for (const [i] of variantSpecs.entries()) {
      await dropDatabases(connectionString, `portal_bench_i_${i}_`);
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(
      `${signal}: stopping the backends and dropping the databases`,
    );
    cleanUp().finally(() => process.exit(130));
  });
}
const loadBefore = loadavg();
try {
  for (const [i, spec] of variantSpecs.entries()) {
    console.error(`starting ${spec.name} from ${spec.dir}`);
    await startVariant(spec.name, spec.dir, i);
  }
  for (let round = 1; round <= runs; round++) {
    for (const connections of webhookConnections) {
      for (const variant of variants) {
        const r = await runWebhooks(variant, connections, round);
        r.load = loadavg()[0];
        results.push(r);
        saveResults();
        console.error(
          `round ${round} ${variant.name} webhooks c=${connections}: ${fmt(
            r.rate,
          )}/s p50 ${r.p50} p99 ${r.p99} ms, lost ${r.lost}`,
        );
      }
    }
    for (const connections of batchConnections) {
      for (const variant of variants) {
        const r = await runBatches(variant, connections, round);
        r.load = loadavg()[0];
        results.push(r);
        saveResults();
        console.error(
          `round ${round} ${variant.name} batches c=${connections}: ${fmt(
            r.eventRate,
          )} events/s p50 ${r.p50} p99 ${r.p99} ms, lost ${r.lost}`,
        );
      }
    }
  }
  await sleep(5000);
  for (const variant of variants)
    variant.afterRss = rssMiB(variant.backend.pid);
} finally {
  await cleanUp();
}

// ---------------------------------------------------------------------------
// Report

const sum = (items, pick) => items.reduce((a, r) => a + pick(r), 0);
const groups = kind => {
  const map = new Map();
  for (const r of results.filter(x => x.kind === kind)) {
    const key = `${r.variant}\u0000${r.connections}`;
    if (!map.has(key)) map.set(key, []);
    map.get(key).push(r);
  }
  return [...map.values()];
};

console.log(
  `\nMachine: ${cpus().length} cores, load average before ${loadBefore
    .map(l => l.toFixed(2))
    .join(' ')}, after ${loadavg()
    .map(l => l.toFixed(2))
    .join(' ')}. ${runs} run(s) of ${durationS} s per row, medians; ` +
    `${Math.round(knownShare * 100)}% of services known to the catalog. ` +
    'Rates, latencies and CPU are medians over the runs; counts (non-2xx, errors, ' +
    '2xx, lost, duplicated) are totals.\n',
);

console.log('### Single GitHub webhooks (signed, one delivery each)\n');
console.log(
  '| variant | connections | webhooks/s | p50 ms | p99 ms | max ms | non-2xx | errors+timeouts | 2xx | lost | duplicated | CPU % backend / postgres / generator / machine | CPU ms per webhook backend / postgres | load 1m |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const g of groups('webhook')) {
  const m = pick => median(g.map(pick));
  console.log(
    `| ${g[0].variant} | ${g[0].connections} | ${fmt(m(r => r.rate))} | ${fmt(
      m(r => r.p50),
    )} | ${fmt(m(r => r.p99))} | ${fmt(m(r => r.max))} | ${sum(
      g,
      r => r.non2xx,
    )} | ${sum(g, r => r.errors + r.timeouts)} | ${sum(g, r => r.ok)} | ${sum(
      g,
      r => r.lost,
    )} | ${sum(g, r => r.duplicated)} | ${fmt(m(r => r.cpu.backend))} / ${fmt(
      m(r => r.cpu.postgres),
    )} / ${fmt(m(r => r.cpu.generator))} / ${fmt(
      m(r => r.cpu.machine),
    )} | ${fmt(
      m(r => (1000 * r.cpu.backendSeconds) / r.ok),
      2,
    )} / ${fmt(
      m(r => (1000 * r.cpu.postgresSeconds) / r.ok),
      2,
    )} | ${fmt(
      m(r => r.load),
      2,
    )} |`,
  );
}

console.log(`\n### CDEvents batches (${batchSize} events per request)\n`);
console.log(
  '| variant | connections | events/s | batches/s | p50 ms | p99 ms | max ms | non-2xx | errors+timeouts | events 2xx | lost | duplicated | CPU % backend / postgres / generator / machine | CPU µs per event backend / postgres | load 1m |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const g of groups('batch')) {
  const m = pick => median(g.map(pick));
  console.log(
    `| ${g[0].variant} | ${g[0].connections} | ${fmt(
      m(r => r.eventRate),
    )} | ${fmt(m(r => r.rate))} | ${fmt(m(r => r.p50))} | ${fmt(
      m(r => r.p99),
    )} | ${fmt(m(r => r.max))} | ${sum(g, r => r.non2xx)} | ${sum(
      g,
      r => r.errors + r.timeouts,
    )} | ${sum(g, r => r.ackedEvents)} | ${sum(g, r => r.lost)} | ${sum(
      g,
      r => r.duplicated,
    )} | ${fmt(m(r => r.cpu.backend))} / ${fmt(m(r => r.cpu.postgres))} / ${fmt(
      m(r => r.cpu.generator),
    )} / ${fmt(m(r => r.cpu.machine))} | ${fmt(
      m(r => (1e6 * r.cpu.backendSeconds) / r.ackedEvents),
    )} / ${fmt(m(r => (1e6 * r.cpu.postgresSeconds) / r.ackedEvents))} | ${fmt(
      m(r => r.load),
      2,
    )} |`,
  );
}

console.log(
  '\n### Redelivery (acknowledged deliveries sent again, same id and body)\n',
);
console.log(
  '| variant | kind | re-sent | answered 2xx | reported stored | rows added |',
);
console.log('|---|---|---|---|---|---|');
for (const variant of variants) {
  for (const kind of ['webhook', 'batch']) {
    const rs = results.filter(
      r => r.variant === variant.name && r.kind === kind,
    );
    console.log(
      `| ${variant.name} | ${
        kind === 'webhook' ? 'GitHub webhook' : 'CDEvents (events)'
      } | ${sum(rs, r => r.resent)} | ${sum(rs, r => r.resent2xx)} | ${sum(
        rs,
        r => r.resentStored,
      )} | ${sum(rs, r => r.resendAdded)} |`,
    );
  }
}

console.log('\n### Backend memory (VmRSS of the backend process, MiB)\n');
console.log(
  '| variant | idle (after warm-up) | peak under load | 5 s after load |',
);
console.log('|---|---|---|---|');
for (const variant of variants) {
  const peak = Math.max(
    ...results.filter(r => r.variant === variant.name).map(r => r.peakRss),
  );
  console.log(
    `| ${variant.name} | ${fmt(variant.idleRss)} | ${fmt(peak)} | ${fmt(
      variant.afterRss,
    )} |`,
  );
}

const statusLines = results
  .filter(r => Object.keys(r.statuses).some(s => s < 200 || s >= 300))
  .map(
    r =>
      `${r.variant} ${r.kind} c=${r.connections}: ${JSON.stringify(
        r.statuses,
      )}`,
  );
if (statusLines.length) {
  console.log(
    `\nNon-2xx statuses:\n${statusLines.map(l => `- ${l}`).join('\n')}`,
  );
}

for (const r of results.filter(x => x.profile)) {
  console.log(
    `\nProfile ${r.variant} ${r.kind} c=${r.connections} (${r.profile.file}), self time:\n` +
      `- by layer: ${r.profile.layers.join(', ')}\n` +
      `- by package: ${r.profile.groups.join(', ')}\n` +
      `- by function:\n${r.profile.functions.map(f => `  - ${f}`).join('\n')}`,
  );
}
