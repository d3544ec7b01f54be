import type { SurveyQuestion } from '@internal/plugin-platform-metrics-common';

export type SurveyCampaignStatus = 'draft' | 'open' | 'closed';

export interface SurveyCampaign {
  id: string;
  title: string;
  /** `2026-Q4`: the quarter the answers describe. */
  quarter: string;
  /** Planned while draft; the actual opening once opened. */
  opensAt: Date;
  /** Exclusive end of the answering window. */
  closesAt: Date;
  status: SurveyCampaignStatus;
  questions: SurveyQuestion[];
  createdAt: Date;
  updatedAt: Date;
}

export type SurveyCampaignPatch = Partial<
  Pick<
    SurveyCampaign,
    'title' | 'quarter' | 'opensAt' | 'closesAt' | 'questions'
  >
>;

export interface SurveyCampaignFilter {
  ids?: string[];
  statuses?: SurveyCampaignStatus[];
  /**
   * Campaigns whose answering window ends in the period: `from < closesAt <= to`,
   * because `closesAt` is exclusive and so its last instant lies just before it.
   */
  closingIn?: { from: Date; to: Date };
}

/**
 * One anonymous submission. It carries the participation hash only so that the
 * store can record participation in the same transaction; the hash is never
 * written next to the answers.
 */
export interface SurveySubmission {
  campaignId: string;
  participantHash: string;
  teamRef: string | null;
  answers: Array<{ questionId: string; value: number }>;
  comment: string | null;
}

export type SurveySubmitOutcome = 'stored' | 'duplicate' | 'campaign-not-open';

export type SurveyOpenOutcome =
  | 'opened'
  | 'not-found'
  | 'not-draft'
  | 'another-open';

/** The responses of one team (null: no team) in one campaign. */
export interface SurveyCell {
  campaignId: string;
  teamRef: string | null;
}

export interface SurveyCellCount extends SurveyCell {
  responses: number;
}

/** Sums of one question's answers in one cell, from which means and shares follow. */
export interface SurveyAnswerAggregate extends SurveyCell {
  questionId: string;
  answers: number;
  sum: number;
  /** Answers of 4 or 5. */
  favourable: number;
}

export interface SurveyComment extends SurveyCell {
  comment: string;
}

/** The only code that reads or writes the survey tables. */
export interface SurveyStore {
  insertCampaign(campaign: SurveyCampaign): Promise<void>;

  getCampaign(id: string): Promise<SurveyCampaign | undefined>;

  /** Ordered by `closesAt`, then creation. */
  listCampaigns(filter?: SurveyCampaignFilter): Promise<SurveyCampaign[]>;

  /** Applies the patch only while the campaign is a draft; false otherwise. */
  updateDraftCampaign(
    id: string,
    patch: SurveyCampaignPatch,
    now: Date,
  ): Promise<boolean>;

  /**
   * Opens a draft, recording `now` as its opening, unless another campaign is open.
   * Open campaigns whose window ended by `now` are closed first, since nobody can
   * answer them any more.
   */
  openCampaign(id: string, now: Date): Promise<SurveyOpenOutcome>;

  /** Closes an open campaign; false when it was not open. */
  closeCampaign(id: string, now: Date): Promise<boolean>;

  hasParticipated(
    campaignId: string,
    participantHash: string,
  ): Promise<boolean>;

  /**
   * Records participation and stores the response and its answers in one
   * transaction, or stores nothing: when this participant already answered, or
   * the campaign is no longer open at `now`.
   */
  submitResponse(
    submission: SurveySubmission,
    now: Date,
  ): Promise<SurveySubmitOutcome>;

  countResponses(campaignIds: string[]): Promise<SurveyCellCount[]>;

  aggregateAnswers(campaignIds: string[]): Promise<SurveyAnswerAggregate[]>;

  /** The non-empty comments of exactly these cells, in text order (never insertion order). */
  listComments(cells: SurveyCell[]): Promise<SurveyComment[]>;
}
