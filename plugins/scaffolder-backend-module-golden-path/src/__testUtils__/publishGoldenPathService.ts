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

/** The answers every test service is created with. */
export const TEST_SERVICE_ANSWERS = {
  description: 'Takes orders',
  owner: 'group:default/checkout',
  system: 'system:default/checkout-and-orders',
  tier: 'critical',
  hostname: '',
  onCallProvider: 'pagerduty',
  onCallId: 'PX1234',
  publishTarget: 'local',
};

/**
 * Renders node-service `name` at `version` into `targetPath`, as its
 * creation did, with {@link TEST_SERVICE_ANSWERS} and `answers` on top.
 */
export async function renderGoldenPathService(options: {
  root: string;
  name: string;
  version: string;
  targetPath: string;
  answers?: Record<string, unknown>;
}) {
  const { root, name, version, targetPath } = options;
  const config = goldenPathActionConfig(root);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-render-'));
  try {
    const ctx = createMockActionContext({
      input: { name },
      workspacePath: targetPath,
    });
    // fetch:template fetches each part into a temporary directory, which must
    // not be the workspace it renders into.
    ctx.createTemporaryDirectory = async () =>
      fs.mkdtempSync(path.join(scratch, 'tmp-'));
    await renderGoldenPathVersion({
      root: await GoldenPathReleases.fromFile().directoryOf(version, scratch),
      templateName: 'node-service',
      answers: { name, ...TEST_SERVICE_ANSWERS, ...options.answers },
      settings: readGoldenPathConfig(config),
      targetPath,
      fetchTemplate: createFetchTemplateAction({
        reader: mockServices.urlReader.mock(),
        integrations: ScmIntegrations.fromConfig(config),
      }),
      ctx,
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
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
  const { root, name } = options;
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-ws-'));
  // Outside the workspace, which publishing copies.
  const scratch = fs.mkdtempSync(
    path.join(os.tmpdir(), 'golden-path-publish-'),
  );
  try {
    await renderGoldenPathService({ ...options, targetPath: workspace });
    const ctx = createMockActionContext({
      input: { name },
      workspacePath: workspace,
    });
    ctx.createTemporaryDirectory = async () =>
      fs.mkdtempSync(path.join(scratch, 'tmp-'));
    await createPublishLocalAction({
      config: goldenPathActionConfig(root),
    }).handler(ctx);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
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
