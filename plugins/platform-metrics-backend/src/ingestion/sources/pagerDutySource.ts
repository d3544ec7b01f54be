import { AuthenticationError } from '@backstage/errors';
import type { PlatformMetricsIngestionSource } from '@internal/plugin-platform-metrics-node';
import {
  PAGERDUTY_SERVICE_ID_ANNOTATION,
  parsePagerDutyWebhook,
} from '../parsePagerDutyWebhook';
import { verifyPagerDutySignature } from '../signatures';

/** PagerDuty v3 incident webhooks, signed with `X-PagerDuty-Signature`. */
export const pagerDutySource: PlatformMetricsIngestionSource = {
  id: 'pagerduty',
  displayName: 'PagerDuty',
  setup:
    'v3 webhook subscription. Events: incident.triggered, incident.acknowledged, incident.resolved, incident.reopened. Put the signing secret PagerDuty shows into platformMetrics.webhooks.pagerduty.secrets (several allowed, for rotation); it is checked against X-PagerDuty-Signature.',
  authentication: 'signature',
  attributionAnnotations: [PAGERDUTY_SERVICE_ID_ANNOTATION],
  authenticate(request, config) {
    const secrets = config.getOptionalStringArray(
      'platformMetrics.webhooks.pagerduty.secrets',
    );
    if (!secrets?.length) return 'not-configured';
    if (
      !verifyPagerDutySignature(
        request.rawBody,
        request.header('x-pagerduty-signature'),
        secrets,
      )
    ) {
      throw new AuthenticationError(
        'X-PagerDuty-Signature: no signature matches',
      );
    }
    return 'authenticated';
  },
  parse: request =>
    parsePagerDutyWebhook(request.body, request.header('x-webhook-id')),
};
