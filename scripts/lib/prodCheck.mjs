// Starts the built backend with the production config against PostgreSQL and checks
// what production promises: the catalog answers a service token, every API refuses
// callers without valid credentials (webhooks: without a valid signature), guest
// and platform team demo sign-in are off, and no configured secret reaches the log.
//
// Usage: node scripts/lib/prodCheck.mjs [--report file.json]
// Needs `yarn build:backend` first and BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING.
// PORTAL_PROD_CHECK_PORT and PORTAL_PROD_CHECK_BUNDLE_DIR move the check off the
// default port and unpack folder, so that it can run next to other production runs.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  dropDatabases,
  generateSecrets,
  postgresConnectionString,
  root,
  startBackend,
  unpackBundle,
} from './prodBackend.mjs';

const reportArg = process.argv.indexOf('--report');
const reportFile =
  reportArg > 0
    ? process.argv[reportArg + 1]
    : join(root, '.artifacts/prod-check.json');

const port = Number(process.env.PORTAL_PROD_CHECK_PORT ?? 7017);
const bundleDir = resolve(
  root,
  process.env.PORTAL_PROD_CHECK_BUNDLE_DIR ?? '.artifacts/prod-check-bundle',
);
const logFile = join(root, '.artifacts/prod-check.backend.log');
// Plugin databases get this prefix, so the check never touches a real portal's data.
const prefix = 'portal_prodcheck_';

const results = [];
function record(name, ok, detail = '') {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
}

async function waitFor(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}

/**
 * Endpoints of the plugins the portal runs, each of which must answer 401 to a
 * caller without valid credentials. One or two per plugin and method is enough:
 * the credentials barrier sits in front of each plugin's whole router, so this
 * checks that no plugin opened itself up. (Auth and app are public by design.)
 */
const CORE_ENDPOINTS = [
  ['GET', '/api/catalog/entities'],
  ['GET', '/api/catalog/entities/by-query'],
  ['GET', '/api/catalog/entity-facets?facet=kind'],
  ['GET', '/api/catalog/locations'],
  [
    'POST',
    '/api/catalog/locations',
    { type: 'url', target: 'https://example.com/x.yaml' },
  ],
  ['POST', '/api/catalog/entities/by-refs', { entityRefs: [] }],
  ['POST', '/api/catalog/refresh', { entityRef: 'component:default/portal' }],
  ['GET', '/api/catalog/.well-known/backstage/permissions/metadata'],
  [
    'GET',
    '/api/scaffolder/v2/templates/default/template/node-service/parameter-schema',
  ],
  ['GET', '/api/scaffolder/v2/actions'],
  ['GET', '/api/scaffolder/v2/tasks'],
  [
    'POST',
    '/api/scaffolder/v2/tasks',
    { templateRef: 'template:default/node-service', values: {} },
  ],
  ['POST', '/api/scaffolder/v2/dry-run', {}],
  ['POST', '/api/permission/authorize', { items: [] }],
  ['GET', '/api/search/query?term=portal'],
  ['GET', '/api/notifications/'],
  ['GET', '/api/notifications/status'],
  ['GET', '/api/user-settings/buckets/default/keys/theme'],
  ['PUT', '/api/user-settings/buckets/default/keys/theme', { value: 'dark' }],
  ['POST', '/api/events/bus/v1/events', {}],
  ['GET', '/api/auth/v1/userinfo'],
  ['GET', '/api/techdocs/metadata/entity/default/component/portal'],
  ['GET', '/api/techdocs/sync/default/component/portal'],
  ['GET', '/api/techdocs/static/docs/default/component/portal/index.html'],
];

/** Every non-webhook operation of the metrics API, read from its OpenAPI spec. */
function metricsEndpoints() {
  const spec = parseYaml(
    readFileSync(
      join(root, 'plugins/platform-metrics-backend/src/schema/openapi.yaml'),
      'utf8',
    ),
  );
  const endpoints = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    if (path.startsWith('/v1/webhooks/')) continue;
    for (const method of ['get', 'post', 'put', 'delete', 'patch']) {
      if (!item[method]) continue;
      const concrete = path.replace(
        /\{\w+\}/g,
        '00000000-0000-4000-8000-000000000000',
      );
      endpoints.push([
        method.toUpperCase(),
        `/api/platform-metrics${concrete}`,
        method === 'get' ? undefined : {},
      ]);
    }
  }
  return endpoints;
}

/** Webhook secrets for this run, so that the webhooks exist and can be checked. */
function webhookSecrets() {
  const secret = () => randomBytes(24).toString('hex');
  return {
    github: secret(),
    gitlab: secret(),
    pagerduty: secret(),
    alertmanager: secret(),
  };
}

/**
 * The development-only platform team sign-in, configured exactly as in
 * development: production leaves it out, and this shows that the provider
 * itself refuses too, should its configuration ever reach production.
 */
function platformDemoProviderConfig() {
  const development = parseYaml(
    readFileSync(join(root, 'app-config.development.yaml'), 'utf8'),
  );
  return JSON.stringify(development.auth.providers.platformDemo);
}

/** A WebSocket handshake; resolves with 101 when accepted, else the HTTP status. */
function websocketStatus(url, protocol) {
  return new Promise((resolveStatus, reject) => {
    const headers = {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    };
    if (protocol) headers['Sec-WebSocket-Protocol'] = protocol;
    const req = http.request(url, { headers, timeout: 10_000 });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolveStatus(101);
    });
    req.on('response', res => {
      res.resume();
      resolveStatus(res.statusCode);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', error =>
      // The server may close the socket after writing its refusal.
      /socket hang up|ECONNRESET/.test(String(error))
        ? resolveStatus(0)
        : reject(error),
    );
    req.end();
  });
}

async function main() {
  const connectionString = postgresConnectionString();
  await dropDatabases(connectionString, prefix);
  const secrets = generateSecrets();
  const token = secrets.apiToken;
  const ingestToken = secrets.ingestToken;
  const webhooks = webhookSecrets();
  const backend = startBackend({
    bundleDir: unpackBundle(bundleDir),
    port,
    prefix,
    secrets,
    connectionString,
    logFile,
    extraConfig: [
      'platformMetrics:',
      '  webhooks:',
      `    github: { secret: ${webhooks.github} }`,
      `    gitlab: { token: ${webhooks.gitlab} }`,
      `    pagerduty: { secrets: [${webhooks.pagerduty}] }`,
      `    alertmanager: { token: ${webhooks.alertmanager} }`,
      'auth:',
      '  providers:',
      `    platformDemo: ${platformDemoProviderConfig()}`,
    ].join('\n'),
  });
  const baseUrl = backend.baseUrl;

  try {
    await backend.ready();
    record(
      'built backend starts with the production config on PostgreSQL',
      true,
    );

    const home = await fetch(`${baseUrl}/`);
    const html = await home.text();
    record(
      'the backend serves the built frontend',
      home.ok && html.includes('<div id="root">'),
      `HTTP ${home.status}`,
    );
    // The backend renders the page from the configuration at run time, with
    // only what the config schemas let the frontend see.
    const { app } = parseYaml(
      readFileSync(join(root, 'app-config.yaml'), 'utf8'),
    );
    record(
      "the page carries the portal's title and description from app-config",
      html.includes(`<title>${app.title}</title>`) &&
        html.includes(`content="${app.description}"`),
      app.title,
    );

    const entityUrl = `${baseUrl}/api/catalog/entities/by-name/component/default/portal`;
    const entity = await waitFor(
      async () => {
        const res = await fetch(entityUrl, {
          headers: { Authorization: `Bearer ${token}` },
        });
        return res.ok ? res.json() : undefined;
      },
      90_000,
      'the portal entity in the catalog',
    ).catch(e => {
      record('catalog serves entities to a service token', false, String(e));
      return undefined;
    });
    if (entity) {
      record(
        'catalog serves entities to a service token',
        entity.metadata?.name === 'portal',
        `owner ${entity.spec?.owner}`,
      );
    }

    const anonymous = await fetch(entityUrl);
    record(
      'catalog refuses anonymous requests',
      anonymous.status === 401,
      `HTTP ${anonymous.status}`,
    );

    const forged = await fetch(entityUrl, {
      headers: { Authorization: 'Bearer not-the-token' },
    });
    record(
      'catalog refuses an unknown token',
      forged.status === 401,
      `HTTP ${forged.status}`,
    );

    const metricsUrl = `${baseUrl}/api/platform-metrics/v1`;
    const event = {
      context: {
        version: '0.4.1',
        id: `prod-check-${Date.now()}`,
        source: '/prod-check',
        type: 'dev.cdevents.service.deployed.0.2.0',
        timestamp: new Date().toISOString(),
      },
      subject: {
        id: 'component:default/portal',
        source: '/prod-check',
        type: 'service',
        content: {
          environment: { id: 'production' },
          artifactId: 'pkg:oci/portal',
        },
      },
    };
    const ingest = await fetch(`${metricsUrl}/events`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${ingestToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(event),
    });
    const ingested = ingest.ok ? await ingest.json() : undefined;
    record(
      'metrics API stores a CDEvent sent with the ingest token',
      ingested?.stored === 1,
      `HTTP ${ingest.status}`,
    );
    const anonymousIngest = await fetch(`${metricsUrl}/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(event),
    });
    record(
      'metrics API refuses anonymous events',
      anonymousIngest.status === 401,
      `HTTP ${anonymousIngest.status}`,
    );
    const catalogTokenOnMetrics = await fetch(`${metricsUrl}/events`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(event),
    });
    record(
      'a token scoped to the catalog cannot post metrics',
      catalogTokenOnMetrics.status === 403 ||
        catalogTokenOnMetrics.status === 401,
      `HTTP ${catalogTokenOnMetrics.status}`,
    );

    const guest = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    const guestBody = await guest.text();
    record(
      'guest sign-in is refused in production',
      !guest.ok && !guestBody.includes('backstageIdentity'),
      `HTTP ${guest.status}`,
    );

    // Refused by the provider's own check, not merely because production's
    // catalog has no demo Users.
    const platformDemo = await fetch(
      `${baseUrl}/api/auth/platformDemo/refresh`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
    );
    const platformDemoBody = await platformDemo.text();
    record(
      'platform team demo sign-in is refused in production, even when configured',
      platformDemo.status === 403 &&
        platformDemoBody.includes('only available in development') &&
        !platformDemoBody.includes('backstageIdentity'),
      `HTTP ${platformDemo.status}`,
    );

    const refusals = [];
    for (const [method, path, body] of [
      ...CORE_ENDPOINTS,
      ...metricsEndpoints(),
    ]) {
      // A configured secret in the wrong place must be refused, and not logged.
      for (const [caller, authorization] of [
        ['anonymous', undefined],
        ['forged token', 'Bearer not-a-backstage-token'],
        ['webhook secret as token', `Bearer ${webhooks.gitlab}`],
      ]) {
        const res = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            ...(authorization ? { Authorization: authorization } : {}),
            ...(body ? { 'Content-Type': 'application/json' } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
        await res.arrayBuffer();
        if (res.status !== 401) {
          refusals.push(`${method} ${path} ${caller}: HTTP ${res.status}`);
        }
      }
    }
    record(
      'every API answers 401 without valid credentials',
      refusals.length === 0,
      refusals.join('; ') ||
        `${CORE_ENDPOINTS.length + metricsEndpoints().length} endpoints`,
    );

    // The signals backend accepts anonymous WebSockets (they receive broadcast
    // signals), so the portal does not run it; this keeps it from coming back
    // unnoticed. The first upgrade request goes through the router and would make
    // a signals plugin attach itself; the second is the one that counts.
    const signalsUrl = `${baseUrl}/api/signals`;
    await websocketStatus(signalsUrl).catch(() => 0);
    const anonymousSignals = await websocketStatus(signalsUrl);
    record(
      'signals refuse an anonymous WebSocket',
      anonymousSignals !== 101,
      anonymousSignals === 101
        ? 'accepted (HTTP 101)'
        : `HTTP ${anonymousSignals}`,
    );

    const body = JSON.stringify({ version: '4', alerts: [] });
    const hmac = key => createHmac('sha256', key).update(body).digest('hex');
    const webhookCases = [
      ['github', {}, { 'X-Hub-Signature-256': `sha256=${hmac('wrong')}` }],
      ['gitlab', {}, { 'X-Gitlab-Token': 'wrong' }],
      ['pagerduty', {}, { 'X-PagerDuty-Signature': `v1=${hmac('wrong')}` }],
      ['alertmanager', {}, { Authorization: 'Bearer wrong' }],
    ];
    const webhookRefusals = [];
    for (const [name, missing, wrong] of webhookCases) {
      for (const [variant, headers] of [
        ['no signature', missing],
        ['wrong signature', wrong],
      ]) {
        const res = await fetch(
          `${baseUrl}/api/platform-metrics/v1/webhooks/${name}`,
          {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              'X-GitHub-Event': 'ping',
              'X-GitHub-Delivery': 'prod-check',
              ...headers,
            },
            body,
          },
        );
        await res.arrayBuffer();
        if (res.status !== 401) {
          webhookRefusals.push(`${name} ${variant}: HTTP ${res.status}`);
        }
      }
    }
    const signed = await fetch(
      `${baseUrl}/api/platform-metrics/v1/webhooks/alertmanager`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${webhooks.alertmanager}`,
        },
        body,
      },
    );
    await signed.arrayBuffer();
    record(
      'webhooks answer 401 without a valid signature, and accept a valid one',
      webhookRefusals.length === 0 && signed.ok,
      [
        ...webhookRefusals,
        `valid alertmanager delivery: HTTP ${signed.status}`,
      ].join('; '),
    );
  } catch (e) {
    record('production backend check', false, String(e));
  } finally {
    await backend.stop();
    await dropDatabases(connectionString, prefix).catch(() => {});
  }

  // Whatever the run logged (start-up, refused requests, failed signatures), no
  // configured secret may appear in it.
  await new Promise(r => setTimeout(r, 500));
  const log = readFileSync(logFile, 'utf8');
  const leaked = Object.entries({ ...secrets, ...webhooks })
    .filter(([, value]) => value && log.includes(value))
    .map(([name]) => name);
  record(
    'no configured secret or token appears in the backend log',
    leaked.length === 0 && log.length > 0,
    leaked.length
      ? `leaked: ${leaked.join(', ')}`
      : `${log.length} bytes checked`,
  );

  const passed = results.filter(r => r.ok).length;
  const failed = results.length - passed;
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(
    reportFile,
    JSON.stringify({ passed, failed, results }, null, 2),
  );
  process.exit(failed ? 1 : 0);
}

main().catch(e => {
  console.error(e);
  writeFileSync(
    reportFile,
    JSON.stringify({ passed: 0, failed: 1, error: String(e) }),
  );
  process.exit(1);
});
