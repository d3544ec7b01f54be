import { randomUUID } from 'node:crypto';
import type { SurveyQuestion } from '@internal/plugin-platform-metrics-common';
import { Knex } from 'knex';
import type {
  SurveyAnswerAggregate,
  SurveyCampaign,
  SurveyCampaignFilter,
  SurveyCampaignPatch,
  SurveyCampaignStatus,
  SurveyCell,
  SurveyCellCount,
  SurveyComment,
  SurveyOpenOutcome,
  SurveyStore,
  SurveySubmission,
  SurveySubmitOutcome,
} from './SurveyStore';

interface CampaignRow {
  id: string;
  title: string;
  quarter: string;
  opens_at: Date | string | number;
  closes_at: Date | string | number;
  status: SurveyCampaignStatus;
  questions: string;
  created_at: Date | string | number;
  updated_at: Date | string | number;
}

/**
 * better-sqlite3 binds a Date as epoch milliseconds and hands the number back,
 * while pg returns a Date; a string can only come from a column default.
 */
function toDate(value: Date | string | number): Date {
  if (value instanceof Date) {
    return value;
  }
  if (typeof value === 'number' || /^\d+$/.test(value)) {
    return new Date(Number(value));
  }
  // SQLite's CURRENT_TIMESTAMP is UTC without a zone designator.
  return new Date(
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)
      ? `${value.replace(' ', 'T')}Z`
      : value,
  );
}

function campaignToRow(campaign: SurveyCampaign): CampaignRow {
  return {
    id: campaign.id,
    title: campaign.title,
    quarter: campaign.quarter,
    opens_at: campaign.opensAt,
    closes_at: campaign.closesAt,
    status: campaign.status,
    questions: JSON.stringify(campaign.questions),
    created_at: campaign.createdAt,
    updated_at: campaign.updatedAt,
  };
}

function patchToRow(patch: SurveyCampaignPatch): Partial<CampaignRow> {
  const row: Partial<CampaignRow> = {};
  if (patch.title !== undefined) row.title = patch.title;
  if (patch.quarter !== undefined) row.quarter = patch.quarter;
  if (patch.opensAt !== undefined) row.opens_at = patch.opensAt;
  if (patch.closesAt !== undefined) row.closes_at = patch.closesAt;
  if (patch.questions !== undefined) {
    row.questions = JSON.stringify(patch.questions);
  }
  return row;
}

function campaignFromRow(row: CampaignRow): SurveyCampaign {
  return {
    id: row.id,
    title: row.title,
    quarter: row.quarter,
    opensAt: toDate(row.opens_at),
    closesAt: toDate(row.closes_at),
    status: row.status,
    questions: JSON.parse(row.questions) as SurveyQuestion[],
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

/** pg reports the violated constraint by name; better-sqlite3 only in the message. */
function violates(error: unknown, constraint: string, sqliteColumns: string) {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e?.code === '23505') {
    return e.constraint === constraint;
  }
  return (
    typeof e?.code === 'string' &&
    e.code.startsWith('SQLITE_CONSTRAINT') &&
    (e.message ?? '').includes(sqliteColumns)
  );
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const CAMPAIGN_COLUMNS = [
  'id',
  'title',
  'quarter',
  'opens_at',
  'closes_at',
  'status',
  'questions',
  'created_at',
  'updated_at',
];

interface TeamTallyRow {
  campaign_id: string;
  team_ref: string | null;
  responses: string | number;
}

interface AnswerTallyRow {
  campaign_id: string;
  team_ref: string | null;
  question_id: string;
  answers: string | number;
  total: string | number;
  favourable: string | number;
}

/** Responses per team, counted from the answers themselves. */
function countLiveResponses(
  db: Knex,
  campaignIds: string[],
): Promise<TeamTallyRow[]> {
  return db('survey_responses')
    .whereIn('campaign_id', campaignIds)
    .groupBy('campaign_id', 'team_ref')
    .select('campaign_id', 'team_ref', db.raw('count(*) as responses'));
}

/** Answers per team and question, aggregated from the answers themselves. */
function aggregateLiveAnswers(
  db: Knex,
  campaignIds: string[],
): Promise<AnswerTallyRow[]> {
  return db('survey_responses as r')
    .join('survey_answers as a', 'a.response_id', 'r.id')
    .whereIn('r.campaign_id', campaignIds)
    .groupBy('r.campaign_id', 'r.team_ref', 'a.question_id')
    .select(
      'r.campaign_id as campaign_id',
      'r.team_ref as team_ref',
      'a.question_id as question_id',
      db.raw('count(*) as answers'),
      db.raw('sum(a.value) as total'),
      db.raw('sum(case when a.value >= 4 then 1 else 0 end) as favourable'),
    );
}

function teamTallyFromRow(row: TeamTallyRow): SurveyCellCount {
  return {
    campaignId: row.campaign_id,
    teamRef: row.team_ref,
    responses: Number(row.responses),
  };
}

function answerTallyFromRow(row: AnswerTallyRow): SurveyAnswerAggregate {
  return {
    campaignId: row.campaign_id,
    teamRef: row.team_ref,
    questionId: row.question_id,
    answers: Number(row.answers),
    sum: Number(row.total),
    favourable: Number(row.favourable),
  };
}

/** Knex implementation of {@link SurveyStore}; the only code touching the survey tables. */
export class DatabaseSurveyStore implements SurveyStore {
  private constructor(private readonly db: Knex) {}

  static create(options: { knex: Knex }): DatabaseSurveyStore {
    return new DatabaseSurveyStore(options.knex);
  }

  async insertCampaign(campaign: SurveyCampaign): Promise<void> {
    await this.db('survey_campaigns').insert(campaignToRow(campaign));
  }

  async getCampaign(id: string): Promise<SurveyCampaign | undefined> {
    const row: CampaignRow | undefined = await this.db('survey_campaigns')
      .where({ id })
      .first(CAMPAIGN_COLUMNS);
    return row ? campaignFromRow(row) : undefined;
  }

  async listCampaigns(
    filter: SurveyCampaignFilter = {},
  ): Promise<SurveyCampaign[]> {
    const query = this.db('survey_campaigns')
      .select(CAMPAIGN_COLUMNS)
      .orderBy([
        { column: 'closes_at', order: 'asc' },
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    if (filter.ids) {
      query.whereIn('id', filter.ids);
    }
    if (filter.statuses) {
      query.whereIn('status', filter.statuses);
    }
    if (filter.closingIn) {
      query
        .where('closes_at', '>', filter.closingIn.from)
        .andWhere('closes_at', '<=', filter.closingIn.to);
    }
    const rows: CampaignRow[] = await query;
    return rows.map(campaignFromRow);
  }

  async updateDraftCampaign(
    id: string,
    patch: SurveyCampaignPatch,
    now: Date,
  ): Promise<boolean> {
    const updated = await this.db('survey_campaigns')
      .where({ id, status: 'draft' })
      .update({ ...patchToRow(patch), updated_at: now });
    return updated > 0;
  }

  async openCampaign(id: string, now: Date): Promise<SurveyOpenOutcome> {
    try {
      return await this.db.transaction(async tx => {
        const row = await tx('survey_campaigns').where({ id }).first('status');
        if (!row) {
          return 'not-found';
        }
        if (row.status !== 'draft') {
          return 'not-draft';
        }
        await tx('survey_campaigns')
          .where({ status: 'open' })
          .andWhere('closes_at', '<=', now)
          .update({ status: 'closed', updated_at: now });
        const other = await tx('survey_campaigns')
          .where({ status: 'open' })
          .first('id');
        if (other) {
          return 'another-open';
        }
        const opened = await tx('survey_campaigns')
          .where({ id, status: 'draft' })
          .update({ status: 'open', opens_at: now, updated_at: now });
        return opened > 0 ? 'opened' : 'not-draft';
      });
    } catch (error) {
      // A concurrent open won the race to the partial unique index.
      if (
        violates(
          error,
          'survey_campaigns_one_open_uniq',
          'survey_campaigns.status',
        )
      ) {
        return 'another-open';
      }
      throw error;
    }
  }

  async closeCampaign(id: string, now: Date): Promise<boolean> {
    const closed = await this.db('survey_campaigns')
      .where({ id, status: 'open' })
      .update({ status: 'closed', updated_at: now });
    return closed > 0;
  }

  async hasParticipated(
    campaignId: string,
    participantHash: string,
  ): Promise<boolean> {
    const row = await this.db('survey_participation')
      .where({ campaign_id: campaignId, participant_hash: participantHash })
      .first('campaign_id');
    return Boolean(row);
  }

  async submitResponse(
    submission: SurveySubmission,
    now: Date,
  ): Promise<SurveySubmitOutcome> {
    try {
      return await this.db.transaction(async tx => {
        const campaignQuery = tx('survey_campaigns')
          .where({ id: submission.campaignId })
          .first('status', 'closes_at');
        // Holds off a concurrent close until this answer is committed, so a
        // closed campaign's results never change afterwards.
        if (this.db.client.dialect === 'postgresql') {
          campaignQuery.forShare();
        }
        const campaign = await campaignQuery;
        if (
          !campaign ||
          campaign.status !== 'open' ||
          toDate(campaign.closes_at).getTime() <= now.getTime()
        ) {
          return 'campaign-not-open';
        }

        const participation = {
          campaign_id: submission.campaignId,
          participant_hash: submission.participantHash,
        };
        if (
          await tx('survey_participation')
            .where(participation)
            .first('campaign_id')
        ) {
          return 'duplicate';
        }
        await tx('survey_participation').insert(participation);

        const responseId = randomUUID();
        await tx('survey_responses').insert({
          id: responseId,
          campaign_id: submission.campaignId,
          team_ref: submission.teamRef,
          comment: submission.comment,
        });
        if (submission.answers.length > 0) {
          await tx('survey_answers').insert(
            submission.answers.map(answer => ({
              response_id: responseId,
              question_id: answer.questionId,
              value: answer.value,
            })),
          );
        }
        return 'stored';
      });
    } catch (error) {
      // The same person submitting twice at once: the primary key decides.
      if (
        violates(
          error,
          'survey_participation_pkey',
          'survey_participation.campaign_id',
        )
      ) {
        return 'duplicate';
      }
      throw error;
    }
  }

  async countResponses(campaignIds: string[]): Promise<SurveyCellCount[]> {
    if (campaignIds.length === 0) {
      return [];
    }
    const tallied = await this.talliedCampaigns(campaignIds);
    const live = campaignIds.filter(id => !tallied.includes(id));
    const [fromTallies, fromResponses] = await Promise.all([
      tallied.length > 0
        ? this.db('survey_team_tallies')
            .whereIn('campaign_id', tallied)
            .select('campaign_id', 'team_ref', 'responses')
        : [],
      live.length > 0 ? countLiveResponses(this.db, live) : [],
    ]);
    return [...fromTallies, ...fromResponses].map(teamTallyFromRow);
  }

  async aggregateAnswers(
    campaignIds: string[],
  ): Promise<SurveyAnswerAggregate[]> {
    if (campaignIds.length === 0) {
      return [];
    }
    const tallied = await this.talliedCampaigns(campaignIds);
    const live = campaignIds.filter(id => !tallied.includes(id));
    const [fromTallies, fromAnswers] = await Promise.all([
      tallied.length > 0
        ? this.db('survey_answer_tallies')
            .whereIn('campaign_id', tallied)
            .select(
              'campaign_id',
              'team_ref',
              'question_id',
              'answers',
              'total',
              'favourable',
            )
        : [],
      live.length > 0 ? aggregateLiveAnswers(this.db, live) : [],
    ]);
    return [...fromTallies, ...fromAnswers].map(answerTallyFromRow);
  }

  /**
   * The closed campaigns among `campaignIds`, whose results are read from their
   * tallies. A closed campaign read for the first time is tallied here.
   */
  private async talliedCampaigns(campaignIds: string[]): Promise<string[]> {
    const rows: Array<{ id: string; tallied_at: unknown }> = await this.db(
      'survey_campaigns',
    )
      .whereIn('id', campaignIds)
      .where('status', 'closed')
      .select('id', 'tallied_at');
    for (const row of rows) {
      if (row.tallied_at === null) {
        await this.tally(row.id);
      }
    }
    return rows.map(row => row.id);
  }

  /**
   * Writes a closed campaign's tallies once. Whoever sets `tallied_at` writes
   * them in the same transaction; a concurrent reader waits on the campaign row
   * and then finds it set, so tallies are never written twice.
   */
  private async tally(campaignId: string): Promise<void> {
    await this.db.transaction(async tx => {
      const claimed = await tx('survey_campaigns')
        .where({ id: campaignId, status: 'closed' })
        .whereNull('tallied_at')
        .update({ tallied_at: new Date() });
      if (claimed === 0) {
        return;
      }
      const teams = await countLiveResponses(tx, [campaignId]);
      const answers = await aggregateLiveAnswers(tx, [campaignId]);
      if (teams.length > 0) {
        await tx.batchInsert('survey_team_tallies', teams, 500);
      }
      if (answers.length > 0) {
        await tx.batchInsert('survey_answer_tallies', answers, 500);
      }
    });
  }

  async listComments(cells: SurveyCell[]): Promise<SurveyComment[]> {
    if (cells.length === 0) {
      return [];
    }
    const byCampaign = new Map<string, { teams: string[]; noTeam: boolean }>();
    for (const cell of cells) {
      const entry = byCampaign.get(cell.campaignId) ?? {
        teams: [],
        noTeam: false,
      };
      if (cell.teamRef === null) {
        entry.noTeam = true;
      } else {
        entry.teams.push(cell.teamRef);
      }
      byCampaign.set(cell.campaignId, entry);
    }

    const rows: Array<{
      campaign_id: string;
      team_ref: string | null;
      comment: string;
    }> = await this.db('survey_responses')
      .select('campaign_id', 'team_ref', 'comment')
      .whereNotNull('comment')
      .andWhere(outer => {
        for (const [campaignId, { teams, noTeam }] of byCampaign) {
          outer.orWhere(inner => {
            inner.where('campaign_id', campaignId).andWhere(team => {
              if (teams.length > 0) {
                team.whereIn('team_ref', teams);
              }
              if (noTeam) {
                team.orWhereNull('team_ref');
              }
            });
          });
        }
      });

    // Sorted by text in Node, so that the order is the same on every database
    // and never reflects the order in which people answered.
    return rows
      .map(row => ({
        campaignId: row.campaign_id,
        teamRef: row.team_ref,
        comment: row.comment,
      }))
      .sort((a, b) => compareText(a.comment, b.comment));
  }
}
