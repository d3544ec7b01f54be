import { ConflictError } from '@backstage/errors';
import { PORTAL_GIT_IDENTITY, runGit } from './runGit';

/**
 * Marks the portal's own commits on an upgrade branch: a re-run adds to a
 * branch only while every commit on it since the default branch is one.
 */
export const UPGRADE_TRAILER = 'Golden-Path-Upgrade';

/**
 * Puts `tree` on `branchName` of the checkout's `origin`, on top of
 * `defaultHead`. A first run starts the branch there; a later one adds a
 * commit to it (merging the default branch in when that moved), so the push
 * is always a fast-forward and never forced. Pushes nothing when the branch
 * already holds `tree`, and refuses a branch with commits the portal did not
 * make, which are someone's work.
 */
export async function pushUpgradeBranch(options: {
  /** A clone of the repository, `origin` being the repository itself. */
  work: string;
  branchName: string;
  tree: string;
  defaultHead: string;
  /** Paragraphs of the commit message; the last one holds the trailer. */
  message: string[];
}): Promise<{ commitHash: string; unchanged: boolean }> {
  const { work, branchName, tree, defaultHead } = options;
  const git = (args: string[]) =>
    runGit([...PORTAL_GIT_IDENTITY, ...args], work);

  let parents = [defaultHead];
  const existing = await git([
    'ls-remote',
    '--heads',
    'origin',
    `refs/heads/${branchName}`,
  ]);
  if (existing) {
    await git(['fetch', '--quiet', 'origin', `refs/heads/${branchName}`]);
    const tip = await git(['rev-parse', 'FETCH_HEAD']);
    // One NUL-terminated entry per commit: its upgrade trailer, if any.
    const trailers = await git([
      'log',
      `--format=%(trailers:key=${UPGRADE_TRAILER},valueonly,separator=%x2C)%x00`,
      `${defaultHead}..${tip}`,
    ]);
    if (
      trailers
        .split('\0')
        .slice(0, -1)
        .some(entry => entry.trim() === '')
    ) {
      throw new ConflictError(
        `The branch ${branchName} has commits that the portal did not make; the upgrade leaves it as it is. Merge or delete it, then run the upgrade again`,
      );
    }
    if ((await git(['rev-parse', `${tip}^{tree}`])) === tree) {
      return { commitHash: tip, unchanged: true };
    }
    // The default branch moved on since the last run: the new commit also
    // has it as a parent, so the branch shows the merge.
    const mergeBase = await git(['merge-base', defaultHead, tip]);
    parents = mergeBase === defaultHead ? [tip] : [tip, defaultHead];
  }
  const commitHash = await git([
    'commit-tree',
    tree,
    ...parents.flatMap(p => ['-p', p]),
    ...options.message.flatMap(paragraph => ['-m', paragraph]),
  ]);
  // No "+" and no --force: git refuses anything but a fast-forward.
  await git([
    'push',
    '--quiet',
    'origin',
    `${commitHash}:refs/heads/${branchName}`,
  ]).catch(error => {
    throw new ConflictError(
      `${branchName} changed while the upgrade ran, so nothing was pushed; run the upgrade again (${
        (error as Error).message
      })`,
    );
  });
  return { commitHash, unchanged: false };
}
