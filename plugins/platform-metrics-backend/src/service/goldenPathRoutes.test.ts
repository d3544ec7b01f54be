import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  GoldenPathDriftResponse,
  GoldenPathVersionsResponse,
} from '@internal/plugin-platform-metrics-common';
import request from 'supertest';
import { startMetricsTestBackend } from '../__testUtils__/startMetricsTestBackend';

const BASE = '/api/platform-metrics';

const VERSIONS = `
releases:
  - version: 1.0.0
    released: '2026-09-01'
    changelog:
      - { title: First release, description: The service skeleton. }
  - version: 1.2.0
    changelog:
      - { title: Undated, description: versions.yaml gives no date. }
  - version: 1.1.0
    released: '2026-11-20'
    changelog:
      - { title: Digest pins, description: Production runs the image by digest. }
`;

function template(name: string, golden = true): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name,
      title: `${name} title`,
      labels: golden ? { 'acme.example/golden-path': 'true' } : {},
    },
    spec: {},
  };
}

function service(
  name: string,
  templateName: string,
  version: string | undefined,
  owner = 'group:default/payments',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        'backstage.io/source-template': `template:default/${templateName}`,
        ...(version ? { 'acme.example/template-version': version } : {}),
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

const ENTITIES: Entity[] = [
  template('node-service'),
  template('go-service'),
  template('docs-site', false),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments' },
    spec: { type: 'team', children: [], profile: { displayName: 'Payments' } },
  },
  service('on-latest', 'node-service', '1.2.0'),
  service('two-behind', 'node-service', '1.0.0'),
  service('one-behind', 'node-service', '1.1.0', 'group:default/ghosts'),
  service('no-version', 'node-service', undefined),
  service('unreleased', 'node-service', '0.9.0'),
  service('ahead', 'node-service', '2.0.0'),
  service('go-old', 'go-service', '1.0.0', 'payments'),
  // Not a golden path: not in the drift view.
  service('site', 'docs-site', '1.0.0'),
];

describe('golden-path routes', () => {
  let dir: string;
  let backend: TestBackend;

  const get = (route: string) =>
    request(backend.server)
      .get(`${BASE}${route}`)
      .set('Authorization', mockCredentials.user.header());

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-versions-'));
    fs.writeFileSync(path.join(dir, 'versions.yaml'), VERSIONS);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('with a versions file', () => {
    beforeAll(async () => {
      backend = await startMetricsTestBackend({
        entities: ENTITIES,
        config: {
          goldenPath: { versionsFile: path.join(dir, 'versions.yaml') },
        },
      });
    });

    afterAll(() => backend.stop());

    it('serves the releases of each golden-path template, newest first', async () => {
      const res = await get('/v1/golden-paths/versions');
      expect(res.status).toBe(200);
      const body = res.body as GoldenPathVersionsResponse;
      expect(body.items.map(i => i.template)).toEqual([
        'go-service',
        'node-service',
      ]);
      expect(body.items[1].latest).toBe('1.2.0');
      expect(body.items[1].releases).toEqual([
        {
          version: '1.2.0',
          released: null,
          changelog: [
            { title: 'Undated', description: 'versions.yaml gives no date.' },
          ],
        },
        {
          version: '1.1.0',
          released: '2026-11-20',
          changelog: [
            {
              title: 'Digest pins',
              description: 'Production runs the image by digest.',
            },
          ],
        },
        {
          version: '1.0.0',
          released: '2026-09-01',
          changelog: [
            { title: 'First release', description: 'The service skeleton.' },
          ],
        },
      ]);
    });

    it('counts services per version and lists those behind with owner and since when', async () => {
      const res = await get('/v1/golden-paths/drift');
      expect(res.status).toBe(200);
      const [go, node] = (res.body as GoldenPathDriftResponse).items;

      expect(go).toEqual({
        template: 'go-service',
        title: 'go-service title',
        latest: '1.2.0',
        versions: [{ version: '1.0.0', services: 1 }],
        behind: [
          {
            entityRef: 'component:default/go-old',
            title: null,
            owner: 'group:default/payments',
            ownerTitle: 'Payments',
            version: '1.0.0',
            // The first version after 1.0.0 is 1.1.0.
            behindSince: '2026-11-20',
          },
        ],
      });

      expect(node.versions).toEqual([
        { version: '2.0.0', services: 1 },
        { version: '1.2.0', services: 1 },
        { version: '1.1.0', services: 1 },
        { version: '1.0.0', services: 1 },
        { version: '0.9.0', services: 1 },
        { version: null, services: 1 },
      ]);
      expect(
        node.behind.map(s => [
          s.entityRef,
          s.ownerTitle,
          s.behindSince,
          s.unknownReason,
        ]),
      ).toEqual([
        ['component:default/two-behind', 'Payments', '2026-11-20', undefined],
        [
          'component:default/no-version',
          'Payments',
          null,
          'records no version (annotation acme.example/template-version)',
        ],
        [
          'component:default/one-behind',
          // An owner the catalog does not know is shown by its ref.
          'group:default/ghosts',
          null,
          'versions.yaml gives no release date for 1.2.0',
        ],
        [
          'component:default/unreleased',
          'Payments',
          null,
          'version 0.9.0 was never released',
        ],
      ]);
    });

    it('needs the read permission', async () => {
      const denied = await startMetricsTestBackend({
        entities: ENTITIES,
        permission: AuthorizeResult.DENY,
        config: {
          goldenPath: { versionsFile: path.join(dir, 'versions.yaml') },
        },
      });
      try {
        for (const route of ['versions', 'drift']) {
          const res = await request(denied.server)
            .get(`${BASE}/v1/golden-paths/${route}`)
            .set('Authorization', mockCredentials.user.header());
          expect(res.status).toBe(403);
        }
      } finally {
        await denied.stop();
      }
    });
  });

  it.each([
    ['missing', undefined, /missing\.yaml/],
    [
      'with an invalid date',
      VERSIONS.replace("'2026-09-01'", "'2026-13-45'"),
      /must be a calendar date\s+→ at releases\[0\]\.released/,
    ],
  ])(
    'answers 503 naming the problem when the versions file is %s',
    async (_case, text, message) => {
      const file = path.join(dir, text ? 'broken.yaml' : 'missing.yaml');
      if (text) fs.writeFileSync(file, text);
      backend = await startMetricsTestBackend({
        entities: ENTITIES,
        config: { goldenPath: { versionsFile: file } },
      });
      try {
        const res = await get('/v1/golden-paths/drift');
        expect(res.status).toBe(503);
        expect(res.body.error.message).toMatch(message);
      } finally {
        await backend.stop();
      }
    },
  );
});
