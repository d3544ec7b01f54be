import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  type LogEvent,
  scaffolderApiRef,
} from '@backstage/plugin-scaffolder-react';
import type { GoldenPathDriftResponse } from '@internal/plugin-platform-metrics-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { platformMetricsApiRef } from '../api';
import { mockMetricsApi, testConfig } from '../testing/fixtures';
import { GoldenPathVersionsPage } from './GoldenPathVersionsPage';

const drift: GoldenPathDriftResponse = {
  items: [
    {
      template: 'node-service',
      title: 'TypeScript/Node.js service',
      latest: '1.1.0',
      versions: [
        { version: '1.1.0', services: 1 },
        { version: '1.0.0', services: 2 },
      ],
      behind: [
        {
          entityRef: 'component:default/legacy-orders',
          title: null,
          owner: 'group:default/payments',
          ownerTitle: 'Payments',
          version: '1.0.0',
          behindSince: '2026-12-03',
        },
        {
          entityRef: 'component:default/current-already',
          title: null,
          owner: 'group:default/search',
          ownerTitle: 'Search',
          version: '1.0.0',
          behindSince: '2026-12-03',
        },
      ],
    },
  ],
};

/** A completion event's body: the message plus the task's error or output. */
const completionBody = (body: {
  message: string;
  error?: { message: string };
  output?: Record<string, unknown>;
}): LogEvent['body'] => body;

/** The scaffolder: every task completes at once, with the given result per service. */
function scaffolder() {
  const byTask = new Map<string, string>();
  return {
    scaffold: jest.fn(async ({ values }: { values: { entity: string } }) => {
      const taskId = `task-${byTask.size + 1}`;
      byTask.set(taskId, values.entity);
      return { taskId };
    }),
    streamLogs: jest.fn(({ taskId }: { taskId: string }) => ({
      subscribe({ next }: { next: (event: LogEvent) => void }) {
        const refused = byTask.get(taskId)!.endsWith('current-already');
        next({
          id: 1,
          taskId,
          createdAt: '',
          type: 'completion',
          body: completionBody(
            refused
              ? {
                  message: 'Run completed with status: failed',
                  error: { message: 'The service is already on 1.1.0' },
                }
              : {
                  message: 'Run completed with status: completed',
                  output: {
                    text: [
                      {
                        title: 'Get the branch',
                        content:
                          'The branch `golden-path/upgrade-to-1.1.0` is on the portal git host',
                      },
                    ],
                  },
                },
          ),
        });
        return { unsubscribe: () => {}, closed: true };
      },
    })),
  };
}

describe('GoldenPathVersionsPage', () => {
  it('shows services per version and those behind, and upgrades the selected ones', async () => {
    const fake = scaffolder();
    await renderInTestApp(<GoldenPathVersionsPage />, {
      config: testConfig,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [catalogApiRef, catalogApiMock()],
        [
          platformMetricsApiRef,
          mockMetricsApi({ getGoldenPathDrift: jest.fn(async () => drift) }),
        ],
        [scaffolderApiRef, fake as any],
        mockApis.permission(),
      ],
    });

    const histogram = await screen.findByLabelText(
      'node-service services per version',
    );
    expect(within(histogram).getByText('1.1.0 (latest)')).toBeInTheDocument();
    expect(within(histogram).getByText('2 services')).toBeInTheDocument();
    expect(screen.getByText('Payments')).toBeInTheDocument();
    expect(
      screen.getAllByText(/^since 2026-12-03 \(\d+ days?\)$/),
    ).toHaveLength(2);

    const button = screen.getByRole('button', {
      name: 'Open upgrade requests (0)',
    });
    expect(button).toBeDisabled();
    await userEvent.click(
      screen.getByLabelText('Select component:default/legacy-orders'),
    );
    await userEvent.click(
      screen.getByLabelText('Select component:default/current-already'),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Open upgrade requests (2)' }),
    );

    expect(
      await screen.findByText('branch golden-path/upgrade-to-1.1.0'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/refused or failed: The service is already on 1.1.0/),
    ).toBeInTheDocument();
    expect(fake.scaffold).toHaveBeenCalledWith({
      templateRef: 'template:default/golden-path-upgrade',
      values: { entity: 'component:default/legacy-orders' },
    });
    expect(fake.scaffold).toHaveBeenCalledTimes(2);
  });

  it('shows why the drift could not be loaded', async () => {
    await renderInTestApp(<GoldenPathVersionsPage />, {
      config: testConfig,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [catalogApiRef, catalogApiMock()],
        [
          platformMetricsApiRef,
          mockMetricsApi({
            getGoldenPathDrift: jest.fn(async () => {
              throw new Error('The golden-path versions cannot be read');
            }),
          }),
        ],
        [scaffolderApiRef, scaffolder() as any],
      ],
    });
    expect(
      await screen.findByText('The golden-path versions cannot be read'),
    ).toBeInTheDocument();
  });
});
