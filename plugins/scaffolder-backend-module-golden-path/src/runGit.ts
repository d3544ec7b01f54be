import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Runs the git CLI without a shell and isolated from the host's git
 * configuration, so hooks, signing or credential helpers configured for a
 * person never run inside the backend.
 */
export async function runGit(
  args: string[],
  cwd?: string,
  options: {
    /** More environment, e.g. `GIT_INDEX_FILE`; never the host's own. */
    env?: Record<string, string>;
    /** Exit codes that are answers rather than failures (e.g. 1 of `cherry-pick` on conflicts). */
    allowExitCodes?: number[];
  } = {},
): Promise<string> {
  try {
    const { stdout } = await execFileAsync(
      'git',
      ['-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args],
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: cwd ?? process.cwd(),
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_TERMINAL_PROMPT: '0',
          ...options.env,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return stdout.trim();
  } catch (error) {
    const { code, stdout } = error as { code?: unknown; stdout?: string };
    if (typeof code === 'number' && options.allowExitCodes?.includes(code)) {
      return (stdout ?? '').trim();
    }
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(
      `git ${args[0]} failed: ${stderr || (error as Error).message}`,
    );
  }
}

/** The author of every commit the portal makes itself. */
export const PORTAL_GIT_IDENTITY = [
  '-c',
  'user.name=Platform Portal',
  '-c',
  'user.email=platform-portal@noreply.acme.example',
];
