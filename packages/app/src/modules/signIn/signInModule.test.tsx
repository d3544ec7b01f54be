import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { platformDemoAuthApiRef } from './platformDemoAuthApi';
import { PortalSignInPage } from './signInModule';

const onSignInSuccess = jest.fn();
const page = <PortalSignInPage onSignInSuccess={onSignInSuccess} />;
const baseConfig = {
  app: { title: 'Platform Portal', baseUrl: 'http://localhost:3000' },
  backend: { baseUrl: 'http://localhost:7007' },
};

describe('PortalSignInPage', () => {
  it('offers guest sign-in when no provider is configured', async () => {
    renderInTestApp(page, {
      config: baseConfig,
    });

    expect(await screen.findByText('Guest')).toBeInTheDocument();
    expect(screen.queryByText('GitHub')).not.toBeInTheDocument();
  });

  it('offers only GitHub when production config asks for it', async () => {
    renderInTestApp(page, {
      config: {
        ...baseConfig,
        portal: { signInProviders: ['github'] },
      },
    });

    expect(await screen.findByText('GitHub')).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
  });

  it('offers the platform team demo next to guest in development, and signs in with it', async () => {
    const identity = {
      type: 'user' as const,
      userEntityRef: 'user:default/tom-becker',
      ownershipEntityRefs: ['group:default/platform'],
    };
    const platformDemoAuth = {
      getBackstageIdentity: jest.fn(async () => ({ token: 't', identity })),
      getProfile: jest.fn(async () => ({ displayName: 'Tom Becker' })),
    };
    renderInTestApp(page, {
      config: {
        ...baseConfig,
        portal: { signInProviders: ['guest', 'platformDemo'] },
      },
      apis: [[platformDemoAuthApiRef, platformDemoAuth]],
    });

    expect(await screen.findByText('Guest')).toBeInTheDocument();
    expect(screen.getByText('Platform team (demo)')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Sign In' }));

    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalledTimes(1));
    const [signedIn] = onSignInSuccess.mock.calls[0];
    expect(await signedIn.getBackstageIdentity()).toEqual(identity);
  });
});
