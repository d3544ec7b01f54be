import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { PortalPermissionPolicy } from './PortalPermissionPolicy';

/** Installs PortalPermissionPolicy; admin groups come from `portal.adminGroups`. */
export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'portal-policy',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, userInfo, policy }) {
        const adminGroups = (
          config.getOptionalStringArray('portal.adminGroups') ?? [
            'group:default/platform',
          ]
        ).map(ref => ref.toLocaleLowerCase('en-US'));
        policy.setPolicy(new PortalPermissionPolicy(userInfo, adminGroups));
      },
    });
  },
});
