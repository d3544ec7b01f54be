import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

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
