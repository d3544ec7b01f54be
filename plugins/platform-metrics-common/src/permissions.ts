import { createPermission } from '@backstage/plugin-permission-common';

/** Read the aggregated metrics. Everyone signed in. */
export const platformMetricsReadPermission = createPermission({
  name: 'platform-metrics.read',
  attributes: { action: 'read' },
});

/** Read survey free-text comments (still subject to group-size suppression). */
export const platformMetricsSurveyCommentsReadPermission = createPermission({
  name: 'platform-metrics.survey.comments.read',
  attributes: { action: 'read' },
});

/** Manage survey campaigns and import baselines. The platform team. */
export const platformMetricsAdminPermission = createPermission({
  name: 'platform-metrics.admin',
  attributes: { action: 'update' },
});

/** Re-run a service's live checks now ("check now"). The service's owners and the platform team. */
export const platformMetricsChecksRunPermission = createPermission({
  name: 'platform-metrics.checks.run',
  attributes: { action: 'update' },
});

/** Read portal usage (activity, funnels, drop candidates). The platform team. */
export const platformMetricsUsageReadPermission = createPermission({
  name: 'platform-metrics.usage.read',
  attributes: { action: 'read' },
});

export const platformMetricsPermissions = [
  platformMetricsReadPermission,
  platformMetricsSurveyCommentsReadPermission,
  platformMetricsAdminPermission,
  platformMetricsChecksRunPermission,
  platformMetricsUsageReadPermission,
];
