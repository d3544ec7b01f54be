import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  TestDatabases,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import Router from 'express-promise-router';
import type { Knex } from 'knex';
import request from 'supertest';
import { startMetricsTestBackend } from '../__testUtils__/startMetricsTestBackend';

jest.setTimeout(60_000);

const BASE = '/api/platform-metrics';
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const TEMPLATE = 'template:default/node-service';

/** Mock tokens carry no groups; the catalog would give these. */
const userInfoWithTeams = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef: string = credentials.principal.userEntityRef;
      return {
        userEntityRef,
        ownershipEntityRefs: [userEntityRef, 'group:default/payments'],
      };
    },
  }),
});

/**
 * Stands in for the scaffolder: its task list and the events of a failed task,
 * served over HTTP to callers with a service token, as the real one is.
 */
function fakeScaffolder(now: Date) {
  const created = now.toISOString();
  const tasks = [
    { id: 'task-form', status: 'completed' },
    { id: 'task-failed', status: 'failed' },
    { id: 'task-api', status: 'completed' },
  ].map(task => ({
    ...task,
    createdAt: created,
    spec: { templateInfo: { entityRef: TEMPLATE } },
  }));
  return createBackendPlugin({
    pluginId: 'scaffolder',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const router = Router();
          router.get('/v2/tasks', async (req, res) => {
            await httpAuth.credentials(req, { allow: ['service'] });
            const offset = Number(req.query.offset ?? 0);
            res.json({
              tasks: tasks.slice(offset),
              totalTasks: tasks.length,
            });
          });
          router.get('/v2/tasks/:id/events', async (req, res) => {
            await httpAuth.credentials(req, { allow: ['service'] });
            res.json(
              req.params.id === 'task-failed'
                ? [
                    {
                      type: 'log',
                      body: { stepId: 'fetch', status: 'completed' },
                    },
                    {
                      type: 'log',
                      body: { stepId: 'publish', status: 'failed' },
                    },
                    { type: 'completion', body: { message: 'failed' } },
                  ]
                : [],
            );
          });
          httpRouter.use(router);
        },
      });
    },
  });
}

function event(overrides: Record<string, unknown> = {}) {
  return {
    action: 'navigate',
    subject: '/catalog',
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}

describe('usage routes', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: TestBackend;
    let denied: TestBackend;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startMetricsTestBackend({
        knex,
        permission: AuthorizeResult.ALLOW,
        features: [userInfoWithTeams, fakeScaffolder(new Date())],
      });
      denied = await startMetricsTestBackend({
        knex,
        permission: AuthorizeResult.DENY,
        features: [userInfoWithTeams],
      });
    });

    afterAll(async () => {
      await backend.stop();
      await denied.stop();
    });

    const post = (body: unknown, user = ALICE) =>
      request(backend.server)
        .post(`${BASE}/v1/usage/events`)
        .set('Authorization', mockCredentials.user.header(user))
        .send(body as object);

    it('refuses events without a signed-in user', async () => {
      const anonymous = await request(backend.server)
        .post(`${BASE}/v1/usage/events`)
        .send({ events: [event()] });
      expect(anonymous.status).toBe(401);

      const service = await request(backend.server)
        .post(`${BASE}/v1/usage/events`)
        .set('Authorization', mockCredentials.service.header())
        .send({ events: [event()] });
      expect(service.status).toBe(403);
    });

    it('names the field of a bad event', async () => {
      const events = [event(), event(), event(), event({ action: 'hover' })];
      const response = await post({ events });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain('events[3].action');

      const tooLong = await post({
        events: [event({ subject: 'x'.repeat(301) })],
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toContain('events[0].subject');

      const tooMany = await post({
        events: Array.from({ length: 501 }, () => event()),
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toContain('events');

      const badTime = await post({
        events: [event({ occurredAt: "' OR '1'='1" })],
      });
      expect(badTime.status).toBe(400);
      expect(badTime.body.error.message).toContain('events[0].occurredAt');
    });

    it('keeps the usage reports from those without the usage permission', async () => {
      for (const path of ['templates', 'features']) {
        const response = await request(denied.server)
          .get(`${BASE}/v1/usage/${path}`)
          .query({ from: '2026-01-01', to: '2027-01-01' })
          .set('Authorization', mockCredentials.user.header(ALICE));
        expect(response.status).toBe(403);
      }
    });

    it('names a bad period', async () => {
      const response = await request(backend.server)
        .get(`${BASE}/v1/usage/templates`)
        .query({ from: 'yesterday', to: '2027-01-01' })
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain('from');
    });

    it('shows a form opened without being submitted, and task outcomes', async () => {
      // Alice opens the form and leaves; Bob opens it and submits it.
      expect(
        (await post({ events: [event({ templateRef: 'node-service' })] }))
          .status,
      ).toBe(202);
      const stored = await post(
        {
          events: [
            event({ templateRef: TEMPLATE, subject: '/create/templates' }),
            event({
              action: 'create',
              subject: 'node-service',
              templateRef: TEMPLATE,
              taskId: 'task-form',
              value: 90_000,
            }),
          ],
        },
        BOB,
      );
      expect(stored.status).toBe(202);
      expect(stored.body).toEqual({ stored: 2 });

      const now = Date.now();
      const response = await request(backend.server)
        .get(`${BASE}/v1/usage/templates`)
        .query({
          from: new Date(now - 86_400_000).toISOString(),
          to: new Date(now + 86_400_000).toISOString(),
        })
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(response.status).toBe(200);
      expect(response.body.taskOutcomes).toBe('available');
      expect(response.body.items).toEqual([
        {
          templateRef: TEMPLATE,
          opened: 2,
          submitted: 1,
          succeeded: 2,
          failed: 1,
          failedSteps: [{ stepId: 'publish', count: 1 }],
          firstProductionDeployment: 0,
          verified: null,
          medianFormMs: 90_000,
          // The failed task and the API task have no form submission.
          startedViaApi: 2,
        },
      ]);
    });

    it('lists searches that found nothing, and counts distinct users per page', async () => {
      expect(
        (await post({ events: [event({ subject: '/docs' })] }, BOB)).status,
      ).toBe(202);
      await post({
        events: [
          event({ subject: '/docs?q=secret#top' }),
          event({ subject: '/docs' }),
          event({
            action: 'search',
            subject: '/search',
            searchTerm: 'kafka',
            value: 0,
          }),
          event({
            action: 'search',
            subject: '/search',
            searchTerm: 'postgres',
            value: 4,
          }),
        ],
      });
      const now = Date.now();
      const response = await request(backend.server)
        .get(`${BASE}/v1/usage/features`)
        .query({
          from: new Date(now - 86_400_000).toISOString(),
          to: new Date(now + 86_400_000).toISOString(),
        })
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(response.status).toBe(200);
      expect(response.body.unfoundSearches).toEqual([
        { term: 'kafka', count: 1 },
      ]);
      // Free text is kept only for a search that found nothing.
      expect(JSON.stringify(response.body)).not.toContain('postgres');
      expect(JSON.stringify(response.body)).not.toContain('secret');
      expect(response.body.weeks).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'page',
            feature: '/docs',
            users: 2,
            teams: 1,
          }),
        ]),
      );
    });
  });
});
