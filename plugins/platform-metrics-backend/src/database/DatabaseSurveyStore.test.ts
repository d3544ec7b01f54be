import { randomUUID } from 'node:crypto';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseSurveyStore } from './DatabaseSurveyStore';
import {
  applyDatabaseMigrations,
  rollbackDatabaseMigrations,
} from './migrations';
import type { SurveyCampaign, SurveySubmission } from './SurveyStore';

jest.setTimeout(60_000);

const DAY = 24 * 60 * 60 * 1000;

const QUESTIONS = [
  { id: 'satisfaction', kind: 'satisfaction' as const, text: 'Satisfied?' },
  { id: 'speed', kind: 'driver' as const, text: 'Fast?' },
  { id: 'docs', kind: 'driver' as const, text: 'Documented?' },
];

function campaign(overrides: Partial<SurveyCampaign> = {}): SurveyCampaign {
  const now = new Date();
  return {
    id: randomUUID(),
    title: 'Platform survey',
    quarter: '2026-Q4',
    opensAt: new Date(now.getTime() - DAY),
    closesAt: new Date(now.getTime() + 7 * DAY),
    status: 'draft',
    questions: QUESTIONS,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

function submission(
  campaignId: string,
  participantHash: string,
  overrides: Partial<SurveySubmission> = {},
): SurveySubmission {
  return {
    campaignId,
    participantHash,
    teamRef: 'group:default/payments',
    answers: [
      { questionId: 'satisfaction', value: 4 },
      { questionId: 'speed', value: 3 },
      { questionId: 'docs', value: 5 },
    ],
    comment: null,
    ...overrides,
  };
}

describe('DatabaseSurveyStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let store: DatabaseSurveyStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      store = DatabaseSurveyStore.create({ knex });
    });

    beforeEach(async () => {
      await knex('survey_answers').delete();
      await knex('survey_responses').delete();
      await knex('survey_participation').delete();
      await knex('survey_campaigns').delete();
    });

    async function openCampaign(overrides: Partial<SurveyCampaign> = {}) {
      const c = campaign(overrides);
      await store.insertCampaign(c);
      await expect(store.openCampaign(c.id, new Date())).resolves.toBe(
        'opened',
      );
      return c;
    }

    it('stores no user reference and no time next to the answers', async () => {
      const columns = async (table: string) =>
        Object.keys(await knex(table).columnInfo()).sort();
      expect(await columns('survey_responses')).toEqual([
        'campaign_id',
        'comment',
        'id',
        'team_ref',
      ]);
      expect(await columns('survey_answers')).toEqual([
        'question_id',
        'response_id',
        'value',
      ]);
      expect(await columns('survey_participation')).toEqual([
        'campaign_id',
        'participant_hash',
      ]);
    });

    it('round-trips a campaign, normalising timestamps', async () => {
      const c = campaign();
      await store.insertCampaign(c);
      const stored = await store.getCampaign(c.id);
      expect(stored).toEqual(c);
      expect(stored?.closesAt).toBeInstanceOf(Date);
      expect(await store.getCampaign(randomUUID())).toBeUndefined();
    });

    it('lists campaigns whose window ends in (from, to], oldest first', async () => {
      const from = new Date('2026-10-01T00:00:00Z');
      const to = new Date('2027-01-01T00:00:00Z');
      const atFrom = campaign({ closesAt: from, opensAt: new Date(0) });
      const atTo = campaign({ closesAt: to, opensAt: new Date(0) });
      const inside = campaign({
        closesAt: new Date('2026-11-15T00:00:00Z'),
        opensAt: new Date(0),
        status: 'closed',
      });
      const after = campaign({
        closesAt: new Date(to.getTime() + 1),
        opensAt: new Date(0),
      });
      for (const c of [atTo, after, atFrom, inside]) {
        await store.insertCampaign(c);
      }

      const inPeriod = await store.listCampaigns({ closingIn: { from, to } });
      expect(inPeriod.map(c => c.id)).toEqual([inside.id, atTo.id]);
      expect(
        (await store.listCampaigns({ statuses: ['closed'] })).map(c => c.id),
      ).toEqual([inside.id]);
      expect(
        (await store.listCampaigns({ ids: [after.id, atFrom.id] })).map(
          c => c.id,
        ),
      ).toEqual([atFrom.id, after.id]);
      expect(await store.listCampaigns()).toHaveLength(4);
    });

    it('updates drafts only', async () => {
      const c = campaign();
      await store.insertCampaign(c);
      const later = new Date(c.updatedAt.getTime() + 1000);
      await expect(
        store.updateDraftCampaign(c.id, { title: 'Renamed' }, later),
      ).resolves.toBe(true);
      expect(await store.getCampaign(c.id)).toMatchObject({
        title: 'Renamed',
        questions: QUESTIONS,
        updatedAt: later,
      });

      await store.openCampaign(c.id, new Date());
      await expect(
        store.updateDraftCampaign(c.id, { title: 'Again' }, new Date()),
      ).resolves.toBe(false);
      expect((await store.getCampaign(c.id))?.title).toBe('Renamed');
    });

    it('opens one campaign at a time', async () => {
      const first = campaign();
      const second = campaign();
      await store.insertCampaign(first);
      await store.insertCampaign(second);
      const now = new Date();

      await expect(store.openCampaign(first.id, now)).resolves.toBe('opened');
      expect(await store.getCampaign(first.id)).toMatchObject({
        status: 'open',
        opensAt: now,
      });
      await expect(store.openCampaign(second.id, now)).resolves.toBe(
        'another-open',
      );
      await expect(store.openCampaign(first.id, now)).resolves.toBe(
        'not-draft',
      );
      await expect(store.openCampaign(randomUUID(), now)).resolves.toBe(
        'not-found',
      );

      await expect(store.closeCampaign(first.id, now)).resolves.toBe(true);
      await expect(store.closeCampaign(first.id, now)).resolves.toBe(false);
      await expect(store.openCampaign(second.id, now)).resolves.toBe('opened');
    });

    it('closes an open campaign whose window ended before opening another', async () => {
      const expired = await openCampaign();
      const next = campaign();
      await store.insertCampaign(next);
      const afterExpiry = new Date(expired.closesAt.getTime() + 1);

      await expect(store.openCampaign(next.id, afterExpiry)).resolves.toBe(
        'opened',
      );
      expect((await store.getCampaign(expired.id))?.status).toBe('closed');
    });

    it('rejects a second open campaign in the database itself', async () => {
      await openCampaign();
      const other = campaign();
      await store.insertCampaign(other);
      await expect(
        knex('survey_campaigns')
          .where({ id: other.id })
          .update({ status: 'open' }),
      ).rejects.toThrow();
    });

    it('stores participation, response and answers together', async () => {
      const c = await openCampaign();
      await expect(
        store.submitResponse(
          submission(c.id, 'a'.repeat(64), { comment: 'Great' }),
          new Date(),
        ),
      ).resolves.toBe('stored');

      expect(await store.hasParticipated(c.id, 'a'.repeat(64))).toBe(true);
      expect(await store.hasParticipated(c.id, 'b'.repeat(64))).toBe(false);
      const responses = await knex('survey_responses');
      expect(responses).toEqual([
        {
          id: expect.stringMatching(
            /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
          ),
          campaign_id: c.id,
          team_ref: 'group:default/payments',
          comment: 'Great',
        },
      ]);
      expect(
        (await knex('survey_answers').orderBy('question_id')).map(row => ({
          ...row,
          value: Number(row.value),
        })),
      ).toEqual([
        { response_id: responses[0].id, question_id: 'docs', value: 5 },
        { response_id: responses[0].id, question_id: 'satisfaction', value: 4 },
        { response_id: responses[0].id, question_id: 'speed', value: 3 },
      ]);
    });

    it('stores nothing for a second submission of the same participant', async () => {
      const c = await openCampaign();
      const hash = 'c'.repeat(64);
      await store.submitResponse(submission(c.id, hash), new Date());
      await expect(
        store.submitResponse(submission(c.id, hash), new Date()),
      ).resolves.toBe('duplicate');

      // Concurrent duplicates: the primary key, not the pre-check, decides.
      const racing = 'd'.repeat(64);
      const outcomes = await Promise.all([
        store.submitResponse(submission(c.id, racing), new Date()),
        store.submitResponse(submission(c.id, racing), new Date()),
      ]);
      expect(outcomes.sort()).toEqual(['duplicate', 'stored']);

      expect(await knex('survey_participation')).toHaveLength(2);
      expect(await knex('survey_responses')).toHaveLength(2);
      expect(await knex('survey_answers')).toHaveLength(6);
    });

    it('stores nothing when any part of a submission fails', async () => {
      const c = await openCampaign();
      const hash = 'e'.repeat(64);
      await expect(
        store.submitResponse(
          submission(c.id, hash, {
            answers: [
              { questionId: 'satisfaction', value: 4 },
              { questionId: 'speed', value: 9 },
            ],
          }),
          new Date(),
        ),
      ).rejects.toThrow();

      expect(await store.hasParticipated(c.id, hash)).toBe(false);
      expect(await knex('survey_responses')).toHaveLength(0);
      expect(await knex('survey_answers')).toHaveLength(0);
    });

    it('refuses answers to campaigns that are not open', async () => {
      const draft = campaign();
      await store.insertCampaign(draft);
      await expect(
        store.submitResponse(submission(draft.id, 'f'.repeat(64)), new Date()),
      ).resolves.toBe('campaign-not-open');

      const open = await openCampaign();
      await expect(
        store.submitResponse(
          submission(open.id, 'f'.repeat(64)),
          new Date(open.closesAt.getTime()),
        ),
      ).resolves.toBe('campaign-not-open');

      await store.closeCampaign(open.id, new Date());
      await expect(
        store.submitResponse(submission(open.id, 'f'.repeat(64)), new Date()),
      ).resolves.toBe('campaign-not-open');
      await expect(
        store.submitResponse(
          submission(randomUUID(), 'f'.repeat(64)),
          new Date(),
        ),
      ).resolves.toBe('campaign-not-open');

      expect(await knex('survey_participation')).toHaveLength(0);
      expect(await knex('survey_responses')).toHaveLength(0);
    });

    it('counts and sums answers per campaign, team and question', async () => {
      const c = await openCampaign();
      const answers = (satisfaction: number, speed: number, docs: number) => [
        { questionId: 'satisfaction', value: satisfaction },
        { questionId: 'speed', value: speed },
        { questionId: 'docs', value: docs },
      ];
      const rows: Array<[string | null, number[]]> = [
        ['group:default/payments', [5, 2, 3]],
        ['group:default/payments', [4, 1, 3]],
        ['group:default/payments', [2, 5, 3]],
        ['group:default/search', [3, 4, 4]],
        [null, [1, 5, 5]],
      ];
      for (const [index, [teamRef, values]] of rows.entries()) {
        await store.submitResponse(
          submission(c.id, String(index).repeat(64), {
            teamRef,
            answers: answers(values[0], values[1], values[2]),
          }),
          new Date(),
        );
      }
      const other = campaign({ status: 'closed' });
      await store.insertCampaign(other);

      const byCell = (a: { teamRef: string | null }, b: typeof a) =>
        String(a.teamRef).localeCompare(String(b.teamRef));
      expect(
        (await store.countResponses([c.id, other.id])).sort(byCell),
      ).toEqual([
        { campaignId: c.id, teamRef: 'group:default/payments', responses: 3 },
        { campaignId: c.id, teamRef: 'group:default/search', responses: 1 },
        { campaignId: c.id, teamRef: null, responses: 1 },
      ]);

      const aggregates = await store.aggregateAnswers([c.id]);
      expect(aggregates).toHaveLength(9);
      expect(aggregates).toEqual(
        expect.arrayContaining([
          {
            campaignId: c.id,
            teamRef: 'group:default/payments',
            questionId: 'satisfaction',
            answers: 3,
            sum: 11,
            favourable: 2,
          },
          {
            campaignId: c.id,
            teamRef: 'group:default/payments',
            questionId: 'speed',
            answers: 3,
            sum: 8,
            favourable: 1,
          },
          {
            campaignId: c.id,
            teamRef: null,
            questionId: 'docs',
            answers: 1,
            sum: 5,
            favourable: 1,
          },
        ]),
      );
      expect(await store.countResponses([])).toEqual([]);
      expect(await store.aggregateAnswers([other.id])).toEqual([]);
    });

    it('reports a closed campaign with the figures it had, however many read it at once', async () => {
      const c = await openCampaign();
      const teams = ['group:default/payments', 'group:default/search', null];
      for (let i = 0; i < 12; i++) {
        await store.submitResponse(
          submission(c.id, String(i).padStart(64, '0'), {
            teamRef: teams[i % 3],
            answers: [
              { questionId: 'satisfaction', value: (i % 5) + 1 },
              { questionId: 'speed', value: ((i + 2) % 5) + 1 },
            ],
          }),
          new Date(),
        );
      }
      const sorted = <T>(rows: T[]) =>
        rows.map(row => JSON.stringify(row)).sort();
      const countsWhileOpen = sorted(await store.countResponses([c.id]));
      const answersWhileOpen = sorted(await store.aggregateAnswers([c.id]));
      expect(answersWhileOpen).toHaveLength(6);

      await expect(store.closeCampaign(c.id, new Date())).resolves.toBe(true);
      // The first readers after closing race to tally it: nothing may count twice.
      const firstReads = await Promise.all(
        Array.from({ length: 4 }, () =>
          Promise.all([
            store.countResponses([c.id]),
            store.aggregateAnswers([c.id]),
          ]),
        ),
      );
      for (const [counts, answers] of firstReads) {
        expect(sorted(counts)).toEqual(countsWhileOpen);
        expect(sorted(answers)).toEqual(answersWhileOpen);
      }
      expect(sorted(await store.aggregateAnswers([c.id]))).toEqual(
        answersWhileOpen,
      );

      // Closed and open campaigns read together.
      const next = await openCampaign();
      await store.submitResponse(
        submission(next.id, 'f'.repeat(64)),
        new Date(),
      );
      const both = await store.countResponses([c.id, next.id]);
      expect(sorted(both.filter(row => row.campaignId === c.id))).toEqual(
        countsWhileOpen,
      );
      expect(both.filter(row => row.campaignId === next.id)).toEqual([
        {
          campaignId: next.id,
          teamRef: 'group:default/payments',
          responses: 1,
        },
      ]);
    });

    it('lists the comments of exactly the requested cells, in text order', async () => {
      const c = await openCampaign();
      const comments: Array<[string | null, string | null]> = [
        ['group:default/payments', 'zebra'],
        ['group:default/payments', 'apple'],
        ['group:default/payments', null],
        ['group:default/search', 'search only'],
        [null, 'no team'],
      ];
      for (const [index, [teamRef, comment]] of comments.entries()) {
        await store.submitResponse(
          submission(c.id, String(index).repeat(64), { teamRef, comment }),
          new Date(),
        );
      }

      expect(
        await store.listComments([
          { campaignId: c.id, teamRef: 'group:default/payments' },
          { campaignId: c.id, teamRef: null },
        ]),
      ).toEqual([
        {
          campaignId: c.id,
          teamRef: 'group:default/payments',
          comment: 'apple',
        },
        { campaignId: c.id, teamRef: null, comment: 'no team' },
        {
          campaignId: c.id,
          teamRef: 'group:default/payments',
          comment: 'zebra',
        },
      ]);
      expect(
        await store.listComments([
          { campaignId: c.id, teamRef: 'group:default/search' },
        ]),
      ).toEqual([
        {
          campaignId: c.id,
          teamRef: 'group:default/search',
          comment: 'search only',
        },
      ]);
      expect(
        await store.listComments([{ campaignId: randomUUID(), teamRef: null }]),
      ).toEqual([]);
      expect(await store.listComments([])).toEqual([]);
    });

    it('deletes a campaign with everything answered to it', async () => {
      const c = await openCampaign();
      await store.submitResponse(submission(c.id, '1'.repeat(64)), new Date());
      await store.closeCampaign(c.id, new Date());
      expect(await store.aggregateAnswers([c.id])).toHaveLength(3);
      await knex('survey_campaigns').where({ id: c.id }).delete();
      expect(await knex('survey_participation')).toHaveLength(0);
      expect(await knex('survey_responses')).toHaveLength(0);
      expect(await knex('survey_answers')).toHaveLength(0);
      expect(await knex('survey_team_tallies')).toHaveLength(0);
      expect(await knex('survey_answer_tallies')).toHaveLength(0);
    });

    it('migrates down and up again', async () => {
      await rollbackDatabaseMigrations(knex);
      for (const table of [
        'survey_campaigns',
        'survey_participation',
        'survey_responses',
        'survey_answers',
        'survey_team_tallies',
        'survey_answer_tallies',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      await applyDatabaseMigrations(knex);
      expect(await knex.schema.hasTable('survey_answers')).toBe(true);
    });
  });
});
