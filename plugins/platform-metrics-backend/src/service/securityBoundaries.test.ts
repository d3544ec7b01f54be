import { paymentsComponent } from '../__testUtils__/paymentsComponent';
/*
 * The platform-metrics API refuses callers who have not proven who they are.
 * Every operation of the OpenAPI spec is swept, so a new endpoint is covered
 * the day it is added to the spec: Backstage-authenticated endpoints answer 401
 * without a valid Backstage token, and webhooks (which cannot present one and
 * authenticate by signature or shared secret instead) answer 401 to a missing
 * or wrong signature.
 */
import { createHmac } from 'node:crypto';
import {
  mockCredentials,
  TestDatabases,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  startMetricsTestBackend,
  TEST_WEBHOOK_SECRETS,
} from '../__testUtils__/startMetricsTestBackend';
import {
  concretePath,
  openApiOperations,
  type OpenApiOperation,
} from './__testUtils__/openApiOperations';

// Starting the plugin on PostgreSQL runs every migration; a busy 2-core CI
// machine needs more than a minute for that in beforeAll.
jest.setTimeout(180_000);

const BASE = '/api/platform-metrics';

const hmacHex = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body).digest('hex');

type Headers = Record<string, string>;

/**
 * How each webhook proves its sender: the headers of a genuine delivery, and
 * of one signed with the wrong secret. Headers that are not part of the
 * signature (event names, delivery ids) are sent in every variant, so that
 * only the signature differs.
 */
const WEBHOOK_SIGNING: Record<
  string,
  {
    common: Headers;
    valid: (body: string) => Headers;
    wrong: (body: string) => Headers;
  }
> = {
  '/v1/webhooks/github': {
    common: { 'X-GitHub-Event': 'ping', 'X-GitHub-Delivery': 'delivery-1' },
    valid: body => ({
      'X-Hub-Signature-256': `sha256=${hmacHex(
        TEST_WEBHOOK_SECRETS.github,
        body,
      )}`,
    }),
    wrong: body => ({
      'X-Hub-Signature-256': `sha256=${hmacHex('not-the-secret', body)}`,
    }),
  },
  '/v1/webhooks/gitlab': {
    common: { 'X-Gitlab-Event': 'Deployment Hook' },
    valid: () => ({ 'X-Gitlab-Token': TEST_WEBHOOK_SECRETS.gitlab }),
    wrong: () => ({ 'X-Gitlab-Token': 'not-the-token' }),
  },
  '/v1/webhooks/pagerduty': {
    common: { 'X-Webhook-Id': 'webhook-1' },
    valid: body => ({
      'X-PagerDuty-Signature': `v1=${hmacHex(
        TEST_WEBHOOK_SECRETS.pagerduty,
        body,
      )}`,
    }),
    wrong: body => ({
      'X-PagerDuty-Signature': `v1=${hmacHex('not-the-secret', body)}`,
    }),
  },
  '/v1/webhooks/alertmanager': {
    common: {},
    valid: () => ({
      Authorization: `Bearer ${TEST_WEBHOOK_SECRETS.alertmanager}`,
    }),
    wrong: () => ({ Authorization: 'Bearer not-the-token' }),
  },
};

const operations = openApiOperations();
const isWebhook = (operation: OpenApiOperation) =>
  operation.path.startsWith('/v1/webhooks/');
const backstageOperations = operations.filter(o => !isWebhook(o));
const webhookOperations = operations.filter(isWebhook);
const label = (o: OpenApiOperation) => `${o.method.toUpperCase()} ${o.path}`;

/** Query values the handlers accept, so that only credentials decide the answer. */
function queryFor(operation: OpenApiOperation): Record<string, string> {
  const query: Record<string, string> = {};
  for (const parameter of operation.parameters) {
    if (parameter.in !== 'query' || !parameter.required) continue;
    if (parameter.name === 'from') query.from = '2026-10-01T00:00:00Z';
    else if (parameter.name === 'to') query.to = '2027-01-01T00:00:00Z';
    else if (parameter.enum) query[parameter.name] = parameter.enum[0];
    else
      throw new Error(
        `No test value for ${label(operation)} ?${parameter.name}`,
      );
  }
  return query;
}

const checkedService = {
  ...paymentsComponent,
  metadata: {
    ...paymentsComponent.metadata,
    annotations: {
      ...paymentsComponent.metadata.annotations,
      'prometheus.io/rule': 'payments',
    },
  },
};

describe('platform-metrics security boundaries', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it('finds both kinds of endpoint in the spec', () => {
    // Guards the sweep itself: an unreadable spec must not pass vacuously.
    expect(backstageOperations.length).toBeGreaterThanOrEqual(15);
    expect(webhookOperations.length).toBeGreaterThanOrEqual(4);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let backend: TestBackend | undefined;
    let server: TestBackend['server'];
    let campaignId: string;

    beforeAll(async () => {
      backend = await startMetricsTestBackend({
        knex: await databases.init(databaseId),
        // A service the live checks cover, so their routes answer for it.
        entities: [checkedService],
        // Everything is allowed once authenticated: only authentication is
        // under test here, so a 401 cannot be a permission decision.
        permission: AuthorizeResult.ALLOW,
      });
      server = backend.server;
      const created = await request(server)
        .post(`${BASE}/v1/survey/campaigns`)
        .set('Authorization', mockCredentials.user.header())
        .send({ title: 'Boundary check' });
      if (created.status !== 201) {
        throw new Error(`Could not create a campaign: HTTP ${created.status}`);
      }
      campaignId = created.body.id;
    });

    afterAll(() => backend?.stop());

    const send = (operation: OpenApiOperation, headers: Headers = {}) => {
      const url = `${BASE}${concretePath(operation, {
        campaignId,
        namespace: 'default',
        name: checkedService.metadata.name,
      })}`;
      let req = request(server)
        [operation.method](url)
        .query(queryFor(operation));
      for (const [name, value] of Object.entries(headers)) {
        req = req.set(name, value);
      }
      return operation.requestContentTypes.length > 0
        ? req.set('Content-Type', 'application/json').send('{}')
        : req;
    };

    describe.each(backstageOperations.map(o => [label(o), o] as const))(
      '%s',
      (_name, operation) => {
        it('answers 401 without credentials', async () => {
          const res = await send(operation);
          expect(res.status).toBe(401);
        });

        it('answers 401 to a token Backstage did not issue', async () => {
          const res = await send(operation, {
            Authorization: 'Bearer not-a-backstage-token',
          });
          expect(res.status).toBe(401);
        });

        it('is a route that authenticated callers reach', async () => {
          // A spec path the router does not serve would also answer 401 above;
          // reaching the handler proves the sweep covers a real endpoint.
          const user = await send(operation, {
            Authorization: mockCredentials.user.header(),
          });
          const service = await send(operation, {
            Authorization: mockCredentials.service.header(),
          });
          const reached = [user.status, service.status].filter(
            status => status !== 401 && status !== 404,
          );
          expect(reached.length).toBeGreaterThan(0);
        });
      },
    );

    describe.each(webhookOperations.map(o => [label(o), o] as const))(
      '%s',
      (_name, operation) => {
        const body = '{}';
        const signing = () => {
          const rule = WEBHOOK_SIGNING[operation.path];
          if (!rule) {
            throw new Error(
              `${operation.path} is a webhook without a signing rule in this test; add one`,
            );
          }
          return rule;
        };

        it('answers 401 without a signature', async () => {
          const res = await send(operation, signing().common);
          expect(res.status).toBe(401);
        });

        it('answers 401 to a wrong signature', async () => {
          const { common, wrong } = signing();
          const res = await send(operation, { ...common, ...wrong(body) });
          expect(res.status).toBe(401);
        });

        it('ignores a Backstage token in place of its signature', async () => {
          const res = await send(operation, {
            ...signing().common,
            Authorization: mockCredentials.user.header(),
          });
          expect(res.status).toBe(401);
        });

        it('lets a correctly signed delivery through', async () => {
          const { common, valid } = signing();
          const res = await send(operation, { ...common, ...valid(body) });
          expect([401, 403, 404]).not.toContain(res.status);
        });
      },
    );
  });
});
