// Starts the built backend with the production config against PostgreSQL and checks
// what production promises: the catalog answers a service token, refuses anonymous
// callers, and guest sign-in is off.
//
// Usage: node scripts/lib/prodCheck.mjs [--report file.json]
// Needs `yarn build:backend` first and BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const reportArg = process.argv.indexOf('--report');
const reportFile =
  reportArg > 0
    ? process.argv[reportArg + 1]
    : join(root, '.artifacts/prod-check.json');
const connectionString =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
if (!connectionString) {
  console.error(
    'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set',
  );
  process.exit(2);
}

const port = Number(process.env.PORTAL_PROD_CHECK_PORT ?? 7017);
const baseUrl = `http://localhost:${port}`;
const token = randomBytes(24).toString('hex');
const ingestToken = randomBytes(24).toString('hex');
// Plugin databases get this prefix, so the check never touches a real portal's data.
const prefix = 'portal_prodcheck_';

const results = [];
let backendExited = false;
function record(name, ok, detail = '') {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
}

async function dropCheckDatabases() {
  const client = new pg.Client({ connectionString, database: 'postgres' });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

// Lays out the build output the way packages/backend/Dockerfile does: the bundle,
// the config files and what the production config loads. Third-party dependencies
// come from the repository's node_modules (the same yarn.lock) instead of a second
// install; the repository's own packages resolve to their built copies in the
// bundle, never to their TypeScript sources.
function unpackBundle() {
  const dir = join(root, '.artifacts/prod-bundle');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', [
    '-xzf',
    join(root, 'packages/backend/dist/bundle.tar.gz'),
    '-C',
    dir,
  ]);
  for (const file of [
    'app-config.yaml',
    'app-config.production.yaml',
    'catalog-info.yaml',
    'templates',
  ]) {
    cpSync(join(root, file), join(dir, file), { recursive: true });
  }
  linkNodeModules(dir);
  return dir;
}

function linkNodeModules(dir) {
  const bundled = new Map();
  for (const folder of ['packages', 'plugins']) {
    const base = join(dir, folder);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) {
      const manifest = join(base, name, 'package.json');
      if (existsSync(manifest)) {
        bundled.set(
          JSON.parse(readFileSync(manifest, 'utf8')).name,
          join(base, name),
        );
      }
    }
  }
  const target = join(dir, 'node_modules');
  mkdirSync(target);
  const source = join(root, 'node_modules');
  for (const entry of readdirSync(source)) {
    if (entry.startsWith('@')) {
      mkdirSync(join(target, entry));
      for (const pkg of readdirSync(join(source, entry))) {
        const name = `${entry}/${pkg}`;
        symlinkSync(
          bundled.get(name) ?? join(source, name),
          join(target, name),
        );
      }
    } else {
      symlinkSync(
        bundled.get(entry) ?? join(source, entry),
        join(target, entry),
      );
    }
  }
}

async function waitFor(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (backendExited) {
      throw new Error('backend exited; see .artifacts/prod-check.backend.log');
    }
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
  const url = new URL(connectionString);
  await dropCheckDatabases();
  const bundleDir = unpackBundle();

  const ciConfig = join(root, '.artifacts/prod-check.app-config.yaml');
  mkdirSync(dirname(ciConfig), { recursive: true });
  writeFileSync(
    ciConfig,
    [
      'backend:',
      `  listen: ':${port}'`,
      '  database:',
      `    prefix: ${prefix}`,
      '',
    ].join('\n'),
  );

  const log = createWriteStream(
    join(root, '.artifacts/prod-check.backend.log'),
  );
  const backend = spawn(
    process.execPath,
    [
      'packages/backend',
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
      '--config',
      ciConfig,
    ],
    {
      cwd: bundleDir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORTAL_BASE_URL: baseUrl,
        PORTAL_API_TOKEN: token,
        PORTAL_INGEST_TOKEN: ingestToken,
        SURVEY_PARTICIPATION_SECRET: randomBytes(24).toString('hex'),
        AUTH_SESSION_SECRET: randomBytes(24).toString('hex'),
        // OAuth app credentials are only used when someone signs in.
        AUTH_GITHUB_CLIENT_ID: 'prod-check',
        AUTH_GITHUB_CLIENT_SECRET: 'prod-check',
        POSTGRES_HOST: url.hostname,
        POSTGRES_PORT: url.port || '5432',
        POSTGRES_USER: decodeURIComponent(url.username) || 'postgres',
        POSTGRES_PASSWORD: decodeURIComponent(url.password),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  backend.stdout.pipe(log, { end: false });
  backend.stderr.pipe(log, { end: false });
  backend.on('exit', code => {
    backendExited = true;
    if (code) console.log(`backend exited with code ${code}`);
  });

  try {
    await waitFor(
      async () => (await fetch(`${baseUrl}/.backstage/health/v1/readiness`)).ok,
      120_000,
      'backend readiness',
    );
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
    backend.kill('SIGTERM');
    await new Promise(r => (backendExited ? r() : backend.on('exit', r)));
    await dropCheckDatabases().catch(() => {});
  }

  const passed = results.filter(r => r.ok).length;
  const failed = results.length - passed;
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
