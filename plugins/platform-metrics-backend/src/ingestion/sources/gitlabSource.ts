import { AuthenticationError } from '@backstage/errors';
import {
  type PlatformMetricsIngestionSource,
  verifySharedToken,
} from '@internal/plugin-platform-metrics-node';
import {
  GITLAB_PROJECT_SLUG_ANNOTATION,
  parseGitlabDeployment,
} from '../parseGitlabDeployment';

/** GitLab deployment events, authenticated by the hook's `X-Gitlab-Token`. */
export const gitlabSource: PlatformMetricsIngestionSource = {
  id: 'gitlab',
  displayName: 'GitLab',
  setup:
    'Project or group webhook. Secret token = platformMetrics.webhooks.gitlab.token (sent as X-Gitlab-Token); trigger: "Deployment events".',
  authentication: 'token',
  attributionAnnotations: [GITLAB_PROJECT_SLUG_ANNOTATION],
  authenticate(request, config) {
    const token = config.getOptionalString(
      'platformMetrics.webhooks.gitlab.token',
    );
    if (!token) return 'not-configured';
    if (!verifySharedToken(request.header('x-gitlab-token'), token)) {
      throw new AuthenticationError('X-Gitlab-Token: token does not match');
    }
    return 'authenticated';
  },
  // No header key: GitLab's event UUID differs per configured hook, so the
  // parser's deployment-and-status key is what deduplicates.
  parse: request => parseGitlabDeployment(request.body),
};
