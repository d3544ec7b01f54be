import { execFileSync } from 'node:child_process';

/**
 * Whether Debian's mkdocs is installed for the tests that build docs with it.
 * Outside CI a missing mkdocs skips them with one line saying so; in CI (`CI`
 * set, where .ci/run installs it) they run, and fail.
 */
export function mkdocsAvailable(what: string): boolean {
  try {
    execFileSync('mkdocs', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI) return true;
    process.stderr.write(
      `SKIPPED: ${what}: mkdocs is not installed (apt-get install -y mkdocs mkdocs-material)\n`,
    );
    return false;
  }
}
