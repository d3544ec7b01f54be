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
import {
  surveyCampaignInputSchema,
  surveyCampaignUpdateSchema,
  surveySubmissionSchema,
  type SatisfactionSummary,
  type SurveyCampaignInput,
  type SurveyCampaignUpdate,
  type SurveyGroupResult,
  type SurveyQuestion,
  type SurveyResults,
  type SurveySuppressionReason,
} from '@internal/plugin-platform-metrics-common';
import type {
  SurveyAnswerAggregate,
  SurveyCampaign,
  SurveyCampaignPatch,
  SurveyCell,
  SurveyStore,
} from '../database/SurveyStore';
import {
  compareTeams,
  discloseCampaign,
  type CampaignDisclosure,
} from './discloseCampaign';
import { parseInput } from './parseInput';
import { readSurveyConfig } from './readSurveyConfig';
import {
  DEFAULT_SURVEY_QUESTIONS,
  type SurveyPeriodQuery,
  type SurveyResultsQuery,
  type SurveyService,
  type SurveyTrendPoint,
} from './SurveyService';

/**
 * Campaign ids are UUIDs. Anything else names no campaign, and must not reach
 * PostgreSQL, which refuses it as a uuid with a database error.
 */
const CAMPAIGN_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isCampaignId(value: unknown): value is string {
  return typeof value === 'string' && CAMPAIGN_ID.test(value);
}

/** The responses of one group in one campaign, and whether they may be shown. */
interface GroupPart {
  campaign: SurveyCampaign;
  cells: SurveyCell[];
  responses: number;
  hidden?: SurveySuppressionReason;
}

/** One campaign, its responses per team, and who of them may be shown. */
interface DisclosedCampaign extends CampaignDisclosure {
  campaign: SurveyCampaign;
  teams: Map<string | null, number>;
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

  /** Configured by `platformMetrics.survey` (see {@link readSurveyConfig}). */
  static create(options: {
    store: SurveyStore;
    config: Config;
    logger?: LoggerService;
  }): DefaultSurveyService {
    const { participationSecret, minimumGroupSize } = readSurveyConfig(
      options.config,
      options.logger,
    );
    return new DefaultSurveyService(
      options.store,
      participationSecret,
      minimumGroupSize,
    );
  }

  async createCampaign(input: SurveyCampaignInput): Promise<SurveyCampaign> {
    const parsed = parseInput(surveyCampaignInputSchema, input);
    const now = new Date();
    const quarter = parsed.quarter ?? quarterOf(now);
    const bounds = quarterBounds(quarter);
    const opensAt = parsed.opensAt ? new Date(parsed.opensAt) : bounds.start;
    const closesAt = parsed.closesAt ? new Date(parsed.closesAt) : bounds.end;
    checkWindow(opensAt, closesAt);
    const campaign: SurveyCampaign = {
      id: randomUUID(),
      title: parsed.title,
      quarter,
      opensAt,
      closesAt,
      status: 'draft',
      questions: parsed.questions ?? DEFAULT_SURVEY_QUESTIONS,
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
    const parsed = parseInput(surveyCampaignUpdateSchema, update);
    const patch: SurveyCampaignPatch = {};
    if (parsed.title !== undefined) patch.title = parsed.title;
    if (parsed.questions !== undefined) patch.questions = parsed.questions;
    if (parsed.quarter !== undefined) {
      patch.quarter = parsed.quarter;
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
    if (parsed.opensAt !== undefined) patch.opensAt = new Date(parsed.opensAt);
    if (parsed.closesAt !== undefined) {
      patch.closesAt = new Date(parsed.closesAt);
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
    const submission = parseInput(surveySubmissionSchema, { answers, comment });

    const known = new Set(campaign.questions.map(q => q.id));
    for (const key of Object.keys(submission.answers)) {
      if (!known.has(key)) {
        throw new InputError(
          `answers.${key}: is not a question of this campaign`,
        );
      }
    }
    const values = campaign.questions.map(question => {
      if (!Object.hasOwn(submission.answers, question.id)) {
        throw new InputError(`answers.${question.id}: is required`);
      }
      return {
        questionId: question.id,
        value: submission.answers[question.id],
      };
    });

    const outcome = await this.store.submitResponse(
      {
        campaignId,
        participantHash,
        teamRef:
          teamRef === null || teamRef === undefined
            ? null
            : normalizeGroupRef(teamRef, 'teamRef'),
        answers: values,
        comment: submission.comment || null,
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

    const overallParts = groupParts(disclosures, undefined);

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
        opensAt: c.opensAt.toISOString(),
        closesAt: c.closesAt.toISOString(),
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
      this.summarize(groupParts(disclosures, team), tallies, campaigns),
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
        this.summarize(groupParts([disclosure], team), tallies, [
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
    const disclosures = campaigns.map((campaign): DisclosedCampaign => {
      const teams = new Map<string | null, number>();
      for (const count of counts) {
        if (count.campaignId === campaign.id) {
          teams.set(count.teamRef, count.responses);
        }
      }
      return {
        campaign,
        teams,
        ...discloseCampaign(teams, this.minimumGroupSize),
      };
    });
    return { disclosures, tallies: indexTallies(aggregates) };
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

/** A group's part in each campaign: one team's, or with no team given, everyone's. */
function groupParts(
  disclosures: DisclosedCampaign[],
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
    hidden: d.overall,
  }));
}

function teamPart(
  disclosure: DisclosedCampaign,
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
