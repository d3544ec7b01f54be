import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  generateSecrets,
  startBackend,
  staticToken,
} from '../lib/prodBackend.mjs';
import { until } from './until.mjs';

/** The team that requests the sandbox's service. */
export const SANDBOX_TEAM = 'sandbox-team';

/**
 * The built backend (production mode, PostgreSQL) with what the loop needs on
 * top of the production config: the embedded git host in the run's folder,
 * golden-path hostnames under `baseDomain`, generated pipelines reporting to
 * this backend, the Alertmanager webhook's token, the live checks' config
 * (`checks`), and a token for the sandbox itself (scaffolder, catalog and
 * metrics).
 *
 * Returns the backend at once, so that the caller can stop it whatever
 * happens, and `ready`: the portal's client once the backend is ready and
 * the template and the team are in the catalog.
 */
export function startSandboxPortal({
  bundleDir,
  dir,
  port,
  prefix,
  baseDomain,
  checks,
  logFile,
}) {
  const secrets = generateSecrets();
  const runnerToken = randomBytes(24).toString('hex');
  const alertmanagerToken = randomBytes(24).toString('hex');
  const gitHost = join(dir, 'git');
  const orgFile = join(dir, 'org.yaml');
  mkdirSync(gitHost, { recursive: true });
  mkdirSync(join(dir, 'work'), { recursive: true });
  writeFileSync(
    orgFile,
    stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: SANDBOX_TEAM },
      spec: { type: 'team', children: [] },
    }),
  );
  const baseUrl = `http://localhost:${port}`;
  const backend = startBackend({
    bundleDir,
    port,
    prefix,
    secrets,
    logFile,
    extraConfig: stringify({
      goldenPath: {
        baseDomain,
        portalUrl: baseUrl,
        localGit: { directory: gitHost },
      },
      platformMetrics: {
        webhooks: { alertmanager: { token: alertmanagerToken } },
        checks,
      },
      catalog: {
        locations: [
          { type: 'file', target: './catalog-info.yaml' },
          {
            type: 'file',
            target: './templates/*/template.yaml',
            rules: [{ allow: ['Template'] }],
          },
          { type: 'file', target: orgFile, rules: [{ allow: ['Group'] }] },
        ],
      },
    }),
    env: {
      APP_CONFIG_backend_workingDirectory: join(dir, 'work'),
      // Arrays are replaced, not merged: the production entries are repeated.
      APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
        staticToken(secrets.apiToken, 'automation', 'catalog'),
        staticToken(secrets.ingestToken, 'metrics-ingest', 'platform-metrics'),
        // The scaffolder reads the template with the caller's credentials.
        staticToken(
          runnerToken,
          'platform-sandbox',
          'scaffolder',
          'catalog',
          'platform-metrics',
        ),
      ]),
    },
  });
  const api = `${baseUrl}/api`;
  const headers = {
    authorization: `Bearer ${runnerToken}`,
    'content-type': 'application/json',
  };
  /** GET (or another method with `body`) on the portal as the sandbox. */
  const call = async (path, { method = 'GET', body } = {}) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(
        `${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`,
      );
    }
    return text ? JSON.parse(text) : undefined;
  };
  const portal = {
    backend,
    baseUrl,
    api,
    gitHost,
    ingestToken: secrets.ingestToken,
    alertmanagerToken,
    alertmanagerWebhookUrl: `${api}/platform-metrics/v1/webhooks/alertmanager`,
    call,
    inCatalog: async ref =>
      (await fetch(`${api}/catalog/entities/by-name/${ref}`, { headers })).ok,
  };
  const ready = (async () => {
    await backend.ready();
    // The template and the owning group are read from files after startup.
    await until(
      'the node-service template and the sandbox team in the catalog',
      async () =>
        (await portal.inCatalog(`group/default/${SANDBOX_TEAM}`)) &&
        (await portal.inCatalog('template/default/node-service')),
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    return portal;
  })();
  return { backend, ready };
}
