import { AuthenticationError } from '@backstage/errors';
import {
  bearerToken,
  type PlatformMetricsIngestionSource,
  verifySharedToken,
} from '@internal/plugin-platform-metrics-node';
import {
  OPSGENIE_COMPONENT_SELECTOR_ANNOTATION,
  OPSGENIE_SOURCE_ID,
  OPSGENIE_TEAM_ANNOTATION,
  parseOpsgenieWebhook,
} from './parseOpsgenieWebhook';

/**
 * Opsgenie's outgoing webhook integration. Opsgenie does not sign its
 * deliveries; the integration sends a custom `Authorization` header instead.
 */
export const opsgenieSource: PlatformMetricsIngestionSource = {
  id: OPSGENIE_SOURCE_ID,
  displayName: 'Opsgenie',
  setup:
    'Outgoing Webhook integration (Settings → Integrations → Webhook) with alert actions Create, Acknowledge and Close, and the custom header Authorization: Bearer <platformMetrics.webhooks.opsgenie.token>. Alerts are attributed by a tag the component selects (opsgenie.com/component-selector: tag:"<tag>"), else by the team in opsgenie.com/team.',
  authentication: 'token',
  attributionAnnotations: [
    OPSGENIE_COMPONENT_SELECTOR_ANNOTATION,
    OPSGENIE_TEAM_ANNOTATION,
  ],
  authenticate(request, config) {
    const token = config.getOptionalString(
      'platformMetrics.webhooks.opsgenie.token',
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
  parse: request => parseOpsgenieWebhook(request.rawBody),
};
