import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { platformMetricsPermissions } from '@internal/plugin-platform-metrics-common';
import {
  platformMetricsIngestionExtensionPoint,
  type PlatformMetricsIngestionSource,
  platformMetricsSeedingExtensionPoint,
  type PlatformMetricsSeeder,
} from '@internal/plugin-platform-metrics-node';
import { createNetworkChecks } from './checks/createNetworkChecks';
import { DefaultChecksService } from './checks/DefaultChecksService';
import { ImageCheck } from './checks/ImageCheck';
import { PipelineCheck } from './checks/PipelineCheck';
import { readChecksConfig } from './checks/readChecksConfig';
import { scheduleServiceChecks } from './checks/scheduleServiceChecks';
import { DatabaseChecksStore } from './database/DatabaseChecksStore';
import { DatabaseMetricsStore } from './database/DatabaseMetricsStore';
import { DatabaseSurveyStore } from './database/DatabaseSurveyStore';
import { DatabaseUsageStore } from './database/DatabaseUsageStore';
import { applyDatabaseMigrations } from './database/migrations';
import { IngestionSourceRegistry } from './ingestion/IngestionSourceRegistry';
import { builtInSources } from './ingestion/sources/builtInSources';
import { CatalogAttribution } from './service/CatalogAttribution';
import { readGoldenPathSettings } from './goldenPaths/readGoldenPathSettings';
import { readSupportedGoldenVersions } from './goldenPaths/readSupportedGoldenVersions';
import { DefaultBaselineImportService } from './service/DefaultBaselineImportService';
import { DefaultGoldenPathService } from './service/DefaultGoldenPathService';
import { DefaultIngestionService } from './service/DefaultIngestionService';
import { DefaultMetricsService } from './service/DefaultMetricsService';
import { DefaultSurveyService } from './service/DefaultSurveyService';
import { createChecksRoutes } from './service/checksRoutes';
import { createRouter } from './service/router';
import { createSeedTarget } from './service/createSeedTarget';
import { createSurveyRoutes } from './service/surveyRoutes';
import { createUsageRoutes } from './service/usageRoutes';
import { CatalogUsageDirectory } from './usage/CatalogUsageDirectory';
import { DefaultUsageService } from './usage/DefaultUsageService';
import { readUsageConfig } from './usage/readUsageConfig';
import { ScaffolderTaskSource } from './usage/ScaffolderTaskSource';

/**
 * The platform-metrics backend plugin: ingestion endpoints for deployments,
 * incidents and service requests, the metrics read API and the anonymous survey.
 * Modules add ingestion sources and seeders through its extension points.
 */
export const platformMetricsPlugin = createBackendPlugin({
  pluginId: 'platform-metrics',
  register(env) {
    const seeders: PlatformMetricsSeeder[] = [];
    env.registerExtensionPoint(platformMetricsSeedingExtensionPoint, {
      addSeeder(seeder) {
        seeders.push(seeder);
      },
    });
    const addedSources: PlatformMetricsIngestionSource[] = [];
    env.registerExtensionPoint(platformMetricsIngestionExtensionPoint, {
      addSource(...sources) {
        addedSources.push(...sources.flat());
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        userInfo: coreServices.userInfo,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const knex = await deps.database.getClient();
        if (!deps.database.migrations?.skip) {
          await applyDatabaseMigrations(knex);
        }
        deps.permissionsRegistry.addPermissions(platformMetricsPermissions);

        const goldenPathSettings = readGoldenPathSettings(deps.config);
        const store = await DatabaseMetricsStore.create({
          knex,
          supportedGoldenVersions: await readSupportedGoldenVersions(
            goldenPathSettings,
            deps.logger,
          ),
        });
        const surveyStore = await DatabaseSurveyStore.create({ knex });
        const survey = DefaultSurveyService.create({
          store: surveyStore,
          config: deps.config,
        });
        const sources = IngestionSourceRegistry.create([
          ...builtInSources,
          ...addedSources,
        ]);
        const usageConfig = readUsageConfig(deps.config);
        const usageStore = DatabaseUsageStore.create({ knex });
        const usage = await DefaultUsageService.create({
          store: usageStore,
          directory: CatalogUsageDirectory.create(deps),
          tasks: ScaffolderTaskSource.create(deps),
          hashSecret: usageConfig.hashSecret,
          retentionDays: usageConfig.retentionDays,
          minimumGroupSize: survey.minimumGroupSize,
        });
        await deps.scheduler.scheduleTask({
          id: 'platform-metrics-usage-retention',
          scope: 'global',
          frequency: { hours: 6 },
          timeout: { minutes: 15 },
          initialDelay: { minutes: 5 },
          fn: async () => {
            const { deleted } = await usage.applyRetention();
            deps.logger.info(
              `Usage retention deleted ${deleted} raw events older than ${usageConfig.retentionDays} days`,
            );
          },
        });
        const ingestion = DefaultIngestionService.create({
          store,
          attribution: CatalogAttribution.create({
            ...deps,
            annotations: sources.attributionAnnotations,
          }),
        });

        const checksConfig = readChecksConfig(deps.config);
        const checksStore = DatabaseChecksStore.create({ knex });
        const checks = DefaultChecksService.create({
          ...deps,
          enabled: checksConfig.enabled,
          required: checksConfig.required,
          concurrency: checksConfig.concurrency,
          intervalMinutes: checksConfig.intervalMinutes,
          // Each probe bounds itself at timeoutMs; the runner's margin keeps the
          // probe's own, more specific detail from losing the race.
          timeoutMs: checksConfig.timeoutMs + 1000,
          checks: [
            ImageCheck.create({ verifications: store }),
            PipelineCheck.create({ verifications: store }),
            ...createNetworkChecks(checksConfig, { logger: deps.logger }),
          ],
          store: checksStore,
          verifications: store,
        });
        await scheduleServiceChecks({
          ...deps,
          checks,
          intervalMinutes: checksConfig.intervalMinutes,
        });

        deps.httpRouter.use(
          await createRouter({
            ...deps,
            ingestion,
            sources,
            metrics: DefaultMetricsService.create({
              store,
              satisfaction: survey,
            }),
            baseline: DefaultBaselineImportService.create({ ingestion }),
            goldenPaths: DefaultGoldenPathService.create({
              catalog: deps.catalog,
              versionsFile: goldenPathSettings.versionsFile,
            }),
            surveyRoutes: createSurveyRoutes({ ...deps, survey }),
            checksRoutes: createChecksRoutes({ ...deps, checks }),
            usageRoutes: createUsageRoutes({ ...deps, usage }),
          }),
        );
        const seedTarget = createSeedTarget({
          store,
          surveyStore,
          survey,
          checksStore,
          checks,
          usage,
        });
        for (const seeder of seeders) await seeder.start(seedTarget);
        // Webhook senders cannot present Backstage tokens; each webhook route
        // verifies its sender's signature or shared secret instead.
        deps.httpRouter.addAuthPolicy({
          path: '/v1/webhooks',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
