import { AuthenticationError, InputError } from '@backstage/errors';
import type { PlatformMetricsIngestionSource } from '@internal/plugin-platform-metrics-node';
import {
  GITHUB_DEPLOYMENT_STATUS_EVENT,
  GITHUB_PROJECT_SLUG_ANNOTATION,
  parseGithubDeploymentStatus,
} from '../parseGithubDeploymentStatus';
import { verifyGithubSignature } from '../signatures';

/** GitHub `deployment_status` webhooks, signed with `X-Hub-Signature-256`. */
export const githubSource: PlatformMetricsIngestionSource = {
  id: 'github',
  displayName: 'GitHub',
  setup:
    'Repository or organisation webhook. Content type application/json; Secret = platformMetrics.webhooks.github.secret; events: "Deployment statuses". GitHub signs with X-Hub-Signature-256 and sends X-GitHub-Delivery.',
  authentication: 'signature',
  attributionAnnotations: [GITHUB_PROJECT_SLUG_ANNOTATION],
  authenticate(request, config) {
    const secret = config.getOptionalString(
      'platformMetrics.webhooks.github.secret',
    );
    if (!secret) return 'not-configured';
    if (
      !verifyGithubSignature(
        request.rawBody,
        request.header('x-hub-signature-256'),
        secret,
      )
    ) {
      throw new AuthenticationError(
        'X-Hub-Signature-256: signature does not match',
      );
    }
    return 'authenticated';
  },
  parse(request) {
    const delivery = request.header('x-github-delivery');
    if (!delivery) {
      throw new InputError('X-GitHub-Delivery: header is required');
    }
    if (request.header('x-github-event') !== GITHUB_DEPLOYMENT_STATUS_EVENT) {
      // `ping` and other events are acknowledged so GitHub shows the hook as healthy.
      return { records: [], ignored: 1 };
    }
    return parseGithubDeploymentStatus(request.body, delivery);
  },
};
