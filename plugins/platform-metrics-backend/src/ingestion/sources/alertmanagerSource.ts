import { AuthenticationError } from '@backstage/errors';
import {
  bearerToken,
  type PlatformMetricsIngestionSource,
  verifySharedToken,
} from '@internal/plugin-platform-metrics-node';
import {
  KUBERNETES_ID_ANNOTATION,
  parseAlertmanagerWebhook,
} from '../parseAlertmanagerWebhook';

/** Alertmanager webhooks (payload version 4), which carry a bearer token. */
export const alertmanagerSource: PlatformMetricsIngestionSource = {
  id: 'alertmanager',
  displayName: 'Alertmanager',
  setup:
    'webhook_configs entry with http_config.authorization: { type: Bearer, credentials: <platformMetrics.webhooks.alertmanager.token> } and send_resolved: true.',
  authentication: 'token',
  attributionAnnotations: [KUBERNETES_ID_ANNOTATION],
  authenticate(request, config) {
    const token = config.getOptionalString(
      'platformMetrics.webhooks.alertmanager.token',
    );
    if (!token) return 'not-configured';
    if (
      !verifySharedToken(bearerToken(request.header('authorization')), token)
    ) {
      throw new AuthenticationError(
        'Authorization: bearer token does not match',
      );
    }
    return 'authenticated';
  },
  parse: request => parseAlertmanagerWebhook(request.body),
};
