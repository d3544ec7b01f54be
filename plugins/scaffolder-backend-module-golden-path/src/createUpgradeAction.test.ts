import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { createUpgradeAction } from './createUpgradeAction';
import { GoldenPathReleases } from './goldenPathReleases';
import {
  goldenPathActionConfig,
  publishGoldenPathService,
} from './__testUtils__/publishGoldenPathService';

// Every case renders two versions of a Template and runs git a few dozen
// times: seconds on a busy machine.
jest.setTimeout(60_000);

const releases = GoldenPathReleases.fromFile();
const OLD = '1.0.0';
const NEW = releases.latest.version;

const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    [
      '-c',
      'user.name=Dev',
      '-c',
      'user.email=dev@example.com',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd, env: { PATH: process.env.PATH, HOME: cwd } },
  )
    .toString()
    .trim();

describe('golden-path:upgrade', () => {
  let root: string;
  let tempDirs: string[];
  let entities: Entity[];

  const config = () => goldenPathActionConfig(root);
  const integrations = () => ScmIntegrations.fromConfig(config());
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-upgrade-'));
    tempDirs.push(dir);
    return dir;
  };
  const context = <T extends JsonObject>(input: T) => {
    const ctx = createMockActionContext({
      input,
      workspacePath: tempDir(),
    });
    ctx.createTemporaryDirectory = async () => tempDir();
    return ctx;
  };

  async function createService(name: string, version: string) {
    const { bare, entity } = await publishGoldenPathService({
      root,
      name,
      version,
    });
    entities.push(entity);
    return bare;
  }

  /** A developer's clone, to commit to the service like its team would. */
  function cloneOf(bare: string) {
    const clone = path.join(tempDir(), 'clone');
    git(root, 'clone', '--quiet', bare, clone);
    return clone;
  }
  function commitAndPush(clone: string, message: string) {
    git(clone, 'add', '--all');
    git(clone, 'commit', '--quiet', '-m', message);
    git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
  }

  async function upgrade(name: string) {
    const ctx = context({ entityRef: `component:default/${name}` });
    await createUpgradeAction({
      config: config(),
      catalog: catalogServiceMock({ entities }),
      reader: mockServices.urlReader.mock(),
      integrations: integrations(),
    }).handler(ctx);
    return Object.fromEntries(
      jest.mocked(ctx.output).mock.calls.map(([key, value]) => [key, value]),
    );
  }

  const BRANCH = `golden-path/upgrade-to-${NEW}`;
  const show = (bare: string, ref: string, file: string) =>
    git(bare, 'show', `${ref}:${file}`);

  beforeEach(() => {
    tempDirs = [];
    entities = [];
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-git-'));
  });
  afterEach(() => {
    for (const dir of [root, ...tempDirs]) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('merges the new version into a branch that keeps the service’s own commits', async () => {
    const bare = await createService('orders-api', OLD);
    const clone = cloneOf(bare);
    fs.appendFileSync(
      path.join(clone, 'README.md'),
      '\nOrders are kept for 30 days.\n',
    );
    fs.writeFileSync(
      path.join(clone, 'src', 'orders.ts'),
      'export const ordersRoute = "/orders";\n',
    );
    commitAndPush(clone, 'Add the orders route');
    const mainBefore = git(bare, 'rev-parse', 'main');

    const output = await upgrade('orders-api');

    expect(output).toMatchObject({
      host: 'local',
      branchName: BRANCH,
      fromVersion: OLD,
      toVersion: NEW,
      conflicts: [],
      unchanged: false,
    });
    expect(output.changelog).toContain(`### ${NEW}`);
    expect(output.changelog).toContain(releases.latest.changelog[0].title);
    // The template's change…
    const report = show(bare, BRANCH, 'ci/report-deployment.sh');
    expect(report).toContain(
      'pkg:oci/orders-api@${IMAGE_DIGEST}?repository_url=${IMAGE}',
    );
    expect(show(bare, BRANCH, 'ci/gitops-deploy.sh')).toContain(
      'digest: ${IMAGE_DIGEST}',
    );
    expect(parse(show(bare, BRANCH, '.golden-path.yaml'))).toMatchObject({
      version: NEW,
      answers: { name: 'orders-api', tier: 'critical' },
    });
    expect(
      parse(show(bare, BRANCH, 'catalog-info.yaml')).metadata.annotations[
        'acme.example/template-version'
      ],
    ).toBe(NEW);
    // …and the service's own.
    expect(show(bare, BRANCH, 'README.md')).toContain(
      'Orders are kept for 30 days.',
    );
    expect(show(bare, BRANCH, 'src/orders.ts')).toContain('ordersRoute');
    // On top of the default branch, which is left alone.
    expect(git(bare, 'rev-parse', 'main')).toBe(mainBefore);
    expect(git(bare, 'rev-parse', `${output.commitHash}^`)).toBe(mainBefore);
    expect(output.cloneCommand).toBe(`git clone --branch ${BRANCH} ${bare}`);
  });

  it('reports a line both changed as a conflict, with its markers, instead of choosing a side', async () => {
    const bare = await createService('price-rules', OLD);
    const clone = cloneOf(bare);
    const script = path.join(clone, 'ci', 'report-deployment.sh');
    fs.writeFileSync(
      script,
      fs
        .readFileSync(script, 'utf8')
        .replace(
          'pkg:oci/price-rules@${SHA}',
          'pkg:oci/price-rules@${IMAGE_TAG}',
        ),
    );
    commitAndPush(clone, 'Report the image tag');

    const output = await upgrade('price-rules');

    expect(output.conflicts).toEqual(['ci/report-deployment.sh']);
    expect(output.description).toContain('`ci/report-deployment.sh`');
    expect(output.description).toContain('conflict markers');
    const merged = show(bare, BRANCH, 'ci/report-deployment.sh');
    expect(merged).toMatch(/^<<<<<<< /m);
    expect(merged).toContain('pkg:oci/price-rules@${IMAGE_TAG}');
    expect(merged).toContain('pkg:oci/price-rules@${IMAGE_DIGEST}');
    // The rest of the upgrade still merged.
    expect(show(bare, BRANCH, 'ci/gitops-deploy.sh')).toContain(
      'digest: ${IMAGE_DIGEST}',
    );
  });

  it('leaves one branch with an unchanged tree when run twice, and fast-forwards it when the default branch moves', async () => {
    const bare = await createService('stock-levels', OLD);
    const first = await upgrade('stock-levels');
    const second = await upgrade('stock-levels');
    expect(second.unchanged).toBe(true);
    expect(second.commitHash).toBe(first.commitHash);
    expect(git(bare, 'branch', '--list', 'golden-path/*')).toBe(BRANCH);

    const clone = cloneOf(bare);
    fs.writeFileSync(path.join(clone, 'NOTES.md'), 'On call: #stock\n');
    commitAndPush(clone, 'Add notes');
    const third = await upgrade('stock-levels');
    expect(third.unchanged).toBe(false);
    // A fast-forward of the previous branch (it was not forced) that also
    // carries the new commit of the default branch.
    expect(git(bare, 'rev-list', '--parents', '-n', '1', third.commitHash))
      .toBe(`${third.commitHash} ${first.commitHash} ${git(bare, 'rev-parse', 'main')}`);
    expect(show(bare, BRANCH, 'NOTES.md')).toBe('On call: #stock');
  });

  it('leaves a branch that has someone else’s commits alone', async () => {
    const bare = await createService('fulfilment', OLD);
    await upgrade('fulfilment');
    const clone = cloneOf(bare);
    git(clone, 'checkout', '--quiet', BRANCH);
    fs.writeFileSync(path.join(clone, 'NOTES.md'), 'resolved\n');
    git(clone, 'add', '--all');
    git(clone, 'commit', '--quiet', '-m', 'Resolve by hand');
    git(clone, 'push', '--quiet', 'origin', BRANCH);
    const tip = git(bare, 'rev-parse', BRANCH);

    await expect(upgrade('fulfilment')).rejects.toThrow(
      /has commits that the portal did not make/,
    );
    expect(git(bare, 'rev-parse', BRANCH)).toBe(tip);
  });

  it('refuses a service that is already on the newest version', async () => {
    const bare = await createService('current-service', NEW);
    await expect(upgrade('current-service')).rejects.toThrow(
      `current-service is already on node-service ${NEW}, the newest version: there is nothing to upgrade`,
    );
    expect(git(bare, 'branch', '--list', 'golden-path/*')).toBe('');
  });

  it('refuses a repository without .golden-path.yaml', async () => {
    const bare = await createService('hand-made', OLD);
    const clone = cloneOf(bare);
    fs.rmSync(path.join(clone, '.golden-path.yaml'));
    commitAndPush(clone, 'Remove the record');
    await expect(upgrade('hand-made')).rejects.toThrow(
      /has no \.golden-path\.yaml/,
    );
    expect(git(bare, 'branch', '--list', 'golden-path/*')).toBe('');
  });

  it('refuses a component it cannot find', async () => {
    await expect(upgrade('missing')).rejects.toThrow(
      'entityRef: component:default/missing is not in the catalog',
    );
  });
});
