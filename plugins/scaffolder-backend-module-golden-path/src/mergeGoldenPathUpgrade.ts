import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PORTAL_GIT_IDENTITY, runGit } from './runGit';

/**
 * Stores the files of `dir` as a tree in the repository `repo` (the same
 * files `git add --all` would take there) without touching its index.
 */
export async function writeTreeOf(repo: string, dir: string, tempDir: string) {
  const index = path.join(tempDir, `index-${randomUUID()}`);
  const git = (args: string[]) =>
    runGit(
      ['--git-dir', path.join(repo, '.git'), '--work-tree', dir, ...args],
      dir,
      {
        env: { GIT_INDEX_FILE: index },
      },
    );
  try {
    await git(['add', '--all']);
    return await git(['write-tree']);
  } finally {
    await fs.rm(index, { force: true });
  }
}

/**
 * Applies a golden-path upgrade to the checkout `repo` (its default branch,
 * clean) three ways, as copier does: the old version's render is the base,
 * the new version's render the other side, the service's files ours. In git
 * terms it cherry-picks a commit base→new, made on an orphan root, onto the
 * default branch, so renames the service made are followed and its own
 * edits kept. A conflict is left in the file with its markers and listed;
 * nothing is resolved silently.
 *
 * Returns the resulting tree (everything staged) and the conflicting paths.
 */
export async function mergeGoldenPathUpgrade(options: {
  repo: string;
  oldRender: string;
  newRender: string;
  tempDir: string;
  /** E.g. "node-service 1.0.0", for the commits' messages. */
  oldLabel: string;
  newLabel: string;
}): Promise<{ tree: string; conflicts: string[] }> {
  const { repo, tempDir } = options;
  const git = (args: string[], allowExitCodes?: number[]) =>
    runGit([...PORTAL_GIT_IDENTITY, ...args], repo, { allowExitCodes });

  const baseTree = await writeTreeOf(repo, options.oldRender, tempDir);
  const newTree = await writeTreeOf(repo, options.newRender, tempDir);
  const base = await git([
    'commit-tree',
    baseTree,
    '-m',
    `${options.oldLabel} as rendered for this service`,
  ]);
  const upgrade = await git([
    'commit-tree',
    newTree,
    '-p',
    base,
    '-m',
    `${options.newLabel} as rendered for this service`,
  ]);
  // Exit code 1 means conflicts, which are listed below, not a failure.
  await git(['cherry-pick', '--no-commit', upgrade], [1]);
  const unmerged = await git(['diff', '--name-only', '--diff-filter=U', '-z']);
  const conflicts = unmerged.split('\0').filter(Boolean).sort();
  await git(['add', '--all']);
  const tree = await git(['write-tree']);
  return { tree, conflicts };
}
