import {
  createFrontendPlugin,
  storageApiRef,
  useAnalytics,
} from '@backstage/frontend-plugin-api';
import {
  mockApis,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import type { UsageEventsBatch } from '@internal/plugin-platform-metrics-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { platformMetricsApiRef } from './api';
import { platformMetricsPlugin, portalUsageAnalytics } from './plugin';
import { mockMetricsApi, testConfig } from './testing/fixtures';
import { setOptedOut } from './analytics/usageTrackingPreference';

function OpenCatalogButton() {
  const analytics = useAnalytics();
  return (
    <button
      onClick={() =>
        analytics.captureEvent('click', 'My private label', {
          attributes: { to: '/catalog?filters[owner]=me' },
        })
      }
    >
      Open catalog
    </button>
  );
}

async function renderWithTracking(options: { optedOut: boolean }) {
  const sendUsageEvents = jest.fn(
    async (_batch: UsageEventsBatch, _options?: object) => {},
  );
  const storageApi = mockApis.storage();
  await setOptedOut(storageApi, options.optedOut);
  await renderInTestApp(<OpenCatalogButton />, {
    config: testConfig,
    // renderInTestApp's `extensions` option is not applied in this release.
    features: [
      createFrontendPlugin({
        pluginId: 'platform-metrics',
        extensions: [portalUsageAnalytics],
      }),
    ],
    apis: [
      [platformMetricsApiRef, mockMetricsApi({ sendUsageEvents })],
      [storageApiRef, storageApi],
    ],
  });
  const clickAndLeave = async () => {
    fireEvent.click(
      await screen.findByRole('button', { name: 'Open catalog' }),
    );
    fireEvent(window, new Event('pagehide'));
  };
  await clickAndLeave();
  return { sendUsageEvents, storageApi, clickAndLeave };
}

// Through the app's analytics API, as the portal wires it: the extension
// attaches to the app's analytics API and receives what components capture.
describe('the portal usage analytics extension', () => {
  it('sends what components capture, without their labels, when the page goes away', async () => {
    const { sendUsageEvents } = await renderWithTracking({ optedOut: false });
    await waitFor(() => expect(sendUsageEvents).toHaveBeenCalled());
    const [batch, options] = sendUsageEvents.mock.calls[0];
    expect(options).toEqual({ keepalive: true });
    expect(batch.events).toContainEqual(
      expect.objectContaining({ action: 'click', subject: '/catalog' }),
    );
    expect(JSON.stringify(batch)).not.toContain('My private label');
  });

  it('sends nothing for a user who turned tracking off', async () => {
    const { sendUsageEvents, storageApi, clickAndLeave } =
      await renderWithTracking({ optedOut: true });
    // Give a flush every chance to happen.
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(sendUsageEvents).not.toHaveBeenCalled();

    // Back on, only what happens from now on is sent.
    await setOptedOut(storageApi, false);
    await clickAndLeave();
    await waitFor(() => expect(sendUsageEvents).toHaveBeenCalledTimes(1));
    expect(
      sendUsageEvents.mock.calls[0][0].events.filter(e => e.action === 'click'),
    ).toHaveLength(1);
  });
});

describe('platformMetricsPlugin in an app', () => {
  it('adds Platform usage to the nav and a Usage analytics tab to Settings', async () => {
    renderTestApp({
      features: [platformMetricsPlugin, userSettingsPlugin],
      config: testConfig,
      initialRouteEntries: ['/settings/usage-analytics'],
      apis: [
        [platformMetricsApiRef, mockMetricsApi()],
        [storageApiRef, mockApis.storage()],
      ],
    });
    expect(
      await screen.findByRole(
        'switch',
        { name: 'Share my portal usage with the platform team' },
        { timeout: 10_000 },
      ),
    ).toBeChecked();
    const usageLink = screen.getByRole('link', { name: 'Platform usage' });
    expect(usageLink).toHaveAttribute('href', '/platform-usage');
    expect(
      screen.getByRole('link', { name: 'Platform value' }),
    ).toHaveAttribute('href', '/platform-value');
  });
});
