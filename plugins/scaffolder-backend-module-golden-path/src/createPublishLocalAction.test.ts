import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublishLocalAction } from './createPublishLocalAction';
import { runGit } from './runGit';

// Lets a test make one git call fail, standing in for the backend dying at
// that point of the step: what is on disk afterwards is the same.
jest.mock('./runGit', () => {
  const actual = jest.requireActual('./runGit');
  return { ...actual, runGit: jest.fn(actual.runGit) };
});
const realRunGit: typeof runGit = jest.requireActual('./runGit').runGit;

function crashOnceAtGit(subcommand: string) {
  jest.mocked(runGit).mockImplementation(async (args, cwd) => {
    if (args.includes(subcommand)) {
      jest.mocked(runGit).mockImplementation(realRunGit);
      throw new Error(`backend killed before git ${subcommand}`);
    }
    return realRunGit(args, cwd);
  });
}

const git = (...args: string[]) => execFileSync('git', args).toString().trim();

describe('golden-path:publish:local', () => {
  let root: string;
  let workspace: string;
  let temporaryDirectories: string[];
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
  const context = (
    taskId: string,
    name = 'orders',
    isDryRun = false,
    checkpoint?: (opts: {
      key: string;
      fn: () => Promise<any>;
    }) => Promise<any>,
  ) => {
    const ctx = createMockActionContext({
      input: { name },
      workspacePath: workspace,
      task: { id: taskId },
    });
    return {
      ...ctx,
      isDryRun,
      createTemporaryDirectory: async () => {
        const dir = fs.mkdtempSync(
          path.join(os.tmpdir(), 'publish-local-tmp-'),
        );
        temporaryDirectories.push(dir);
        return dir;
      },
      ...(checkpoint && { checkpoint }),
    };
  };
  const outputOf = (ctx: { output: (...args: any[]) => void }, name: string) =>
    jest.mocked(ctx.output).mock.calls.find(([key]) => key === name)?.[1];
  const repositories = () =>
    fs.readdirSync(root).filter(f => f.endsWith('.git'));
  const commits = (repo = 'orders.git') =>
    git('-C', path.join(root, repo), 'log', '--format=%H', 'main').split('\n');

  beforeEach(() => {
    jest.mocked(runGit).mockImplementation(realRunGit);
    temporaryDirectories = [];
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
    for (const dir of temporaryDirectories) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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

  it('a retry after a crash once the repository exists reuses it: one repository, same outputs', async () => {
    // Dies while cloning the checkout: the bare repository is published, the
    // step has not finished and no checkpoint was recorded.
    crashOnceAtGit('clone');
    const first = context('task-1');
    await expect(action().handler(first as any)).rejects.toThrow(
      'backend killed before git clone',
    );
    expect(repositories()).toEqual(['orders.git']);
    const published = commits();

    const retry = context('task-1');
    await action().handler(retry as any);

    expect(repositories()).toEqual(['orders.git']);
    expect(commits()).toEqual(published);
    expect(published).toHaveLength(1);
    expect(outputOf(retry, 'remoteUrl')).toBe(outputOf(first, 'remoteUrl'));
    expect(outputOf(retry, 'commitHash')).toBe(published[0]);
    expect(
      fs.existsSync(
        path.join(root, 'checkouts', 'orders', 'catalog-info.yaml'),
      ),
    ).toBe(true);
  });

  it('a crash before the repository is complete leaves no repository, and the retry publishes it once', async () => {
    crashOnceAtGit('push');
    await expect(action().handler(context('task-1') as any)).rejects.toThrow(
      'backend killed before git push',
    );
    expect(repositories()).toEqual([]);

    await action().handler(context('task-1') as any);

    expect(repositories()).toEqual(['orders.git']);
    expect(commits()).toHaveLength(1);
    expect(fs.readdirSync(path.join(root, '.staging'))).toEqual([]);
  });

  it('a crash while creating the bare repository does not block the retry', async () => {
    // The name is taken from the moment the folder exists; had the folder
    // appeared before its ownership marker, the retry would be refused.
    crashOnceAtGit('init');
    await expect(action().handler(context('task-1') as any)).rejects.toThrow(
      'backend killed before git init',
    );

    await action().handler(context('task-1') as any);

    expect(repositories()).toEqual(['orders.git']);
    expect(commits()).toHaveLength(1);
  });

  it('a retry after the checkpoint was recorded returns the recorded commit without touching git', async () => {
    // Backstage keeps successful checkpoints in the task's state in the
    // database; a retry of the same task sees them.
    const saved = new Map<string, unknown>();
    const checkpoint = async ({ key, fn }: { key: string; fn: () => any }) => {
      if (!saved.has(key)) saved.set(key, await fn());
      return saved.get(key);
    };
    const first = context('task-1', 'orders', false, checkpoint);
    await action().handler(first as any);
    jest.mocked(runGit).mockClear();

    const retry = context('task-1', 'orders', false, checkpoint);
    await action().handler(retry as any);

    expect(runGit).not.toHaveBeenCalled();
    expect(outputOf(retry, 'commitHash')).toBe(outputOf(first, 'commitHash'));
    expect(outputOf(retry, 'commitHash')).toBe(commits()[0]);
  });

  it('names the task in the first commit, so a clone can be traced to it', async () => {
    await action().handler(context('task-1') as any);
    expect(
      git('-C', path.join(root, 'orders.git'), 'log', '--format=%B', 'main'),
    ).toContain('Scaffolder-Task: task-1');
  });

  it("leaves the other task's repository untouched when refusing the name", async () => {
    await action().handler(context('task-1') as any);
    const published = commits();
    fs.writeFileSync(path.join(workspace, 'other.txt'), 'other\n');

    await expect(action().handler(context('task-2') as any)).rejects.toThrow(
      'A repository named "orders" already exists on the local git host',
    );
    expect(commits()).toEqual(published);
    expect(repositories()).toEqual(['orders.git']);
  });

  it('gives exactly one of two tasks racing for the same name the repository', async () => {
    const results = await Promise.allSettled([
      action().handler(context('task-1') as any),
      action().handler(context('task-2') as any),
    ]);
    expect(results.map(r => r.status).sort()).toEqual([
      'fulfilled',
      'rejected',
    ]);
    const refused = results.find(r => r.status === 'rejected');
    expect(String((refused as PromiseRejectedResult).reason)).toContain(
      'already exists on the local git host',
    );
    expect(repositories()).toEqual(['orders.git']);
    expect(commits()).toHaveLength(1);
  });

  it('never takes over a folder that a golden path did not create', async () => {
    fs.mkdirSync(path.join(root, 'orders.git'));
    await expect(action().handler(context('task-1') as any)).rejects.toThrow(
      'A repository named "orders" already exists on the local git host',
    );
    expect(fs.readdirSync(path.join(root, 'orders.git'))).toEqual([]);
  });

  it('refuses to publish a workspace without catalog-info.yaml (a recovered task that lost its workspace)', async () => {
    fs.rmSync(path.join(workspace, 'catalog-info.yaml'));
    await expect(action().handler(context('task-1') as any)).rejects.toThrow(
      /The workspace has no catalog-info.yaml/,
    );
    expect(repositories()).toEqual([]);
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
