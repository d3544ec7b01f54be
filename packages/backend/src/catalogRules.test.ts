/*
 * The catalog rules of app-config.yaml (and of the production layering, which
 * keeps them) as the real catalog applies them: locations people register
 * through the API, the UI or catalog:register may add software (Component,
 * API, System, Resource) but never the Template, Group and User entities that
 * decide what runs and who is an administrator. Those come only from the
 * config locations, which change through review.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  coreServices,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogLogsModule from '@backstage/plugin-catalog-backend-module-logs';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  startPortalBackend,
  type ConfigLayering,
  type PortalBackend,
} from './__testUtils__/startPortalBackend';
import { permissionPolicyModule } from './permissionPolicyModule';

jest.setTimeout(180_000);

const NON_ADMIN = 'user:default/noah-williams';
const PLATFORM_MEMBER = 'user:default/tom-becker';

/** What someone might try to register, served like a repository's files. */
const FILES: Record<string, string> = {
  '/software.yaml': `
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: registered-system }
spec: { owner: group:default/checkout }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: registered-service }
spec: { type: service, owner: group:default/checkout, lifecycle: production, system: registered-system }
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: registered-api }
spec: { type: openapi, owner: group:default/checkout, lifecycle: production, definition: 'openapi: 3.0.0' }
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: registered-database }
spec: { type: database, owner: group:default/checkout }
`,
  // Would make its members administrators if the policy trusted it.
  '/group.yaml': `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: registered-group }
spec: { type: team, children: [], members: [noah-williams] }
`,
  // Would sign in as a member of the platform team.
  '/user.yaml': `
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: registered-user }
spec: { memberOf: [platform] }
`,
  // Would run its own steps with the scaffolder's credentials.
  '/template.yaml': `
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: registered-template }
spec:
  owner: group:default/checkout
  type: service
  steps:
    - id: log
      name: Log
      action: debug:log
      input: { message: hello }
`,
  // An allowed Location kind that points at a forbidden entity.
  '/nested.yaml': `
apiVersion: backstage.io/v1alpha1
kind: Location
metadata: { name: registered-nested }
spec: { type: url, target: ./group-again.yaml }
`,
  '/group-again.yaml': `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: registered-group-again }
spec: { type: team, children: [] }
`,
};

const FORBIDDEN = [
  { file: '/group.yaml', ref: 'group:default/registered-group' },
  { file: '/user.yaml', ref: 'user:default/registered-user' },
  { file: '/template.yaml', ref: 'template:default/registered-template' },
  { file: '/nested.yaml', ref: 'group:default/registered-group-again' },
];

/** Entities each layering loads from its reviewed config locations. */
const FROM_CONFIG: Record<ConfigLayering, string[]> = {
  development: [
    'group:default/platform',
    'user:default/tom-becker',
    'template:default/node-service',
    'template:default/go-service',
    'template:default/python-service',
    'component:default/portal',
  ],
  production: [
    'template:default/node-service',
    'template:default/go-service',
    'template:default/python-service',
    'component:default/portal',
  ],
};

/**
 * Keeps what plugins log. The portal's catalog-backend-module-logs logs every
 * processing error the catalog reports, which is how a rejected location shows.
 */
function capturingLogger(lines: string[]) {
  const create = (meta: Record<string, unknown>): LoggerService => {
    const log = (message: string, extra?: unknown) => {
      lines.push(
        `${JSON.stringify(meta)} ${message} ${JSON.stringify(extra ?? {})}`,
      );
    };
    return {
      error: log,
      warn: log,
      info: log,
      debug: log,
      child: more => create({ ...meta, ...more }),
    };
  };
  return createServiceFactory({
    service: coreServices.logger,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) => create({ plugin: plugin.getId() }),
  });
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const cases = databases
  .eachSupportedId()
  .flatMap(([database]) =>
    (['development', 'production'] as const).map(
      layering => [layering, database] as const,
    ),
  );

describe.each(cases)(
  'catalog rules of the %s config on %s',
  (layering, database) => {
    let portal: PortalBackend;
    let files: http.Server;
    let filesUrl: string;
    const logged: string[] = [];

    const register = async (token: string, file: string, dryRun = false) => {
      const res = await fetch(
        `${portal.baseUrl}/api/catalog/locations${
          dryRun ? '?dryRun=true' : ''
        }`,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ type: 'url', target: `${filesUrl}${file}` }),
        },
      );
      return { status: res.status, body: await res.json() };
    };

    /** The catalog's processing errors about entities read from a URL. */
    const waitForErrors = async (url: string) => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const errors = logged.filter(
          line =>
            line.includes('"plugin":"catalog"') &&
            line.includes(url) &&
            !line.includes('"isAuditEvent":true'),
        );
        if (errors.length > 0) return errors;
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      throw new Error(`The catalog reported no processing error for ${url}`);
    };

    beforeAll(async () => {
      files = http.createServer((req, res) => {
        const body = FILES[req.url ?? ''];
        res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/yaml' });
        res.end(body ?? '');
      });
      await new Promise<void>(resolve => files.listen(0, '127.0.0.1', resolve));
      const { port } = files.address() as AddressInfo;
      filesUrl = `http://localhost:${port}`;

      portal = await startPortalBackend({
        databases,
        database,
        layering,
        features: [
          catalogPlugin,
          catalogLogsModule,
          scaffolderEntityModel,
          permissionPlugin,
          permissionPolicyModule,
          capturingLogger(logged),
        ],
        config: {
          // Stands in for the integrations (GitHub, GitLab) of real repositories.
          backend: { reading: { allow: [{ host: `localhost:${port}` }] } },
        },
      });
    });

    afterAll(async () => {
      await portal?.stop();
      await new Promise(resolve => files?.close(resolve));
    });

    it('still loads the reviewed config locations', async () => {
      for (const ref of FROM_CONFIG[layering]) {
        await expect(portal.waitForEntity(ref)).resolves.toMatchObject({
          metadata: { name: ref.split('/')[1] },
        });
      }
    });

    it('lets anyone register software', async () => {
      const token = await portal.signInAs(NON_ADMIN);
      const preview = await register(token, '/software.yaml', true);
      expect(preview.status).toBe(201);

      expect((await register(token, '/software.yaml')).status).toBe(201);
      for (const ref of [
        'component:default/registered-service',
        'api:default/registered-api',
        'system:default/registered-system',
        'resource:default/registered-database',
      ]) {
        await expect(portal.waitForEntity(ref)).resolves.toMatchObject({
          metadata: { name: ref.split('/')[1] },
        });
      }
    });

    it.each(FORBIDDEN)(
      'refuses $ref from a location a non-administrator registers',
      async ({ file, ref }) => {
        const token = await portal.signInAs(NON_ADMIN);
        const preview = await register(token, file, true);
        expect(preview.status).toBe(400);
        expect(preview.body.error.message).toMatch(/not of an allowed kind/);

        // Registering anyway stores the location, but the catalog rejects
        // what it holds and says why.
        expect((await register(token, file)).status).toBe(201);
        const errors = await waitForErrors(`${filesUrl}${file}`);
        expect(errors.join('\n')).toMatch(
          new RegExp(`${ref}.*not of an allowed kind`, 'i'),
        );
        expect(await portal.getEntity(ref)).toBeUndefined();
      },
    );

    it('refuses a Template from a location even the platform team registers', async () => {
      // Administrators change templates, groups and users through review of the
      // config locations, not by registering them.
      const token = await portal.signInAs(PLATFORM_MEMBER);
      const preview = await register(token, '/template.yaml', true);
      expect(preview.status).toBe(400);
      expect(preview.body.error.message).toMatch(/not of an allowed kind/);
    });
  },
);
