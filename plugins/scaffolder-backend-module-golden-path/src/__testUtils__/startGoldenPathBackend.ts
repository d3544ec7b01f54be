import fs from 'node:fs';
import {
  coreServices,
  createBackendPlugin,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogEntityModelModule from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { parseAllDocuments } from 'yaml';
import goldenPathFeatures from '../index';
import { GOLDEN_PATH_TEMPLATES_FILE } from '../renderGoldenPathTemplates';
import { GOLDEN_PATH_TEST_CONFIG } from './goldenPathTestConfig';

/** The golden-path templates, as the portal's catalog reads them. */
export function loadTemplates(): Entity[] {
  return parseAllDocuments(
    fs.readFileSync(GOLDEN_PATH_TEMPLATES_FILE, 'utf8'),
  ).map(doc => doc.toJS() as Entity);
}

/** The team and system every golden-path run in the tests belongs to. */
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

/** A delivery that reached the platform-metrics stand-in. */
interface ReceivedDelivery {
  authorization: string;
  /** The body as sent. */
  raw: string;
  body: any;
  principal: string;
}

/** Stands in for the platform-metrics plugin and keeps what reaches it. */
function metricsStandIn(received: ReceivedDelivery[]) {
  return createBackendPlugin({
    pluginId: 'platform-metrics',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          httpRouter.use((async (req: any, res: any) => {
            if (req.method !== 'POST' || req.path !== '/v1/events') {
              res.status(404).end();
              return;
            }
            const credentials = await httpAuth.credentials(req);
            let raw = '';
            for await (const chunk of req) raw += chunk;
            received.push({
              authorization: req.headers.authorization ?? '',
              raw,
              body: JSON.parse(raw),
              principal: (credentials.principal as { type: string }).type,
            });
            res.status(200).json({ stored: 1, duplicates: 0, ignored: 0 });
          }) as any);
        },
      });
    },
  });
}

interface TaskResult {
  /** The task's final status, or `rejected` when the scaffolder refused it. */
  status: string;
  httpStatus: number;
  taskId: string;
  error: string;
  output?: any;
  /** The task's log messages, one per line. */
  log: string;
  /** The events and the task as the API returned them. */
  eventsText: string;
  taskText: string;
}

export interface GoldenPathBackend {
  backend: TestBackend;
  baseUrl: string;
  received: ReceivedDelivery[];
  getEntity(ref: string): Promise<Entity | undefined>;
  /** Polls the catalog until the entity (`kind:name`, default namespace) exists. */
  waitForEntity(ref: string): Promise<Entity>;
  /** Runs a template through the scaffolder API and waits for the task. */
  run(
    templateName: string,
    values: Record<string, unknown>,
    options?: { secrets?: Record<string, string>; authorization?: string },
  ): Promise<TaskResult>;
  stop(): Promise<void>;
}

/**
 * The real catalog and scaffolder with the golden-path module, reading the
 * templates from templates/ like the portal, publishing to a local git host in
 * `gitDirectory`, with a stand-in for the metrics plugin. Resolves once the
 * templates and the checkout team's entities are in the catalog.
 */
export async function startGoldenPathBackend(options: {
  gitDirectory: string;
  /** More catalog files to read (YAML text), such as extra templates. */
  catalogFiles?: string[];
  /** More features: scaffolder modules, a database service. */
  features?: BackendFeature[];
  /** More top-level config sections, for those features. */
  config?: JsonObject;
}): Promise<GoldenPathBackend> {
  const files = [ORG, ...(options.catalogFiles ?? [])].map((text, i) => {
    const file = `${options.gitDirectory}-catalog-${i}.yaml`;
    fs.writeFileSync(file, text);
    return file;
  });
  const received: ReceivedDelivery[] = [];
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogEntityModelModule,
      scaffolderPlugin,
      goldenPathFeatures,
      metricsStandIn(received),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          catalog: {
            rules: [
              {
                allow: ['Component', 'System', 'Group', 'Location', 'Template'],
              },
            ],
            locations: [GOLDEN_PATH_TEMPLATES_FILE, ...files].map(target => ({
              type: 'file',
              target,
            })),
          },
          goldenPath: {
            ...GOLDEN_PATH_TEST_CONFIG,
            localGit: { directory: options.gitDirectory },
          },
          ...options.config,
        },
      }),
      ...(options.features ?? []),
    ],
  });
  const { port } = backend.server.address() as { port: number };
  const baseUrl = `http://localhost:${port}`;
  const scaffolder = `${baseUrl}/api/scaffolder/v2`;

  async function getEntity(ref: string): Promise<Entity | undefined> {
    const [kind, name] = ref.split(':');
    const res = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/${kind}/default/${name}`,
    );
    return res.ok ? ((await res.json()) as Entity) : undefined;
  }

  async function waitForEntity(ref: string): Promise<Entity> {
    for (let i = 0; i <= 600; i++) {
      const entity = await getEntity(ref);
      if (entity) return entity;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    throw new Error(`${ref} never appeared in the catalog`);
  }

  for (const template of loadTemplates()) {
    await waitForEntity(`template:${template.metadata.name}`);
  }
  await waitForEntity('group:checkout');
  await waitForEntity('system:checkout-and-orders');

  return {
    backend,
    baseUrl,
    received,
    getEntity,
    waitForEntity,
    async run(templateName, values, runOptions = {}) {
      const headers: Record<string, string> = runOptions.authorization
        ? { authorization: runOptions.authorization }
        : {};
      const created = await fetch(`${scaffolder}/tasks`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          templateRef: `template:default/${templateName}`,
          values,
          ...(runOptions.secrets ? { secrets: runOptions.secrets } : {}),
        }),
      });
      if (created.status !== 201) {
        const error = await created.text();
        return {
          status: 'rejected',
          httpStatus: created.status,
          taskId: '',
          error,
          log: '',
          eventsText: '',
          taskText: '',
        };
      }
      const { id } = (await created.json()) as { id: string };
      const get = async (suffix = '') =>
        (await fetch(`${scaffolder}/tasks/${id}${suffix}`, { headers })).text();
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
            status: task.status,
            httpStatus: created.status,
            taskId: id,
            error: completion?.body.error?.message ?? '',
            output: completion?.body.output,
            log: events.map(e => e.body.message ?? '').join('\n'),
            eventsText,
            taskText: await get(),
          };
        }
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      throw new Error(`task ${id} did not finish`);
    },
    async stop() {
      await backend.stop();
      for (const file of files) fs.rmSync(file, { force: true });
    },
  };
}
