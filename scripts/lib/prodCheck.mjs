// Starts the built backend with the production config against PostgreSQL and checks
// what production promises: the catalog answers a service token, refuses anonymous
// callers, and guest sign-in is off.
//
// Usage: node scripts/lib/prodCheck.mjs [--report file.json]
// Needs `yarn build:backend` first and BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

async function main() {
  const connectionString = postgresConnectionString();
  await dropDatabases(connectionString, prefix);
  const secrets = generateSecrets();
  const token = secrets.apiToken;
  const ingestToken = secrets.ingestToken;
  const backend = startBackend({
    bundleDir: unpackBundle(),
    port,
    prefix,
    secrets,
    connectionString,
    logFile: join(root, '.artifacts/prod-check.backend.log'),
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
  } catch (e) {
    record('production backend check', false, String(e));
  } finally {
    await backend.stop();
    await dropDatabases(connectionString, prefix).catch(() => {});
  }

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
