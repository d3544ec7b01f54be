import { createBackendModule } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/**
 * Signs in, without any identity provider, as the catalog User named by
 * `auth.providers.platformDemo.userEntityRef`. Only app-config.development.yaml
 * configures it, so that a newcomer can try what the platform team does
 * (survey campaigns, baseline import, ingestion setup) in development.
 */
const platformDemoAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize: ({ config }) => ({
    userEntityRef: config.getString('userEntityRef'),
  }),
  async authenticate(_request, { userEntityRef }) {
    // Like the guest provider, refused outside development even when
    // configured: anyone reaching the backend could otherwise sign in as an
    // administrator. Read on every sign-in, so nothing at start-up can lift it.
    if (process.env.NODE_ENV !== 'development') {
      throw new NotAllowedError(
        'The platform team demo sign-in is only available in development',
      );
    }
    return { result: { userEntityRef } };
  },
});

/** Registers the development-only `platformDemo` sign-in with the auth backend. */
export const platformDemoAuthModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'platform-demo-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'platformDemo',
          factory: createProxyAuthProviderFactory({
            authenticator: platformDemoAuthenticator,
            // The User must exist in the catalog, and their groups come from
            // it as for a GitHub login: platform membership is the catalog's.
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.userEntityRef }),
          }),
        });
      },
    });
  },
});
