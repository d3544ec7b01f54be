import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
  type TestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  type AuthorizePermissionRequest,
} from '@backstage/plugin-permission-common';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  platformMetricsChecksRunPermission,
  SERVICE_CHECK_IDS,
} from '@internal/plugin-platform-metrics-common';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { startMetricsTestBackend } from '../__testUtils__/startMetricsTestBackend';
import {
  FakeCheck,
  goldenPathComponent,
  InMemoryVerifications,
  nodeServiceTemplate,
} from '../checks/__testUtils__/checkDoubles';
import { DefaultChecksService } from '../checks/DefaultChecksService';
import { DatabaseChecksStore } from '../database/DatabaseChecksStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { createChecksRoutes } from './checksRoutes';

jest.setTimeout(60_000);

const ENTITIES = [
  nodeServiceTemplate,
  goldenPathComponent('payments'),
  goldenPathComponent('orders', 'group:default/checkout'),
  { ...goldenPathComponent('legacy'), metadata: { name: 'legacy' } },
];

/** Every permission allowed except those named. */
function permissionsDenying(...denied: string[]) {
  return mockServices.permissions.mock({
    authorize: async (requests: AuthorizePermissionRequest[]) =>
      requests.map(r => ({
        result: denied.includes(r.permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      })),
  });
}

/**
 * The checks' routes over a real service and store, with check doubles: the
 * plugin itself wires checks off until the probes are merged.
 */
function checksPlugin(
  checks: FakeCheck[],
  verifications: InMemoryVerifications,
) {
  return createBackendPlugin({
    pluginId: 'platform-metrics',
    register(env) {
      env.registerInit({
        deps: {
          database: coreServices.database,
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          permissions: coreServices.permissions,
          auth: coreServices.auth,
          logger: coreServices.logger,
          catalog: catalogServiceRef,
        },
        async init(deps) {
          const knex = await deps.database.getClient();
          await applyDatabaseMigrations(knex);
          const service = DefaultChecksService.create({
            ...deps,
            enabled: true,
            checks,
            concurrency: 4,
            timeoutMs: 1000,
            intervalMinutes: 5,
            store: DatabaseChecksStore.create({ knex }),
            verifications,
          });
          const router = Router();
          createChecksRoutes({ ...deps, checks: service })(
            router as unknown as express.Router,
          );
          deps.httpRouter.use(router);
        },
      });
    },
  });
}

describe('checks routes', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let backend: TestBackend;
    let denyingBackend: TestBackend;
    const dns = new FakeCheck('dns');
    const tls = new FakeCheck('tls');
    const verifications = new InMemoryVerifications();

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      tls.set('component:default/orders', {
        status: 'fail',
        detail: 'certificate for orders.apps.acme.example expired',
      });
      verifications.deployed(
        'component:default/orders',
        new Date('2026-01-01T00:00:00Z'),
      );
      const features = [
        checksPlugin([dns, tls], verifications),
        catalogServiceMock.factory({ entities: ENTITIES }),
        mockServices.database.factory({ knex }),
      ];
      backend = await startTestBackend({
        features: [...features, permissionsDenying().factory],
      });
      denyingBackend = await startTestBackend({
        features: [
          ...features,
          permissionsDenying(platformMetricsChecksRunPermission.name).factory,
        ],
      });
    });

    afterAll(async () => {
      await backend?.stop();
      await denyingBackend?.stop();
    });

    it('answers every check of a service, unknown before any run', async () => {
      const res = await request(backend.server).get(
        '/api/platform-metrics/v1/services/default/payments/checks',
      );

      expect(res.status).toBe(200);
      expect(res.body.checks.map((c: { id: string }) => c.id)).toEqual([
        ...SERVICE_CHECK_IDS,
      ]);
      expect(res.body.checks).toContainEqual({
        id: 'tls',
        status: 'unknown',
        since: null,
        lastCheckedAt: null,
        detail: expect.any(String),
      });
      expect(res.body.verifiedAt).toBeNull();
    });

    it('runs the checks now with checks.run, and answers the results', async () => {
      const res = await request(backend.server).post(
        '/api/platform-metrics/v1/services/default/orders/checks/run',
      );

      expect(res.status).toBe(200);
      expect(res.body.checks).toContainEqual({
        id: 'tls',
        status: 'fail',
        since: expect.any(String),
        lastCheckedAt: expect.any(String),
        detail: 'certificate for orders.apps.acme.example expired',
      });
      const read = await request(backend.server).get(
        '/api/platform-metrics/v1/services/default/orders/checks',
      );
      expect(read.body).toEqual(res.body);
    });

    it('lists the services in production without observability', async () => {
      await request(backend.server).post(
        '/api/platform-metrics/v1/services/default/orders/checks/run',
      );

      const res = await request(backend.server)
        .get('/api/platform-metrics/v1/checks/unverified')
        .query({ team: 'checkout' });

      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        {
          entityRef: 'component:default/orders',
          teamRef: 'group:default/checkout',
          firstProductionDeploymentAt: '2026-01-01T00:00:00.000Z',
          failing: [{ id: 'tls', status: 'fail', since: expect.any(String) }],
          verifiedAt: null,
        },
      ]);
    });

    it('refuses "check now" without checks.run', async () => {
      const runsBefore = dns.runs.length;

      const res = await request(denyingBackend.server).post(
        '/api/platform-metrics/v1/services/default/payments/checks/run',
      );

      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('platform-metrics.checks.run');
      expect(dns.runs.length).toBe(runsBefore);
      // Reading stays open.
      const read = await request(denyingBackend.server).get(
        '/api/platform-metrics/v1/services/default/payments/checks',
      );
      expect(read.status).toBe(200);
    });

    it.each([
      ['/v1/services/default/ghost/checks', 'is not in the catalog'],
      ['/v1/services/default/legacy/checks', 'has no live checks'],
    ])('answers 404 for %s', async (path, message) => {
      const res = await request(backend.server).get(
        `/api/platform-metrics${path}`,
      );

      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain(message);
    });

    it.each([
      ['/v1/services/default/bad%20name/checks', 'name:'],
      [`/v1/services/${'n'.repeat(64)}/payments/checks`, 'namespace:'],
      ['/v1/checks/unverified?team=user%3A', 'team:'],
    ])('answers 400 naming the parameter for %s', async (path, field) => {
      const res = await request(backend.server).get(
        `/api/platform-metrics${path}`,
      );

      expect(res.status).toBe(400);
      expect(res.body.error.message.startsWith(field)).toBe(true);
    });
  });
});

describe('checks routes in the plugin, with checks off', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startMetricsTestBackend({
      entities: [nodeServiceTemplate, goldenPathComponent('payments')],
    });
  });

  afterAll(() => backend.stop());

  it('answers every check not-configured, never verified', async () => {
    const res = await request(backend.server)
      .get('/api/platform-metrics/v1/services/default/payments/checks')
      .set('Authorization', mockCredentials.user.header());

    expect(res.status).toBe(200);
    expect(res.body.checks).toHaveLength(SERVICE_CHECK_IDS.length);
    for (const check of res.body.checks) {
      expect(check).toEqual({
        id: expect.any(String),
        status: 'not-configured',
        since: null,
        lastCheckedAt: null,
        detail: expect.stringContaining('Live checks are off'),
      });
    }
    expect(res.body.verifiedAt).toBeNull();
  });

  it('lists no unverified services', async () => {
    const res = await request(backend.server)
      .get('/api/platform-metrics/v1/checks/unverified')
      .set('Authorization', mockCredentials.user.header());

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [] });
  });
});
