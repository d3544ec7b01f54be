import { createHmac, randomUUID } from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { SatisfactionSummary } from '@internal/plugin-platform-metrics-common';
import type {
  SurveyAnswerAggregate,
  SurveyCampaign,
  SurveyCampaignPatch,
  SurveyCell,
  SurveyQuestion,
  SurveyQuestionKind,
  SurveyStore,
} from '../database/SurveyStore';
import defaultSurveyQuestions from './defaultSurveyQuestions.json';

export const DEFAULT_MINIMUM_GROUP_SIZE = 5;

/**
 * The smallest minimum group size accepted; lower configured values are raised to
 * it. With two respondents, each can subtract their own answer from the group's
 * result and read the other's, so two can never be anonymous.
 */
export const MINIMUM_GROUP_SIZE_FLOOR = 3;

export const MAX_COMMENT_LENGTH = 2000;

/**
 * Used only outside production when `platformMetrics.survey.participationSecret` is
 * not configured. It is public, so anyone holding the database and the user list
 * could tell who participated: never rely on it for real answers.
 */
export const DEVELOPMENT_PARTICIPATION_SECRET =
  'platform-metrics-development-only-participation-secret';

/** Below this, the HMAC key could be guessed and participation re-identified. */
const PRODUCTION_SECRET_MIN_LENGTH = 32;

/**
 * Campaign ids are UUIDs. Anything else names no campaign, and must not reach
 * PostgreSQL, which refuses it as a uuid with a database error.
 */
const CAMPAIGN_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isCampaignId(value: unknown): value is string {
  return typeof value === 'string' && CAMPAIGN_ID.test(value);
}

// A JSON file, so that the benchmark's data generator (plain Node) asks the
// same questions as the portal.
export const DEFAULT_SURVEY_QUESTIONS =
  defaultSurveyQuestions as SurveyQuestion[];

export type SuppressionReason =
  | 'below-minimum-group-size'
  | 'protects-another-group';

export interface SurveyCampaignInput {
  title: string;
  /** `2026-Q4`; defaults to the current quarter (UTC). */
  quarter?: string;
  /** Defaults to {@link DEFAULT_SURVEY_QUESTIONS}. */
  questions?: SurveyQuestion[];
  /** Defaults to the start of the quarter. */
  opensAt?: Date | string;
  /** Exclusive; defaults to the end of the quarter. */
  closesAt?: Date | string;
}

export type SurveyCampaignUpdate = Partial<SurveyCampaignInput>;

export interface SurveyQuestionResult {
  questionId: string;
  kind: SurveyQuestionKind;
  text: string;
  /** Answers behind the figures. */
  answers: number;
  /** Share of answers 4 or 5, 0 to 100. */
  percentFavourable: number | null;
  mean: number | null;
}

export interface SurveyGroupResult {
  /** Owning Group ref; null for respondents without a team; absent on the overall result. */
  team?: string | null;
  /** Every response of the group in the selected campaigns. */
  responses: number;
  /**
   * The responses behind the figures. Lower than `responses` when the group was
   * suppressed in some of the selected campaigns: suppression is decided per
   * campaign, so that comparing overlapping campaign selections reveals nothing.
   */
  reportedResponses: number;
  suppressed: boolean;
  reason?: SuppressionReason;
  /** The satisfaction item: share of answers 4 or 5, 0 to 100. */
  percentFavourable: number | null;
  /** The satisfaction item's mean, 1 to 5. */
  mean: number | null;
  /** Responses per eligible person per campaign, 0 to 100; null without a head-count. */
  participationPercent: number | null;
  questions: SurveyQuestionResult[];
  /** Only when asked for and the group is not suppressed; in text order. */
  comments?: string[];
}

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

export interface SurveyResultsCampaign {
  id: string;
  title: string;
  quarter: string;
  opensAt: Date;
  closesAt: Date;
}

export interface SurveyResults {
  campaigns: SurveyResultsCampaign[];
  minimumGroupSize: number;
  overall: SurveyGroupResult;
  /** One entry per team (null: no team) with responses; only `team` when filtered. */
  teams: SurveyGroupResult[];
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

/** The responses of one group in one campaign, and whether they may be shown. */
interface GroupPart {
  campaign: SurveyCampaign;
  cells: SurveyCell[];
  responses: number;
  hidden?: SuppressionReason;
}

/** Who may be shown in one campaign. */
interface CampaignDisclosure {
  campaign: SurveyCampaign;
  total: number;
  teams: Map<string | null, number>;
  hidden: Map<string | null, SuppressionReason>;
}

interface Tally {
  answers: number;
  sum: number;
  favourable: number;
}

function cellKey(campaignId: string, teamRef: string | null): string {
  return JSON.stringify([campaignId, teamRef]);
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function compareTeams(a: string | null, b: string | null): number {
  if (a === null || b === null) {
    return Number(a === null) - Number(b === null);
  }
  return compareText(a, b);
}

function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

function quarterBounds(quarter: string): { start: Date; end: Date } {
  const year = Number(quarter.slice(0, 4));
  const index = Number(quarter.slice(6)) - 1;
  return {
    start: new Date(Date.UTC(year, index * 3, 1)),
    end: new Date(Date.UTC(year, index * 3 + 3, 1)),
  };
}

function parseQuarter(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{4}-Q[1-4]$/.test(value)) {
    throw new InputError(`quarter: must look like 2026-Q4, got ${value}`);
  }
  return value;
}

function parseTitle(value: unknown): string {
  const title = typeof value === 'string' ? value.trim() : '';
  if (!title || title.length > 255) {
    throw new InputError('title: must be 1 to 255 characters');
  }
  return title;
}

function parseDate(value: unknown, field: string): Date {
  let date: Date | undefined;
  if (value instanceof Date) {
    date = value;
  } else if (typeof value === 'string') {
    date = new Date(value);
  }
  if (!date || Number.isNaN(date.getTime())) {
    throw new InputError(`${field}: must be an ISO 8601 timestamp`);
  }
  return date;
}

function checkWindow(opensAt: Date, closesAt: Date) {
  if (closesAt.getTime() <= opensAt.getTime()) {
    throw new InputError('closesAt: must be after opensAt');
  }
}

function parseQuestions(value: unknown): SurveyQuestion[] {
  if (!Array.isArray(value)) {
    throw new InputError('questions: must be an array');
  }
  const seen = new Set<string>();
  const questions = value.map((item, index): SurveyQuestion => {
    const field = `questions[${index}]`;
    const { id, kind, text } = (item ?? {}) as Record<string, unknown>;
    // A letter first keeps ids like `__proto__` out of the answers object.
    if (typeof id !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(id)) {
      throw new InputError(
        `${field}.id: must be a letter followed by up to 63 letters, digits, _ or -`,
      );
    }
    if (seen.has(id)) {
      throw new InputError(`${field}.id: ${id} is used twice`);
    }
    seen.add(id);
    if (kind !== 'satisfaction' && kind !== 'driver') {
      throw new InputError(`${field}.kind: must be satisfaction or driver`);
    }
    const trimmed = typeof text === 'string' ? text.trim() : '';
    if (!trimmed || trimmed.length > 500) {
      throw new InputError(`${field}.text: must be 1 to 500 characters`);
    }
    return { id, kind, text: trimmed };
  });
  const satisfaction = questions.filter(q => q.kind === 'satisfaction').length;
  if (satisfaction !== 1) {
    throw new InputError(
      `questions: must contain exactly one satisfaction item, found ${satisfaction}`,
    );
  }
  const drivers = questions.filter(q => q.kind === 'driver').length;
  if (drivers < 2 || drivers > 4) {
    throw new InputError(
      `questions: must contain two to four driver items, found ${drivers}`,
    );
  }
  return questions;
}

/**
 * Group refs are compared case-insensitively, like the catalog does; they are
 * stored lower-cased so that one team is always one group.
 */
function normalizeGroupRef(value: unknown, field: string): string {
  const problem = `${field}: must be a Group entity ref such as group:default/payments`;
  if (typeof value !== 'string' || !value.trim()) {
    throw new InputError(problem);
  }
  let ref;
  try {
    ref = parseEntityRef(value.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch {
    throw new InputError(problem);
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new InputError(problem);
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}

function optionalTeam(value: string | undefined): string | undefined {
  return value === undefined ? undefined : normalizeGroupRef(value, 'team');
}

function readMinimumGroupSize(config: Config): number {
  const key = 'platformMetrics.survey.minimumGroupSize';
  const configured = config.getOptionalNumber(key);
  if (configured === undefined) {
    return DEFAULT_MINIMUM_GROUP_SIZE;
  }
  if (!Number.isFinite(configured)) {
    throw new Error(`${key} must be a finite number`);
  }
  // Clamped, not rejected: a lower setting still gets the safest allowed value.
  return Math.max(MINIMUM_GROUP_SIZE_FLOOR, Math.ceil(configured));
}

function readParticipationSecret(
  config: Config,
  logger?: LoggerService,
): string {
  const key = 'platformMetrics.survey.participationSecret';
  const secret = config.getOptionalString(key);
  const production = process.env.NODE_ENV === 'production';
  if (secret === undefined || secret === '') {
    if (production) {
      throw new Error(
        `${key} is required in production: it keys the hash that records who answered a survey`,
      );
    }
    logger?.warn(
      `${key} is not set; using a public development-only secret. Set it before collecting real answers.`,
    );
    return DEVELOPMENT_PARTICIPATION_SECRET;
  }
  if (production && secret.length < PRODUCTION_SECRET_MIN_LENGTH) {
    throw new Error(
      `${key} must be at least ${PRODUCTION_SECRET_MIN_LENGTH} characters in production`,
    );
  }
  return secret;
}

/**
 * Decides which teams of one campaign may be shown. Teams below the minimum are
 * hidden; then, if the hidden responses are fewer than the minimum, the overall
 * result minus the shown teams would reveal them, so the smallest shown teams are
 * hidden too until the hidden total reaches the minimum. Ties go by team ref so
 * that every query hides the same teams: alternating choices would leak as well.
 */
function disclose(
  campaign: SurveyCampaign,
  teams: Map<string | null, number>,
  minimum: number,
): CampaignDisclosure {
  const hidden = new Map<string | null, SuppressionReason>();
  let hiddenTotal = 0;
  let total = 0;
  for (const [team, responses] of teams) {
    total += responses;
    if (responses < minimum) {
      hidden.set(team, 'below-minimum-group-size');
      hiddenTotal += responses;
    }
  }
  const shown = [...teams]
    .filter(([team]) => !hidden.has(team))
    .sort(([a, x], [b, y]) => x - y || compareTeams(a, b));
  for (const [team, responses] of shown) {
    if (hiddenTotal === 0 || hiddenTotal >= minimum) {
      break;
    }
    hidden.set(team, 'protects-another-group');
    hiddenTotal += responses;
  }
  return { campaign, total, teams, hidden };
}

function emptyTally(): Tally {
  return { answers: 0, sum: 0, favourable: 0 };
}

function mean(tally: Tally): number | null {
  return tally.answers > 0 ? tally.sum / tally.answers : null;
}

function percentFavourable(tally: Tally): number | null {
  return tally.answers > 0 ? (tally.favourable / tally.answers) * 100 : null;
}

/** Default {@link SurveyService}, on a {@link SurveyStore}. */
export class DefaultSurveyService implements SurveyService {
  private constructor(
    private readonly store: SurveyStore,
    private readonly participationSecret: string,
    readonly minimumGroupSize: number,
  ) {}

  /**
   * Reads `platformMetrics.survey.participationSecret` (required in production;
   * elsewhere {@link DEVELOPMENT_PARTICIPATION_SECRET} stands in, with a warning)
   * and `platformMetrics.survey.minimumGroupSize` (default 5, never below 3).
   */
  static create(options: {
    store: SurveyStore;
    config: Config;
    logger?: LoggerService;
  }): DefaultSurveyService {
    return new DefaultSurveyService(
      options.store,
      readParticipationSecret(options.config, options.logger),
      readMinimumGroupSize(options.config),
    );
  }

  async createCampaign(input: SurveyCampaignInput): Promise<SurveyCampaign> {
    const now = new Date();
    const quarter =
      input.quarter === undefined
        ? quarterOf(now)
        : parseQuarter(input.quarter);
    const bounds = quarterBounds(quarter);
    const opensAt =
      input.opensAt === undefined
        ? bounds.start
        : parseDate(input.opensAt, 'opensAt');
    const closesAt =
      input.closesAt === undefined
        ? bounds.end
        : parseDate(input.closesAt, 'closesAt');
    checkWindow(opensAt, closesAt);
    const campaign: SurveyCampaign = {
      id: randomUUID(),
      title: parseTitle(input.title),
      quarter,
      opensAt,
      closesAt,
      status: 'draft',
      questions:
        input.questions === undefined
          ? DEFAULT_SURVEY_QUESTIONS
          : parseQuestions(input.questions),
      createdAt: now,
      updatedAt: now,
    };
    await this.store.insertCampaign(campaign);
    return campaign;
  }

  async updateCampaign(
    campaignId: string,
    update: SurveyCampaignUpdate,
  ): Promise<SurveyCampaign> {
    const campaign = await this.getCampaign(campaignId);
    if (campaign.status !== 'draft') {
      throw new NotAllowedError(
        `Survey campaign ${campaignId} is ${campaign.status}; it can only be changed while it is a draft`,
      );
    }
    const patch: SurveyCampaignPatch = {};
    if (update.title !== undefined) patch.title = parseTitle(update.title);
    if (update.questions !== undefined) {
      patch.questions = parseQuestions(update.questions);
    }
    if (update.quarter !== undefined) {
      patch.quarter = parseQuarter(update.quarter);
      // Dates still at the old quarter's defaults move with the quarter.
      const before = quarterBounds(campaign.quarter);
      const after = quarterBounds(patch.quarter);
      if (campaign.opensAt.getTime() === before.start.getTime()) {
        patch.opensAt = after.start;
      }
      if (campaign.closesAt.getTime() === before.end.getTime()) {
        patch.closesAt = after.end;
      }
    }
    if (update.opensAt !== undefined) {
      patch.opensAt = parseDate(update.opensAt, 'opensAt');
    }
    if (update.closesAt !== undefined) {
      patch.closesAt = parseDate(update.closesAt, 'closesAt');
    }
    checkWindow(
      patch.opensAt ?? campaign.opensAt,
      patch.closesAt ?? campaign.closesAt,
    );
    if (
      !(await this.store.updateDraftCampaign(campaignId, patch, new Date()))
    ) {
      throw new NotAllowedError(
        `Survey campaign ${campaignId} was opened meanwhile; it can only be changed while it is a draft`,
      );
    }
    return this.getCampaign(campaignId);
  }

  async openCampaign(campaignId: string): Promise<SurveyCampaign> {
    const campaign = await this.getCampaign(campaignId);
    if (campaign.status !== 'draft') {
      throw new NotAllowedError(
        `Survey campaign ${campaignId} is ${campaign.status}; only a draft can be opened`,
      );
    }
    const now = new Date();
    if (campaign.closesAt.getTime() <= now.getTime()) {
      throw new InputError(
        `closesAt: the campaign's window ended at ${campaign.closesAt.toISOString()}; move it before opening`,
      );
    }
    const outcome = await this.store.openCampaign(campaignId, now);
    if (outcome === 'another-open') {
      throw new ConflictError(
        'Another survey campaign is open; close it before opening this one',
      );
    } else if (outcome === 'not-found') {
      throw new NotFoundError(`No survey campaign ${campaignId}`);
    } else if (outcome === 'not-draft') {
      throw new NotAllowedError(
        `Survey campaign ${campaignId} is no longer a draft; only a draft can be opened`,
      );
    }
    return this.getCampaign(campaignId);
  }

  async closeCampaign(campaignId: string): Promise<SurveyCampaign> {
    const campaign = await this.getCampaign(campaignId);
    if (
      campaign.status !== 'open' ||
      !(await this.store.closeCampaign(campaignId, new Date()))
    ) {
      throw new NotAllowedError(
        `Survey campaign ${campaignId} is not open, so it cannot be closed`,
      );
    }
    return this.getCampaign(campaignId);
  }

  async getCampaign(campaignId: string): Promise<SurveyCampaign> {
    const campaign = isCampaignId(campaignId)
      ? await this.store.getCampaign(campaignId)
      : undefined;
    if (!campaign) {
      throw new NotFoundError(`No survey campaign ${campaignId}`);
    }
    return campaign;
  }

  listCampaigns(): Promise<SurveyCampaign[]> {
    return this.store.listCampaigns();
  }

  async getOpenCampaign(): Promise<SurveyCampaign | undefined> {
    const now = Date.now();
    const open = await this.store.listCampaigns({ statuses: ['open'] });
    return open.find(campaign => campaign.closesAt.getTime() > now);
  }

  async hasAnswered(campaignId: string, userRef: string): Promise<boolean> {
    if (!isCampaignId(campaignId)) return false;
    return this.store.hasParticipated(
      campaignId,
      this.participantHash(campaignId, userRef),
    );
  }

  async submit(
    campaignId: string,
    userRef: string,
    teamRef: string | null,
    answers: Record<string, number>,
    comment?: string,
  ): Promise<void> {
    const campaign = await this.getCampaign(campaignId);
    if (!this.isAnswerable(campaign, new Date())) {
      throw new NotAllowedError(
        `Survey campaign ${campaignId} is not open for answers`,
      );
    }
    const participantHash = this.participantHash(campaignId, userRef);

    if (
      typeof answers !== 'object' ||
      answers === null ||
      Array.isArray(answers)
    ) {
      throw new InputError('answers: must map each question id to 1 to 5');
    }
    const known = new Set(campaign.questions.map(q => q.id));
    for (const key of Object.keys(answers)) {
      if (!known.has(key)) {
        throw new InputError(
          `answers.${key}: is not a question of this campaign`,
        );
      }
    }
    const values = campaign.questions.map(question => {
      const value = Object.hasOwn(answers, question.id)
        ? answers[question.id]
        : undefined;
      if (value === undefined) {
        throw new InputError(`answers.${question.id}: is required`);
      }
      if (!Number.isInteger(value) || value < 1 || value > 5) {
        throw new InputError(
          `answers.${question.id}: must be an integer from 1 to 5`,
        );
      }
      return { questionId: question.id, value };
    });

    let text: string | null = null;
    if (comment !== undefined && comment !== null) {
      if (typeof comment !== 'string') {
        throw new InputError('comment: must be a string');
      }
      text = comment.trim() || null;
      if (text && text.length > MAX_COMMENT_LENGTH) {
        throw new InputError(
          `comment: must be at most ${MAX_COMMENT_LENGTH} characters`,
        );
      }
    }

    const outcome = await this.store.submitResponse(
      {
        campaignId,
        participantHash,
        teamRef:
          teamRef === null || teamRef === undefined
            ? null
            : normalizeGroupRef(teamRef, 'teamRef'),
        answers: values,
        comment: text,
      },
      new Date(),
    );
    if (outcome === 'duplicate') {
      throw new ConflictError('You have already answered this survey');
    } else if (outcome === 'campaign-not-open') {
      throw new NotAllowedError(
        `Survey campaign ${campaignId} is not open for answers`,
      );
    }
  }

  async results(query: SurveyResultsQuery): Promise<SurveyResults> {
    const team = optionalTeam(query.team);
    const eligible = this.parseEligible(query.eligible);
    const campaigns = await this.selectCampaigns(query);
    const { disclosures, tallies } = await this.loadDisclosures(campaigns);

    const overallParts = this.groupParts(disclosures, undefined);

    const teamRefs =
      team !== undefined
        ? [team]
        : [...new Set(disclosures.flatMap(d => [...d.teams.keys()]))].sort(
            compareTeams,
          );
    const teamParts = teamRefs.map(teamRef => ({
      teamRef,
      parts: disclosures.map(d => teamPart(d, teamRef)),
    }));

    let comments: Map<string, string[]> | undefined;
    if (query.includeComments) {
      // Every comment shown anywhere belongs to a campaign whose overall result
      // is shown; team groups only show the subset of their shown cells.
      const listed = await this.store.listComments(
        overallParts.filter(p => !p.hidden).flatMap(p => p.cells),
      );
      comments = new Map();
      for (const item of listed) {
        const key = cellKey(item.campaignId, item.teamRef);
        comments.set(key, [...(comments.get(key) ?? []), item.comment]);
      }
    }

    const totalEligible = eligible
      ? [...eligible.values()].reduce((sum, n) => sum + n, 0)
      : undefined;
    const overall = this.summarize(overallParts, tallies, campaigns, {
      comments,
      eligible: totalEligible,
    });
    const teams = teamParts.map(({ teamRef, parts }) => ({
      team: teamRef,
      ...this.summarize(parts, tallies, campaigns, {
        comments,
        eligible: teamRef === null ? undefined : eligible?.get(teamRef),
      }),
    }));

    return {
      campaigns: campaigns.map(c => ({
        id: c.id,
        title: c.title,
        quarter: c.quarter,
        opensAt: c.opensAt,
        closesAt: c.closesAt,
      })),
      minimumGroupSize: this.minimumGroupSize,
      overall,
      teams,
    };
  }

  async satisfaction(query: SurveyPeriodQuery): Promise<SatisfactionSummary> {
    const team = optionalTeam(query.team);
    const campaigns = await this.selectCampaigns({
      from: query.from,
      to: query.to,
    });
    const { disclosures, tallies } = await this.loadDisclosures(campaigns);
    return toSatisfactionSummary(
      this.summarize(this.groupParts(disclosures, team), tallies, campaigns),
    );
  }

  async trend(query: {
    team?: string;
    from?: Date | string;
    to?: Date | string;
  }): Promise<SurveyTrendPoint[]> {
    const team = optionalTeam(query.team);
    const campaigns =
      query.from === undefined && query.to === undefined
        ? this.endedCampaigns(
            await this.store.listCampaigns({ statuses: ['open', 'closed'] }),
          )
        : await this.selectCampaigns({ from: query.from, to: query.to });
    const { disclosures, tallies } = await this.loadDisclosures(campaigns);
    return disclosures.map(disclosure => ({
      campaignId: disclosure.campaign.id,
      title: disclosure.campaign.title,
      quarter: disclosure.campaign.quarter,
      closesAt: disclosure.campaign.closesAt,
      ...toSatisfactionSummary(
        this.summarize(this.groupParts([disclosure], team), tallies, [
          disclosure.campaign,
        ]),
      ),
    }));
  }

  /**
   * Keyed so that the table of participants cannot be matched against a list of
   * users without the secret; the campaign is part of the input so that one
   * person's records in different campaigns cannot be linked either.
   */
  private participantHash(campaignId: string, userRef: string): string {
    if (typeof userRef !== 'string' || !userRef.trim()) {
      throw new InputError('userRef: must be the signed-in user entity ref');
    }
    return createHmac('sha256', this.participationSecret)
      .update(
        JSON.stringify([campaignId, userRef.trim().toLocaleLowerCase('en-US')]),
      )
      .digest('hex');
  }

  private isAnswerable(campaign: SurveyCampaign, now: Date): boolean {
    return (
      campaign.status === 'open' && campaign.closesAt.getTime() > now.getTime()
    );
  }

  /**
   * Results only ever cover campaigns nobody can answer any more: results that
   * still change could be compared before and after someone answered.
   */
  private endedCampaigns(campaigns: SurveyCampaign[]): SurveyCampaign[] {
    const now = new Date();
    return campaigns.filter(
      c =>
        c.status === 'closed' ||
        (c.status === 'open' && !this.isAnswerable(c, now)),
    );
  }

  private async selectCampaigns(query: {
    campaignIds?: string[];
    from?: Date | string;
    to?: Date | string;
  }): Promise<SurveyCampaign[]> {
    if (query.campaignIds !== undefined) {
      if (query.from !== undefined || query.to !== undefined) {
        throw new InputError(
          'campaignIds: cannot be combined with from and to',
        );
      }
      if (!Array.isArray(query.campaignIds)) {
        throw new InputError('campaignIds: must be an array of campaign ids');
      }
      const ids = [...new Set(query.campaignIds)];
      const unknown = ids.find(id => !isCampaignId(id));
      if (unknown !== undefined) {
        throw new NotFoundError(`No survey campaign ${unknown}`);
      }
      const found = await this.store.listCampaigns({ ids });
      for (const id of ids) {
        const campaign = found.find(c => c.id === id);
        if (!campaign) {
          throw new NotFoundError(`No survey campaign ${id}`);
        }
        if (this.endedCampaigns([campaign]).length === 0) {
          throw new NotAllowedError(
            `Results of survey campaign ${id} are available once it has closed`,
          );
        }
      }
      return found;
    }
    if (query.from === undefined && query.to === undefined) {
      const ended = this.endedCampaigns(
        await this.store.listCampaigns({ statuses: ['open', 'closed'] }),
      );
      return ended.slice(-1);
    }
    const from = parseDate(query.from, 'from');
    const to = parseDate(query.to, 'to');
    if (to.getTime() <= from.getTime()) {
      throw new InputError('to: must be after from');
    }
    return this.endedCampaigns(
      await this.store.listCampaigns({
        statuses: ['open', 'closed'],
        closingIn: { from, to },
      }),
    );
  }

  private parseEligible(
    eligible: Record<string, number> | undefined,
  ): Map<string, number> | undefined {
    if (eligible === undefined) {
      return undefined;
    }
    if (typeof eligible !== 'object' || eligible === null) {
      throw new InputError('eligible: must map team refs to head-counts');
    }
    const counts = new Map<string, number>();
    for (const [ref, count] of Object.entries(eligible)) {
      if (!Number.isInteger(count) || count < 0) {
        throw new InputError(`eligible.${ref}: must be a whole number`);
      }
      const team = normalizeGroupRef(ref, `eligible.${ref}`);
      counts.set(team, (counts.get(team) ?? 0) + count);
    }
    return counts;
  }

  private async loadDisclosures(campaigns: SurveyCampaign[]) {
    const ids = campaigns.map(c => c.id);
    const [counts, aggregates] = await Promise.all([
      this.store.countResponses(ids),
      this.store.aggregateAnswers(ids),
    ]);
    const disclosures = campaigns.map(campaign => {
      const teams = new Map<string | null, number>();
      for (const count of counts) {
        if (count.campaignId === campaign.id) {
          teams.set(count.teamRef, count.responses);
        }
      }
      return disclose(campaign, teams, this.minimumGroupSize);
    });
    return { disclosures, tallies: indexTallies(aggregates) };
  }

  private groupParts(
    disclosures: CampaignDisclosure[],
    team: string | undefined,
  ): GroupPart[] {
    if (team !== undefined) {
      return disclosures.map(d => teamPart(d, team));
    }
    return disclosures.map(d => ({
      campaign: d.campaign,
      cells: [...d.teams.keys()].map(teamRef => ({
        campaignId: d.campaign.id,
        teamRef,
      })),
      responses: d.total,
      hidden:
        d.total < this.minimumGroupSize
          ? 'below-minimum-group-size'
          : undefined,
    }));
  }

  /** Adds up the shown parts of a group; hidden parts only count as responses. */
  private summarize(
    parts: GroupPart[],
    tallies: Map<string, Map<string, Tally>>,
    campaigns: SurveyCampaign[],
    options: { comments?: Map<string, string[]>; eligible?: number } = {},
  ): SurveyGroupResult {
    const shown = parts.filter(p => !p.hidden && p.responses > 0);
    const responses = parts.reduce((sum, p) => sum + p.responses, 0);
    const reportedResponses = shown.reduce((sum, p) => sum + p.responses, 0);
    const suppressed = responses > 0 && reportedResponses === 0;

    const satisfaction = emptyTally();
    const byQuestion = new Map<string, Tally>();
    for (const part of shown) {
      const satisfactionId = part.campaign.questions.find(
        q => q.kind === 'satisfaction',
      )?.id;
      for (const cell of part.cells) {
        const cellTallies = tallies.get(cellKey(cell.campaignId, cell.teamRef));
        for (const [questionId, tally] of cellTallies ?? []) {
          const total = byQuestion.get(questionId) ?? emptyTally();
          addTally(total, tally);
          byQuestion.set(questionId, total);
          if (questionId === satisfactionId) {
            addTally(satisfaction, tally);
          }
        }
      }
    }

    const result: SurveyGroupResult = {
      responses,
      reportedResponses,
      suppressed,
      percentFavourable: percentFavourable(satisfaction),
      mean: mean(satisfaction),
      participationPercent:
        options.eligible && campaigns.length > 0
          ? (responses / (options.eligible * campaigns.length)) * 100
          : null,
      questions: questionsOf(campaigns).map(question => {
        const tally = byQuestion.get(question.id) ?? emptyTally();
        return {
          questionId: question.id,
          kind: question.kind,
          text: question.text,
          answers: tally.answers,
          percentFavourable: percentFavourable(tally),
          mean: mean(tally),
        };
      }),
    };
    if (suppressed) {
      result.reason = parts.some(
        p => p.responses > 0 && p.hidden === 'below-minimum-group-size',
      )
        ? 'below-minimum-group-size'
        : 'protects-another-group';
    }
    if (options.comments && !suppressed) {
      result.comments = shown
        .flatMap(part =>
          part.cells.flatMap(
            cell =>
              options.comments?.get(cellKey(cell.campaignId, cell.teamRef)) ??
              [],
          ),
        )
        .sort(compareText);
    }
    return result;
  }
}

function teamPart(
  disclosure: CampaignDisclosure,
  teamRef: string | null,
): GroupPart {
  return {
    campaign: disclosure.campaign,
    cells: [{ campaignId: disclosure.campaign.id, teamRef }],
    responses: disclosure.teams.get(teamRef) ?? 0,
    hidden: disclosure.hidden.get(teamRef),
  };
}

function indexTallies(
  aggregates: SurveyAnswerAggregate[],
): Map<string, Map<string, Tally>> {
  const index = new Map<string, Map<string, Tally>>();
  for (const aggregate of aggregates) {
    const key = cellKey(aggregate.campaignId, aggregate.teamRef);
    const questions = index.get(key) ?? new Map<string, Tally>();
    questions.set(aggregate.questionId, {
      answers: aggregate.answers,
      sum: aggregate.sum,
      favourable: aggregate.favourable,
    });
    index.set(key, questions);
  }
  return index;
}

function addTally(into: Tally, tally: Tally) {
  into.answers += tally.answers;
  into.sum += tally.sum;
  into.favourable += tally.favourable;
}

/** The questions of the newest campaign first, then any older ones it dropped. */
function questionsOf(campaigns: SurveyCampaign[]): SurveyQuestion[] {
  const seen = new Map<string, SurveyQuestion>();
  for (const campaign of [...campaigns].reverse()) {
    for (const question of campaign.questions) {
      if (!seen.has(question.id)) {
        seen.set(question.id, question);
      }
    }
  }
  return [...seen.values()];
}

/** A suppressed summary still says how many answered, never what. */
function toSatisfactionSummary(group: SurveyGroupResult): SatisfactionSummary {
  return {
    percentFavourable: group.percentFavourable,
    mean: group.mean,
    responses: group.suppressed ? group.responses : group.reportedResponses,
    suppressed: group.suppressed,
  };
}
