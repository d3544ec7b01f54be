#!/usr/bin/env node
// Fault scenarios against the production bundle (packages/backend/dist/bundle.tar.gz)
// on PostgreSQL. Each scenario asserts one property of the issue with numbers, and
// cleans up after itself: its backends, its databases, its own PostgreSQL cluster.
//
//   node bench/faults/run.mjs [--ci] [--only duplicates,outage,...] [--report file.json]
//
// --ci runs the scenarios that fit in CI. Needs `yarn build:backend` first and
// BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING. Prints a markdown table and
// exits non-zero if any scenario fails.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { root, unpackBundle } from '../../scripts/lib/prodBackend.mjs';
import { duplicateDeliveriesAcrossReplicas } from './duplicateDeliveriesAcrossReplicas.mjs';
import { postgresOutageDuringLoad } from './postgresOutageDuringLoad.mjs';
import { scaffolderTaskKilledMidPublish } from './scaffolderTaskKilledMidPublish.mjs';
import { simultaneousFirstStart } from './simultaneousFirstStart.mjs';

const scenarios = [
  {
    id: 'duplicates',
    title: '(1) Duplicate deliveries spread over two replicas',
    ci: true,
    run: duplicateDeliveriesAcrossReplicas,
  },
  {
    id: 'outage',
    title: '(2) PostgreSQL stops in the middle of a load',
    ci: true,
    run: postgresOutageDuringLoad,
  },
  {
    id: 'first-start',
    title: '(3) Two replicas start at once on an empty database',
    ci: true,
    run: simultaneousFirstStart,
  },
  {
    id: 'scaffolder-kill',
    title: '(4) Backend killed in the middle of a scaffolder task',
    ci: false,
    run: scaffolderTaskKilledMidPublish,
  },
];

const { values: args } = parseArgs({
  options: {
    ci: { type: 'boolean', default: false },
    only: { type: 'string' },
    report: { type: 'string' },
  },
});
const only = args.only?.split(',');
const selected = scenarios.filter(s =>
  only ? only.includes(s.id) : !args.ci || s.ci,
);
if (only && selected.length !== only.length) {
  throw new Error(
    `--only: unknown scenario; known: ${scenarios.map(s => s.id).join(', ')}`,
  );
}

const logDir = join(root, '.artifacts/faults');
mkdirSync(logDir, { recursive: true });
// Our own copy of the bundle, so other runs unpacking theirs never race with us.
const bundleDir = unpackBundle(join(root, '.artifacts/faults-bundle'));

const results = [];
for (const scenario of selected) {
  console.error(`==> ${scenario.title}`);
  const started = Date.now();
  let result;
  try {
    const {
      checks,
      numbers,
      details = [],
    } = await scenario.run({
      bundleDir,
      logDir,
    });
    const failed = Object.keys(checks).filter(name => !checks[name]);
    result = { ok: failed.length === 0, failed, numbers, details };
    for (const line of failed.length ? details : []) {
      console.error(`    ${line.slice(0, 400)}`);
    }
  } catch (error) {
    result = { ok: false, failed: [`error: ${error.message}`], numbers: {} };
  }
  result = {
    id: scenario.id,
    title: scenario.title,
    ...result,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  results.push(result);
  console.error(
    `    ${result.ok ? 'PASS' : 'FAIL'} in ${result.seconds} s${
      result.ok ? '' : `: ${result.failed.join('; ')}`
    }`,
  );
}

const cell = text => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
console.log('| Scenario | Result | Numbers | Failed checks | Time |');
console.log('|---|---|---|---|---|');
for (const r of results) {
  const numbers = Object.entries(r.numbers)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  console.log(
    `| ${cell(r.title)} | ${r.ok ? 'PASS' : 'FAIL'} | ${cell(numbers)} | ${cell(
      r.failed.join('; ') || '-',
    )} | ${r.seconds} s |`,
  );
}

const passed = results.filter(r => r.ok).length;
const failed = results.length - passed;
if (args.report) {
  mkdirSync(dirname(args.report), { recursive: true });
  writeFileSync(
    args.report,
    JSON.stringify({ passed, failed, results }, null, 2),
  );
}
process.exit(failed ? 1 : 0);
