#!/usr/bin/env node
// Bulk golden-path upgrade benchmark: creates services at 1.0.0 on a local
// bare-git host, gives each a commit of its own, upgrades them all with the
// `golden-path:upgrade` action (one at a time and a few at a time, as the
// drift page's bulk action does), then upgrades them again (already
// upgraded: unchanged) and prints markdown tables.
//
//   node bench/golden-path-upgrade/run.mjs [--services 50] [--concurrency 1,3]
//     [--conflict-every 10] [--keep]
//
// No portal needed: the action runs in this process from its TypeScript
// source, with the services created by the helpers its tests use.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cpuSeconds } from '../lib/processCpu.mjs';
import { median, percentile } from '../lib/stats.mjs';

const require = createRequire(import.meta.url);
// The action and its test helpers are TypeScript; this is the transform
// `yarn templates:generate` and `backstage-cli package start` use.
require('@backstage/cli/config/nodeTransform.cjs');
// The helpers build action contexts with createMockActionContext, whose
// `output` and `createTemporaryDirectory` are jest.fn(): jest-mock is that
// implementation, usable outside Jest.
globalThis.jest = require('jest-mock');
const pLimit = require('p-limit');
const { parse } = require('yaml');

const MODULE = '../../plugins/scaffolder-backend-module-golden-path/src';
const { ScmIntegrations } = require('@backstage/integration');
const {
  catalogServiceMock,
} = require('@backstage/plugin-catalog-node/testUtils');
const { mockServices } = require('@backstage/backend-test-utils');
const {
  createMockActionContext,
} = require('@backstage/plugin-scaffolder-node-test-utils');
const { createUpgradeAction } = require(`${MODULE}/createUpgradeAction`);
const { GoldenPathReleases } = require(`${MODULE}/goldenPathReleases`);
const {
  goldenPathActionConfig,
  publishGoldenPathService,
} = require(`${MODULE}/__testUtils__/publishGoldenPathService`);

const { values: args } = parseArgs({
  options: {
    services: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '1,3' },
    'conflict-every': { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
});
const serviceCount = Number(args.services);
const concurrencies = args.concurrency.split(',').map(Number);
const conflictEvery = Number(args['conflict-every']);
if (!Number.isInteger(serviceCount) || serviceCount < 1)
  throw new Error('--services must be a positive integer');
if (concurrencies.some(c => !Number.isInteger(c) || c < 1))
  throw new Error('--concurrency must list positive integers, e.g. 1,3');
if (!Number.isInteger(conflictEvery) || conflictEvery < 0)
  throw new Error('--conflict-every must be 0 (never) or a positive integer');

const OLD = '1.0.0';
const NEW = GoldenPathReleases.fromFile().latest.version;
const BRANCH = `golden-path/upgrade-to-${NEW}`;
const TARGET_SECONDS = 2;

/** git as a developer runs it, for the services' own commits and checks. */
const git = (cwd, ...gitArgs) =>
  execFileSync(
    'git',
    [
      '-c',
      'user.name=Dev',
      '-c',
      'user.email=dev@example.com',
      '-c',
      'commit.gpgsign=false',
      ...gitArgs,
    ],
    { cwd, env: { PATH: process.env.PATH, HOME: cwd } },
  )
    .toString()
    .trim();

const load = () =>
  os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ');
const cpuNow = () => cpuSeconds(process.pid, { children: true });
const seconds = ms => (ms / 1000).toFixed(2);

/**
 * A service's team at work: a README line and a new route, and for every
 * `conflictEvery`-th service an edit of a line that 1.1.0 changes too.
 */
function commitLocalChanges(root, name, index) {
  const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-bench-clone-'));
  try {
    git(root, 'clone', '--quiet', path.join(root, `${name}.git`), clone);
    fs.appendFileSync(
      path.join(clone, 'README.md'),
      `\nOwned by team ${index}.\n`,
    );
    fs.writeFileSync(
      path.join(clone, 'src', 'route.ts'),
      `export const route = "/${name}";\n`,
    );
    const conflicting = conflictEvery > 0 && index % conflictEvery === 0;
    if (conflicting) {
      const script = path.join(clone, 'ci', 'report-deployment.sh');
      const text = fs.readFileSync(script, 'utf8');
      const edited = text.replace(
        `pkg:oci/${name}@\${SHA}`,
        `pkg:oci/${name}@\${IMAGE_TAG}`,
      );
      if (edited === text)
        throw new Error(`${name}: 1.0.0's report script changed shape`);
      fs.writeFileSync(script, edited);
    }
    git(clone, 'add', '--all');
    git(clone, 'commit', '--quiet', '-m', 'Our own changes');
    git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
    return conflicting;
  } finally {
    fs.rmSync(clone, { recursive: true, force: true });
  }
}

/** Creates the services at 1.0.0 with their own commits; returns them. */
async function createServices(root, prefix) {
  const services = [];
  for (let i = 0; i < serviceCount; i++) {
    const name = `${prefix}-${String(i).padStart(3, '0')}`;
    const { bare, entity } = await publishGoldenPathService({
      root,
      name,
      version: OLD,
    });
    const conflicting = commitLocalChanges(root, name, i);
    services.push({
      name,
      bare,
      entity,
      conflicting,
      mainBefore: git(bare, 'rev-parse', 'main'),
    });
  }
  return services;
}

/** Runs `golden-path:upgrade` on one service as a scaffolder task would. */
async function upgradeOnce(action, name) {
  const temp = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-bench-task-'));
    temp.push(dir);
    return dir;
  };
  const ctx = createMockActionContext({
    input: { entityRef: `component:default/${name}` },
    workspacePath: tempDir(),
  });
  ctx.createTemporaryDirectory = async () => tempDir();
  const started = performance.now();
  try {
    await action.handler(ctx);
    return {
      ms: performance.now() - started,
      output: Object.fromEntries(ctx.output.mock.calls),
    };
  } catch (error) {
    return { ms: performance.now() - started, error: String(error) };
  } finally {
    // The scaffolder removes a task's workspace after it; not timed.
    for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Upgrades every service, `concurrency` at a time; times the lot. */
async function upgradeAll(action, services, concurrency) {
  const limit = pLimit(concurrency);
  const cpuBefore = cpuNow();
  const loadBefore = load();
  const started = performance.now();
  const results = await Promise.all(
    services.map(service => limit(() => upgradeOnce(action, service.name))),
  );
  return {
    wallMs: performance.now() - started,
    cpuSeconds: cpuNow() - cpuBefore,
    load: `${loadBefore} → ${load()}`,
    results,
  };
}

/** What is in the repositories now, checked against what each run should leave. */
function inspect(services) {
  let branches = 0;
  const wrong = [];
  for (const service of services) {
    const heads = git(
      service.bare,
      'for-each-ref',
      '--format=%(refname:short)',
      'refs/heads/golden-path/',
    );
    if (heads) branches += heads.split('\n').length;
    if (heads !== BRANCH) {
      wrong.push(`${service.name}: branches ${JSON.stringify(heads)}`);
      continue;
    }
    const show = file => git(service.bare, 'show', `${BRANCH}:${file}`);
    if (parse(show('.golden-path.yaml')).version !== NEW)
      wrong.push(`${service.name}: the branch does not record ${NEW}`);
    if (!show('README.md').includes('Owned by team'))
      wrong.push(`${service.name}: the branch lost the service's README line`);
    if (!show('src/route.ts').includes(service.name))
      wrong.push(`${service.name}: the branch lost the service's route`);
    if (git(service.bare, 'rev-parse', 'main') !== service.mainBefore)
      wrong.push(`${service.name}: main moved`);
  }
  return { branches, wrong };
}

function summarise(label, concurrency, run, services, previous) {
  const times = run.results.map(r => r.ms);
  const failed = run.results.filter(r => r.error);
  const outputs = run.results.map(r => r.output).filter(Boolean);
  const conflicts = outputs.filter(o => o.conflicts.length > 0).length;
  const unchanged = outputs.filter(o => o.unchanged).length;
  const expectedConflicts = services.filter(s => s.conflicting).length;
  const conflictsRight = run.results.every(
    (r, i) =>
      !r.output || r.output.conflicts.length > 0 === services[i].conflicting,
  );
  const sameCommits =
    !previous ||
    run.results.every(
      (r, i) =>
        r.output &&
        r.output.commitHash === previous.results[i].output?.commitHash,
    );
  return {
    label,
    concurrency,
    services: services.length,
    failed,
    wall: seconds(run.wallMs),
    perServiceWall: seconds(run.wallMs / services.length),
    median: seconds(median(times)),
    p95: seconds(percentile(times, 0.95)),
    max: seconds(Math.max(...times)),
    cpu: run.cpuSeconds.toFixed(1),
    cpuPerService: (run.cpuSeconds / services.length).toFixed(2),
    conflicts: `${conflicts} (expected ${expectedConflicts}${
      conflictsRight ? ', the right ones' : ', NOT the right ones'
    })`,
    unchanged,
    sameCommits,
    load: run.load,
    medianMs: median(times),
  };
}

function table(headers, rows) {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map(r => `| ${r.join(' | ')} |`),
  ].join('\n');
}

const rows = [];
const problems = [];
console.log(
  `# Golden-path upgrades in bulk: ${serviceCount} services, ${OLD} → ${NEW}\n`,
);
console.log(
  `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${
    process.version
  }, ${execFileSync('git', ['--version']).toString().trim()}, load ${load()}\n`,
);

for (const concurrency of concurrencies) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-bench-git-'));
  try {
    const setupStarted = performance.now();
    const services = await createServices(root, `bench-c${concurrency}`);
    console.log(
      `concurrency ${concurrency}: created ${serviceCount} services at ${OLD} with their own commits in ${seconds(
        performance.now() - setupStarted,
      )} s (load ${load()})`,
    );
    const action = createUpgradeAction({
      config: goldenPathActionConfig(root),
      catalog: catalogServiceMock({
        entities: services.map(s => s.entity),
      }),
      reader: mockServices.urlReader.mock(),
      integrations: ScmIntegrations.fromConfig(goldenPathActionConfig(root)),
    });

    const first = await upgradeAll(action, services, concurrency);
    const afterFirst = inspect(services);
    const second = await upgradeAll(action, services, concurrency);
    const afterSecond = inspect(services);

    for (const [label, run, state, previous] of [
      ['upgrade', first, afterFirst, undefined],
      ['again (already upgraded)', second, afterSecond, first],
    ]) {
      const row = summarise(label, concurrency, run, services, previous);
      row.branches = state.branches;
      rows.push(row);
      for (const f of row.failed)
        problems.push(`c=${concurrency} ${label}: ${f.error}`);
      for (const w of state.wrong)
        problems.push(`c=${concurrency} ${label}: ${w}`);
      if (label === 'upgrade' && row.unchanged !== 0)
        problems.push(
          `c=${concurrency}: ${row.unchanged} first upgrades were unchanged`,
        );
      if (
        label !== 'upgrade' &&
        (row.unchanged !== serviceCount || !row.sameCommits)
      )
        problems.push(
          `c=${concurrency}: the second run changed branches (${row.unchanged} of ${serviceCount} unchanged)`,
        );
      if (
        !row.conflicts.includes('the right ones') ||
        row.conflicts.includes('NOT')
      )
        problems.push(
          `c=${concurrency} ${label}: conflicts on the wrong services`,
        );
    }
    console.log(`concurrency ${concurrency}: done (load ${load()})`);
  } finally {
    if (args.keep) console.log(`kept ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  }
}

console.log('');
console.log(
  table(
    [
      'concurrency',
      'run',
      'services',
      'failed',
      'wall s',
      'wall per service s',
      'per-service median / p95 / max s',
      'CPU s (per service)',
      'conflicts reported',
      'upgrade branches after the run',
      'unchanged',
      'load 1/5/15 min, before → after',
    ],
    rows.map(r => [
      r.concurrency,
      r.label,
      r.services,
      r.failed.length,
      r.wall,
      r.perServiceWall,
      `${r.median} / ${r.p95} / ${r.max}`,
      `${r.cpu} (${r.cpuPerService})`,
      r.conflicts,
      r.branches,
      r.unchanged,
      r.load,
    ]),
  ),
);
const upgrades = rows.filter(r => r.label === 'upgrade');
console.log(
  `\nTarget ≤ ${TARGET_SECONDS} s per service: ${upgrades
    .map(
      r =>
        `concurrency ${r.concurrency} ${
          Number(r.perServiceWall) <= TARGET_SECONDS ? 'met' : 'NOT met'
        } (${r.perServiceWall} s of wall time per service, median ${
          r.median
        } s)`,
    )
    .join('; ')}`,
);
if (problems.length > 0) {
  console.log(`\n${problems.length} problem(s):`);
  for (const p of problems) console.log(`- ${p}`);
  process.exitCode = 1;
}
