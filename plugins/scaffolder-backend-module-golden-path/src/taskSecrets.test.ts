/*
 * Secrets given to a scaffolder task (ctx.secrets: the caller's Backstage
 * token, OAuth tokens from RepoUrlPicker, anything sent as `secrets`) never
 * show in the task log, the task as the API returns it, its output or the
 * repository a golden path publishes.
 *
 * What Backstage itself guarantees, checked with a probe template: task log
 * lines have every secret value, and every input value built from one,
 * replaced by ***; the template's output is rendered without `secrets`. What
 * it does not: a value an action puts in ctx.output, or logs in another form,
 * is not redacted. The golden paths therefore never pass secrets to actions,
 * and their actions never output or log any, which the end-to-end run shows.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { perPluginTestDatabase } from '@internal/portal-test-utils';
import {
  startGoldenPathBackend,
  type GoldenPathBackend,
} from './__testUtils__/startGoldenPathBackend';

const execFileAsync = promisify(execFile);

jest.setTimeout(180_000);

const CALLER = 'user:default/ana';

/** Uses a secret the ways a template author might. */
const PROBE_TEMPLATE = `
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: secrets-probe }
spec:
  owner: group:default/checkout
  type: service
  steps:
    - id: log
      name: Log a secret
      action: debug:log
      input:
        message: 'token is \${{ secrets.GITHUB_TOKEN }}'
    - id: leak
      name: Output a secret
      action: test:output-secret
  output:
    text:
      - title: Rendered from secrets
        content: 'secret is [\${{ secrets.GITHUB_TOKEN }}]'
      - title: Rendered from a step output
        content: 'step output is [\${{ steps.leak.output.value }}]'
`;

/** An action that mishandles a secret, to show what Backstage cannot catch. */
const leakyActionModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'leaky-test-action',
  register(env) {
    env.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions(
          createTemplateAction({
            id: 'test:output-secret',
            schema: { output: { value: z => z.string() } },
            async handler(ctx) {
              const token = ctx.secrets?.GITHUB_TOKEN ?? '';
              ctx.logger.info(
                `encoded ${Buffer.from(token).toString('base64')}`,
              );
              ctx.output('value', token);
            },
          }),
        );
      },
    });
  },
});

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'secrets of scaffolder tasks on %s',
  databaseId => {
    let dir: string;
    let portal: GoldenPathBackend | undefined;
    const database = perPluginTestDatabase(databases, databaseId);
    const callerHeader = mockCredentials.user.header(CALLER);
    const secrets = {
      GITHUB_TOKEN: `ghp_${randomBytes(18).toString('hex')}`,
      USER_OAUTH_TOKEN: `oauth-${randomBytes(18).toString('hex')}`,
      deployKey: `deploy-${randomBytes(18).toString('hex')}`,
    };
    /** The caller's own token, which the scaffolder adds as secrets.backstageToken. */
    const backstageToken = callerHeader.replace(/^Bearer /, '');
    const secretValues = [...Object.values(secrets), backstageToken];
    const leaked = (text: string) => secretValues.filter(v => text.includes(v));
    const run = (templateName: string, values: Record<string, unknown>) =>
      portal!.run(templateName, values, {
        secrets,
        authorization: callerHeader,
      });

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'task-secrets-'));
      portal = await startGoldenPathBackend({
        gitDirectory: path.join(dir, 'git'),
        catalogFiles: [PROBE_TEMPLATE],
        features: [leakyActionModule, database.factory],
      });
      await portal.waitForEntity('template:secrets-probe');
    });

    afterAll(async () => {
      await portal?.stop();
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('keeps them out of a golden-path run and what it publishes', async () => {
      const name = 'secret-keeper';
      const result = await run('node-service', {
        name,
        description: 'Keeps secrets',
        owner: 'group:default/checkout',
        system: 'system:default/checkout-and-orders',
        tier: 'standard',
        hostname: '',
        onCallId: '',
        publishTarget: 'local',
      });
      expect(result.error).toBe('');
      expect(result.status).toBe('completed');
      // The golden-path actions did log: the absence below is not silence.
      expect(result.log).toContain(`Published ${name}`);

      expect(leaked(result.eventsText)).toEqual([]);
      expect(leaked(result.taskText)).toEqual([]);
      expect(leaked(JSON.stringify(result.output))).toEqual([]);

      const clone = path.join(dir, 'clone');
      await execFileAsync('git', [
        'clone',
        '--quiet',
        path.join(dir, 'git', `${name}.git`),
        clone,
      ]);
      const published = (
        await execFileAsync('git', ['log', '-p', '--all'], {
          cwd: clone,
          maxBuffer: 64 * 1024 * 1024,
        })
      ).stdout;
      expect(published).toContain('catalog-info.yaml');
      expect(leaked(published)).toEqual([]);

      // The request was recorded with the backend's own token, not the caller's.
      expect(portal!.received).toHaveLength(1);
      expect(leaked(JSON.stringify(portal!.received[0]))).toEqual([]);
    });

    it('redacts secrets in the task log and leaves them out of the output', async () => {
      const result = await run('secrets-probe', {});
      expect(result.status).toBe('completed');
      // The whole input built from the secret is redacted, not only the secret.
      expect(result.log).toContain('"message": "***"');
      expect(result.log).not.toContain('token is');
      expect(result.log).not.toContain(secrets.GITHUB_TOKEN);
      expect(result.output.text[0].content).toBe('secret is []');
    });

    it('cannot redact what an action outputs or logs in another form', async () => {
      // Why golden-path actions must never put a secret in ctx.output or a log.
      const result = await run('secrets-probe', {});
      expect(result.output.text[1].content).toBe(
        `step output is [${secrets.GITHUB_TOKEN}]`,
      );
      expect(result.log).toContain(
        Buffer.from(secrets.GITHUB_TOKEN).toString('base64'),
      );
    });
  },
);
