import type { PlatformMetricsSeedTarget } from '@internal/plugin-platform-metrics-node';
import type { ChecksService } from '../checks/ChecksService';
import type { ChecksStore } from '../database/ChecksStore';
import type { MetricsStore } from '../database/MetricsStore';
import type { SurveyStore } from '../database/SurveyStore';
import type { UsageService } from '../usage/UsageService';
import { DEFAULT_SURVEY_QUESTIONS, type SurveyService } from './SurveyService';

const ALL_TIME = { from: new Date(0), to: new Date(8.64e15) };

/**
 * The stores as seeders reach them through the seeding extension point. Campaigns
 * are created through the survey service, so its validation applies; opening,
 * answering and closing go to the store, which takes the history's own dates.
 * Check cycles go through the checks service, so verification follows the
 * runner's rules.
 */
export function createSeedTarget(options: {
  store: MetricsStore;
  surveyStore: SurveyStore;
  survey: SurveyService;
  checksStore: ChecksStore;
  checks: ChecksService;
  usage: UsageService;
}): PlatformMetricsSeedTarget {
  const { store, surveyStore, survey, checksStore, checks, usage } = options;
  return {
    metrics: {
      hasDeployments: async () =>
        (await store.listDeployments(ALL_TIME, 1)).length > 0,
      ingest: async records => {
        await store.ingest(records);
      },
    },
    survey: {
      defaultQuestionIds: DEFAULT_SURVEY_QUESTIONS.map(q => q.id),
      listCampaigns: () => survey.listCampaigns(),
      createCampaign: campaign => survey.createCampaign(campaign),
      openCampaign: async (campaignId, at) =>
        (await surveyStore.openCampaign(campaignId, at)) === 'opened',
      closeCampaign: (campaignId, at) =>
        surveyStore.closeCampaign(campaignId, at),
      submitResponse: async (response, at) => {
        await surveyStore.submitResponse(response, at);
      },
    },
    checks: {
      hasResults: () => checksStore.hasResults(),
      recordCycle: (service, at, outcomes) =>
        checks.recordOutcomes(service, at, outcomes),
    },
    usage: {
      hasEvents: () => usage.hasEvents(),
      record: events => usage.importHistory(events),
    },
  };
}
