import { z } from 'zod';
import {
  fieldError,
  parseOrThrow,
} from '@internal/plugin-platform-metrics-node';
import {
  isProductionEnvironment,
  nonEmptyString,
  ParseResult,
  pipelineDeclarationsSchema,
  timestampSchema,
} from './parseHelpers';
import type { DeploymentRecord } from './types';

/** The `X-GitHub-Event` value this parser reads; the caller answers `ping` and others itself. */
export const GITHUB_DEPLOYMENT_STATUS_EVENT = 'deployment_status';

/** The catalog annotation that names a GitHub repository, `owner/repo`. */
export const GITHUB_PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

const WHAT = 'GitHub deployment_status payload';

// A Map, not an object literal: a state such as `constructor` must not find
// Object.prototype's members.
const OUTCOMES = new Map<string, DeploymentRecord['outcome']>([
  ['success', 'success'],
  ['failure', 'failure'],
  ['error', 'failure'],
]);

const headSchema = z.object({
  action: z.string().nullish(),
  deployment_status: z.object({ state: nonEmptyString }),
});

const payloadSchema = z.object({
  deployment_status: z.object({
    environment: z.string().nullish(),
    created_at: timestampSchema,
    updated_at: timestampSchema.nullish(),
  }),
  deployment: z.object({
    id: z.union([z.number(), nonEmptyString], {
      error: 'expected a number or a string',
    }),
    environment: z.string().nullish(),
    // GitHub sets this true for `production` unless the deployment said otherwise.
    production_environment: z.boolean().nullish(),
    payload: z.unknown().optional(),
  }),
  repository: z.object({ full_name: nonEmptyString }),
});

/** What a golden-path pipeline puts in `deployment.payload`. */
const payloadDeclarationsSchema = pipelineDeclarationsSchema.pick({
  goldenPath: true,
  observability: true,
  imageDigest: true,
});

/** `deployment.payload` is an object, or a JSON string when the creator sent one. */
function payloadObject(payload: unknown): Record<string, unknown> | undefined {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Reads a GitHub `deployment_status` webhook. `success` becomes a successful deployment,
 * `failure` and `error` a failed one; other states (`pending`, `queued`, `in_progress`,
 * `inactive`, …) and actions other than `created` are counted as `ignored`.
 *
 * The service is the repository (`github.com/project-slug` = `repository.full_name`).
 * Golden-path pipelines put `{ goldenPath: { template, version }, observability?,
 * imageDigest? }` in the deployment's `payload` (`imageDigest`: the deployed image's
 * `sha256:<64 hex>`; GitHub has no field of its own for it).
 *
 * @param deliveryId - the `X-GitHub-Delivery` header, used as the idempotency key.
 */
export function parseGithubDeploymentStatus(
  body: unknown,
  deliveryId: string,
): ParseResult {
  const head = parseOrThrow(headSchema, body, WHAT);
  const outcome = OUTCOMES.get(head.deployment_status.state.toLowerCase());
  if (!outcome || (head.action && head.action !== 'created')) {
    return { records: [], ignored: 1 };
  }
  if (typeof deliveryId !== 'string' || deliveryId.trim() === '') {
    fieldError(WHAT, 'X-GitHub-Delivery header', 'required');
  }

  const parsed = parseOrThrow(payloadSchema, body, WHAT);
  const status = parsed.deployment_status;
  const deployment = parsed.deployment;
  const environment = [status.environment, deployment.environment]
    .map(e => e?.trim())
    .find(e => !!e);
  if (!environment) {
    fieldError(WHAT, 'deployment.environment', 'required');
  }

  const record: DeploymentRecord = {
    kind: 'deployment',
    source: 'github',
    deliveryKey: deliveryId.trim(),
    service: {
      annotation: {
        key: GITHUB_PROJECT_SLUG_ANNOTATION,
        value: parsed.repository.full_name,
      },
    },
    environment,
    production:
      isProductionEnvironment(environment) ||
      deployment.production_environment === true,
    outcome,
    occurredAt: status.updated_at ?? status.created_at,
    pipelineId: String(deployment.id),
  };

  const payload = payloadObject(deployment.payload);
  if (payload) {
    const declared = parseOrThrow(
      payloadDeclarationsSchema,
      payload,
      WHAT,
      'deployment.payload',
    );
    if (declared.goldenPath) record.goldenPath = declared.goldenPath;
    if (declared.imageDigest) record.imageDigest = declared.imageDigest;
    if (
      declared.observability !== null &&
      declared.observability !== undefined
    ) {
      record.observabilityDeclared = declared.observability;
    }
  }
  return { records: [record], ignored: 0 };
}
