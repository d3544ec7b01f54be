import { createBackendModule } from '@backstage/backend-plugin-api';
import { platformMetricsIngestionExtensionPoint } from '@internal/plugin-platform-metrics-node';
import { opsgenieSource } from './opsgenieSource';

/**
 * Serves Opsgenie's outgoing webhook at
 * `/api/platform-metrics/v1/webhooks/opsgenie`: alerts created, acknowledged and
 * closed become incidents, and so count in the MTTR.
 */
export const platformMetricsModuleOpsgenie = createBackendModule({
  pluginId: 'platform-metrics',
  moduleId: 'opsgenie',
  register(reg) {
    reg.registerInit({
      deps: { ingestion: platformMetricsIngestionExtensionPoint },
      async init({ ingestion }) {
        ingestion.addSource(opsgenieSource);
      },
    });
  },
});
