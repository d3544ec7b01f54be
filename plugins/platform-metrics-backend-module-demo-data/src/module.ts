import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { platformMetricsSeedingExtensionPoint } from '@internal/plugin-platform-metrics-node';
import { DemoDataSeeder } from './DemoDataSeeder';

/**
 * Seeds a deterministic two-year demo history into an empty platform-metrics
 * database when `platformMetrics.demoData` is set. The portal's backend adds it in
 * development only, so production bundles do not contain it.
 */
export const platformMetricsModuleDemoData = createBackendModule({
  pluginId: 'platform-metrics',
  moduleId: 'demo-data',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        seeding: platformMetricsSeedingExtensionPoint,
      },
      async init({ config, scheduler, seeding, ...deps }) {
        if (!config.getOptionalBoolean('platformMetrics.demoData')) return;
        seeding.addSeeder({
          start: target =>
            DemoDataSeeder.create({ ...deps, target }).schedule(scheduler),
        });
      },
    });
  },
});
