import { spawnSync } from 'node:child_process';

/**
 * Whether a Debian tool the network tests drive is installed. Outside CI a
 * missing tool skips those tests with one line naming the package; in CI
 * (`CI` set) this answers true so the tests run and fail loudly.
 */
export function toolAvailable(
  binary: string,
  versionArgs: string[],
  debianPackage: string,
  what: string,
): boolean {
  const probe = spawnSync(binary, versionArgs, { stdio: 'ignore' });
  if (probe.status === 0) return true;
  if (process.env.CI) return true;
  process.stderr.write(
    `SKIPPED: ${what}: ${binary} is not installed (apt-get install -y ${debianPackage})\n`,
  );
  return false;
}
