import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { LogoFull } from './LogoFull';

describe('LogoFull', () => {
  it("shows the portal's name from app.title beside its mark", async () => {
    const { container } = await renderInTestApp(<LogoFull />, {
      config: { app: { title: 'Acme Developer Hub' } },
    });

    expect(await screen.findByText('Acme Developer Hub')).toBeInTheDocument();
    expect(container.querySelector('img')).toHaveAttribute(
      'src',
      expect.stringContaining('favicon.svg'),
    );
  });
});
