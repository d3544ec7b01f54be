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
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogEntityModelModule from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
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
import goldenPathFeatures from './index';

const execFileAsync = promisify(execFile);

jest.setTimeout(180_000);

const TEMPLATES_FILE = path.resolve(
  __dirname,
  '../../../templates/golden-paths/template.yaml',
);
const CALLER = 'user:default/ana';

const ORG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: checkout }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: checkout-and-orders }
spec: { owner: group:default/checkout }
`;

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

/** Stands in for the platform-metrics plugin and keeps what reaches it. */
function metricsStandIn(received: string[]) {
  return createBackendPlugin({
    pluginId: 'platform-metrics',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          httpRouter.use((async (req: any, res: any) => {
            let raw = '';
            for await (const chunk of req) raw += chunk;
            received.push(`${req.headers.authorization ?? ''}\n${raw}`);
            res.status(200).json({ stored: 1, duplicates: 0, ignored: 0 });
          }) as any);
        },
      });
    },
  });
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'secrets of scaffolder tasks on %s',
  databaseId => {
    let dir: string;
    let baseUrl: string;
    let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
    const database = perPluginTestDatabase(databases, databaseId);
    const received: string[] = [];
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

    async function run(templateName: string, values: Record<string, unknown>) {
      const created = await fetch(`${baseUrl}/api/scaffolder/v2/tasks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: callerHeader,
        },
        body: JSON.stringify({
          templateRef: `template:default/${templateName}`,
          values,
          secrets,
        }),
      });
      expect(created.status).toBe(201);
      const { id } = await created.json();
      const get = async (suffix = '') =>
        (
          await fetch(`${baseUrl}/api/scaffolder/v2/tasks/${id}${suffix}`, {
            headers: { authorization: callerHeader },
          })
        ).text();
      for (let i = 0; i < 1200; i++) {
        const task = JSON.parse(await get());
        if (['completed', 'failed', 'cancelled'].includes(task.status)) {
          const eventsText = await get('/events');
          const events = JSON.parse(eventsText) as Array<{
            type: string;
            body: { message?: string; output?: any; error?: any };
          }>;
          const completion = events.find(e => e.type === 'completion');
          return {
            status: task.status as string,
            error: completion?.body.error?.message ?? '',
            taskText: await get(),
            eventsText,
            log: events.map(e => e.body.message ?? '').join('\n'),
            output: completion?.body.output,
          };
        }
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      throw new Error(`task ${id} did not finish`);
    }

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'task-secrets-'));
      const orgFile = path.join(dir, 'org.yaml');
      const probeFile = path.join(dir, 'probe-template.yaml');
      fs.writeFileSync(orgFile, ORG);
      fs.writeFileSync(probeFile, PROBE_TEMPLATE);
      backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogEntityModelModule,
          scaffolderPlugin,
          goldenPathFeatures,
          leakyActionModule,
          metricsStandIn(received),
          database.factory,
          mockServices.rootConfig.factory({
            data: {
              backend: { baseUrl: 'http://localhost:7007' },
              catalog: {
                rules: [
                  {
                    allow: [
                      'Component',
                      'System',
                      'Group',
                      'Location',
                      'Template',
                    ],
                  },
                ],
                locations: [
                  { type: 'file', target: TEMPLATES_FILE },
                  { type: 'file', target: orgFile },
                  { type: 'file', target: probeFile },
                ],
              },
              goldenPath: {
                baseDomain: 'apps.acme.example',
                clusterIssuer: 'letsencrypt-production',
                ruleSelectorLabels: { prometheus: 'platform' },
                containerRegistry: 'ghcr.io/acme',
                gitopsRepository: 'acme/gitops',
                portalUrl: 'https://portal.acme.example',
                localGit: { directory: path.join(dir, 'git') },
              },
            },
          }),
        ],
      });
      const { port } = backend.server.address() as { port: number };
      baseUrl = `http://localhost:${port}`;
      for (const ref of [
        'template/default/node-service',
        'template/default/secrets-probe',
        'group/default/checkout',
        'system/default/checkout-and-orders',
      ]) {
        for (let i = 0; ; i++) {
          const res = await fetch(
            `${baseUrl}/api/catalog/entities/by-name/${ref}`,
          );
          if (res.ok) break;
          if (i > 600) throw new Error(`${ref} never appeared in the catalog`);
          await new Promise(resolve => setTimeout(resolve, 100));
        }
      }
    });

    afterAll(async () => {
      await backend?.stop();
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
      expect(received).toHaveLength(1);
      expect(leaked(received[0])).toEqual([]);
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
