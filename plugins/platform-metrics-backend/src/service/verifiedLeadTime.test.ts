/*
 * The golden path's loop through the real plugin, on both databases: a request,
 * the production deployment exactly as ci/report-deployment.sh (golden path
 * 1.1.0) posts it, the image and pipeline checks on what was stored, and lead
 * time ending when the runner records the service as verified.
 */
import {
  mockCredentials,
  TestDatabases,
  type TestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { ImageCheck } from '../checks/ImageCheck';
import { PipelineCheck } from '../checks/PipelineCheck';
import type { CheckTarget, ServiceCheck } from '../checks/ServiceCheck';
import { paymentsComponent } from '../__testUtils__/paymentsComponent';
import { startMetricsTestBackend } from '../__testUtils__/startMetricsTestBackend';
import { DatabaseMetricsStore } from '../database/DatabaseMetricsStore';

jest.setTimeout(180_000);

const PAYMENTS = 'component:default/payments';
const DIGEST = `sha256:${'5e1f'.repeat(16)}`;
const RUN_ID = 'acme/payments/4711/1';
const Q4 = { from: '2026-10-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };

const requestedAt = '2026-10-05T09:00:00Z';
const deployedAt = '2026-10-05T10:00:00Z';
const verifiedAt = '2026-10-05T10:30:00Z';

/** What report-deployment.sh of golden path 1.1.0 sends. */
const reportedDeployment = {
  context: {
    version: '0.4.1',
    id: RUN_ID,
    source: 'https://github.com/acme/payments',
    type: 'dev.cdevents.service.deployed.0.2.0',
    timestamp: deployedAt,
  },
  subject: {
    id: PAYMENTS,
    source: 'https://github.com/acme/payments',
    type: 'service',
    content: {
      environment: { id: 'production' },
      artifactId: `pkg:oci/payments@${DIGEST}?repository_url=ghcr.io/acme/payments`,
    },
  },
  customData: {
    commit: 'a'.repeat(40),
    goldenPath: { template: 'node-service', version: '1.1.0' },
    observability: true,
  },
};

const serviceRequested = {
  context: {
    version: '0.4.1',
    id: 'sr-payments',
    source: '/backstage/scaffolder',
    type: 'dev.cdeventsx.servicerequest.created.0.1.0',
    timestamp: requestedAt,
  },
  subject: {
    id: 'task-1',
    source: '/backstage/scaffolder',
    content: { entityRef: PAYMENTS, template: 'node-service' },
  },
};

const target: CheckTarget = {
  entityRef: PAYMENTS,
  namespace: 'default',
  name: 'payments',
  kubernetesId: 'payments',
};

describe('verified lead time through the plugin', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let backend: TestBackend;
    let store: DatabaseMetricsStore;

    const post = (body: object) =>
      request(backend.server)
        .post('/api/platform-metrics/v1/events')
        .set('Authorization', mockCredentials.service.header())
        .send(body);
    const get = async (path: string, params: Record<string, string>) => {
      const res = await request(backend.server)
        .get(`/api/platform-metrics${path}?${new URLSearchParams(params)}`)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      return res.body;
    };

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      backend = await startMetricsTestBackend({
        knex,
        entities: [paymentsComponent],
      });
      store = await DatabaseMetricsStore.create({ knex });
    });

    afterAll(() => backend?.stop());

    it('stores the image digest and the run, and ends lead time at verifiedAt', async () => {
      expect((await post(serviceRequested)).status).toBe(200);
      // The runner's first cycle covers the service before it is in production.
      await store.recordVerification(PAYMENTS, {
        coveredSince: new Date('2026-10-05T09:05:00Z'),
        verifiedAt: null,
      });
      expect((await post(reportedDeployment)).body).toMatchObject({
        stored: 1,
      });

      expect(await store.latestProductionDeployment(PAYMENTS)).toEqual({
        deployedAt: new Date(deployedAt),
        source: 'cdevents',
        pipelineId: RUN_ID,
        imageDigest: DIGEST,
      });
      const signal = new AbortController().signal;
      const checks: ServiceCheck[] = [
        ImageCheck.create({ verifications: store }),
        PipelineCheck.create({ verifications: store }),
      ];
      for (const check of checks) {
        expect(await check.run(target, { signal })).toMatchObject({
          status: 'pass',
        });
      }

      // In production, not verified yet: in flight.
      expect((await get('/v1/summary', Q4)).leadTime).toMatchObject({
        count: 0,
        inFlight: 1,
        verified: 0,
        declaredOnly: 0,
      });

      await store.recordVerification(PAYMENTS, {
        coveredSince: new Date('2026-10-05T09:05:00Z'),
        verifiedAt: new Date(verifiedAt),
      });
      const { leadTime } = await get('/v1/summary', Q4);
      expect(leadTime).toEqual({
        medianSeconds: 90 * 60,
        p90Seconds: 90 * 60,
        count: 1,
        inFlight: 0,
        observabilityUnverified: 0,
        verified: 1,
        declaredOnly: 0,
      });
      const trend = await get('/v1/trend', { ...Q4, bucket: 'quarter' });
      expect(trend.points[0].leadTime).toEqual(leadTime);
      const ready = await get('/v1/service-requests', {
        ...Q4,
        state: 'ready',
      });
      expect(ready.items).toEqual([
        expect.objectContaining({
          entityRef: PAYMENTS,
          readyAt: new Date(verifiedAt).toISOString(),
        }),
      ]);
    });
  });
});
