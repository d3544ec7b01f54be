import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  coreServices,
  createServiceFactory,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  type TestDatabaseId,
  type TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader, type JsonObject } from '@backstage/config';
import { perPluginTestDatabase } from '@internal/portal-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import { parse } from 'yaml';

const BACKEND_DIR = path.resolve(__dirname, '../..');
const REPO_ROOT = path.resolve(BACKEND_DIR, '../..');

/** Where the running portal resolves relative file locations from. */
export type ConfigLayering = 'development' | 'production';

/**
 * The portal's own configuration sections that decide security (catalog
 * rules and locations, permission switch, admin groups), read from the YAML
 * files the portal runs with and layered the way the backend layers them.
 * Relative file locations are made absolute against the directory the backend
 * runs in for that layering, which is also where the catalog resolves them.
 */
function portalConfigSections(layering: ConfigLayering): JsonObject {
  const read = (file: string) =>
    parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')) as JsonObject;
  const configs = [
    { data: read('app-config.yaml'), context: 'app-config.yaml' },
  ];
  if (layering === 'production') {
    configs.push({
      data: read('app-config.production.yaml'),
      context: 'app-config.production.yaml',
    });
  }
  const config = ConfigReader.fromConfigs(configs);
  // Development runs in packages/backend (yarn start); production in the
  // repository root (see app-config.production.yaml).
  const cwd = layering === 'production' ? REPO_ROOT : BACKEND_DIR;
  const catalog = config.getConfig('catalog');
  return {
    catalog: {
      ...(catalog.has('rules') ? { rules: catalog.get('rules') } : {}),
      locations: catalog.getConfigArray('locations').map(location => {
        const value = location.get<JsonObject>();
        return value.type === 'file'
          ? { ...value, target: path.resolve(cwd, String(value.target)) }
          : value;
      }),
    },
    permission: config.getConfig('permission').get<JsonObject>(),
    portal: config.getConfig('portal').get<JsonObject>(),
  } as JsonObject;
}

export interface PortalBackend {
  baseUrl: string;
  /** Signs in through the real auth backend and returns a Backstage user token. */
  signInAs(userEntityRef: string): Promise<string>;
  /** A static external-access token, for test set-up only. */
  harnessToken: string;
  /** GETs a catalog entity by ref with the harness token; undefined when absent. */
  getEntity(ref: string): Promise<any | undefined>;
  /** Polls the catalog until the entity exists. */
  waitForEntity(ref: string, timeoutMs?: number): Promise<any>;
  stop(): Promise<void>;
}

/**
 * Starts the portal's plugins with Backstage's real authentication, user-info,
 * permission and database services: users sign in through the guest provider
 * (the development sign-in), which resolves their groups from the catalog as
 * GitHub sign-in does in production, and every plugin decides through the
 * permission backend running the portal's policy module.
 */
export async function startPortalBackend(options: {
  databases: TestDatabases;
  database: TestDatabaseId;
  features: BackendFeature[];
  layering?: ConfigLayering;
  config?: JsonObject;
  /** Static tokens besides the harness token (config arrays replace, not merge). */
  externalAccess?: JsonObject[];
}): Promise<PortalBackend> {
  const harnessToken = randomBytes(24).toString('hex');
  const data = (guestUser: string): JsonObject =>
    ConfigReader.fromConfigs([
      {
        context: 'portal',
        data: portalConfigSections(options.layering ?? 'development'),
      },
      {
        context: 'test backend',
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            baseUrl: 'http://localhost:7007',
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token: harnessToken, subject: 'test-harness' },
                },
                ...(options.externalAccess ?? []),
              ],
            },
          },
          auth: {
            providers: {
              guest: {
                userEntityRef: guestUser,
                // Jest runs with NODE_ENV=test; the provider is otherwise
                // development-only.
                dangerouslyAllowOutsideDevelopment: true,
              },
            },
          },
        },
      },
      { context: 'test', data: options.config ?? {} },
    ]).get<JsonObject>();
  const rootConfig = mockServices.rootConfig({
    data: data('user:default/nobody'),
  });

  // Each plugin has its own database, as in the portal; closing them as soon
  // as the backend stops releases the shared PostgreSQL server's connections.
  const database = perPluginTestDatabase(options.databases, options.database);
  const backend = await startTestBackend({
    features: [
      createServiceFactory({
        service: coreServices.rootConfig,
        deps: {},
        factory: () => rootConfig,
      }),
      database.factory,
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      permissionsServiceFactory,
      authPlugin,
      guestProvider,
      ...options.features,
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const baseUrl = `http://localhost:${port}`;

  const getEntity = async (ref: string) => {
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    const res = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
      { headers: { Authorization: `Bearer ${harnessToken}` } },
    );
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`GET ${ref}: HTTP ${res.status}`);
    return res.json();
  };

  return {
    baseUrl,
    harnessToken,
    getEntity,
    async waitForEntity(ref, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const entity = await getEntity(ref);
        if (entity) return entity;
        await new Promise(resolve => setTimeout(resolve, 200));
      }
      throw new Error(`${ref} did not appear in the catalog`);
    },
    async signInAs(userEntityRef) {
      // The guest provider reads its user on every sign-in, so updating the
      // live configuration signs the next person in.
      rootConfig.update({ data: data(userEntityRef) });
      const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      if (!res.ok) {
        throw new Error(
          `sign-in as ${userEntityRef}: HTTP ${res.status} ${await res.text()}`,
        );
      }
      const body = await res.json();
      return body.backstageIdentity.token;
    },
    async stop() {
      await backend.stop();
      await database.close();
    },
  };
}
