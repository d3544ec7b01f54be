#!/usr/bin/env node
// The platform sandbox test (issue #11, "Proof with real parts"): the
// golden path's whole loop against the built backend with a real scaffolder,
// Prometheus, Alertmanager and DNS server (see platformSandboxSteps.mjs).
//
//   node scripts/sandbox/run.mjs [--report file.json] [--port 7091]
//
// Needs `yarn build:backend` first, BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING,
// the npm registry (the generated service depends on prom-client) and the
// Debian packages in findPrograms.mjs. Without one of those packages it
// skips with one line naming it, or fails when CI is set. Prints one line per
// step with its time; every process, temporary folder and database it made
// is removed at the end, also when it fails or is interrupted. Logs stay in
// .artifacts/sandbox/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { root, unpackBundle } from '../lib/prodBackend.mjs';
import { Cleanup } from './Cleanup.mjs';
import { platformSandboxSteps } from './platformSandboxSteps.mjs';
import { findPrograms } from './findPrograms.mjs';
import { ProcessGroup } from './ProcessGroup.mjs';

const { values: args } = parseArgs({
  options: {
    report: { type: 'string' },
    port: { type: 'string', default: '7091' },
  },
});

const say = line => console.log(line);
const writeReport = report => {
  if (!args.report) return;
  mkdirSync(dirname(args.report), { recursive: true });
  writeFileSync(args.report, JSON.stringify(report, null, 2));
};

const { paths, missing } = findPrograms();
if (missing.length > 0) {
  const line = `Platform sandbox skipped: Debian package${
    missing.length > 1 ? 's' : ''
  } ${missing.join(', ')} not installed (apt-get install -y ${missing.join(
    ' ',
  )})`;
  if (process.env.CI) {
    say(line.replace('skipped', 'failed'));
    writeReport({ passed: 0, failed: 1, missing });
    process.exit(1);
  }
  say(line);
  writeReport({ passed: 0, failed: 0, skipped: line });
  process.exit(0);
}

const started = Date.now();
const seconds = since => ((Date.now() - since) / 1000).toFixed(1);
const logDir = join(root, '.artifacts/sandbox');
rmSync(logDir, { recursive: true, force: true });
mkdirSync(logDir, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'portal-sandbox-'));
const processes = new ProcessGroup();
const cleanup = new Cleanup();
cleanup.add('temporary folder', () =>
  rmSync(dir, { recursive: true, force: true }),
);
cleanup.add('processes', () => processes.stopAll());
cleanup.onSignals(say);

say(
  'Platform sandbox: real scaffolder, Prometheus, Alertmanager and dnsmasq; ' +
    'Loki is stood in for by a Loki-compatible endpoint (not packaged for Debian)',
);
say(`  logs in ${logDir}`);
const results = [];
try {
  // Our own copy of the bundle, so that other runs unpacking theirs never race with us.
  const bundleDir = unpackBundle(join(root, '.artifacts/sandbox-bundle'));
  const steps = platformSandboxSteps({
    paths,
    bundleDir,
    dir,
    logDir,
    portalPort: Number(args.port),
    processes,
    cleanup,
  });
  for (const step of steps) {
    const stepStarted = Date.now();
    try {
      const detail = await step.run();
      results.push({
        name: step.name,
        ok: true,
        seconds: Number(seconds(stepStarted)),
        detail,
      });
      say(
        `  PASS ${seconds(stepStarted).padStart(5)} s  [${seconds(
          started,
        ).padStart(5)} s]  ${step.name}: ${detail}`,
      );
    } catch (error) {
      results.push({
        name: step.name,
        ok: false,
        seconds: Number(seconds(stepStarted)),
        error: error.message,
      });
      say(
        `  FAIL ${seconds(stepStarted).padStart(5)} s  [${seconds(
          started,
        ).padStart(5)} s]  ${step.name}: ${error.message}`,
      );
      const skipped = steps.slice(steps.indexOf(step) + 1);
      for (const rest of skipped)
        say(`  ---                     ${rest.name}: not run`);
      break;
    }
  }
} catch (error) {
  results.push({ name: 'set-up', ok: false, error: error.message });
  say(`  FAIL set-up: ${error.message}`);
} finally {
  const cleanupStarted = Date.now();
  const problems = await cleanup.run();
  for (const problem of problems) say(`  cleanup: ${problem}`);
  say(
    `  cleanup ${seconds(cleanupStarted)} s${
      problems.length ? `, ${problems.length} problem(s)` : ''
    }`,
  );
}

const passed = results.filter(r => r.ok).length;
const failed = results.length - passed;
say(
  `Platform sandbox: ${passed} passed, ${failed} failed in ${seconds(
    started,
  )} s`,
);
writeReport({
  passed,
  failed,
  seconds: Number(seconds(started)),
  steps: results,
});
process.exit(failed ? 1 : 0);
