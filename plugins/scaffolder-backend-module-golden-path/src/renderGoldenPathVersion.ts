import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import type {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createTemplateRenderer, type TemplateValue } from 'nunjitsu';
import { parseAllDocuments } from 'yaml';
import type { GoldenPathConfig } from './readGoldenPathConfig';
import {
  checkStepOutput,
  resolveGoldenPathAnswers,
  type GoldenPathAnswers,
} from './resolveGoldenPathAnswers';

/** The part of a Template a render needs. */
export interface GoldenPathTemplateSpec {
  version: string;
  parameters: Array<{
    properties?: Record<string, { title?: string; default?: unknown }>;
    required?: string[];
  }>;
  steps: Array<{
    id: string;
    action: string;
    if?: unknown;
    input?: Record<string, unknown>;
  }>;
}

/** Reads Template `name` from the `template.yaml` of a golden-paths tree. */
export async function readGoldenPathTemplate(
  root: string,
  name: string,
): Promise<GoldenPathTemplateSpec> {
  const file = path.join(root, 'template.yaml');
  const docs = parseAllDocuments(await fs.readFile(file, 'utf8')).map(
    doc => doc.toJS() as any,
  );
  const template = docs.find(doc => doc?.metadata?.name === name);
  if (!template) {
    throw new InputError(`${file} has no Template named "${name}"`);
  }
  return {
    version: template.metadata.annotations?.['acme.example/template-version'],
    parameters: template.spec.parameters ?? [],
    steps: template.spec.steps ?? [],
  };
}

/**
 * The answers a Template asks for that `recorded` lacks, with the default the
 * form would fill in, if any. An upgrade asks the user only for those
 * without a default.
 */
export function addedAnswers(
  template: GoldenPathTemplateSpec,
  recorded: Record<string, unknown>,
) {
  const added: Array<{ name: string; title: string; default?: unknown }> = [];
  for (const page of template.parameters) {
    for (const [name, property] of Object.entries(page.properties ?? {})) {
      // Only the hosts other than the portal's own ask for repoUrl.
      if (name in recorded || name === 'repoUrl') continue;
      added.push({
        name,
        title: property.title ?? name,
        ...('default' in property ? { default: property.default } : {}),
      });
    }
  }
  return added;
}

/**
 * The scaffolder's own rule for step inputs: every string is rendered, and a
 * string that is one `${{ … }}` expression keeps the expression's type.
 */
function renderStepValue(
  input: unknown,
  context: ReturnType<
    ReturnType<typeof createTemplateRenderer>['prepareContext']
  >,
  renderer: ReturnType<typeof createTemplateRenderer>,
) {
  return JSON.parse(JSON.stringify(input), (_key, value) => {
    if (typeof value !== 'string') return value;
    try {
      return renderer.renderValue(value, context);
    } catch {
      return value;
    }
  });
}

/**
 * Renders one golden-path Template at one version into `targetPath`, from the
 * answers a service recorded: the Template's own `fetch:template` steps, with
 * their `if` and `values` evaluated the way the scaffolder evaluates them and
 * `steps.check.output` resolved as `golden-path:validate-input` resolves it,
 * then rendered by the real `fetch:template`. The render of the version a
 * service was created from is therefore what its creation produced.
 */
export async function renderGoldenPathVersion(options: {
  /** The golden-paths tree of that version (see `GoldenPathReleases.directoryOf`). */
  root: string;
  templateName: string;
  answers: Record<string, unknown>;
  settings: GoldenPathConfig;
  targetPath: string;
  fetchTemplate: TemplateAction<any, any, any>;
  ctx: ActionContext<any, any, any>;
}) {
  const { root, templateName, answers, settings, targetPath, ctx } = options;
  const template = await readGoldenPathTemplate(root, templateName);
  const resolved = resolveGoldenPathAnswers(
    answers as unknown as GoldenPathAnswers,
    settings,
  );
  const renderer = createTemplateRenderer({ allowRegexExecution: true });
  const context = renderer.prepareContext({
    parameters: answers as TemplateValue,
    steps: {
      check: { output: checkStepOutput(resolved, settings) as TemplateValue },
    },
  });
  await fs.mkdir(targetPath, { recursive: true });
  for (const step of template.steps) {
    if (step.action !== 'fetch:template') continue;
    if ('if' in step) {
      const condition = renderStepValue(step.if, context, renderer);
      if (Array.isArray(condition) ? condition.length === 0 : !condition) {
        continue;
      }
    }
    const input = renderStepValue(step.input ?? {}, context, renderer);
    await options.fetchTemplate.handler({
      ...ctx,
      input,
      workspacePath: targetPath,
      templateInfo: {
        entityRef: `template:default/${templateName}`,
        baseUrl: `file://${path.join(root, 'template.yaml')}`,
      },
    });
  }
  return template;
}
