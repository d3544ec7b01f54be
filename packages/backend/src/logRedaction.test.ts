/*
 * Nothing the platform-metrics backend logs contains a secret from the config,
 * also when webhook signatures or tokens fail to verify.
 *
 * Backstage's root logger (the one the portal runs, with its console output
 * captured here) replaces every config value whose schema marks it
 * `@visibility secret` with ***: the webhook secrets and the participation
 * secret (plugins/platform-metrics-backend/config.d.ts) and the static access
 * tokens (backend-defaults). It redacts exact values only: the same secret
 * encoded differently, or anything derived from it, is written as is, which
 * is why the plugin must never log signatures or hashes either.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { rootLoggerServiceFactory } from '@backstage/backend-defaults/rootLogger';
import {
  coreServices,
  createBackendModule,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import platformMetricsPlugin from '@internal/plugin-platform-metrics-backend';
import {
  startPortalBackend,
  type PortalBackend,
} from './__testUtils__/startPortalBackend';
import { permissionPolicyModule } from './permissionPolicyModule';

jest.setTimeout(180_000);

const secret = (name: string) => `${name}-${randomBytes(12).toString('hex')}`;
const SECRETS = {
  github: secret('github-webhook'),
  gitlab: secret('gitlab-webhook'),
  pagerdutyOld: secret('pagerduty-old'),
  pagerduty: secret('pagerduty-new'),
  alertmanager: secret('alertmanager'),
  participation: secret('survey-participation-secret-of-32-chars'),
  ingestToken: secret('ingest-token'),
};

/** Hands the test the logger platform-metrics gets, to log through the same path. */
const probe: { logger?: LoggerService } = {};
const logProbe = createBackendModule({
  pluginId: 'platform-metrics',
  moduleId: 'log-probe',
  register(env) {
    env.registerInit({
      deps: { logger: coreServices.logger },
      async init({ logger }) {
        probe.logger = logger;
      },
    });
  },
});

const hmacHex = (key: string, body: string) =>
  createHmac('sha256', key).update(body).digest('hex');

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'secrets in what the platform-metrics backend logs, on %s',
  database => {
    let portal: PortalBackend;
    let output = '';
    const spies: jest.SpyInstance[] = [];
    const metrics = (path: string) =>
      `${portal.baseUrl}/api/platform-metrics${path}`;

    beforeAll(async () => {
      // The root logger writes to the console's stream (console._stdout),
      // which is process.stdout unless Jest's worker console replaced it.
      const keep = (chunk: unknown) => {
        output += String(chunk);
        return true;
      };
      const jestConsole = console as unknown as Record<
        string,
        NodeJS.WriteStream
      >;
      const streams = new Set(
        [
          process.stdout,
          process.stderr,
          jestConsole._stdout,
          jestConsole._stderr,
        ].filter(Boolean),
      );
      for (const stream of streams) {
        spies.push(jest.spyOn(stream, 'write').mockImplementation(keep));
      }
      portal = await startPortalBackend({
        databases,
        database,
        features: [
          rootLoggerServiceFactory,
          catalogPlugin,
          permissionPlugin,
          permissionPolicyModule,
          platformMetricsPlugin,
          logProbe,
        ],
        externalAccess: [
          {
            type: 'static',
            options: { token: SECRETS.ingestToken, subject: 'metrics-ingest' },
            accessRestrictions: [{ plugin: 'platform-metrics' }],
          },
        ],
        config: {
          backend: { logger: { level: 'debug' } },
          platformMetrics: {
            webhooks: {
              github: { secret: SECRETS.github },
              gitlab: { token: SECRETS.gitlab },
              pagerduty: { secrets: [SECRETS.pagerdutyOld, SECRETS.pagerduty] },
              alertmanager: { token: SECRETS.alertmanager },
            },
            survey: { participationSecret: SECRETS.participation },
          },
        },
      });
    });

    afterAll(async () => {
      await portal?.stop();
      spies.forEach(spy => spy.mockRestore());
    });

    const leaks = () =>
      Object.entries(SECRETS)
        .filter(([, value]) => output.includes(value))
        .map(([name]) => name);

    it('replaces every configured secret the plugin logs with ***', () => {
      for (const [name, value] of Object.entries(SECRETS)) {
        probe.logger!.warn(`probe ${name} is ${value}`, { value });
      }
      for (const name of Object.keys(SECRETS)) {
        expect(output).toContain(`probe ${name} is ***`);
      }
      expect(leaks()).toEqual([]);
    });

    it('does not redact a secret written in another form', () => {
      // Backstage matches exact values; this is the limit the plugin must respect.
      const encoded = Buffer.from(SECRETS.github).toString('base64');
      probe.logger!.warn(`probe encoded ${encoded}`);
      expect(output).toContain(encoded);
    });

    it('logs no secret, signature or token while webhooks and events are verified', async () => {
      const body = JSON.stringify({ version: '4', alerts: [] });
      const signatures = {
        github: `sha256=${hmacHex(SECRETS.github, body)}`,
        pagerduty: `v1=${hmacHex(SECRETS.pagerduty, body)}`,
      };
      const post = (path: string, headers: Record<string, string>) =>
        fetch(metrics(path), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body,
        });
      const before = output.length;
      const statuses = [
        // Genuine deliveries.
        await post('/v1/webhooks/github', {
          'X-GitHub-Event': 'ping',
          'X-GitHub-Delivery': 'd-1',
          'X-Hub-Signature-256': signatures.github,
        }),
        await post('/v1/webhooks/gitlab', { 'X-Gitlab-Token': SECRETS.gitlab }),
        await post('/v1/webhooks/pagerduty', {
          'X-PagerDuty-Signature': signatures.pagerduty,
        }),
        await post('/v1/webhooks/alertmanager', {
          Authorization: `Bearer ${SECRETS.alertmanager}`,
        }),
        // Failed verifications, with secrets sent where they do not belong.
        await post('/v1/webhooks/github', {
          'X-GitHub-Event': 'ping',
          'X-GitHub-Delivery': 'd-2',
          'X-Hub-Signature-256': `sha256=${hmacHex(SECRETS.gitlab, body)}`,
        }),
        await post('/v1/webhooks/gitlab', { 'X-Gitlab-Token': SECRETS.github }),
        await post('/v1/webhooks/pagerduty', {
          'X-PagerDuty-Signature': `v1=${SECRETS.pagerdutyOld}`,
        }),
        await post(`/v1/webhooks/alertmanager?token=${SECRETS.alertmanager}`, {
          Authorization: `Bearer ${SECRETS.ingestToken}`,
        }),
        // Events with the ingest token, and with secrets that are not tokens.
        await post('/v1/events', {
          Authorization: `Bearer ${SECRETS.ingestToken}`,
        }),
        await post('/v1/events', { Authorization: `Bearer ${SECRETS.github}` }),
        await post('/v1/events', {
          Authorization: `Bearer ${SECRETS.participation}`,
        }),
      ].map(res => res.status);
      // Each kind of outcome happened: accepted, refused and rejected input.
      expect(statuses.some(s => s === 200)).toBe(true);
      expect(statuses.some(s => s === 401 || s === 403)).toBe(true);

      const written = output.slice(before);
      expect(leaks()).toEqual([]);
      // Not config values, so not redacted: never logged at all.
      expect(written).not.toContain(signatures.github);
      expect(written).not.toContain(signatures.pagerduty);
    });
  },
);
