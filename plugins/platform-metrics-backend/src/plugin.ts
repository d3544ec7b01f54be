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
import { DatabaseMetricsStore } from './database/DatabaseMetricsStore';
import { DatabaseSurveyStore } from './database/DatabaseSurveyStore';
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
import { createRouter } from './service/router';
import { createSeedTarget } from './service/createSeedTarget';
import { createSurveyRoutes } from './service/surveyRoutes';

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
        userInfo: coreServices.userInfo,
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
        const ingestion = DefaultIngestionService.create({
          store,
          attribution: CatalogAttribution.create({
            ...deps,
            annotations: sources.attributionAnnotations,
          }),
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
          }),
        );
        const seedTarget = createSeedTarget({ store, surveyStore, survey });
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
