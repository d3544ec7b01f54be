import {
  coreServices,
  createBackendFeatureLoader,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPublishLocalAction } from './createPublishLocalAction';
import { createRecordRequestAction } from './createRecordRequestAction';
import { createRegisterLocalAction } from './createRegisterLocalAction';
import { createUpgradeAction } from './createUpgradeAction';
import { createValidateAction } from './createValidateAction';
import { createValidateInputAction } from './createValidateInputAction';
import { LocalGitEntityProvider } from './LocalGitEntityProvider';
import { readGoldenPathConfig } from './readGoldenPathConfig';

/**
 * The golden paths' backend parts: the scaffolder actions, and the catalog
 * provider that registers services published on the local git host. Both
 * share one provider, so a publish shows up in the catalog at once.
 */
export const goldenPathFeatures = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    const localGit = new LocalGitEntityProvider(
      readGoldenPathConfig(config).localGitDirectory,
    );

    yield createBackendModule({
      pluginId: 'scaffolder',
      moduleId: 'golden-path',
      register(env) {
        env.registerInit({
          deps: {
            scaffolder: scaffolderActionsExtensionPoint,
            auth: coreServices.auth,
            discovery: coreServices.discovery,
            catalog: catalogServiceRef,
            reader: coreServices.urlReader,
          },
          async init({ scaffolder, auth, discovery, catalog, reader }) {
            scaffolder.addActions(
              createValidateInputAction({ config, catalog, auth }),
              createValidateAction(),
              createPublishLocalAction({ config }),
              createRegisterLocalAction({ config, catalog, auth, localGit }),
              createRecordRequestAction({ auth, discovery }),
              createUpgradeAction({
                config,
                catalog,
                reader,
                integrations: ScmIntegrations.fromConfig(config),
              }),
            );
          },
        });
      },
    });

    yield createBackendModule({
      pluginId: 'catalog',
      moduleId: 'golden-path-local-git',
      register(env) {
        env.registerInit({
          deps: { catalog: catalogProcessingExtensionPoint },
          async init({ catalog }) {
            catalog.addEntityProvider(localGit);
          },
        });
      },
    });
  },
});
