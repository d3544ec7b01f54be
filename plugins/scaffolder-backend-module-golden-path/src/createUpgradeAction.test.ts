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
import { parse, stringify } from 'yaml';
import { createUpgradeAction } from './createUpgradeAction';
import { GoldenPathReleases } from './goldenPathReleases';
import {
  goldenPathActionConfig,
  publishGoldenPathService,
  renderGoldenPathService,
} from './__testUtils__/publishGoldenPathService';
import { GOLDEN_PATHS_DIRECTORY } from './renderGoldenPathTemplates';

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

  async function upgrade(
    name: string,
    options: {
      answers?: JsonObject;
      releases?: GoldenPathReleases;
      reader?: ReturnType<typeof mockServices.urlReader.mock>;
      ctx?: ReturnType<typeof context>;
    } = {},
  ) {
    const ctx =
      options.ctx ??
      context({
        entityRef: `component:default/${name}`,
        ...(options.answers ? { answers: options.answers } : {}),
      });
    await createUpgradeAction({
      config: config(),
      catalog: catalogServiceMock({ entities }),
      reader: options.reader ?? mockServices.urlReader.mock(),
      integrations: integrations(),
      releases: options.releases,
    }).handler(ctx as any);
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
    expect(
      git(bare, 'rev-list', '--parents', '-n', '1', third.commitHash),
    ).toBe(
      `${third.commitHash} ${first.commitHash} ${git(
        bare,
        'rev-parse',
        'main',
      )}`,
    );
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

  it('prepares the upgrade of a GitHub repository for publish:github:pull-request', async () => {
    const current = tempDir();
    await renderGoldenPathService({
      root,
      name: 'orders-gh',
      version: OLD,
      targetPath: current,
      answers: {
        publishTarget: 'github',
        repoUrl: 'github.com?owner=acme&repo=orders-gh',
      },
    });
    fs.appendFileSync(
      path.join(current, 'README.md'),
      '\nOwned by the orders team.\n',
    );
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'orders-gh',
        annotations: {
          'backstage.io/source-location':
            'url:https://github.com/acme/orders-gh/tree/main/',
        },
      },
      spec: { type: 'service', owner: 'group:default/checkout' },
    });
    // Stands in for GitHub: the default branch as the catalog reads it.
    const readUrls: string[] = [];
    const reader = mockServices.urlReader.mock({
      readTree: async (url: string) => {
        readUrls.push(url);
        return {
          dir: async ({ targetDir }: { targetDir: string }) => {
            fs.cpSync(current, targetDir!, { recursive: true });
            return targetDir;
          },
        } as any;
      },
    });
    const ctx = context({ entityRef: 'component:default/orders-gh' });

    const output = await upgrade('orders-gh', { reader, ctx });

    expect(readUrls).toEqual(['https://github.com/acme/orders-gh/tree/main/']);
    expect(output).toMatchObject({
      host: 'github',
      repoUrl: 'github.com?owner=acme&repo=orders-gh',
      branchName: BRANCH,
      targetPath: 'upgrade',
      conflicts: [],
    });
    const result = path.join(ctx.workspacePath, 'upgrade');
    const read = (file: string) =>
      fs.readFileSync(path.join(result, file), 'utf8');
    expect(read('ci/report-deployment.sh')).toContain('@${IMAGE_DIGEST}');
    expect(read('README.md')).toContain('Owned by the orders team.');
    expect(parse(read('.golden-path.yaml')).version).toBe(NEW);
    expect(
      parse(read('catalog-info.yaml')).metadata.annotations[
        'github.com/project-slug'
      ],
    ).toBe('acme/orders-gh');
    expect(fs.existsSync(path.join(result, '.git'))).toBe(false);
  });

  it('asks only for the answers a new version adds, naming a missing one', async () => {
    const bare = await createService('cost-tracked', OLD);
    // A next release whose form adds a question without a default and one
    // with a default, and records both.
    const next = tempDir();
    fs.cpSync(GOLDEN_PATHS_DIRECTORY, next, { recursive: true });
    const nodeService = fs
      .readFileSync(path.join(next, 'template.yaml'), 'utf8')
      .split('\n---\n')[0]
      .replaceAll(`${NEW}`, '9.0.0')
      .replace(
        '      properties:\n',
        '      properties:\n        costCentre:\n          title: Cost centre\n          type: string\n        region:\n          title: Region\n          type: string\n          default: eu-west-1\n',
      )
      .replace(
        '          onCallId: ${{ parameters.onCallId }}\n',
        '          onCallId: ${{ parameters.onCallId }}\n          costCentre: ${{ parameters.costCentre }}\n          region: ${{ parameters.region }}\n',
      );
    fs.writeFileSync(path.join(next, 'template.yaml'), nodeService);
    const record = path.join(next, '_shared/catalog/.golden-path.yaml');
    fs.writeFileSync(
      record,
      fs
        .readFileSync(record, 'utf8')
        .replace(
          'answers:\n',
          'answers:\n  costCentre: ${{ values.costCentre }}\n  region: ${{ values.region }}\n',
        ),
    );
    const versions = parse(
      fs.readFileSync(
        path.join(GOLDEN_PATHS_DIRECTORY, 'versions.yaml'),
        'utf8',
      ),
    );
    versions.releases[0].commit = 'c'.repeat(40);
    versions.releases.unshift({
      version: '9.0.0',
      changelog: [{ title: 'Cost centres', description: 'Recorded.' }],
    });
    const nextReleases = GoldenPathReleases.fromText(stringify(versions), next);

    await expect(
      upgrade('cost-tracked', { releases: nextReleases }),
    ).rejects.toThrow(
      'node-service 9.0.0 asks a new question, "Cost centre" (answers.costCentre); give it to upgrade',
    );
    const output = await upgrade('cost-tracked', {
      releases: nextReleases,
      answers: { costCentre: 'CC-42' },
    });
    expect(output.toVersion).toBe('9.0.0');
    expect(
      parse(show(bare, 'golden-path/upgrade-to-9.0.0', '.golden-path.yaml')),
    ).toMatchObject({
      version: '9.0.0',
      answers: { costCentre: 'CC-42', region: 'eu-west-1', tier: 'critical' },
    });
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
