import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { validateGeneratedFiles } from './validateGeneratedFiles';
import { createValidateAction } from './createValidateAction';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import gitlabModule from '@backstage/plugin-scaffolder-backend-module-gitlab';
import techdocsPlugin from '@backstage/plugin-techdocs-backend';
import {
  buildTechDocs,
  mkdocsAvailable,
  portalTechDocsConfig,
} from '@internal/portal-test-utils';
import {
  loadTemplates,
  startGoldenPathBackend,
} from './__testUtils__/startGoldenPathBackend';
import { GOLDEN_PATHS_DIRECTORY } from './renderGoldenPathTemplates';
import { GOLDEN_PATH_TEST_CONFIG } from './__testUtils__/goldenPathTestConfig';
import { publishGoldenPathService } from './__testUtils__/publishGoldenPathService';
import { GoldenPathReleases } from './goldenPathReleases';

const execFileAsync = promisify(execFile);

// Each case runs a whole scaffolder task (render, validate, git, catalog
// processing): seconds, not the default few milliseconds, on a busy machine.
jest.setTimeout(120_000);
const REPO_ROOT = path.resolve(__dirname, '../../..');
const LATEST = GoldenPathReleases.fromFile().latest.version;
const UPGRADE_TEMPLATE = fs.readFileSync(
  path.join(GOLDEN_PATHS_DIRECTORY, '../golden-path-upgrade/template.yaml'),
  'utf8',
);

/** A service that already exists, for the name check. */
const EXISTING_SERVICE = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: existing-service }
spec: { type: service, owner: group:default/checkout, lifecycle: production }
`;

async function startPortal(gitDirectory: string) {
  const portal = await startGoldenPathBackend({
    gitDirectory,
    catalogFiles: [EXISTING_SERVICE, UPGRADE_TEMPLATE],
    features: [gitlabModule, techdocsPlugin],
    config: {
      techdocs: portalTechDocsConfig(path.join(gitDirectory, 'techdocs')),
    },
  });
  await portal.waitForEntity('component:existing-service');
  await portal.waitForEntity('template:golden-path-upgrade');
  const baseUrl = `${portal.baseUrl}/api/scaffolder`;

  /** The scaffolder's own dry run, as the template editor calls it. */
  async function dryRun(templateName: string, values: Record<string, unknown>) {
    const template = loadTemplates().find(
      t => t.metadata.name === templateName,
    );
    const root = GOLDEN_PATHS_DIRECTORY;
    const directoryContents: Array<{ path: string; base64Content: string }> =
      [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else
          directoryContents.push({
            path: path.relative(root, full),
            base64Content: fs.readFileSync(full).toString('base64'),
          });
      }
    };
    walk(root);
    const response = await fetch(`${baseUrl}/v2/dry-run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template, values, directoryContents }),
    });
    const body = (await response.json()) as any;
    if (response.status !== 200) {
      return { errors: [JSON.stringify(body)], files: [], log: '' };
    }
    return {
      errors: [] as string[],
      log: body.log.map((l: any) => l.body.message).join('\n'),
      files: (
        body.directoryContents as Array<{ path: string; base64Content: string }>
      ).map(f => ({
        path: f.path,
        content: Buffer.from(f.base64Content, 'base64').toString('utf8'),
      })),
    };
  }

  return { ...portal, dryRun };
}

const describeWithMkdocs = mkdocsAvailable('golden-path docs through TechDocs')
  ? describe
  : describe.skip;

/** Asks npm's own configured registry, so no host is named here. */
async function registryReachable() {
  try {
    await promisify(execFile)('npm', ['view', 'prom-client', 'version'], {
      timeout: 20_000,
    });
    return true;
  } catch {
    return false;
  }
}

describe('golden-path templates through the real scaffolder', () => {
  let gitDirectory: string;
  let portal: Awaited<ReturnType<typeof startPortal>>;

  beforeAll(async () => {
    gitDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-git-'));
    // A service from before the newest release, on the local git host when
    // the portal starts, like the demo's older services.
    await publishGoldenPathService({
      root: gitDirectory,
      name: 'legacy-orders',
      version: '1.0.0',
    });
    portal = await startPortal(gitDirectory);
  });

  afterAll(async () => {
    await portal?.stop();
    fs.rmSync(gitDirectory, { recursive: true, force: true });
  });

  it.each([
    ['node-service', 'orders-api'],
    ['go-service', 'stock-levels'],
    ['python-service', 'price-rules'],
  ])(
    '%s renders, validates, publishes, registers and records',
    async (template, name) => {
      const result = await portal.run(template, {
        name,
        description: 'Takes orders',
        owner: 'group:default/checkout',
        system: 'system:default/checkout-and-orders',
        tier: 'critical',
        hostname: '',
        onCallId: 'PX1234',
        publishTarget: 'local',
      });
      expect(result.error).toBe('');
      expect(result.status).toBe('completed');

      // A real bare repository that a user can clone.
      const bare = path.join(gitDirectory, `${name}.git`);
      const clone = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-clone-`));
      await execFileAsync('git', ['clone', '--quiet', bare, clone]);
      const read = (file: string) =>
        fs.readFileSync(path.join(clone, file), 'utf8');

      // Every generated file passes the real parsers.
      expect(await validateGeneratedFiles(clone)).toEqual([]);

      const entity = parse(read('catalog-info.yaml'));
      expect(entity.spec).toMatchObject({
        owner: 'group:default/checkout',
        system: 'checkout-and-orders',
        lifecycle: 'production',
      });
      expect(entity.metadata.annotations).toMatchObject({
        'backstage.io/source-template': `template:default/${template}`,
        'acme.example/template-version': LATEST,
        'backstage.io/kubernetes-id': name,
        'pagerduty.com/service-id': 'PX1234',
        'backstage.io/techdocs-ref': 'dir:.',
      });
      const ingress = parse(read('kubernetes/base/ingress.yaml'));
      expect(ingress.metadata.annotations).toEqual({
        'cert-manager.io/cluster-issuer': 'letsencrypt-production',
        'external-dns.alpha.kubernetes.io/hostname': `${name}.apps.acme.example`,
      });
      const rule = parse(read('kubernetes/base/prometheusrule.yaml'));
      expect(rule.metadata.labels.prometheus).toBe('platform');
      expect(rule.spec.groups[0].rules[0].labels.severity).toBe('critical');
      // GitHub's own expressions survive the template engine untouched.
      const workflow = read('.github/workflows/ci.yaml');
      expect(workflow).toContain('${{ secrets.PORTAL_INGEST_TOKEN }}');
      expect(parse(read('.golden-path.yaml'))).toMatchObject({
        template: `template:default/${template}`,
        version: LATEST,
        answers: { name, tier: 'critical', owner: 'group:default/checkout' },
      });

      // Registered from the checkout next to the bare repository, and
      // already visible in the real catalog when the task completes.
      const registered = await portal.getEntity(`component:${name}`);
      expect(
        registered?.metadata.annotations?.['backstage.io/managed-by-location'],
      ).toBe(
        `file:${path.join(
          gitDirectory,
          'checkouts',
          name,
          'catalog-info.yaml',
        )}`,
      );
      expect(registered?.spec?.owner).toBe('group:default/checkout');

      // The request reached the metrics API, authenticated as the backend.
      const recorded = portal.received.find(
        r => r.body.subject.id === `component:default/${name}`,
      );
      expect(recorded).toMatchObject({
        principal: 'service',
        body: {
          context: {
            id: result.taskId,
            type: 'dev.cdeventsx.servicerequest.created.0.1.0',
          },
          subject: {
            type: 'servicerequest',
            content: {
              entityRef: `component:default/${name}`,
              team: 'group:default/checkout',
              template,
              templateVersion: LATEST,
            },
          },
        },
      });
      expect(result.output.text[0].content).toContain(`git clone ${bare}`);

      fs.rmSync(clone, { recursive: true, force: true });
    },
  );

  it('renders a version for an upgrade exactly as creation rendered it', async () => {
    // orders-api was created above through the scaffolder, with these answers.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-same-'));
    try {
      await publishGoldenPathService({
        root: scratch,
        name: 'orders-api',
        version: LATEST,
      });
      const tree = async (bare: string) =>
        (
          await execFileAsync('git', [
            '--git-dir',
            bare,
            'rev-parse',
            'main^{tree}',
          ])
        ).stdout.trim();
      expect(await tree(path.join(scratch, 'orders-api.git'))).toBe(
        await tree(path.join(gitDirectory, 'orders-api.git')),
      );
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('golden-path-upgrade upgrades an older service from its entity alone, and refuses a current one', async () => {
    await portal.waitForEntity('component:legacy-orders');
    const result = await portal.run('golden-path-upgrade', {
      entity: 'component:default/legacy-orders',
    });
    expect(result.error).toBe('');
    expect(result.status).toBe('completed');
    const [whatChanges, getTheBranch] = result.output.text;
    expect(whatChanges.content).toContain(`### ${LATEST}`);
    expect(whatChanges.content).toContain('No conflicts');
    const bare = path.join(gitDirectory, 'legacy-orders.git');
    const branch = `golden-path/upgrade-to-${LATEST}`;
    expect(getTheBranch.content).toContain(
      `git clone --branch ${branch} ${bare}`,
    );
    const { stdout } = await execFileAsync('git', [
      '--git-dir',
      bare,
      'show',
      `${branch}:.golden-path.yaml`,
    ]);
    expect(parse(stdout).version).toBe(LATEST);

    const current = await portal.run('golden-path-upgrade', {
      entity: 'component:default/orders-api',
    });
    expect(current.status).toBe('failed');
    expect(current.error).toContain(
      `orders-api is already on node-service ${LATEST}, the newest version`,
    );
  });

  describeWithMkdocs('docs built by TechDocs', () => {
    it('have a page for every runbook_url of the alerts, with its runbook', async () => {
      const name = 'docs-on-call';
      const result = await portal.run('go-service', {
        name,
        owner: 'group:default/checkout',
        tier: 'critical',
        publishTarget: 'local',
      });
      expect(result.error).toBe('');
      const bare = path.join(gitDirectory, `${name}.git`);
      const show = async (file: string) =>
        (
          await execFileAsync('git', [
            '--git-dir',
            bare,
            'show',
            `main:${file}`,
          ])
        ).stdout;
      const rule = parse(await show('kubernetes/base/prometheusrule.yaml'));
      const alerts: Array<{ alert: string; annotations: any }> =
        rule.spec.groups.flatMap((group: { rules: unknown[] }) => group.rules);
      expect(alerts).toHaveLength(5);

      // What the portal does when someone opens the docs: the checkout next
      // to the bare repository (backstage.io/techdocs-ref: dir:.) is built
      // with mkdocs and published.
      const site = await buildTechDocs(portal.baseUrl, {
        kind: 'component',
        name,
      });
      expect((await site.page('')).title).toBe(name);
      for (const { alert, annotations } of alerts) {
        const url = new URL(annotations.runbook_url);
        expect(url.origin).toBe(GOLDEN_PATH_TEST_CONFIG.portalUrl);
        // The reader's route for the page; the static site holds the same path.
        const pagePath = url.pathname.replace(
          `/docs/default/component/${name}/`,
          '',
        );
        expect(pagePath).toMatch(/^runbooks\/[a-z-]+\/$/);
        const runbook = await show(`docs/${pagePath.replace(/\/$/, '.md')}`);
        const page = await site.page(pagePath);
        expect({ alert, status: page.status, title: page.title }).toEqual({
          alert,
          status: 200,
          title: /^# (.+)$/m.exec(runbook)![1],
        });
        expect(page.html).toContain(`<code>${alert}</code>`);
      }
    });
  });

  it('runs the generated Node service tests', async () => {
    const result = await portal.run('node-service', {
      name: 'node-selftest',
      owner: 'group:default/checkout',
      tier: 'standard',
      publishTarget: 'local',
    });
    expect(result.error).toBe('');
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'node-selftest-'));
    await execFileAsync('git', [
      'clone',
      '--quiet',
      path.join(gitDirectory, 'node-selftest.git'),
      clone,
    ]);
    expect(fs.readdirSync(path.join(clone, 'src')).sort()).toEqual([
      'app.ts',
      'logger.ts',
      'server.ts',
    ]);
    // CI must refuse a type error, not only a failing test.
    const workflow = parse(
      fs.readFileSync(path.join(clone, '.github/workflows/ci.yaml'), 'utf8'),
    );
    expect(
      workflow.jobs.test.steps
        .map((step: { run?: string }) => step.run)
        .filter(Boolean),
    ).toEqual([
      'npm install --no-audit --no-fund',
      'npm run typecheck',
      'npm test',
    ]);
    if (!(await registryReachable())) {
      // eslint-disable-next-line no-console
      console.warn(
        'SKIPPED: the npm registry is unreachable, so the generated service tests cannot install prom-client',
      );
      fs.rmSync(clone, { recursive: true, force: true });
      return;
    }
    await execFileAsync('npm', ['install', '--no-audit', '--no-fund'], {
      cwd: clone,
      timeout: 120_000,
    });
    // tsc exits non-zero on any type error, which rejects the promise.
    const typecheck = await execFileAsync('npm', ['run', 'typecheck'], {
      cwd: clone,
      timeout: 120_000,
    });
    expect(typecheck.stdout).toContain('tsc --noEmit');
    expect(`${typecheck.stdout}${typecheck.stderr}`).not.toMatch(/error TS/);
    const { stdout, stderr } = await execFileAsync('npm', ['test'], {
      cwd: clone,
      timeout: 60_000,
    });
    expect(`${stdout}${stderr}`).toMatch(/fail 0/);
    expect(`${stdout}${stderr}`).toMatch(/pass [1-9]/);
    // The tests that ran are the TypeScript ones, run by Node itself.
    expect(`${stdout}${stderr}`).toContain('node --test test/*.test.ts');
    fs.rmSync(clone, { recursive: true, force: true });
  }, 300_000);

  it('runs the generated Python service tests', async () => {
    const result = await portal.run('python-service', {
      name: 'python-selftest',
      owner: 'group:default/checkout',
      tier: 'experimental',
      publishTarget: 'local',
    });
    expect(result.error).toBe('');
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'python-selftest-'));
    await execFileAsync('git', [
      'clone',
      '--quiet',
      path.join(gitDirectory, 'python-selftest.git'),
      clone,
    ]);
    const { stderr } = await execFileAsync(
      'python3',
      ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.', '-v'],
      { cwd: clone, timeout: 60_000 },
    );
    expect(stderr).toMatch(/Ran 4 tests/);
    expect(stderr).toMatch(/\nOK\s*$/);
    fs.rmSync(clone, { recursive: true, force: true });
  }, 120_000);

  it('publishes the GitLab pipeline instead of the GitHub workflow for GitLab', async () => {
    const dryRun = await portal.dryRun('node-service', {
      name: 'gitlab-bound',
      owner: 'group:default/checkout',
      tier: 'standard',
      publishTarget: 'gitlab',
      repoUrl: 'gitlab.com?owner=acme&repo=gitlab-bound',
    });
    expect(dryRun.errors).toEqual([]);
    const files = dryRun.files.map(f => f.path);
    expect(files).toContain('.gitlab-ci.yml');
    expect(files).not.toContain('.github/workflows/ci.yaml');
    const pipeline = dryRun.files.find(f => f.path === '.gitlab-ci.yml');
    expect(parse(pipeline!.content).test).toMatchObject({
      image: expect.stringMatching(/^node:24\.\d+\.\d+-bookworm-slim$/),
      script: [
        'npm install --no-audit --no-fund',
        'npm run typecheck',
        'npm test',
      ],
    });
    const catalogInfo = dryRun.files.find(f => f.path === 'catalog-info.yaml');
    expect(
      parse(catalogInfo!.content).metadata.annotations[
        'gitlab.com/project-slug'
      ],
    ).toBe('acme/gitlab-bound');
  });

  it('writes the annotation of the on-call tool chosen', async () => {
    const dryRun = await portal.dryRun('go-service', {
      name: 'alerts-by-opsgenie',
      owner: 'group:default/checkout',
      tier: 'critical',
      onCallProvider: 'opsgenie',
      onCallId: 'alerts-by-opsgenie',
      publishTarget: 'local',
    });
    expect(dryRun.errors).toEqual([]);
    const read = (file: string) =>
      parse(dryRun.files.find(f => f.path === file)!.content);
    const { annotations } = read('catalog-info.yaml').metadata;
    // The selector the Opsgenie module matches alert tags against.
    expect(annotations['opsgenie.com/component-selector']).toBe(
      'tag:"alerts-by-opsgenie"',
    );
    expect(annotations).not.toHaveProperty('pagerduty.com/service-id');
    expect(read('.golden-path.yaml').answers).toMatchObject({
      onCallProvider: 'opsgenie',
      onCallId: 'alerts-by-opsgenie',
    });
  });

  describe('validation of a broken template', () => {
    let good: string;

    beforeAll(async () => {
      good = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-good-'));
      await execFileAsync('git', [
        'clone',
        '--quiet',
        path.join(gitDirectory, 'orders-api.git'),
        good,
      ]);
    });

    afterAll(() => fs.rmSync(good, { recursive: true, force: true }));

    const mutate = (file: string, change: (text: string) => string) => {
      const copy = fs.mkdtempSync(
        path.join(os.tmpdir(), 'golden-path-broken-'),
      );
      fs.cpSync(good, copy, {
        recursive: true,
        filter: src => !src.endsWith('.git'),
      });
      const target = path.join(copy, file);
      fs.writeFileSync(
        target,
        change(fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : ''),
      );
      return copy;
    };

    it.each([
      [
        'kubernetes/base/prometheusrule.yaml',
        (t: string) => t.replace('> 0.05', '> > 0.05'),
        /PromQL of HighErrorRatio does not parse/,
      ],
      [
        'kubernetes/base/deployment.yaml',
        (t: string) =>
          t.replace('containerPort: 8080', 'containerPort: "eighty"'),
        /Deployment is invalid: .*containerPort/,
      ],
      [
        'kubernetes/base/ingress.yaml',
        (t: string) => t.replace('pathType: Prefix', 'pathType: 42'),
        /Ingress is invalid/,
      ],
      [
        'kubernetes/base/servicemonitor.yaml',
        (t: string) => t.replace('endpoints:', 'endpoints: 7\n  ignored:'),
        /ServiceMonitor is invalid/,
      ],
      [
        'kubernetes/base/certificate.yaml',
        () =>
          'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: x\nspec:\n  dnsNames: [x.example]\n',
        /Certificate is invalid/,
      ],
      [
        'kubernetes/base/deployment.yaml',
        (t: string) => t.replace(/ {10}readinessProbe:\n( {12}.*\n)+/, ''),
        /needs readiness and liveness probes/,
      ],
      [
        'kubernetes/base/deployment.yaml',
        (t: string) =>
          t.replace(
            'allowPrivilegeEscalation: false',
            'allowPrivilegeEscalation: true',
          ),
        /must run as non-root/,
      ],
      [
        'Dockerfile',
        (t: string) =>
          t.replace(/FROM node:\S+ AS runtime/, 'FROM node:latest AS runtime'),
        /base image node:latest is not pinned|uses :latest/,
      ],
      [
        'Dockerfile',
        (t: string) => t.replace(/USER 10001:10001/, 'USER root'),
        /non-root USER/,
      ],
      [
        'Dockerfile',
        (t: string) => t.replace(/HEALTHCHECK[\s\S]*?\n(?=CMD)/, ''),
        /has no HEALTHCHECK/,
      ],
      [
        'Dockerfile',
        (t: string) => t.replace('COPY src ./src', 'COPY src'),
        /line \d+: COPY requires at least two arguments/,
      ],
      [
        '.github/workflows/ci.yaml',
        (t: string) =>
          t.replace(/actions\/checkout@[0-9a-f]{40}/, 'actions/checkout@v4'),
        /not pinned to a commit SHA/,
      ],
      [
        '.github/workflows/ci.yaml',
        (t: string) =>
          t.replace(
            'runs-on: ubuntu-24.04',
            'runs-on: ubuntu-24.04\n    bogus-key: 1',
          ),
        /workflow error/,
      ],
      [
        '.github/workflows/ci.yaml',
        (t: string) =>
          t.replace(
            'permissions:\n  contents: read\n\nconcurrency',
            'concurrency',
          ),
        /no top-level permissions/,
      ],
      [
        'catalog-info.yaml',
        (t: string) =>
          t.replace('kind: Component', 'kind: Component\nextra: field'),
        /catalog entity is invalid/,
      ],
      ['catalog-info.yaml', (t: string) => `${t}: : :\n  - [`, /YAML error/],
      [
        'mkdocs.yml',
        (t: string) => t.replace('index.md', 'missing.md'),
        /nav links to docs\/missing.md/,
      ],
      [
        'kubernetes/overlays/staging/kustomization.yaml',
        (t: string) => t.replace('../../base', '../../nowhere'),
        /refers to \.\.\/\.\.\/nowhere, which does not exist/,
      ],
      [
        'src/config.ts',
        () =>
          'export const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";\n',
        /looks like a GitHub token/,
      ],
      [
        'kubernetes/base/job.yaml',
        () => 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: x\n',
        /no schema here can validate/,
      ],
    ])('reports a problem in %s', async (file, change, message) => {
      const broken = mutate(file, change);
      try {
        const problems = await validateGeneratedFiles(broken);
        expect(
          problems
            .filter(p => p.file === file)
            .map(p => p.problem)
            .join('\n'),
        ).toMatch(message);
      } finally {
        fs.rmSync(broken, { recursive: true, force: true });
      }
    });

    it('reports an alert whose runbook page is missing', async () => {
      const broken = mutate('README.md', t => t);
      try {
        fs.rmSync(path.join(broken, 'docs/runbooks/high-latency.md'));
        expect(await validateGeneratedFiles(broken)).toContainEqual({
          file: 'kubernetes/base/prometheusrule.yaml',
          problem:
            'alert HighLatencyP99 links to docs/runbooks/high-latency.md, which does not exist',
        });
      } finally {
        fs.rmSync(broken, { recursive: true, force: true });
      }
    });

    it('fails the validate step with the file and the problem', async () => {
      const broken = mutate('kubernetes/base/prometheusrule.yaml', t =>
        t.replace('> 0.05', '> > 0.05'),
      );
      try {
        const ctx = createMockActionContext({
          input: {},
          workspacePath: broken,
        });
        await expect(createValidateAction().handler(ctx)).rejects.toThrow(
          /kubernetes\/base\/prometheusrule\.yaml: PromQL of HighErrorRatio does not parse/,
        );
        const good2 = createMockActionContext({
          input: {},
          workspacePath: good,
        });
        await createValidateAction().handler(good2);
        expect(good2.output).toHaveBeenCalledWith('problems', 0);
      } finally {
        fs.rmSync(broken, { recursive: true, force: true });
      }
    });
  });

  it('rejects a name that is already in the catalog and publishes nothing', async () => {
    const result = await portal.run('node-service', {
      name: 'existing-service',
      owner: 'group:default/checkout',
      tier: 'standard',
      publishTarget: 'local',
    });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/already exists in the catalog/);
    expect(fs.existsSync(path.join(gitDirectory, 'existing-service.git'))).toBe(
      false,
    );
  });

  it.each([
    [
      'a template expression',
      { description: '${{ secrets.token }}' },
      /template expressions/,
    ],
    [
      'a Nunjucks statement',
      { description: '{% include "/etc/passwd" %}' },
      /template expressions/,
    ],
    [
      'a path traversal',
      { hostname: '../../etc' },
      /"\.\.\/"|not a valid DNS name/,
    ],
    [
      'an absolute path',
      { system: '/etc/passwd' },
      /must not be an absolute path/,
    ],
    [
      'an oversized field',
      { description: 'x'.repeat(5000) },
      /at most 300|maxLength|does not meet maximum length/,
    ],
    ['a line break', { description: 'one\ntwo: injected' }, /single line/],
  ])(
    'rejects %s with a clear message and publishes nothing',
    async (_what, extra, message) => {
      const name = `bad-${Math.random().toString(36).slice(2, 8)}`;
      const result = await portal.run('node-service', {
        name,
        owner: 'group:default/checkout',
        tier: 'standard',
        publishTarget: 'local',
        ...extra,
      });
      expect(result.status).not.toBe('completed');
      expect(result.error).toMatch(message);
      expect(fs.existsSync(path.join(gitDirectory, `${name}.git`))).toBe(false);
    },
  );

  it.each([['../evil'], ['Upper-Case'], ['a'.repeat(41)], ['ends-with-']])(
    'rejects the invalid name %s before any step runs',
    async name => {
      const result = await portal.run('node-service', {
        name,
        owner: 'group:default/checkout',
        tier: 'standard',
        publishTarget: 'local',
      });
      expect(result.status).toBe('rejected');
      expect(result.httpStatus).toBe(400);
      expect(
        fs.readdirSync(gitDirectory).filter(f => f.endsWith('.git')),
      ).not.toContain(`${name}.git`);
    },
  );

  it('never lets the template folder reach outside through a symlink', () => {
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
        if (e.isSymbolicLink()) return [path.join(dir, e.name)];
        return e.isDirectory() ? walk(path.join(dir, e.name)) : [];
      });
    expect(walk(path.join(REPO_ROOT, 'templates'))).toEqual([]);
  });
});
