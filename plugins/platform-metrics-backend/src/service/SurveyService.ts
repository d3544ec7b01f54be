import type {
  SatisfactionSummary,
  SurveyCampaignInput,
  SurveyCampaignUpdate,
  SurveyQuestion,
  SurveyResults,
} from '@internal/plugin-platform-metrics-common';
import type { SurveyCampaign } from '../database/SurveyStore';
import defaultSurveyQuestions from './defaultSurveyQuestions.json';

/**
 * The questions of a campaign created without any. A JSON file, so that the
 * benchmark's data generator (plain Node) asks the same questions as the portal.
 */
export const DEFAULT_SURVEY_QUESTIONS =
  defaultSurveyQuestions as SurveyQuestion[];

export interface SurveyResultsQuery {
  /** Explicit campaigns; cannot be combined with `from`/`to`. */
  campaignIds?: string[];
  /**
   * With `to`: the campaigns whose answering window ends in the period (see
   * {@link SurveyService.satisfaction}). Without campaigns or period, the most
   * recently ended campaign.
   */
  from?: Date | string;
  to?: Date | string;
  /** Narrows the per-team breakdown to this Group. */
  team?: string;
  includeComments?: boolean;
  /** Eligible head-count per team ref, for participation rates. */
  eligible?: Record<string, number>;
}

export interface SurveyTrendPoint extends SatisfactionSummary {
  campaignId: string;
  title: string;
  quarter: string;
  closesAt: Date;
}

export interface SurveyPeriodQuery {
  from: Date | string;
  to: Date | string;
  team?: string;
}

/**
 * The developer-satisfaction survey. Nothing it stores or returns links an answer
 * to a person: participation is recorded apart from answers, as a keyed hash, and
 * every result for fewer than the minimum group size is withheld — also when it
 * could be derived by subtracting other results from a larger one.
 */
export interface SurveyService {
  readonly minimumGroupSize: number;

  /** A draft; without questions it asks {@link DEFAULT_SURVEY_QUESTIONS}. */
  createCampaign(input: SurveyCampaignInput): Promise<SurveyCampaign>;
  /** Drafts only. */
  updateCampaign(
    campaignId: string,
    update: SurveyCampaignUpdate,
  ): Promise<SurveyCampaign>;
  /** One campaign is open at a time. */
  openCampaign(campaignId: string): Promise<SurveyCampaign>;
  closeCampaign(campaignId: string): Promise<SurveyCampaign>;
  getCampaign(campaignId: string): Promise<SurveyCampaign>;
  listCampaigns(): Promise<SurveyCampaign[]>;
  /** The campaign people can answer now, if any. */
  getOpenCampaign(): Promise<SurveyCampaign | undefined>;

  hasAnswered(campaignId: string, userRef: string): Promise<boolean>;
  /** Stores the answers without any reference to `userRef`; returns nothing that could. */
  submit(
    campaignId: string,
    userRef: string,
    teamRef: string | null,
    answers: Record<string, number>,
    comment?: string,
  ): Promise<void>;

  results(query: SurveyResultsQuery): Promise<SurveyResults>;
  /**
   * The satisfaction item over the ended campaigns whose answering window ends in
   * [from, to): `from < closesAt <= to`, as `closesAt` is exclusive.
   */
  satisfaction(query: SurveyPeriodQuery): Promise<SatisfactionSummary>;
  /** One point per ended campaign, oldest first. */
  trend(query: {
    team?: string;
    from?: Date | string;
    to?: Date | string;
  }): Promise<SurveyTrendPoint[]>;
}
