import { renderInTestApp } from '@backstage/frontend-test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import { rootRouteRef } from '../routes';
import { mockMetricsApi, testConfig } from '../testing/fixtures';
import { SurveyPrompt } from './SurveyPrompt';

const campaign = {
  id: 'c1',
  title: 'Developer experience 2026-Q4',
  quarter: '2026-Q4',
  opensAt: '2026-10-01T00:00:00.000Z',
  closesAt: '2027-01-01T00:00:00.000Z',
  status: 'open' as const,
  questions: [],
  createdAt: '2026-10-01T00:00:00.000Z',
  updatedAt: '2026-10-01T00:00:00.000Z',
};

const render = (answered: boolean, open = true) => {
  const api = mockMetricsApi({
    getCurrentSurvey: jest.fn(async () => ({
      campaign: open ? campaign : null,
      answered,
      minimumGroupSize: 5,
    })),
  });
  return {
    api,
    result: renderInTestApp(<SurveyPrompt />, {
      config: testConfig,
      apis: [[platformMetricsApiRef, api]],
      mountedRoutes: { '/platform-value': rootRouteRef },
    }),
  };
};

describe('SurveyPrompt', () => {
  it('invites the user while a campaign is open and unanswered', async () => {
    render(false);
    expect(
      await screen.findByText('Developer experience 2026-Q4 is open'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Answer the survey' }),
    ).toHaveAttribute('href', '/platform-value/survey');
  });

  it('asks once while the prompt is shown, not again and again', async () => {
    const { api } = render(false);
    await screen.findByText('Developer experience 2026-Q4 is open');
    // Room for any further requests to be made and answered.
    await act(() => new Promise(resolve => setTimeout(resolve, 200)));
    expect(api.getCurrentSurvey).toHaveBeenCalledTimes(1);
  });

  it('stays hidden once answered, and without a campaign', async () => {
    const { api } = render(true);
    await waitFor(() => expect(api.getCurrentSurvey).toHaveBeenCalled());
    expect(screen.queryByText(/is open/)).not.toBeInTheDocument();
  });

  it('stays hidden when no campaign is open', async () => {
    const { api } = render(false, false);
    await waitFor(() => expect(api.getCurrentSurvey).toHaveBeenCalled());
    expect(screen.queryByText(/is open/)).not.toBeInTheDocument();
  });
});
