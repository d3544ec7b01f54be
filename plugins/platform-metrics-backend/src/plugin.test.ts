import { createHmac } from 'node:crypto';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { githubDeploymentStatus } from './__testUtils__/githubDeploymentStatus';
import { paymentsComponent } from './__testUtils__/paymentsComponent';
import {
  startMetricsTestBackend,
  TEST_WEBHOOK_SECRETS,
} from './__testUtils__/startMetricsTestBackend';

const {
  github: GITHUB_SECRET,
  pagerduty: PAGERDUTY_SECRET,
  alertmanager: ALERTMANAGER_TOKEN,
} = TEST_WEBHOOK_SECRETS;

const entities = [paymentsComponent];

async function startBackend(
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const { server } = await startMetricsTestBackend({
    config: {
      platformMetrics: {
        maxBodyBytes: 64 * 1024,
        // During a rotation PagerDuty signs with every secret it holds.
        webhooks: {
          pagerduty: { secrets: ['old-secret', PAGERDUTY_SECRET] },
        },
      },
    },
    permission,
    entities,
  });
  return server;
}

function deployedEvent(id: string, timestamp: string, golden = true) {
  return {
    context: {
      version: '0.4.1',
      id,
      source: '/pipelines/payments',
      type: 'dev.cdevents.service.deployed.0.2.0',
      timestamp,
    },
    subject: {
      id: 'component:default/payments',
      source: '/pipelines/payments',
      type: 'service',
      content: {
        environment: { id: 'production', source: '/clusters/prod' },
        artifactId: 'pkg:oci/payments@sha256:0123',
      },
    },
    customData: golden
      ? { goldenPath: { template: 'node-service', version: '1.0.0' } }
      : {},
  };
}

function signGithub(body: string, secret = GITHUB_SECRET) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const period = '?from=2026-10-01T00:00:00Z&to=2027-01-01T00:00:00Z';

describe('platform-metrics plugin', () => {
  describe('CDEvents ingestion', () => {
    it('refuses anonymous senders', async () => {
      const server = await startBackend();
      const res = await request(server)
        .post('/api/platform-metrics/v1/events')
        .send(deployedEvent('e1', '2026-10-02T10:00:00Z'));
      expect(res.status).toBe(401);
    });

    it('stores a batch once, however often it is sent', async () => {
      const server = await startBackend();
      const batch = [
        deployedEvent('e1', '2026-10-02T10:00:00Z'),
        deployedEvent('e2', '2026-10-03T10:00:00Z', false),
      ];
      const send = () =>
        request(server)
          .post('/api/platform-metrics/v1/events')
          .set('Authorization', mockCredentials.service.header())
          .send(batch);

      const first = await send();
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ stored: 2, duplicates: 0 });
      const again = await send();
      expect(again.body).toMatchObject({ stored: 0, duplicates: 2 });

      const summary = await request(server)
        .get(`/api/platform-metrics/v1/summary${period}`)
        .set('Authorization', mockCredentials.user.header());
      expect(summary.status).toBe(200);
      expect(summary.body.goldenPath).toEqual({
        percent: 50,
        goldenDeployments: 1,
        totalDeployments: 2,
        // 1.0.0 is older than the latest release in versions.yaml, the only
        // supported version by default.
        supportedPercent: 0,
        supportedDeployments: 0,
      });
    });

    it('counts the versions goldenPath.supportedVersions lists as supported', async () => {
      const { server } = await startMetricsTestBackend({
        config: {
          goldenPath: { supportedVersions: { 'node-service': ['1.0.0'] } },
        },
        permission: AuthorizeResult.ALLOW,
        entities,
      });
      await request(server)
        .post('/api/platform-metrics/v1/events')
        .set('Authorization', mockCredentials.service.header())
        .send([deployedEvent('s1', '2026-10-02T10:00:00Z')])
        .expect(200);
      const summary = await request(server)
        .get(`/api/platform-metrics/v1/summary${period}`)
        .set('Authorization', mockCredentials.user.header());
      expect(summary.body.goldenPath).toMatchObject({
        goldenDeployments: 1,
        supportedDeployments: 1,
        supportedPercent: 100,
      });
    });

    it('names the field at fault', async () => {
      const server = await startBackend();
      const event = deployedEvent('e1', 'yesterday');
      const res = await request(server)
        .post('/api/platform-metrics/v1/events')
        .set('Authorization', mockCredentials.service.header())
        .send(event);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/context\.timestamp/);
    });

    it('answers 413 to an oversized body and 400 to malformed JSON', async () => {
      const server = await startBackend();
      const big = await request(server)
        .post('/api/platform-metrics/v1/events')
        .set('Authorization', mockCredentials.service.header())
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ padding: 'x'.repeat(100 * 1024) }));
      expect(big.status).toBe(413);

      const broken = await request(server)
        .post('/api/platform-metrics/v1/events')
        .set('Authorization', mockCredentials.service.header())
        .set('Content-Type', 'application/json')
        .send('{"context": ');
      expect(broken.status).toBe(400);
    });
  });

  describe('GitHub webhook', () => {
    const post = (
      server: Awaited<ReturnType<typeof startBackend>>,
      body: string,
      headers: Record<string, string>,
    ) =>
      request(server)
        .post('/api/platform-metrics/v1/webhooks/github')
        .set('Content-Type', 'application/json')
        .set(headers)
        .send(body);

    it('stores a signed deployment once per delivery and attributes it', async () => {
      const server = await startBackend();
      const body = JSON.stringify(githubDeploymentStatus());
      const headers = {
        'X-GitHub-Event': 'deployment_status',
        'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        'X-Hub-Signature-256': signGithub(body),
      };
      expect((await post(server, body, headers)).body).toMatchObject({
        stored: 1,
      });
      expect((await post(server, body, headers)).body).toMatchObject({
        stored: 0,
        duplicates: 1,
      });

      const deployments = await request(server)
        .get(`/api/platform-metrics/v1/deployments${period}`)
        .set('Authorization', mockCredentials.user.header());
      expect(deployments.body.items).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/payments',
          teamRef: 'group:default/payments-team',
        }),
      ]);
    });

    it.each([
      ['a wrong', () => signGithub('{}', 'another-secret')],
      ['a missing', () => undefined],
    ])('refuses %s signature', async (_label, signature) => {
      const server = await startBackend();
      const body = JSON.stringify(githubDeploymentStatus());
      const headers: Record<string, string> = {
        'X-GitHub-Event': 'deployment_status',
        'X-GitHub-Delivery': 'd1',
      };
      const value = signature();
      if (value) headers['X-Hub-Signature-256'] = value;
      const res = await post(server, body, headers);
      expect(res.status).toBe(401);
    });

    it('takes a JSON body and no query parameters, as its spec says', async () => {
      const server = await startBackend();
      const body = JSON.stringify(githubDeploymentStatus());
      const headers = {
        'X-GitHub-Event': 'deployment_status',
        'X-GitHub-Delivery': 'spec-checks',
        'X-Hub-Signature-256': signGithub(body),
      };
      const withQuery = await request(server)
        .post('/api/platform-metrics/v1/webhooks/github?debug=1')
        .set('Content-Type', 'application/json')
        .set(headers)
        .send(body);
      expect(withQuery.status).toBe(400);
      expect(withQuery.body.error.message).toContain('debug');
      const csv = await request(server)
        .post('/api/platform-metrics/v1/webhooks/github')
        .set('Content-Type', 'text/csv')
        .set(headers)
        .send(body);
      expect(csv.status).toBe(415);
      expect(csv.body.error.message).toContain('Content-Type');
      const empty = await request(server)
        .post('/api/platform-metrics/v1/webhooks/github')
        .set({ ...headers, 'X-Hub-Signature-256': signGithub('') });
      expect(empty.status).toBe(415);
      expect(empty.body.error.message).toContain('Content-Type');

      const deployments = await request(server)
        .get(`/api/platform-metrics/v1/deployments${period}`)
        .set('Authorization', mockCredentials.user.header());
      expect(deployments.body.items).toEqual([]);
    });
  });

  describe('PagerDuty webhook', () => {
    it('accepts either secret during rotation and keeps one incident', async () => {
      const server = await startBackend();
      const event = (type: string, occurredAt: string, id: string) => ({
        event: {
          id,
          event_type: type,
          resource_type: 'incident',
          occurred_at: occurredAt,
          agent: null,
          client: null,
          data: {
            id: 'PGR0VU2',
            type: 'incident',
            self: 'https://api.pagerduty.com/incidents/PGR0VU2',
            html_url: 'https://acme.pagerduty.com/incidents/PGR0VU2',
            number: 2,
            status: type === 'incident.resolved' ? 'resolved' : 'triggered',
            incident_key: 'd3640fbd41094207a1c11e58e46b1662',
            created_at: '2026-10-05T10:00:00Z',
            title: 'A little bump in the road',
            service: {
              html_url: 'https://acme.pagerduty.com/services/PWIXJZS',
              id: 'PWIXJZS',
              self: 'https://api.pagerduty.com/services/PWIXJZS',
              summary: 'Payments',
              type: 'service_reference',
            },
            urgency: 'high',
            priority: {
              summary: 'P1',
              id: 'PSO75BM',
              type: 'priority_reference',
            },
          },
        },
      });
      const send = (body: object, webhookId: string) => {
        const raw = JSON.stringify(body);
        const signature = createHmac('sha256', PAGERDUTY_SECRET)
          .update(raw)
          .digest('hex');
        return request(server)
          .post('/api/platform-metrics/v1/webhooks/pagerduty')
          .set('Content-Type', 'application/json')
          .set('X-Webhook-Id', webhookId)
          .set('X-PagerDuty-Signature', `v1=deadbeef,v1=${signature}`)
          .send(raw);
      };
      // Delivered out of order: resolution first.
      const resolved = await send(
        event('incident.resolved', '2026-10-05T10:45:00Z', 'e2'),
        'w2',
      );
      expect(resolved.status).toBe(200);
      await send(
        event('incident.triggered', '2026-10-05T10:00:00Z', 'e1'),
        'w1',
      );

      const summary = await request(server)
        .get(`/api/platform-metrics/v1/summary${period}`)
        .set('Authorization', mockCredentials.user.header());
      expect(summary.body.mttr).toMatchObject({
        count: 1,
        medianSeconds: 45 * 60,
        open: 0,
      });
    });
  });

  describe('Alertmanager and GitLab webhooks', () => {
    it('need their shared secrets', async () => {
      const server = await startBackend();
      const alert = await request(server)
        .post('/api/platform-metrics/v1/webhooks/alertmanager')
        .set('Authorization', 'Bearer wrong')
        .send({ version: '4', alerts: [] });
      expect(alert.status).toBe(401);
      const gitlab = await request(server)
        .post('/api/platform-metrics/v1/webhooks/gitlab')
        .send({ object_kind: 'deployment' });
      expect(gitlab.status).toBe(401);
    });

    it('pair the firing and resolved alert of an Alertmanager without fingerprints', async () => {
      const server = await startBackend();
      // Alertmanager before 0.19 sends no `fingerprint` (prometheus/alertmanager#1945).
      const webhook = (status: 'firing' | 'resolved') => ({
        receiver: 'backstage-platform-metrics',
        status,
        alerts: [
          {
            status,
            labels: {
              alertname: 'PaymentsHighErrorRate',
              backstage_entity: 'component:default/payments',
              severity: 'critical',
            },
            annotations: { summary: 'Payments API error rate above 5%' },
            startsAt: '2026-10-05T10:00:00Z',
            endsAt:
              status === 'firing'
                ? '2026-10-05T10:04:00Z'
                : '2026-10-05T10:30:00Z',
            generatorURL: 'http://prometheus-0:9090/graph',
          },
        ],
        version: '4',
        groupKey: '{}:{alertname="PaymentsHighErrorRate"}',
      });
      for (const status of ['firing', 'resolved'] as const) {
        const res = await request(server)
          .post('/api/platform-metrics/v1/webhooks/alertmanager')
          .set('Authorization', `Bearer ${ALERTMANAGER_TOKEN}`)
          .send(webhook(status));
        expect(res.status).toBe(200);
      }

      const summary = await request(server)
        .get(`/api/platform-metrics/v1/summary${period}`)
        .set('Authorization', mockCredentials.user.header());
      expect(summary.body.mttr).toMatchObject({
        count: 1,
        medianSeconds: 30 * 60,
        open: 0,
      });
    });
  });

  describe('read API', () => {
    it('gives nulls, not zeros, for a period without data', async () => {
      const server = await startBackend();
      const res = await request(server)
        .get(`/api/platform-metrics/v1/summary${period}`)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      expect(res.body.leadTime).toMatchObject({
        medianSeconds: null,
        p90Seconds: null,
        count: 0,
      });
      expect(res.body.goldenPath.percent).toBeNull();
      expect(res.body.mttr.medianSeconds).toBeNull();
    });

    it('names a bad period parameter', async () => {
      const server = await startBackend();
      const res = await request(server)
        .get(
          '/api/platform-metrics/v1/summary?from=soon&to=2027-01-01T00:00:00Z',
        )
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/from/);
    });

    it('refuses anonymous readers', async () => {
      const server = await startBackend();
      const res = await request(server).get(
        `/api/platform-metrics/v1/summary${period}`,
      );
      expect(res.status).toBe(401);
    });

    it('refuses readers the policy denies', async () => {
      const server = await startBackend(AuthorizeResult.DENY);
      const res = await request(server)
        .get(`/api/platform-metrics/v1/summary${period}`)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(403);
    });
  });

  describe('baseline import', () => {
    const csv = [
      'requested_at,in_production_at,team,ticket_id',
      '2025-01-06T09:00:00Z,2025-01-27T09:00:00Z,payments-team,OPS-1',
      '2025-02-03T09:00:00Z,2025-02-24T09:00:00Z,payments-team,OPS-2',
    ].join('\n');

    it('previews, then imports once', async () => {
      const server = await startBackend();
      const post = (dryRun: boolean) =>
        request(server)
          .post(
            `/api/platform-metrics/v1/baseline?kind=service-requests&dryRun=${dryRun}`,
          )
          .set('Authorization', mockCredentials.user.header())
          .set('Content-Type', 'text/csv')
          .send(csv);

      const preview = await post(true);
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({ rows: 2, valid: 2, stored: 0 });
      expect(preview.body.preview[0]).toMatchObject({ ticket_id: 'OPS-1' });

      expect((await post(false)).body).toMatchObject({ stored: 2 });
      expect((await post(false)).body).toMatchObject({
        stored: 0,
        duplicates: 2,
      });

      const baseline = await request(server)
        .get(
          '/api/platform-metrics/v1/summary?from=2025-01-01T00:00:00Z&to=2025-04-01T00:00:00Z&baseline=true',
        )
        .set('Authorization', mockCredentials.user.header());
      expect(baseline.body.leadTime).toMatchObject({
        count: 2,
        medianSeconds: 21 * 86400,
      });
    });

    it('reports every bad row and imports none', async () => {
      const server = await startBackend();
      const res = await request(server)
        .post('/api/platform-metrics/v1/baseline?kind=service-requests')
        .set('Authorization', mockCredentials.user.header())
        .set('Content-Type', 'text/csv')
        .send(
          [
            'requested_at,in_production_at,team',
            '2025-01-06T09:00:00Z,2025-01-01T09:00:00Z,payments-team',
            'not-a-date,2025-02-24T09:00:00Z,',
            '2025-02-03T09:00:00Z,2025-02-24T09:00:00Z,payments-team',
          ].join('\n'),
        );
      expect(res.status).toBe(200);
      expect(res.body.stored).toBe(0);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ row: 1, field: 'in_production_at' }),
          expect.objectContaining({ row: 2, field: 'requested_at' }),
          expect.objectContaining({ row: 2, field: 'team' }),
        ]),
      );
    });

    it('is for administrators only', async () => {
      const server = await startBackend(AuthorizeResult.DENY);
      const res = await request(server)
        .post('/api/platform-metrics/v1/baseline?kind=incidents')
        .set('Authorization', mockCredentials.user.header())
        .send([]);
      expect(res.status).toBe(403);
    });
  });

  describe('survey', () => {
    it('lets a user answer the open campaign once, without admin rights', async () => {
      const server = await startBackend();
      const admin = mockCredentials.user.header('user:default/platform-admin');
      const created = await request(server)
        .post('/api/platform-metrics/v1/survey/campaigns')
        .set('Authorization', admin)
        .send({ title: 'Developer experience' });
      expect(created.status).toBe(201);
      const opened = await request(server)
        .post(
          `/api/platform-metrics/v1/survey/campaigns/${created.body.id}/open`,
        )
        .set('Authorization', admin);
      expect(opened.status).toBe(200);

      const user = mockCredentials.user.header('user:default/ana');
      const current = await request(server)
        .get('/api/platform-metrics/v1/survey/current')
        .set('Authorization', user);
      expect(current.body).toMatchObject({ answered: false });
      const answers = Object.fromEntries(
        current.body.campaign.questions.map((q: { id: string }) => [q.id, 4]),
      );
      const answer = () =>
        request(server)
          .post(
            `/api/platform-metrics/v1/survey/campaigns/${created.body.id}/responses`,
          )
          .set('Authorization', user)
          .send({ answers, comment: 'Golden paths saved me a week.' });
      expect((await answer()).status).toBe(201);
      expect((await answer()).status).toBe(409);
      const after = await request(server)
        .get('/api/platform-metrics/v1/survey/current')
        .set('Authorization', user);
      expect(after.body.answered).toBe(true);
    });

    it('only administrators manage campaigns', async () => {
      const server = await startBackend(AuthorizeResult.DENY);
      const res = await request(server)
        .post('/api/platform-metrics/v1/survey/campaigns')
        .set('Authorization', mockCredentials.user.header())
        .send({ title: 'Developer experience' });
      expect(res.status).toBe(403);
    });
  });
});
