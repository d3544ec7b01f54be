import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import type {
  SurveyCampaign,
  SurveyResults,
} from '@internal/plugin-platform-metrics-common';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { fireEvent, screen } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import { mockMetricsApi, testConfig } from '../testing/fixtures';
import { SurveyPage } from './SurveyPage';

const campaign: SurveyCampaign = {
  id: 'c1',
  title: '2026-Q4 platform survey',
  quarter: '2026-Q4',
  opensAt: '2026-10-01T00:00:00.000Z',
  closesAt: '2027-01-01T00:00:00.000Z',
  status: 'open',
  questions: [
    {
      id: 'satisfaction',
      kind: 'satisfaction',
      text: 'How satisfied are you?',
    },
    { id: 'docs', kind: 'driver', text: 'The docs answer my questions.' },
  ],
  createdAt: '2026-10-01T00:00:00.000Z',
  updatedAt: '2026-10-01T00:00:00.000Z',
};

const results: SurveyResults = {
  campaigns: [
    {
      id: 'c0',
      title: '2026-Q3 platform survey',
      quarter: '2026-Q3',
      opensAt: '2026-07-01T00:00:00.000Z',
      closesAt: '2026-10-01T00:00:00.000Z',
    },
  ],
  minimumGroupSize: 5,
  overall: {
    responses: 20,
    reportedResponses: 20,
    suppressed: false,
    percentFavourable: 65,
    mean: 3.7,
    participationPercent: 50,
    questions: [],
  },
  teams: [
    {
      team: 'group:default/payments',
      responses: 12,
      reportedResponses: 12,
      suppressed: false,
      percentFavourable: 75,
      mean: 4,
      participationPercent: 60,
      questions: [],
    },
    {
      team: 'group:default/search',
      responses: 3,
      reportedResponses: 0,
      suppressed: true,
      reason: 'below-minimum-group-size',
      percentFavourable: null,
      mean: null,
      participationPercent: null,
      questions: [],
    },
    {
      team: 'group:default/data',
      responses: 5,
      reportedResponses: 0,
      suppressed: true,
      reason: 'protects-another-group',
      percentFavourable: null,
      mean: null,
      participationPercent: null,
      questions: [],
    },
  ],
};

const render = (api: ReturnType<typeof mockMetricsApi>) =>
  renderInTestApp(<SurveyPage />, {
    config: testConfig,
    apis: [[platformMetricsApiRef, api]],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

describe('SurveyPage', () => {
  it('states the anonymity rules and sends the answers once', async () => {
    const api = mockMetricsApi({
      getCurrentSurvey: jest.fn(async () => ({
        campaign,
        answered: false,
        minimumGroupSize: 7,
      })),
      submitSurveyResponse: jest.fn(async () => undefined),
      getSurveyResults: jest.fn(async () => results),
    });
    await render(api);

    expect(
      await screen.findByText('Your answers are anonymous'),
    ).toBeInTheDocument();
    expect(screen.getByText('7')).toBeInTheDocument();
    const send = screen.getByRole('button', { name: 'Send answers' });
    expect(send).toBeDisabled();

    const groups = screen.getAllByRole('radiogroup');
    expect(groups).toHaveLength(2);
    fireEvent.click(screen.getAllByRole('radio', { name: '4' })[0]);
    fireEvent.click(
      screen.getAllByRole('radio', { name: '5 – strongly agree' })[1],
    );
    fireEvent.change(screen.getByRole('textbox'), {
      target: { value: ' More examples please ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Send answers' }));

    expect(await screen.findByText(/Thank you/)).toBeInTheDocument();
    expect(api.submitSurveyResponse).toHaveBeenCalledWith('c1', {
      answers: { satisfaction: 4, docs: 5 },
      comment: 'More examples please',
    });
    expect(screen.queryByRole('button', { name: 'Send answers' })).toBeNull();
  });

  it('shows "already answered" instead of the form', async () => {
    const api = mockMetricsApi({
      getCurrentSurvey: jest.fn(async () => ({
        campaign,
        answered: true,
        minimumGroupSize: 5,
      })),
      getSurveyResults: jest.fn(async () => results),
    });
    await render(api);
    expect(
      await screen.findByText(/You have already answered/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('radiogroup')).toBeNull();
  });

  it('treats a 409 from the backend as already answered', async () => {
    const conflict = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'ConflictError', message: 'answered' },
        }),
        { status: 409, headers: { 'Content-Type': 'application/json' } },
      ) as any,
    );
    const api = mockMetricsApi({
      getCurrentSurvey: jest.fn(async () => ({
        campaign: { ...campaign, questions: [campaign.questions[0]] },
        answered: false,
        minimumGroupSize: 5,
      })),
      submitSurveyResponse: jest.fn(async () => {
        throw conflict;
      }),
      getSurveyResults: jest.fn(async () => results),
    });
    await render(api);
    fireEvent.click((await screen.findAllByRole('radio', { name: '3' }))[0]);
    fireEvent.click(screen.getByRole('button', { name: 'Send answers' }));
    expect(
      await screen.findByText(/You have already answered/),
    ).toBeInTheDocument();
  });

  it('says why suppressed teams are hidden', async () => {
    const api = mockMetricsApi({
      getSurveyResults: jest.fn(async () => results),
    });
    await render(api);
    expect(
      await screen.findByText('No survey is open right now'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'Hidden: fewer than 5 responses, the minimum group size.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Hidden to protect another group/),
    ).toBeInTheDocument();
    expect(screen.getByText('75.0 %')).toBeInTheDocument();
  });

  it('shows loading, then the error', async () => {
    let fail: (e: Error) => void = () => {};
    const api = mockMetricsApi({
      getCurrentSurvey: jest.fn(
        () => new Promise((_, reject) => (fail = reject)),
      ),
    });
    await render(api);
    expect(
      await screen.findByRole('status', { name: 'Loading survey' }),
    ).toBeInTheDocument();
    fail(new Error('survey service unavailable'));
    expect(
      await screen.findByText('survey service unavailable'),
    ).toBeInTheDocument();
  });

  it('explains an empty results view', async () => {
    const api = mockMetricsApi({
      getSurveyResults: jest.fn(async () => ({
        ...results,
        campaigns: [],
        overall: { ...results.overall, responses: 0 },
        teams: [],
      })),
    });
    await render(api);
    expect(
      await screen.findByText('No survey results yet'),
    ).toBeInTheDocument();
  });
});
