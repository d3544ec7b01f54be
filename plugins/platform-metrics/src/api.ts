import { createApiRef } from '@backstage/frontend-plugin-api';
import type { PlatformMetricsApi } from '@internal/plugin-platform-metrics-common';

export const platformMetricsApiRef = createApiRef<PlatformMetricsApi>({
  id: 'plugin.platform-metrics.api',
});
