import { z } from 'zod';
import { parseOrThrow } from '@internal/plugin-platform-metrics-node';
import {
  isProductionEnvironment,
  nonEmptyString,
  ParseResult,
  parseRfc3339,
} from './parseHelpers';
import type { DeploymentRecord } from './types';

/** The `X-Gitlab-Event` value of deployment events. */
export const GITLAB_DEPLOYMENT_HOOK = 'Deployment Hook';

/** The catalog annotation that names a GitLab project, `group/project`. */
export const GITLAB_PROJECT_SLUG_ANNOTATION = 'gitlab.com/project-slug';

const WHAT = 'GitLab deployment event';

// A Map, not an object literal: a status such as `constructor` must not find
// Object.prototype's members.
const OUTCOMES = new Map<string, DeploymentRecord['outcome']>([
  ['success', 'success'],
  ['failed', 'failure'],
]);

/** GitLab's `2021-04-28 21:50:00 +0200` (Ruby's `Time#to_s`), or `… UTC`. */
const GITLAB_TIME =
  /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) ?(?:([+-]\d{2}):?(\d{2})|UTC|Z)$/;

/**
 * Parses the timestamps GitLab puts in webhooks: `2021-04-28 21:50:00 +0200`,
 * `2021-04-28 19:50:00 UTC`, or RFC 3339. Undefined when it is none of them.
 */
export function parseGitlabTimestamp(value: string): Date | undefined {
  const m = GITLAB_TIME.exec(value.trim());
  if (!m) return parseRfc3339(value.trim());
  const offset = m[3] ? `${m[3]}:${m[4]}` : 'Z';
  return parseRfc3339(`${m[1]}T${m[2]}${offset}`);
}

const TIME_MESSAGE =
  'expected a timestamp like "2021-04-28 21:50:00 +0200" or RFC 3339';

const gitlabTimestampSchema = z
  .string({
    error: issue => (issue.input === undefined ? 'required' : TIME_MESSAGE),
  })
  .refine(value => parseGitlabTimestamp(value) !== undefined, {
    error: TIME_MESSAGE,
  })
  .transform(value => parseGitlabTimestamp(value) as Date);

const headSchema = z.object({
  object_kind: z.string().nullish(),
  status: z.string().nullish(),
});

const eventSchema = z.object({
  status: nonEmptyString,
  status_changed_at: gitlabTimestampSchema,
  deployment_id: z.union([z.number(), nonEmptyString], {
    error: 'expected a number or a string',
  }),
  environment: nonEmptyString,
  // `production`, `staging`, `testing`, `development` or `other` (GitLab 13.10+).
  environment_tier: z.string().nullish(),
  project: z.object({ path_with_namespace: nonEmptyString }),
});

/**
 * Reads a GitLab "Deployment Hook" webhook. `success` becomes a successful deployment,
 * `failed` a failed one; `running`, `canceled`, `blocked` and approval events, and any
 * other `object_kind` (a hook that sends more event types than we need), are counted as
 * `ignored` rather than rejected, since GitLab disables hooks that keep failing.
 *
 * The service is the project (`gitlab.com/project-slug` = `project.path_with_namespace`).
 * Production is the `production` environment tier, or an environment named `production`
 * or `prod`.
 *
 * GitLab's deployment event carries no image digest and no free-form payload, so
 * these deployments never have one: the golden path's GitLab pipeline reports its
 * production deployment as a CDEvent (ci/report-deployment.sh), which does.
 *
 * The delivery key is `gitlab-deployment-<deployment_id>-<status>` unless
 * `idempotencyKey` is given. That natural key is stable across retries, manual resends
 * and a project hook plus a group hook delivering the same event. If a header is passed,
 * prefer GitLab's `Idempotency-Key` (17.4+, repeated on retries of one hook): the
 * `X-Gitlab-Event-UUID` header is GitLab's recursion-detection id, fresh for each hook
 * and shared by every event one request or job triggers.
 */
export function parseGitlabDeployment(
  body: unknown,
  idempotencyKey?: string,
): ParseResult {
  const head = parseOrThrow(headSchema, body, WHAT);
  if (head.object_kind !== 'deployment') {
    return { records: [], ignored: 1 };
  }
  const outcome = head.status ? OUTCOMES.get(head.status) : undefined;
  if (!outcome) {
    return { records: [], ignored: 1 };
  }

  const event = parseOrThrow(eventSchema, body, WHAT);
  const tier = event.environment_tier?.trim().toLowerCase();
  const record: DeploymentRecord = {
    kind: 'deployment',
    source: 'gitlab',
    deliveryKey:
      idempotencyKey?.trim() ||
      `gitlab-deployment-${event.deployment_id}-${event.status}`,
    service: {
      annotation: {
        key: GITLAB_PROJECT_SLUG_ANNOTATION,
        value: event.project.path_with_namespace,
      },
    },
    environment: event.environment,
    production:
      tier === 'production' || isProductionEnvironment(event.environment),
    outcome,
    occurredAt: event.status_changed_at,
    pipelineId: String(event.deployment_id),
  };
  return { records: [record], ignored: 0 };
}
