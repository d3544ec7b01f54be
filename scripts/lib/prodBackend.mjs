// Runs the built backend (packages/backend/dist/bundle.tar.gz) the way production
// does: NODE_ENV=production, app-config.production.yaml, PostgreSQL. Shared by the
// production check, the benchmarks and the fault scenarios, so that all of them
// measure the same artefact started the same way.
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

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The PostgreSQL server the tests use; production runs are pointed at it too. */
export function postgresConnectionString() {
  const value =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!value) {
    throw new Error(
      'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set',
    );
  }
  return value;
}

/** Drops every database whose name starts with `prefix` (one per plugin). */
export async function dropDatabases(connectionString, prefix) {
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
export function unpackBundle(dir = join(root, '.artifacts/prod-bundle')) {
  const bundle = join(root, 'packages/backend/dist/bundle.tar.gz');
  if (!existsSync(bundle)) {
    throw new Error(`${bundle} is missing; run \`yarn build:backend\` first`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', bundle, '-C', dir]);
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

/** Fresh secrets for one run; the same object can be given to several replicas. */
export function generateSecrets() {
  const secret = () => randomBytes(24).toString('hex');
  return {
    apiToken: secret(),
    ingestToken: secret(),
    participationSecret: secret(),
    sessionSecret: secret(),
  };
}

/**
 * Starts one backend replica from an unpacked bundle.
 *
 * @param {object} options
 * @param {string} options.bundleDir from unpackBundle()
 * @param {number} options.port
 * @param {string} options.prefix database name prefix; keeps runs apart from real data
 * @param {ReturnType<typeof generateSecrets>} options.secrets
 * @param {string} options.logFile
 * @param {string} [options.connectionString] defaults to the test PostgreSQL
 * @param {string} [options.extraConfig] YAML layered last (e.g. webhook secrets)
 * @param {Record<string,string>} [options.env]
 */
export function startBackend({
  bundleDir,
  port,
  prefix,
  secrets,
  logFile,
  connectionString = postgresConnectionString(),
  extraConfig = '',
  env = {},
}) {
  const url = new URL(connectionString);
  const baseUrl = `http://localhost:${port}`;
  const configFile = join(dirname(logFile), `${prefix}${port}.app-config.yaml`);
  mkdirSync(dirname(logFile), { recursive: true });
  writeFileSync(
    configFile,
    [
      'backend:',
      `  listen: ':${port}'`,
      '  database:',
      `    prefix: ${prefix}`,
      extraConfig,
      '',
    ].join('\n'),
  );
  const log = createWriteStream(logFile);
  const child = spawn(
    process.execPath,
    [
      'packages/backend',
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
      '--config',
      configFile,
    ],
    {
      cwd: bundleDir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORTAL_BASE_URL: baseUrl,
        PORTAL_API_TOKEN: secrets.apiToken,
        PORTAL_INGEST_TOKEN: secrets.ingestToken,
        SURVEY_PARTICIPATION_SECRET: secrets.participationSecret,
        AUTH_SESSION_SECRET: secrets.sessionSecret,
        // OAuth app credentials are only used when someone signs in, the
        // organisation when the org provider first reads (it cannot reach
        // GitHub here and logs that, as it would for a wrong token).
        AUTH_GITHUB_CLIENT_ID: 'prod-run',
        AUTH_GITHUB_CLIENT_SECRET: 'prod-run',
        GITHUB_ORG: 'prod-run',
        POSTGRES_HOST: url.hostname,
        POSTGRES_PORT: url.port || '5432',
        POSTGRES_USER: decodeURIComponent(url.username) || 'postgres',
        POSTGRES_PASSWORD: decodeURIComponent(url.password),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });

  const state = { exitCode: undefined };
  const exited = new Promise(resolveExit => {
    child.on('exit', (code, signal) => {
      state.exitCode = code ?? signal;
      resolveExit(state.exitCode);
    });
  });

  return {
    baseUrl,
    pid: child.pid,
    process: child,
    exited,
    get hasExited() {
      return state.exitCode !== undefined;
    },
    /** Resolves once readiness answers 200; rejects if the process dies first. */
    async ready(timeoutMs = 180_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (state.exitCode !== undefined) {
          throw new Error(
            `backend on :${port} exited (${state.exitCode}); see ${logFile}`,
          );
        }
        try {
          const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
          if (res.ok) return;
        } catch {
          // not listening yet
        }
        await new Promise(r => setTimeout(r, 500));
      }
      throw new Error(`backend on :${port} not ready after ${timeoutMs} ms`);
    },
    /** SIGTERM (graceful) by default; SIGKILL to simulate a crash. */
    async stop(signal = 'SIGTERM') {
      if (state.exitCode === undefined) {
        child.kill(signal);
        await exited;
      }
      log.end();
    },
  };
}

/**
 * A `backend.auth.externalAccess` entry: a static bearer token for `subject`,
 * limited to the given plugins.
 */
export function staticToken(token, subject, ...plugins) {
  return {
    type: 'static',
    options: { token, subject },
    accessRestrictions: plugins.map(plugin => ({ plugin })),
  };
}
