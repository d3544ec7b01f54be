import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { readGoldenPathConfig } from './readGoldenPathConfig';
import { runGit } from './runGit';
import { SERVICE_NAME_PATTERN } from './createValidateInputAction';

// Written into each bare repository so that a retry of the task that created
// it recognises its own repository instead of failing on a name clash.
const OWNER_MARKER = 'golden-path-task-id';

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

      const commitHash = await ctx.checkpoint({
        key: `golden-path-publish-local-${name}`,
        fn: async () => {
          await fs.mkdir(path.join(root, 'checkouts'), { recursive: true });
          await claimRepository(repoPath, ctx.task.id, name, branch);
          const heads = await runGit(
            ['for-each-ref', '--count=1', 'refs/heads'],
            repoPath,
          );
          if (heads === '') {
            await pushWorkspace(
              sourcePath,
              repoPath,
              branch,
              await ctx.createTemporaryDirectory(),
              name,
            );
          }
          await fs.rm(checkoutPath, { recursive: true, force: true });
          await runGit([
            'clone',
            '--quiet',
            '--branch',
            branch,
            repoPath,
            checkoutPath,
          ]);
          return runGit(['rev-parse', 'HEAD'], checkoutPath);
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

async function claimRepository(
  repoPath: string,
  taskId: string,
  name: string,
  branch: string,
) {
  try {
    // mkdir without `recursive` fails if the folder exists, so two tasks
    // asking for the same name cannot both claim it.
    await fs.mkdir(repoPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = await fs
      .readFile(path.join(repoPath, OWNER_MARKER), 'utf8')
      .catch(() => '');
    if (owner.trim() !== taskId) {
      throw new ConflictError(
        `A repository named "${name}" already exists on the local git host`,
      );
    }
    return;
  }
  await runGit([
    'init',
    '--quiet',
    '--bare',
    `--initial-branch=${branch}`,
    repoPath,
  ]);
  await fs.writeFile(path.join(repoPath, OWNER_MARKER), taskId);
}

async function pushWorkspace(
  sourcePath: string,
  repoPath: string,
  branch: string,
  tempDir: string,
  name: string,
) {
  const worktree = path.join(tempDir, 'repo');
  await fs.cp(sourcePath, worktree, {
    recursive: true,
    verbatimSymlinks: true,
    filter: source => path.basename(source) !== '.git',
  });
  await runGit(['init', '--quiet', `--initial-branch=${branch}`], worktree);
  await runGit(['add', '--all'], worktree);
  await runGit(
    [
      '-c',
      'user.name=Platform Portal',
      '-c',
      'user.email=platform-portal@noreply.acme.example',
      'commit',
      '--quiet',
      '-m',
      `Create ${name} from a golden path`,
    ],
    worktree,
  );
  await runGit(
    ['push', '--quiet', repoPath, `HEAD:refs/heads/${branch}`],
    worktree,
  );
}
