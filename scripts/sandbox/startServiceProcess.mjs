import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { until } from './until.mjs';

/**
 * Runs the generated service as its container would: the image's CMD in the
 * repository, the Deployment's environment plus the image's NODE_ENV, and
 * PORT moved to `port`. Every stdout line goes to `onLine` (the log shipper).
 * Resolves once `/readyz` answers 200.
 */
export async function startServiceProcess({
  processes,
  repoDir,
  manifests,
  port,
  onLine,
  logFile,
}) {
  const [program, ...args] = imageCommand(repoDir);
  const service = processes.start(
    manifests.name,
    // The image's `node` is Node 24; so is the one running the sandbox.
    program === 'node' ? process.execPath : program,
    args,
    {
      cwd: repoDir,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        ...manifests.env,
        PORT: String(port),
      },
      logFile,
      onStdoutLine: onLine,
    },
  );
  await until(
    `${manifests.name} on :${port} to answer /readyz`,
    async () => {
      service.assertRunning();
      return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  return service;
}

/** The command the image runs: the Dockerfile's exec-form CMD. */
function imageCommand(repoDir) {
  const dockerfile = readFileSync(join(repoDir, 'Dockerfile'), 'utf8');
  const line = dockerfile
    .split('\n')
    .filter(l => /^CMD\s+\[/.test(l))
    .at(-1);
  if (!line) throw new Error('Dockerfile: no exec-form CMD ["..."]');
  return JSON.parse(line.replace(/^CMD\s+/, ''));
}
