import {
  ApiBlueprint,
  createApiRef,
  discoveryApiRef,
  type BackstageIdentityApi,
  type ProfileInfoApi,
  type SessionApi,
} from '@backstage/frontend-plugin-api';
import { ProxiedAuth } from './ProxiedAuth';

/**
 * Sign-in as a demo member of the platform team, through the backend's
 * development-only `platformDemo` provider (packages/backend).
 */
export const platformDemoAuthApiRef = createApiRef<
  ProfileInfoApi & BackstageIdentityApi & SessionApi
>().with({ id: 'portal.auth.platform-demo' });

export const platformDemoAuthApi = ApiBlueprint.make({
  name: 'platform-demo-auth',
  params: defineParams =>
    defineParams({
      api: platformDemoAuthApiRef,
      deps: { discoveryApi: discoveryApiRef },
      factory: ({ discoveryApi }) =>
        new ProxiedAuth({ discoveryApi, provider: 'platformDemo' }),
    }),
});
