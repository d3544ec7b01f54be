import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublishLocalAction } from './createPublishLocalAction';

describe('golden-path:publish:local', () => {
  let root: string;
  let workspace: string;
  const action = () =>
    createPublishLocalAction({
      config: mockServices.rootConfig({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          goldenPath: {
            baseDomain: 'apps.acme.example',
            clusterIssuer: 'issuer',
            containerRegistry: 'ghcr.io/acme',
            gitopsRepository: 'acme/gitops',
            localGit: { directory: root },
          },
        },
      }),
    });
  const context = (taskId: string, name = 'orders', isDryRun = false) => {
    const ctx = createMockActionContext({
      input: { name },
      workspacePath: workspace,
      task: { id: taskId },
    });
    return {
      ...ctx,
      isDryRun,
      createTemporaryDirectory: async () =>
        fs.mkdtempSync(path.join(os.tmpdir(), 'publish-local-tmp-')),
    };
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-local-'));
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-local-ws-'));
    fs.writeFileSync(
      path.join(workspace, 'catalog-info.yaml'),
      'kind: Component\n',
    );
    fs.mkdirSync(path.join(workspace, 'src'));
    fs.writeFileSync(path.join(workspace, 'src', 'app.js'), 'export {};\n');
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('creates a bare repository a user can clone, and a checkout for the catalog', async () => {
    const ctx = context('task-1');
    await action().handler(ctx as any);

    const bare = path.join(root, 'orders.git');
    const clone = path.join(root, 'clone');
    execFileSync('git', ['clone', '--quiet', bare, clone]);
    expect(fs.readFileSync(path.join(clone, 'src', 'app.js'), 'utf8')).toBe(
      'export {};\n',
    );
    expect(
      fs.existsSync(
        path.join(root, 'checkouts', 'orders', 'catalog-info.yaml'),
      ),
    ).toBe(true);
    expect(ctx.output).toHaveBeenCalledWith(
      'cloneCommand',
      `git clone ${bare} orders`,
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoPath',
      path.join(root, 'checkouts', 'orders', 'catalog-info.yaml'),
    );
  });

  it('is idempotent: a retry of the same task reuses its repository', async () => {
    await action().handler(context('task-1') as any);
    const first = execFileSync('git', [
      '-C',
      path.join(root, 'orders.git'),
      'rev-parse',
      'main',
    ]).toString();
    fs.writeFileSync(path.join(workspace, 'late.txt'), 'changed\n');

    await action().handler(context('task-1') as any);

    const second = execFileSync('git', [
      '-C',
      path.join(root, 'orders.git'),
      'rev-parse',
      'main',
    ]).toString();
    expect(second).toBe(first);
    const log = execFileSync('git', [
      '-C',
      path.join(root, 'orders.git'),
      'log',
      '--oneline',
    ]).toString();
    expect(log.trim().split('\n')).toHaveLength(1);
    expect(fs.readdirSync(root).filter(f => f.endsWith('.git'))).toEqual([
      'orders.git',
    ]);
  });

  it('refuses to overwrite a repository another task created', async () => {
    await action().handler(context('task-1') as any);
    await expect(action().handler(context('task-2') as any)).rejects.toThrow(
      'A repository named "orders" already exists on the local git host',
    );
  });

  it('does nothing in a dry run but reports where it would publish', async () => {
    const ctx = context('task-1', 'orders', true);
    await action().handler(ctx as any);
    expect(fs.readdirSync(root)).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      `file://${path.join(root, 'orders.git')}`,
    );
  });

  it.each(['../escape', '/etc', 'Orders', 'a'.repeat(41)])(
    'rejects the repository name %s',
    async name => {
      await expect(
        action().handler(context('task-1', name) as any),
      ).rejects.toThrow(/is not a valid repository name/);
      expect(fs.readdirSync(root)).toEqual([]);
    },
  );
});
