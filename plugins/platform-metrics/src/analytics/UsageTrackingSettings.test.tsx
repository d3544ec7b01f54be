import { storageApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testConfig } from '../testing/fixtures';
import { UsageTrackingSettings } from './UsageTrackingSettings';
import { isOptedOut } from './usageTrackingPreference';

describe('UsageTrackingSettings', () => {
  it('turns tracking off and on again, stored for the user', async () => {
    const storageApi = mockApis.storage();
    await renderInTestApp(<UsageTrackingSettings signals={{}} />, {
      config: testConfig,
      apis: [[storageApiRef, storageApi]],
    });
    const toggle = await screen.findByRole('switch', {
      name: 'Share my portal usage with the platform team',
    });
    expect(toggle).toBeChecked();

    await userEvent.click(toggle);
    await waitFor(() => expect(isOptedOut(storageApi)).toBe(true));
    expect(toggle).not.toBeChecked();

    await userEvent.click(toggle);
    await waitFor(() => expect(isOptedOut(storageApi)).toBe(false));
    expect(toggle).toBeChecked();
  });

  it('says that Do Not Track already turns it off', async () => {
    await renderInTestApp(
      <UsageTrackingSettings signals={{ doNotTrack: '1' }} />,
      { config: testConfig, apis: [[storageApiRef, mockApis.storage()]] },
    );
    expect(
      await screen.findByText('Your browser asks not to be tracked'),
    ).toBeInTheDocument();
    const toggle = screen.getByRole('switch');
    expect(toggle).not.toBeChecked();
    expect(toggle).toBeDisabled();
  });
});
