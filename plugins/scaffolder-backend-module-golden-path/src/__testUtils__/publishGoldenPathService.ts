import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublishLocalAction } from '../createPublishLocalAction';
import { GoldenPathReleases } from '../goldenPathReleases';
import { readGoldenPathConfig } from '../readGoldenPathConfig';
import { renderGoldenPathVersion } from '../renderGoldenPathVersion';
import { GOLDEN_PATH_TEST_CONFIG } from './goldenPathTestConfig';

/** The config the golden-path actions read, with the local git host at `root`. */
export function goldenPathActionConfig(root: string) {
  return mockServices.rootConfig({
    data: {
      backend: { baseUrl: 'http://localhost:7007' },
      goldenPath: { ...GOLDEN_PATH_TEST_CONFIG, localGit: { directory: root } },
    },
  });
}

/**
 * Puts a node-service created at `version` on the local git host at `root`,
 * as a service created before that version was superseded: rendered from
 * the release and published by `golden-path:publish:local`. Returns its
 * bare repository and the Component the catalog reads from its checkout.
 */
export async function publishGoldenPathService(options: {
  root: string;
  name: string;
  version: string;
}): Promise<{ bare: string; entity: Entity }> {
  const { root, name, version } = options;
  const config = goldenPathActionConfig(root);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-render-'));
  try {
    const workspace = path.join(scratch, 'workspace');
    const ctx = createMockActionContext({ input: { name }, workspacePath: workspace });
    // fetch:template fetches each part into a temporary directory, which must
    // not be the workspace it renders into.
    ctx.createTemporaryDirectory = async () =>
      fs.mkdtempSync(path.join(scratch, 'tmp-'));
    await renderGoldenPathVersion({
      root: await GoldenPathReleases.fromFile().directoryOf(version, scratch),
      templateName: 'node-service',
      answers: {
        name,
        description: 'Takes orders',
        owner: 'group:default/checkout',
        system: 'system:default/checkout-and-orders',
        tier: 'critical',
        hostname: '',
        onCallProvider: 'pagerduty',
        onCallId: 'PX1234',
        publishTarget: 'local',
      },
      settings: readGoldenPathConfig(config),
      targetPath: workspace,
      fetchTemplate: createFetchTemplateAction({
        reader: mockServices.urlReader.mock(),
        integrations: ScmIntegrations.fromConfig(config),
      }),
      ctx,
    });
    await createPublishLocalAction({ config }).handler(ctx);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return {
    bare: path.join(root, `${name}.git`),
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: {
          'backstage.io/managed-by-location': `file:${path.join(
            root,
            'checkouts',
            name,
            'catalog-info.yaml',
          )}`,
        },
      },
      spec: { type: 'service', owner: 'group:default/checkout' },
    },
  };
}
