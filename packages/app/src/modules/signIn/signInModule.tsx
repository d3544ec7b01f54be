import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  SignInPageBlueprint,
  type SignInPageProps,
} from '@backstage/plugin-app-react';
import { SignInPage } from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import {
  platformDemoAuthApi,
  platformDemoAuthApiRef,
} from './platformDemoAuthApi';

const githubProvider = {
  id: 'github-auth-provider',
  title: 'GitHub',
  message: 'Sign in with your GitHub account',
  apiRef: githubAuthApiRef,
};

const platformDemoProvider = {
  id: 'platform-demo-auth-provider',
  title: 'Platform team (demo)',
  message:
    'Development only: sign in as a member of the platform team to run survey campaigns, import the baseline and set up ingestion.',
  apiRef: platformDemoAuthApiRef,
};

/**
 * Which sign-in options the page offers comes from config, so that development
 * offers guest access and production offers only the real identity provider.
 */
export function PortalSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const configured = config.getOptionalStringArray(
    'portal.signInProviders',
  ) ?? ['guest'];
  const providers = configured.map(id => {
    if (id === 'github') return githubProvider;
    if (id === 'platformDemo') return platformDemoProvider;
    return 'guest' as const;
  });
  return <SignInPage {...props} providers={providers} />;
}

const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => PortalSignInPage,
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage, platformDemoAuthApi],
});
