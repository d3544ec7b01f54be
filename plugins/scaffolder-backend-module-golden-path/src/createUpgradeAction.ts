import fs from 'node:fs/promises';
import path from 'node:path';
import {
  isChildPath,
  resolveSafeChildPath,
  type UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  parseLocationRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import type { ScmIntegrations } from '@backstage/integration';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import {
  createTemplateAction,
  fetchContents,
} from '@backstage/plugin-scaffolder-node';
import {
  GoldenPathReleases,
  type GoldenPathRelease,
} from './goldenPathReleases';
import { mergeGoldenPathUpgrade } from './mergeGoldenPathUpgrade';
import { pushUpgradeBranch, UPGRADE_TRAILER } from './pushUpgradeBranch';
import {
  GOLDEN_PATH_RECORD_FILE,
  readGoldenPathRecord,
} from './readGoldenPathRecord';
import { readGoldenPathConfig } from './readGoldenPathConfig';
import {
  addedAnswers,
  readGoldenPathTemplate,
  renderGoldenPathVersion,
} from './renderGoldenPathVersion';
import { PORTAL_GIT_IDENTITY, runGit } from './runGit';
import { validateGeneratedFiles } from './validateGeneratedFiles';

type RepositoryLocation =
  | { host: 'local'; bare: string }
  | {
      host: 'github' | 'gitlab';
      /** The default branch's tree, as the catalog read it. */
      sourceUrl: string;
      /** As RepoUrlPicker writes it, for the publish actions. */
      repoUrl: string;
    };

/** Where the repository of a golden-path service lives. */
function locateRepository(
  entity: Entity,
  localGitDirectory: string,
): RepositoryLocation {
  const annotations = entity.metadata.annotations ?? {};
  const managedBy = annotations[ANNOTATION_LOCATION];
  if (managedBy) {
    const { type, target } = parseLocationRef(managedBy);
    if (type === 'file' && isChildPath(localGitDirectory, target)) {
      return {
        host: 'local',
        bare: resolveSafeChildPath(
          localGitDirectory,
          `${entity.metadata.name}.git`,
        ),
      };
    }
  }
  const source = annotations[ANNOTATION_SOURCE_LOCATION];
  if (source) {
    const { type, target } = parseLocationRef(source);
    const url = type === 'url' ? new URL(target) : undefined;
    const hosts = { 'github.com': 'github', 'gitlab.com': 'gitlab' } as const;
    const host = url && hosts[url.host as keyof typeof hosts];
    if (url && host) {
      // github.com/<owner>/<repo>/tree/<branch>/, gitlab.com/<group…>/<repo>/-/tree/<branch>/
      const segments = url.pathname
        .split(/\/(?:-\/)?(?:tree|blob)\//)[0]
        .split('/')
        .filter(Boolean);
      if (segments.length >= 2) {
        const repo = segments.pop()!;
        return {
          host,
          sourceUrl: target,
          repoUrl: `${url.host}?owner=${encodeURIComponent(
            segments.join('/'),
          )}&repo=${encodeURIComponent(repo)}`,
        };
      }
    }
  }
  throw new InputError(
    `${stringifyEntityRef(
      entity,
    )} is not in a repository the portal can upgrade (the portal git host, GitHub or GitLab)`,
  );
}

/** The changelog of the releases after the service's version, as Markdown. */
function changelogMarkdown(releases: GoldenPathRelease[]) {
  return releases
    .map(release =>
      [
        `### ${release.version}`,
        '',
        ...release.changelog.map(e => `- **${e.title}**: ${e.description}`),
      ].join('\n'),
    )
    .join('\n\n');
}

/**
 * Upgrades a golden-path service to the newest version of its Template:
 * renders the version it records and the newest one with its recorded
 * answers, merges the difference into its default branch three ways, checks
 * the result with creation's validators, and leaves it on the branch
 * `golden-path/upgrade-to-<version>`. On the portal git host it pushes that
 * branch (never forced, never the default branch); for GitHub and GitLab it
 * writes the result to `targetPath` for the publish action that opens the
 * pull or merge request.
 */
export function createUpgradeAction(options: {
  config: Config;
  catalog: CatalogService;
  reader: UrlReaderService;
  integrations: ScmIntegrations;
  /** Defaults to the portal's `templates/golden-paths/versions.yaml`. */
  releases?: GoldenPathReleases;
}) {
  const { config, catalog, reader, integrations } = options;
  const fetchTemplate = createFetchTemplateAction({ reader, integrations });
  return createTemplateAction({
    id: 'golden-path:upgrade',
    description:
      'Merges the newest version of a golden path into a service created from an older one, on a branch',
    schema: {
      input: {
        entityRef: z =>
          z.string().describe('The golden-path Component to upgrade'),
        answers: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe('Answers the newer version adds, by name'),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace folder for the result when the repository is on GitHub or GitLab; defaults to "upgrade"',
            ),
      },
      output: {
        host: z => z.enum(['local', 'github', 'gitlab']),
        repoUrl: z => z.string(),
        branchName: z => z.string(),
        fromVersion: z => z.string(),
        toVersion: z => z.string(),
        changelog: z => z.string(),
        conflicts: z => z.array(z.string()),
        description: z => z.string(),
        unchanged: z => z.boolean(),
        commitHash: z => z.string(),
        cloneCommand: z => z.string(),
        targetPath: z => z.string(),
      },
    },
    async handler(ctx) {
      const settings = readGoldenPathConfig(config);
      const releases = options.releases ?? GoldenPathReleases.fromFile();
      const entity = await catalog.getEntityByRef(ctx.input.entityRef, {
        credentials: await ctx.getInitiatorCredentials(),
      });
      if (!entity) {
        throw new NotFoundError(
          `entityRef: ${ctx.input.entityRef} is not in the catalog`,
        );
      }
      const location = locateRepository(entity, settings.localGitDirectory);
      const tempDir = await ctx.createTemporaryDirectory();
      const work = path.join(tempDir, 'repo');
      const git = (args: string[]) =>
        runGit([...PORTAL_GIT_IDENTITY, ...args], work);

      if (location.host === 'local') {
        await runGit(['clone', '--quiet', location.bare, work]);
      } else {
        await fetchContents({
          reader,
          integrations,
          fetchUrl: location.sourceUrl,
          outputPath: work,
        });
        await git(['init', '--quiet']);
        await git(['add', '--all']);
        await git(['commit', '--quiet', '-m', 'The default branch']);
      }
      const defaultHead = await git(['rev-parse', 'HEAD']);

      const record = await readGoldenPathRecord(
        work,
        stringifyEntityRef(entity),
      );
      const templateName = record.template.split('/')[1];
      if (!releases.find(record.version)) {
        throw new InputError(
          `${GOLDEN_PATH_RECORD_FILE} records ${templateName} ${record.version}, a version that was never released`,
        );
      }
      const status = releases.status(record.version);
      if (!status.behind) {
        throw new InputError(
          `${entity.metadata.name} is already on ${templateName} ${status.latest}, the newest version: there is nothing to upgrade`,
        );
      }
      const toVersion = status.latest;
      const newRoot = await releases.directoryOf(toVersion, tempDir);
      const newTemplate = await readGoldenPathTemplate(newRoot, templateName);

      // .golden-path.yaml records the repository's host but not its URL,
      // which the catalog knows; creation's checks need both.
      const recorded =
        location.host === 'local'
          ? record.answers
          : { ...record.answers, repoUrl: location.repoUrl };
      const answers = { ...recorded };
      for (const added of addedAnswers(newTemplate, recorded)) {
        if (ctx.input.answers && added.name in ctx.input.answers) {
          answers[added.name] = ctx.input.answers[added.name];
        } else if ('default' in added) {
          answers[added.name] = added.default;
        } else {
          throw new InputError(
            `${templateName} ${toVersion} asks a new question, "${added.title}" (answers.${added.name}); give it to upgrade`,
          );
        }
      }

      const render = async (version: string, values: typeof answers) => {
        const targetPath = path.join(tempDir, `render-${version}`);
        await renderGoldenPathVersion({
          root: await releases.directoryOf(version, tempDir),
          templateName,
          answers: values,
          settings,
          targetPath,
          fetchTemplate,
          ctx,
        });
        return targetPath;
      };
      const { tree, conflicts } = await mergeGoldenPathUpgrade({
        repo: work,
        oldRender: await render(record.version, recorded),
        newRender: await render(toVersion, answers),
        tempDir,
        oldLabel: `${templateName} ${record.version}`,
        newLabel: `${templateName} ${toVersion}`,
      });

      // The service's own files may fail where it changed them; conflicts
      // are reported below. Anything else the upgrade broke stops it here.
      const problems = (await validateGeneratedFiles(work)).filter(
        p => !conflicts.includes(p.file),
      );
      if (problems.length > 0) {
        throw new InputError(
          `The upgraded repository fails validation, so nothing was pushed:\n${problems
            .map(p => `${p.file}: ${p.problem}`)
            .join('\n')}`,
        );
      }

      const branchName = `golden-path/upgrade-to-${toVersion}`;
      const changelog = changelogMarkdown(status.newer);
      const conflictText =
        conflicts.length === 0
          ? "No conflicts: the template change merged cleanly with the service's own changes."
          : [
              `These files conflict: the template changed lines the service changed too. They are committed with conflict markers (<<<<<<< ours, >>>>>>> ${templateName} ${toVersion}); resolve them on this branch before merging:`,
              '',
              ...conflicts.map(file => `- \`${file}\``),
            ].join('\n');
      // The pull and merge request actions only add and change files, so on
      // GitHub and GitLab a file the new version removes is listed instead.
      const deleted =
        location.host === 'local'
          ? []
          : (
              await git([
                'diff',
                '--name-only',
                '--diff-filter=D',
                '-z',
                defaultHead,
                tree,
              ])
            )
              .split('\0')
              .filter(Boolean);
      const description = [
        `Upgrades ${entity.metadata.name} from ${templateName} ${record.version} to ${toVersion}.`,
        '',
        '## What changes',
        '',
        changelog,
        '',
        '## Conflicts',
        '',
        conflictText,
        ...(deleted.length > 0
          ? [
              '',
              '## Files to delete',
              '',
              `${toVersion} no longer has these files; delete them on this branch:`,
              '',
              ...deleted.map(file => `- \`${file}\``),
            ]
          : []),
      ].join('\n');
      ctx.output('host', location.host);
      ctx.output('branchName', branchName);
      ctx.output('fromVersion', record.version);
      ctx.output('toVersion', toVersion);
      ctx.output('changelog', changelog);
      ctx.output('conflicts', conflicts);
      ctx.output('description', description);

      if (location.host !== 'local') {
        const targetPath = resolveSafeChildPath(
          ctx.workspacePath,
          ctx.input.targetPath ?? 'upgrade',
        );
        await fs.mkdir(targetPath, { recursive: true });
        await runGit(
          [
            '--git-dir',
            path.join(work, '.git'),
            '--work-tree',
            targetPath,
            'checkout',
            tree,
            '--',
            '.',
          ],
          targetPath,
          { env: { GIT_INDEX_FILE: path.join(tempDir, 'export-index') } },
        );
        ctx.output('repoUrl', location.repoUrl);
        ctx.output('targetPath', path.relative(ctx.workspacePath, targetPath));
        // The publish action decides whether the request changes.
        ctx.output('unchanged', false);
        ctx.output('commitHash', '');
        ctx.output('cloneCommand', '');
        return;
      }

      const { commitHash, unchanged } = await pushUpgradeBranch({
        work,
        branchName,
        tree,
        defaultHead,
        message: [
          `Upgrade to ${templateName} ${toVersion}`,
          description,
          `${UPGRADE_TRAILER}: ${templateName} ${record.version} -> ${toVersion}`,
        ],
      });
      ctx.output('repoUrl', location.bare);
      ctx.output('targetPath', '');
      ctx.output('unchanged', unchanged);
      ctx.output('commitHash', commitHash);
      ctx.output(
        'cloneCommand',
        `git clone --branch ${branchName} ${location.bare}`,
      );
      ctx.logger.info(
        unchanged
          ? `${branchName} already holds this upgrade; nothing was pushed`
          : `Pushed ${branchName} (${commitHash.slice(0, 12)})${
              conflicts.length > 0
                ? ` with ${
                    conflicts.length
                  } conflicting file(s): ${conflicts.join(', ')}`
                : ''
            }`,
      );
    },
  });
}
