import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { validateGeneratedFiles } from './validateGeneratedFiles';

/**
 * Validates the rendered repository with real parsers before anything is
 * published, so a broken template fails here with the file and the problem
 * instead of in the developer's first pipeline run.
 */
export function createValidateAction() {
  return createTemplateAction({
    id: 'golden-path:validate',
    description:
      'Validates every generated file (YAML, Kubernetes, PromQL, Dockerfile, CI) before publishing',
    supportsDryRun: true,
    schema: {
      input: {
        path: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder inside the workspace to validate; defaults to the workspace',
            ),
      },
      output: {
        problems: z => z.number(),
      },
    },
    async handler(ctx) {
      const root = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.path ?? '.',
      );
      const problems = await validateGeneratedFiles(root);
      ctx.output('problems', problems.length);
      if (problems.length > 0) {
        const list = problems.map(p => `${p.file}: ${p.problem}`).join('\n');
        ctx.logger.error(`Generated files failed validation:\n${list}`);
        throw new InputError(
          `Generated files failed validation (${problems.length} problem${
            problems.length === 1 ? '' : 's'
          }):\n${list}`,
        );
      }
      ctx.logger.info('Every generated file passed validation');
    },
  });
}
