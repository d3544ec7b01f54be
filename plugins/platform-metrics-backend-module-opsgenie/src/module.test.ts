import type { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// A test, not a runtime dependency: the module is checked against the plugin's
// real routes and stores (newer Backstage releases exempt tests from this rule).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import platformMetricsPlugin from '@internal/plugin-platform-metrics-backend';
import { platformMetricsModuleOpsgenie } from './module';

const TOKEN = 'opsgenie-token-under-test';

const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'opsgenie.com/component-selector': 'tag:"payments-api"' },
  },
  spec: { type: 'service', owner: 'group:default/payments' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
};

/** An Opsgenie delivery; `updatedAt` in nanoseconds, as Opsgenie sends it. */
const delivery = (action: string, updatedAtNs: string) => `{
  "action": "${action}",
  "alert": {
    "alertId": "0b9e6c1d-3f2a-4e5b-8c7d-1a2b3c4d5e6f-1760954400123",
    "message": "payments-api: error ratio above 5 %",
    "tags": ["payments-api", "production"],
    "tinyId": "77",
    "alias": "payments-api-high-error-ratio",
    "createdAt": 1760954400123,
    "updatedAt": ${updatedAtNs},
    "teams": ["b7e3d2c1-0f4a-4e8b-a6d5-3c2b1a0f9e8d"],
    "priority": "P2",
    "source": "Alertmanager"
  },
  "source": { "name": "", "type": "API" },
  "integrationName": "Platform metrics",
  "integrationType": "Webhook"
}`;

async function startBackend(webhooks: object) {
  const backend: TestBackend = await startTestBackend({
    features: [
      platformMetricsPlugin,
      platformMetricsModuleOpsgenie,
      mockServices.rootConfig.factory({
        data: {
          platformMetrics: {
            webhooks,
            survey: { participationSecret: 'x'.repeat(32) },
          },
        },
      }),
      catalogServiceMock.factory({ entities: [paymentsApi] }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const base = `http://localhost:${port}/api/platform-metrics`;
  return {
    backend,
    post: (body: string, headers: Record<string, string>) =>
      fetch(`${base}/v1/webhooks/opsgenie`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body,
      }),
    get: async (path: string) => {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      return res.json();
    },
  };
}

const authorized = { Authorization: `Bearer ${TOKEN}` };
const period = '?from=2025-10-01T00:00:00Z&to=2026-01-01T00:00:00Z';

describe('the Opsgenie module', () => {
  it('answers 404 until its token is configured', async () => {
    const { backend, post } = await startBackend({});
    const res = await post(delivery('Create', '1760954400123000000'), {
      Authorization: 'Bearer anything',
    });
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toBe(
      'The Opsgenie webhook is not configured',
    );
    await backend.stop();
  });

  it('refuses a missing or wrong token, and a Backstage token', async () => {
    const { backend, post } = await startBackend({
      opsgenie: { token: TOKEN },
    });
    const body = delivery('Create', '1760954400123000000');
    for (const headers of [
      {} as Record<string, string>,
      { Authorization: 'Bearer not-the-token' },
      { Authorization: TOKEN },
      { Authorization: mockCredentials.user.header() },
    ]) {
      expect((await post(body, headers)).status).toBe(401);
    }
    await backend.stop();
  });

  it('turns a Close and a late Create into one resolved incident in the MTTR', async () => {
    const { backend, post, get } = await startBackend({
      opsgenie: { token: TOKEN },
    });

    const close = delivery('Close', '1760955300789000000');
    const closed = await post(close, authorized);
    expect(closed.status).toBe(200);
    expect(await closed.json()).toEqual({
      stored: 2,
      duplicates: 0,
      ignored: 0,
    });
    // Opsgenie retries, and the Create arrives last.
    expect(await (await post(close, authorized)).json()).toEqual({
      stored: 0,
      duplicates: 2,
      ignored: 0,
    });
    const created = await post(
      delivery('Create', '1760954400123000000'),
      authorized,
    );
    expect(await created.json()).toEqual({
      stored: 0,
      duplicates: 1,
      ignored: 0,
    });

    const { mttr } = await get(`/v1/summary${period}`);
    expect(mttr).toMatchObject({ count: 1, open: 0 });
    expect(mttr.medianSeconds).toBeCloseTo(900.666, 3);

    const { items } = await get(`/v1/incidents${period}&state=resolved`);
    expect(items).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/payments-api',
        teamRef: 'group:default/payments',
        severity: 'P2',
        title: 'payments-api: error ratio above 5 %',
      }),
    ]);
    await backend.stop();
  });

  it('is listed among the ingestion sources, with its annotations', async () => {
    const { backend, get } = await startBackend({ opsgenie: { token: TOKEN } });
    const { items } = await get('/v1/ingestion/sources');
    expect(items.map((s: { id: string }) => s.id)).toEqual([
      'cdevents',
      'github',
      'gitlab',
      'pagerduty',
      'alertmanager',
      'opsgenie',
    ]);
    expect(items[5]).toMatchObject({
      displayName: 'Opsgenie',
      path: '/v1/webhooks/opsgenie',
      authentication: 'token',
      attributionAnnotations: [
        'opsgenie.com/component-selector',
        'opsgenie.com/team',
      ],
    });
    await backend.stop();
  });
});
