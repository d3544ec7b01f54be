import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { readGoldenPathConfig } from './readGoldenPathConfig';
import { PORTAL_GIT_IDENTITY, runGit } from './runGit';
import { SERVICE_NAME_PATTERN } from './resolveGoldenPathAnswers';

// Written into each bare repository so that a retry of the task that created
// it recognises its own repository instead of failing on a name clash.
const OWNER_MARKER = 'golden-path-task-id';
// Under the git host folder; service names cannot start with a dot, so it
// never clashes with a repository.
const STAGING_DIRECTORY = '.staging';

/**
 * Publishes the workspace to the embedded git host: one bare repository per
 * service, plus a checkout next to it that the catalog reads. A user can
 * `git clone` the bare repository like any remote.
 */
export function createPublishLocalAction(options: { config: Config }) {
  return createTemplateAction({
    id: 'golden-path:publish:local',
    description:
      'Publishes the workspace as a bare git repository on the embedded local git host',
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().describe('Repository name (the service name)'),
        sourcePath: z => z.string().optional(),
        defaultBranch: z => z.string().optional(),
      },
      output: {
        remoteUrl: z => z.string(),
        cloneCommand: z => z.string(),
        checkoutPath: z => z.string(),
        catalogInfoPath: z => z.string(),
        commitHash: z => z.string(),
      },
    },
    async handler(ctx) {
      const { name } = ctx.input;
      const branch = ctx.input.defaultBranch ?? 'main';
      if (!new RegExp(SERVICE_NAME_PATTERN).test(name) || name.length > 40) {
        throw new InputError(`"${name}" is not a valid repository name`);
      }
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(branch)) {
        throw new InputError(`"${branch}" is not a valid branch name`);
      }
      const root = readGoldenPathConfig(options.config).localGitDirectory;
      const repoPath = resolveSafeChildPath(root, `${name}.git`);
      const checkoutPath = path.join(root, 'checkouts', name);
      const sourcePath = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );

      ctx.output('remoteUrl', `file://${repoPath}`);
      ctx.output('cloneCommand', `git clone ${repoPath} ${name}`);
      ctx.output('checkoutPath', checkoutPath);
      ctx.output(
        'catalogInfoPath',
        path.join(checkoutPath, 'catalog-info.yaml'),
      );

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create the bare repository ${repoPath}`,
        );
        ctx.output('commitHash', 'dry-run');
        return;
      }

      // Task recovery and the "retry" button re-run this step with the same
      // task id. The checkpoint skips the work once it has finished; the
      // ownership marker covers a crash part-way through it.
      const commitHash = await ctx.checkpoint({
        key: `golden-path-publish-local-${name}`,
        fn: async () => {
          await ensureRepository({
            root,
            repoPath,
            name,
            branch,
            taskId: ctx.task.id,
            sourcePath,
            tempDir: await ctx.createTemporaryDirectory(),
            logger: ctx.logger,
          });
          await fs.mkdir(path.dirname(checkoutPath), { recursive: true });
          await fs.rm(checkoutPath, { recursive: true, force: true });
          await runGit([
            'clone',
            '--quiet',
            '--branch',
            branch,
            repoPath,
            checkoutPath,
          ]);
          return runGit(['rev-parse', `refs/heads/${branch}`], repoPath);
        },
      });
      ctx.output('commitHash', commitHash);
      ctx.logger.info(
        `Published ${name} at ${repoPath} (commit ${commitHash.slice(
          0,
          12,
        )}); clone it with: git clone ${repoPath}`,
      );
    },
  });
}

/**
 * Makes sure `repoPath` is a repository this task created, creating it if
 * needed. A repository only ever appears at its final path complete (marker
 * and first commit included): it is built in a staging folder and renamed into
 * place, and rename(2) is atomic. So a crash at any point leaves either no
 * repository or one the same task recognises and reuses, never a half-made
 * one that would block its own retry.
 */
async function ensureRepository(options: {
  root: string;
  repoPath: string;
  name: string;
  branch: string;
  taskId: string;
  sourcePath: string;
  tempDir: string;
  logger: { info(message: string): void };
}) {
  const { root, repoPath, name, branch, taskId } = options;
  if (await isOwnedBy(repoPath, taskId, name)) {
    options.logger.info(
      `Reusing ${repoPath}: this task created it before it was interrupted`,
    );
    return;
  }
  // Fail before pushing anything if the workspace is not a rendered service:
  // a task recovered on another host without its workspace would otherwise
  // publish an empty repository and take the name.
  const catalogInfo = path.join(options.sourcePath, 'catalog-info.yaml');
  if (
    !(await fs.stat(catalogInfo).then(
      s => s.isFile(),
      () => false,
    ))
  ) {
    throw new InputError(
      `The workspace has no catalog-info.yaml to publish (${catalogInfo}); if the task was recovered after a restart, its workspace was lost`,
    );
  }

  // One staging folder per task and name, on the same file system as the
  // final path (rename(2) does not cross file systems); a retry replaces
  // what an interrupted attempt left there.
  const staging = path.join(
    root,
    STAGING_DIRECTORY,
    `${name}-${createHash('sha256')
      .update(taskId)
      .digest('hex')
      .slice(0, 16)}.git`,
  );
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(path.dirname(staging), { recursive: true });
  try {
    await runGit([
      'init',
      '--quiet',
      '--bare',
      `--initial-branch=${branch}`,
      staging,
    ]);
    await fs.writeFile(path.join(staging, OWNER_MARKER), taskId);
    await pushWorkspace({ ...options, repoPath: staging });
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
  try {
    await fs.rename(staging, repoPath);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    // Someone took the name between the check above and the rename.
    await isOwnedBy(repoPath, taskId, name);
  }
}

/**
 * True if `repoPath` holds a repository created by `taskId`, false if nothing
 * is there; throws if the name is taken by anything else.
 */
async function isOwnedBy(repoPath: string, taskId: string, name: string) {
  const owner = await fs
    .readFile(path.join(repoPath, OWNER_MARKER), 'utf8')
    .catch(async error => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const taken = await fs.lstat(repoPath).then(
        () => true,
        () => false,
      );
      // A folder without the marker was not made by a golden path: it is
      // never taken over.
      return taken ? '' : undefined;
    });
  if (owner === undefined) return false;
  if (owner.trim() !== taskId) {
    throw new ConflictError(
      `A repository named "${name}" already exists on the local git host; choose another name`,
    );
  }
  return true;
}

async function pushWorkspace(options: {
  sourcePath: string;
  repoPath: string;
  branch: string;
  tempDir: string;
  name: string;
  taskId: string;
}) {
  const { sourcePath, repoPath, branch, tempDir, name, taskId } = options;
  const worktree = path.join(tempDir, 'repo');
  await fs.rm(worktree, { recursive: true, force: true });
  await fs.cp(sourcePath, worktree, {
    recursive: true,
    verbatimSymlinks: true,
    filter: source => path.basename(source) !== '.git',
  });
  await runGit(['init', '--quiet', `--initial-branch=${branch}`], worktree);
  await runGit(['add', '--all'], worktree);
  await runGit(
    [
      ...PORTAL_GIT_IDENTITY,
      'commit',
      '--quiet',
      '-m',
      `Create ${name} from a golden path`,
      // Traces a clone back to the scaffolder task; the ownership marker
      // itself stays on the git host.
      '-m',
      `Scaffolder-Task: ${taskId}`,
    ],
    worktree,
  );
  await runGit(
    ['push', '--quiet', repoPath, `HEAD:refs/heads/${branch}`],
    worktree,
  );
}
