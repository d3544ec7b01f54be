import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { until } from './until.mjs';

const run = promisify(execFile);

/**
 * Asks the portal for a new service the way the Create page does: a
 * scaffolder task of the `node-service` golden path, published to the
 * portal's own git host. Resolves with the task once it completed; a failed
 * task throws with its last error.
 */
export async function requestService(portal, { name, owner }) {
  const { id: taskId } = await portal.call('/scaffolder/v2/tasks', {
    method: 'POST',
    body: {
      templateRef: 'template:default/node-service',
      values: { name, owner, tier: 'standard', publishTarget: 'local' },
    },
  });
  const task = await until(
    `scaffolder task ${taskId} to finish`,
    async () => {
      const current = await portal.call(`/scaffolder/v2/tasks/${taskId}`);
      if (['completed', 'failed', 'cancelled'].includes(current.status)) {
        return current;
      }
      throw new Error(`status ${current.status}`);
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
  if (task.status !== 'completed') {
    const events = await portal.call(`/scaffolder/v2/tasks/${taskId}/events`);
    const messages = events
      .map(e => e.body?.message)
      .filter(Boolean)
      .slice(-5);
    throw new Error(`task ${task.status}: ${messages.join(' | ')}`);
  }
  return { taskId, task };
}

/**
 * Clones the published repository and installs its production dependencies,
 * as the image's dependencies stage does (`npm install --omit=dev`). The
 * generated service depends on prom-client, so this needs the npm registry.
 */
export async function checkoutService({ gitHost, name, dir, git, npm }) {
  const bare = join(gitHost, `${name}.git`);
  if (!existsSync(bare)) {
    throw new Error(`the git host holds no ${name}.git`);
  }
  await run(git, ['clone', '--quiet', `file://${bare}`, dir]);
  await run(npm, ['install', '--omit=dev', '--no-audit', '--no-fund'], {
    cwd: dir,
    timeout: 180_000,
  });
  const { stdout: sha } = await run(git, ['-C', dir, 'rev-parse', 'HEAD']);
  return { dir, sha: sha.trim(), remoteUrl: `file://${bare}` };
}
