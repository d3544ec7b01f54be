import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SURVEY_LIMITS } from '@internal/plugin-platform-metrics-common';
import { fireEvent, screen } from '@testing-library/react';
import { platformMetricsApiRef } from '../api';
import { mockMetricsApi, testConfig } from '../testing/fixtures';
import { SurveyCampaignsCard } from './SurveyCampaignsCard';

const draft = {
  id: 'c9',
  title: 'Q1 survey',
  quarter: '2027-Q1',
  opensAt: '2027-01-01T00:00:00.000Z',
  closesAt: '2027-04-01T00:00:00.000Z',
  status: 'draft' as const,
  questions: [
    { id: 'satisfaction', kind: 'satisfaction' as const, text: 'Happy?' },
    { id: 'speed', kind: 'driver' as const, text: 'Shipping is fast.' },
    { id: 'docs', kind: 'driver' as const, text: 'Docs are good.' },
  ],
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

const render = (api: ReturnType<typeof mockMetricsApi>) =>
  renderInTestApp(<SurveyCampaignsCard />, {
    config: testConfig,
    apis: [[platformMetricsApiRef, api]],
  });

describe('SurveyCampaignsCard', () => {
  it('saves edited questions as the shared schema reads them, then reloads', async () => {
    const saved = { ...draft, title: 'Q1 survey, saved' };
    const api = mockMetricsApi({
      listCampaigns: jest
        .fn()
        .mockResolvedValueOnce({ items: [draft] })
        .mockResolvedValue({ items: [saved] }),
      updateCampaign: jest.fn(async () => saved),
    });
    await render(api);
    fireEvent.change(
      await screen.findByRole('textbox', { name: /^Questions/ }),
      {
        target: {
          value:
            'satisfaction | satisfaction | Happy?\nspeed | driver | Fast.\ndocs | driver |  Docs. ',
        },
      },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText('Q1 survey, saved (2027-Q1, draft)'),
    ).toBeInTheDocument();
    expect(api.updateCampaign).toHaveBeenCalledWith('c9', {
      title: 'Q1 survey',
      questions: [
        { id: 'satisfaction', kind: 'satisfaction', text: 'Happy?' },
        { id: 'speed', kind: 'driver', text: 'Fast.' },
        { id: 'docs', kind: 'driver', text: 'Docs.' },
      ],
    });
  });

  it('names the line at fault and sends nothing', async () => {
    const api = mockMetricsApi({
      listCampaigns: jest.fn(async () => ({ items: [draft] })),
    });
    await render(api);
    fireEvent.change(
      await screen.findByRole('textbox', { name: /^Questions/ }),
      {
        target: {
          value:
            'satisfaction | satisfaction | Happy?\nspeed | driver | Fast.\nspeed | driver | Again.',
        },
      },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText('Line 3: id: speed is used twice'),
    ).toBeInTheDocument();
    expect(api.updateCampaign).not.toHaveBeenCalled();
  });

  it(`refuses a new title over ${SURVEY_LIMITS.titleLength} characters, naming it`, async () => {
    const api = mockMetricsApi({
      listCampaigns: jest
        .fn()
        .mockResolvedValueOnce({ items: [] })
        .mockResolvedValue({ items: [draft] }),
      createCampaign: jest.fn(async () => draft),
    });
    await render(api);
    const title = await screen.findByRole('textbox', {
      name: 'New campaign title',
    });
    fireEvent.change(title, {
      target: { value: 't'.repeat(SURVEY_LIMITS.titleLength + 1) },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Create draft' }));
    expect(
      await screen.findByText(
        `Title: must be 1 to ${SURVEY_LIMITS.titleLength} characters`,
      ),
    ).toBeInTheDocument();
    expect(api.createCampaign).not.toHaveBeenCalled();

    fireEvent.change(title, {
      target: { value: ` ${'t'.repeat(SURVEY_LIMITS.titleLength)} ` },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Create draft' }));
    expect(
      await screen.findByText('Q1 survey (2027-Q1, draft)'),
    ).toBeInTheDocument();
    expect(api.createCampaign).toHaveBeenCalledWith({
      title: 't'.repeat(SURVEY_LIMITS.titleLength),
    });
  });
});
