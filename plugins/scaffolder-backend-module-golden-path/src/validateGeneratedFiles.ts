import {
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  type Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import { validateWorkflow } from '@action-validator/core';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { validate as validateDockerfile } from 'dockerfile-utils';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  type KubernetesObject,
  validateKubernetesObjects,
} from './validateKubernetesObjects';

/** One problem found in a generated file. */
interface FileProblem {
  file: string;
  problem: string;
}

// Every file a golden path promises; a template that forgets one fails.
const REQUIRED_FILES = [
  'catalog-info.yaml',
  '.golden-path.yaml',
  'Dockerfile',
  '.dockerignore',
  'mkdocs.yml',
  'docs/index.md',
  'kubernetes/base/kustomization.yaml',
  'kubernetes/overlays/staging/kustomization.yaml',
  'kubernetes/overlays/production/kustomization.yaml',
];

// Credentials that must never be committed to a generated repository.
const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a GitHub token', /\b(ghp|gho|ghs|ghu|github_pat)_[A-Za-z0-9_]{20,}/],
  ['a GitLab token', /\bglpat-[A-Za-z0-9_-]{20,}/],
  ['an AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['a Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
];

const CATALOG_POLICY = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

/**
 * Checks a rendered golden-path repository with real parsers: YAML,
 * Kubernetes objects (core, cert-manager, Prometheus Operator), PromQL,
 * Dockerfile, GitHub workflow and GitLab CI syntax, catalog entities, docs
 * links, and a scan for committed credentials. Returns every problem found.
 */
export async function validateGeneratedFiles(
  root: string,
): Promise<FileProblem[]> {
  const problems: FileProblem[] = [];
  const files = await listFiles(root, problems);
  const kubernetesObjects: KubernetesObject[] = [];

  for (const required of REQUIRED_FILES) {
    if (!files.includes(required)) {
      problems.push({ file: required, problem: 'is missing' });
    }
  }
  const hasGithubWorkflow = files.some(f => f.startsWith('.github/workflows/'));
  if (!hasGithubWorkflow && !files.includes('.gitlab-ci.yml')) {
    problems.push({
      file: '.github/workflows/',
      problem:
        'no CI pipeline (GitHub workflow or .gitlab-ci.yml) was generated',
    });
  }

  for (const file of files) {
    const text = await fs.readFile(path.join(root, file), 'utf8');
    const report = (problem: string) => problems.push({ file, problem });

    for (const [what, pattern] of SECRET_PATTERNS) {
      if (pattern.test(text)) report(`contains what looks like ${what}`);
    }
    if (
      /\$\{\{|\{%-?\s|\{\{\s*values\./.test(text) &&
      !file.startsWith('.github/')
    ) {
      report('still contains unrendered template syntax');
    }

    const base = path.posix.basename(file);
    if (/\.ya?ml$/.test(file)) {
      const documents = parseAllDocuments(text);
      const parsed: unknown[] = [];
      for (const doc of Array.isArray(documents) ? documents : [documents]) {
        for (const error of doc.errors) {
          report(`YAML error: ${error.message.split('\n')[0]}`);
        }
        if (doc.errors.length === 0) parsed.push(doc.toJS());
      }
      if (problems.some(p => p.file === file)) continue;

      if (file.startsWith('.github/workflows/')) {
        checkGithubWorkflow(text, parsed[0], report);
      } else if (base === '.gitlab-ci.yml') {
        checkGitlabCi(parsed[0], report);
      } else if (base === 'mkdocs.yml') {
        checkMkdocs(parsed[0], files, report);
      }
      for (const object of parsed) {
        if (!isRecord(object) || !object.apiVersion || !object.kind) continue;
        if (String(object.apiVersion).startsWith('backstage.io/')) {
          await checkCatalogEntity(object as unknown as Entity, report);
        } else if (object.kind === 'Kustomization') {
          checkKustomization(file, object, files, report);
        } else {
          kubernetesObjects.push({ file, object });
          checkKubernetesObject(object, files, report);
        }
      }
    } else if (base === 'Dockerfile') {
      checkDockerfile(text, report);
    } else if (file.endsWith('.json')) {
      try {
        JSON.parse(text);
      } catch (error) {
        report(`JSON error: ${(error as Error).message}`);
      }
    }
  }
  problems.push(...(await validateKubernetesObjects(kubernetesObjects)));
  return problems;
}

async function listFiles(root: string, problems: FileProblem[]) {
  const result: string[] = [];
  async function walk(dir: string) {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const relative = path.posix.join(
        path.relative(root, dir).split(path.sep).join('/'),
        entry.name,
      );
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      // A symlink could point anywhere on the backend host once the
      // repository is checked out or served (CVE-2026-24046/24047).
      if (entry.isSymbolicLink()) {
        problems.push({ file: relative, problem: 'is a symbolic link' });
      } else if (entry.isDirectory()) {
        await walk(path.join(dir, entry.name));
      } else if (entry.isFile()) {
        result.push(relative);
      }
    }
  }
  await walk(root);
  return result.sort();
}

function checkKubernetesObject(
  object: Record<string, unknown>,
  files: string[],
  report: (problem: string) => void,
) {
  if (object.kind === 'PrometheusRule')
    checkPrometheusRule(object, files, report);
  if (object.kind === 'Deployment') checkDeployment(object, report);
}

function checkPrometheusRule(
  rule: Record<string, any>,
  files: string[],
  report: (problem: string) => void,
) {
  for (const group of rule.spec?.groups ?? []) {
    for (const entry of group.rules ?? []) {
      const label = entry.alert ?? entry.record ?? '(unnamed rule)';
      const expr = String(entry.expr ?? '');
      const tree = promqlParser.parse(expr);
      const errors: number[] = [];
      tree.iterate({
        enter(node) {
          if (node.type.isError) errors.push(node.from);
        },
      });
      if (errors.length > 0 || expr.trim() === '') {
        report(
          `PromQL of ${label} does not parse at character ${
            errors[0] ?? 0
          }: ${expr}`,
        );
      }
      if (entry.alert) {
        if (!entry.labels?.severity)
          report(`alert ${label} has no severity label`);
        const runbook = String(entry.annotations?.runbook_url ?? '');
        const page = /\/runbooks\/([a-z0-9-]+)\/?$/.exec(runbook)?.[1];
        if (!page) {
          report(`alert ${label} has no runbook_url into the docs`);
        } else if (!files.includes(`docs/runbooks/${page}.md`)) {
          report(
            `alert ${label} links to docs/runbooks/${page}.md, which does not exist`,
          );
        }
      }
    }
  }
}

function checkDeployment(
  deployment: Record<string, any>,
  report: (problem: string) => void,
) {
  const pod = deployment.spec?.template?.spec ?? {};
  for (const container of pod.containers ?? []) {
    if (!container.readinessProbe || !container.livenessProbe) {
      report(`container ${container.name} needs readiness and liveness probes`);
    }
    if (!container.resources?.requests || !container.resources?.limits) {
      report(`container ${container.name} needs resource requests and limits`);
    }
    const security = { ...pod.securityContext, ...container.securityContext };
    if (
      security.runAsNonRoot !== true ||
      security.allowPrivilegeEscalation !== false
    ) {
      report(
        `container ${container.name} must run as non-root without privilege escalation`,
      );
    }
    if (
      /:latest$/.test(String(container.image)) ||
      !/:/.test(String(container.image))
    ) {
      report(
        `container ${container.name} image must be pinned, not ${container.image}`,
      );
    }
  }
}

function checkKustomization(
  file: string,
  kustomization: Record<string, any>,
  files: string[],
  report: (problem: string) => void,
) {
  const dir = path.posix.dirname(file);
  const entries = [
    ...(kustomization.resources ?? []),
    ...(kustomization.patches ?? [])
      .map((p: { path?: string }) => p.path)
      .filter(Boolean),
  ];
  for (const entry of entries) {
    const target = path.posix.normalize(path.posix.join(dir, String(entry)));
    if (target.startsWith('..')) {
      report(`refers to ${entry}, outside the repository`);
    } else if (
      !files.includes(target) &&
      !files.includes(`${target}/kustomization.yaml`)
    ) {
      report(`refers to ${entry}, which does not exist`);
    }
  }
}

async function checkCatalogEntity(
  entity: Entity,
  report: (problem: string) => void,
) {
  try {
    await CATALOG_POLICY.enforce(entity);
    if (entity.kind === 'Component') {
      await componentEntityV1alpha1Validator.check(entity);
    }
  } catch (error) {
    report(`catalog entity is invalid: ${(error as Error).message}`);
  }
}

function checkDockerfile(text: string, report: (problem: string) => void) {
  for (const diagnostic of validateDockerfile(text)) {
    // 1 is DiagnosticSeverity.Error of the language server protocol.
    if (diagnostic.severity === 1) {
      report(`line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`);
    }
  }
  const lines = text.split('\n').map(l => l.trim());
  const froms = lines.filter(l => /^FROM\s/i.test(l));
  const stages = new Set(
    froms.map(l => /\sAS\s+(\S+)/i.exec(l)?.[1]).filter(Boolean),
  );
  for (const from of froms) {
    const image = from.split(/\s+/)[1] ?? '';
    if (stages.has(image)) continue;
    if (!/:[^:/]*\d/.test(image) && !image.includes('@sha256:')) {
      report(`base image ${image} is not pinned to an exact version`);
    } else if (/:latest$/.test(image)) {
      report(`base image ${image} uses :latest`);
    }
  }
  if (froms.length < 2) report('is not a multi-stage build');
  const users = lines.filter(l => /^USER\s/i.test(l));
  const lastUser = users[users.length - 1]?.split(/\s+/)[1];
  if (!lastUser || /^(root|0)(:|$)/.test(lastUser)) {
    report('the final image must run as a non-root USER');
  }
  if (!lines.some(l => /^HEALTHCHECK\s/i.test(l))) report('has no HEALTHCHECK');
}

function checkGithubWorkflow(
  text: string,
  workflow: unknown,
  report: (problem: string) => void,
) {
  const state = validateWorkflow(text);
  for (const error of state.errors) {
    const where = 'path' in error ? ` at ${error.path}` : '';
    report(
      `workflow error${where}: ${error.title}${
        error.detail ? ` (${error.detail})` : ''
      }`,
    );
  }
  if (!isRecord(workflow)) return;
  if (!workflow.permissions) report('workflow has no top-level permissions:');
  const jobs = isRecord(workflow.jobs) ? workflow.jobs : {};
  for (const [jobName, job] of Object.entries(jobs)) {
    for (const step of (job as { steps?: Array<{ uses?: string }> }).steps ??
      []) {
      if (!step.uses || step.uses.startsWith('./')) continue;
      if (!/@[0-9a-f]{40}$/.test(step.uses)) {
        report(
          `job ${jobName} uses ${step.uses}, which is not pinned to a commit SHA`,
        );
      }
    }
  }
}

const GITLAB_KEYWORDS = new Set([
  'stages',
  'variables',
  'default',
  'include',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
]);

function checkGitlabCi(pipeline: unknown, report: (problem: string) => void) {
  if (!isRecord(pipeline)) {
    report('GitLab CI file is not a mapping');
    return;
  }
  const stages = Array.isArray(pipeline.stages) ? pipeline.stages : [];
  for (const [name, job] of Object.entries(pipeline)) {
    if (GITLAB_KEYWORDS.has(name) || name.startsWith('.')) continue;
    if (!isRecord(job)) {
      report(`GitLab job ${name} is not a mapping`);
      continue;
    }
    if (!job.script && !job.trigger && !job.extends) {
      report(`GitLab job ${name} has no script`);
    }
    if (job.stage && !stages.includes(job.stage)) {
      report(
        `GitLab job ${name} uses stage ${job.stage}, which is not declared`,
      );
    }
  }
}

function checkMkdocs(
  mkdocs: unknown,
  files: string[],
  report: (problem: string) => void,
) {
  const pages: string[] = [];
  const collect = (node: unknown) => {
    if (typeof node === 'string') pages.push(node);
    else if (Array.isArray(node)) node.forEach(collect);
    else if (isRecord(node)) Object.values(node).forEach(collect);
  };
  collect(isRecord(mkdocs) ? mkdocs.nav : undefined);
  for (const page of pages) {
    if (!files.includes(`docs/${page}`)) {
      report(`nav links to docs/${page}, which does not exist`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
