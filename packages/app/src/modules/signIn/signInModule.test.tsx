import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { PortalSignInPage } from './signInModule';

const page = <PortalSignInPage onSignInSuccess={jest.fn()} />;
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
});
