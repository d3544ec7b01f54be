import { createHash, createHmac } from 'node:crypto';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type {
  SurveyGroupResult,
  SurveyQuestion,
} from '@internal/plugin-platform-metrics-common';
import { Knex } from 'knex';
import { DatabaseSurveyStore } from '../database/DatabaseSurveyStore';
import { applyDatabaseMigrations } from '../database/migrations';
import type { SurveyCampaign } from '../database/SurveyStore';
import { DefaultSurveyService } from './DefaultSurveyService';
import { DEVELOPMENT_PARTICIPATION_SECRET } from './readSurveyConfig';
import { DEFAULT_SURVEY_QUESTIONS } from './SurveyService';

jest.setTimeout(60_000);

const DAY = 24 * 60 * 60 * 1000;
const SECRET = 'test-participation-secret-0123456789abcdef';

const QUESTIONS: SurveyQuestion[] = [
  { id: 'satisfaction', kind: 'satisfaction', text: 'How satisfied are you?' },
  { id: 'speed', kind: 'driver', text: 'Shipping is fast.' },
  { id: 'docs', kind: 'driver', text: 'Docs are good.' },
];

const PAYMENTS = 'group:default/payments';
const SEARCH = 'group:default/search';
const IDENTITY = 'group:default/identity';

function serviceConfig(survey: Record<string, unknown> = {}) {
  return new ConfigReader({
    platformMetrics: {
      survey: { participationSecret: SECRET, ...survey },
    },
  });
}

/** One respondent: their team, satisfaction, speed and docs answers, and comment. */
type Respondent = [string | null, number, number, number, string?];

function team(
  results: { teams: SurveyGroupResult[] },
  ref: string | null,
): SurveyGroupResult {
  const found = results.teams.find(t => t.team === ref);
  if (!found) {
    throw new Error(`no result for ${ref}`);
  }
  return found;
}

/** n respondents of one team, all answering the same. */
function many(
  n: number,
  teamRef: string | null,
  satisfaction = 4,
  comment?: string,
): Respondent[] {
  return Array.from({ length: n }, (_, i) => [
    teamRef,
    satisfaction,
    3,
    3,
    comment && `${comment} ${i}`,
  ]);
}

describe('DefaultSurveyService', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let store: DatabaseSurveyStore;
    let service: DefaultSurveyService;
    let userCounter = 0;

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
      service = DefaultSurveyService.create({ store, config: serviceConfig() });
    });

    async function openCampaign(closesInDays = 7, questions = QUESTIONS) {
      const now = Date.now();
      const campaign = await service.createCampaign({
        title: 'Platform survey',
        quarter: '2026-Q4',
        questions,
        opensAt: new Date(now - DAY),
        closesAt: new Date(now + closesInDays * DAY),
      });
      return service.openCampaign(campaign.id);
    }

    async function answer(campaign: SurveyCampaign, respondents: Respondent[]) {
      for (const [teamRef, satisfaction, speed, docs, comment] of respondents) {
        userCounter += 1;
        await service.submit(
          campaign.id,
          `user:default/person-${userCounter}`,
          teamRef,
          { satisfaction, speed, docs },
          comment,
        );
      }
    }

    /** A campaign that ran and closed with these answers. */
    async function ranCampaign(respondents: Respondent[], closesInDays = 7) {
      const campaign = await openCampaign(closesInDays);
      await answer(campaign, respondents);
      return service.closeCampaign(campaign.id);
    }

    describe('campaigns', () => {
      it('creates drafts for a quarter with default questions and dates', async () => {
        const campaign = await service.createCampaign({
          title: ' Q4 survey ',
          quarter: '2026-Q4',
        });
        expect(campaign).toMatchObject({
          title: 'Q4 survey',
          quarter: '2026-Q4',
          status: 'draft',
          opensAt: new Date('2026-10-01T00:00:00Z'),
          closesAt: new Date('2027-01-01T00:00:00Z'),
          questions: DEFAULT_SURVEY_QUESTIONS,
        });
        expect(await service.getCampaign(campaign.id)).toEqual(campaign);
        expect(await service.listCampaigns()).toEqual([campaign]);
      });

      it('rejects invalid questions, naming the field', async () => {
        const create = (questions: unknown[]) =>
          service.createCampaign({
            title: 'Survey',
            quarter: '2026-Q4',
            questions: questions as SurveyQuestion[],
          });
        const driver = (id: string) => ({ id, kind: 'driver', text: id });
        const satisfaction = (id: string) => ({
          id,
          kind: 'satisfaction',
          text: id,
        });

        await expect(create([driver('a'), driver('b')])).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(
            /^questions: must contain exactly one satisfaction item, found 0/,
          ),
        });
        await expect(
          create([
            satisfaction('s'),
            satisfaction('t'),
            driver('a'),
            driver('b'),
          ]),
        ).rejects.toThrow(
          /^questions: .*exactly one satisfaction item, found 2/,
        );
        await expect(create([satisfaction('s'), driver('a')])).rejects.toThrow(
          /^questions: .*two to four driver items, found 1/,
        );
        await expect(
          create([satisfaction('s'), ...['a', 'b', 'c', 'd', 'e'].map(driver)]),
        ).rejects.toThrow(/^questions: .*two to four driver items, found 5/);
        await expect(
          create([satisfaction('s'), driver('a'), driver('a')]),
        ).rejects.toThrow(/^questions\[2\]\.id: a is used twice/);
        await expect(
          create([
            satisfaction('s'),
            driver('a'),
            { ...driver('b'), kind: 'x' },
          ]),
        ).rejects.toThrow(/^questions\[2\]\.kind/);
        await expect(
          create([satisfaction('__proto__'), driver('a'), driver('b')]),
        ).rejects.toThrow(/^questions\[0\]\.id/);
        await expect(
          create([
            satisfaction('s'),
            driver('a'),
            { ...driver('b'), text: ' ' },
          ]),
        ).rejects.toThrow(/^questions\[2\]\.text/);
        await expect(
          service.createCampaign({ title: 'Survey', quarter: '2026-Q5' }),
        ).rejects.toThrow(/^quarter:/);
        await expect(
          service.createCampaign({ title: '', quarter: '2026-Q4' }),
        ).rejects.toThrow(/^title:/);
        await expect(
          service.createCampaign({
            title: 'Survey',
            opensAt: '2026-11-01T00:00:00Z',
            closesAt: '2026-10-01T00:00:00Z',
          }),
        ).rejects.toThrow(/^closesAt: must be after opensAt/);
        expect(await service.listCampaigns()).toEqual([]);
      });

      it('edits questions only while the campaign is a draft', async () => {
        const draft = await service.createCampaign({
          title: 'Survey',
          quarter: '2026-Q4',
          closesAt: new Date(Date.now() + 7 * DAY),
          opensAt: new Date(Date.now() - DAY),
        });
        const edited = await service.updateCampaign(draft.id, {
          questions: QUESTIONS,
        });
        expect(edited.questions).toEqual(QUESTIONS);
        await expect(
          service.updateCampaign(draft.id, {
            questions: QUESTIONS.slice(0, 2),
          }),
        ).rejects.toThrow(/^questions: .*two to four driver items, found 1/);

        await service.openCampaign(draft.id);
        await expect(
          service.updateCampaign(draft.id, {
            questions: DEFAULT_SURVEY_QUESTIONS,
          }),
        ).rejects.toMatchObject({ name: 'NotAllowedError' });
        await service.closeCampaign(draft.id);
        await expect(
          service.updateCampaign(draft.id, { title: 'Renamed' }),
        ).rejects.toMatchObject({ name: 'NotAllowedError' });
        expect(await service.getCampaign(draft.id)).toMatchObject({
          title: 'Survey',
          questions: QUESTIONS,
        });
      });

      it('moves default dates along when the quarter changes', async () => {
        const draft = await service.createCampaign({
          title: 'Survey',
          quarter: '2026-Q4',
        });
        expect(
          await service.updateCampaign(draft.id, { quarter: '2027-Q1' }),
        ).toMatchObject({
          quarter: '2027-Q1',
          opensAt: new Date('2027-01-01T00:00:00Z'),
          closesAt: new Date('2027-04-01T00:00:00Z'),
        });
      });

      it('keeps one campaign open at a time', async () => {
        const first = await openCampaign();
        expect(first.status).toBe('open');
        expect((await service.getOpenCampaign())?.id).toBe(first.id);

        const second = await service.createCampaign({
          title: 'Another',
          closesAt: new Date(Date.now() + DAY),
          opensAt: new Date(Date.now() - DAY),
        });
        await expect(service.openCampaign(second.id)).rejects.toMatchObject({
          name: 'ConflictError',
        });
        expect((await service.getCampaign(second.id)).status).toBe('draft');

        await expect(service.openCampaign(first.id)).rejects.toMatchObject({
          name: 'NotAllowedError',
        });
        await expect(service.closeCampaign(second.id)).rejects.toMatchObject({
          name: 'NotAllowedError',
        });
        await service.closeCampaign(first.id);
        expect(await service.getOpenCampaign()).toBeUndefined();
        await expect(service.openCampaign(first.id)).rejects.toMatchObject({
          name: 'NotAllowedError',
        });
        expect((await service.openCampaign(second.id)).status).toBe('open');
        await expect(
          service.openCampaign('00000000-0000-4000-8000-000000000000'),
        ).rejects.toMatchObject({ name: 'NotFoundError' });
      });

      it('does not open a campaign whose window has ended', async () => {
        const past = await service.createCampaign({
          title: 'Past',
          quarter: '2020-Q1',
        });
        await expect(service.openCampaign(past.id)).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(/^closesAt:/),
        });
      });
    });

    describe('submissions', () => {
      it('stores answers and refuses a second submission, storing nothing', async () => {
        const campaign = await openCampaign();
        const user = 'user:default/jane.doe';
        expect(await service.hasAnswered(campaign.id, user)).toBe(false);

        await service.submit(
          campaign.id,
          user,
          PAYMENTS,
          { satisfaction: 5, speed: 4, docs: 2 },
          'first',
        );
        expect(await service.hasAnswered(campaign.id, user)).toBe(true);
        expect(
          await service.hasAnswered(campaign.id, 'user:default/john'),
        ).toBe(false);

        await expect(
          service.submit(
            campaign.id,
            user,
            SEARCH,
            { satisfaction: 1, speed: 1, docs: 1 },
            'second',
          ),
        ).rejects.toMatchObject({ name: 'ConflictError' });
        await expect(
          service.submit(campaign.id, 'User:Default/Jane.Doe', PAYMENTS, {
            satisfaction: 1,
            speed: 1,
            docs: 1,
          }),
        ).rejects.toMatchObject({ name: 'ConflictError' });

        expect(await knex('survey_participation')).toHaveLength(1);
        expect(await knex('survey_responses')).toEqual([
          expect.objectContaining({ team_ref: PAYMENTS, comment: 'first' }),
        ]);
        expect(await knex('survey_answers')).toHaveLength(3);
      });

      it('rejects invalid answers naming the field, storing nothing', async () => {
        const campaign = await openCampaign();
        const submit = (answers: Record<string, unknown>, comment?: string) =>
          service.submit(
            campaign.id,
            'user:default/jane',
            PAYMENTS,
            answers as Record<string, number>,
            comment,
          );

        for (const [answers, field] of [
          [{ satisfaction: 4, speed: 3 }, 'answers.docs: is required'],
          [{ satisfaction: 0, speed: 3, docs: 3 }, 'answers.satisfaction'],
          [{ satisfaction: 6, speed: 3, docs: 3 }, 'answers.satisfaction'],
          [{ satisfaction: 4, speed: 3.5, docs: 3 }, 'answers.speed'],
          [{ satisfaction: 4, speed: '3', docs: 3 }, 'answers.speed'],
          [{ satisfaction: 4, speed: 3, docs: null }, 'answers.docs'],
          [
            { satisfaction: 4, speed: 3, docs: 3, extra: 2 },
            'answers.extra: is not a question',
          ],
        ] as const) {
          await expect(submit(answers)).rejects.toMatchObject({
            name: 'InputError',
            message: expect.stringContaining(field),
          });
        }
        await expect(
          submit({ satisfaction: 4, speed: 3, docs: 3 }, 'x'.repeat(2001)),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(/^comment:/),
        });
        await expect(
          service.submit(
            campaign.id,
            'user:default/jane',
            'component:default/not-a-team',
            { satisfaction: 4, speed: 3, docs: 3 },
          ),
        ).rejects.toThrow(/^teamRef:/);

        expect(
          await service.hasAnswered(campaign.id, 'user:default/jane'),
        ).toBe(false);
        expect(await knex('survey_responses')).toHaveLength(0);

        await submit({ satisfaction: 4, speed: 3, docs: 3 }, 'y'.repeat(2000));
        expect(await knex('survey_responses')).toHaveLength(1);
      });

      it('accepts answers only while the campaign is open', async () => {
        const draft = await service.createCampaign({
          title: 'Draft',
          closesAt: new Date(Date.now() + DAY),
          opensAt: new Date(Date.now() - DAY),
        });
        const answers = { satisfaction: 4, speed: 3, docs: 3 };
        await expect(
          service.submit(draft.id, 'user:default/a', null, answers),
        ).rejects.toMatchObject({ name: 'NotAllowedError' });

        const closed = await ranCampaign([]);
        await expect(
          service.submit(closed.id, 'user:default/a', null, answers),
        ).rejects.toMatchObject({ name: 'NotAllowedError' });
        await expect(
          service.submit(
            '00000000-0000-4000-8000-000000000000',
            'user:default/a',
            null,
            answers,
          ),
        ).rejects.toMatchObject({ name: 'NotFoundError' });
        expect(await knex('survey_participation')).toHaveLength(0);
      });

      it('keeps no trace of the user next to the answers', async () => {
        const campaign = await openCampaign();
        const users = [
          'user:default/alice.kowalski',
          'user:default/bob.marley',
          'user:default/carol.danvers',
        ];
        for (const user of users) {
          await service.submit(
            campaign.id,
            user,
            PAYMENTS,
            { satisfaction: 4, speed: 3, docs: 5 },
            'All good',
          );
        }

        for (const table of ['survey_responses', 'survey_answers']) {
          const columns = Object.keys(await knex(table).columnInfo());
          expect(
            columns.filter(c => /user|email|hash|_at$|time|date|seq/.test(c)),
          ).toEqual([]);
        }
        const stored = [
          ...(await knex('survey_responses')),
          ...(await knex('survey_answers')),
          ...(await knex('survey_participation')),
        ];
        expect(stored).toHaveLength(3 + 9 + 3);
        const storedValues = stored
          .flatMap(row => Object.values(row))
          .map(String);
        for (const user of users) {
          const name = user.split('/')[1];
          const digests = ['sha256', 'sha1', 'md5'].map(algorithm =>
            createHash(algorithm).update(user).digest('hex'),
          );
          for (const value of storedValues) {
            expect(value.toLowerCase()).not.toContain(name);
            expect(digests).not.toContain(value);
          }
        }
      });

      it('keys participation by a campaign-specific HMAC, not the user', async () => {
        const user = 'user:default/jane';
        const first = await ranCampaign([]);
        const second = await openCampaign();
        await service.submit(second.id, user, null, {
          satisfaction: 3,
          speed: 3,
          docs: 3,
        });

        const [row] = await knex('survey_participation');
        expect(row.participant_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(row.participant_hash).not.toContain('jane');
        expect(row.participant_hash).toBe(
          createHmac('sha256', SECRET)
            .update(JSON.stringify([second.id, user]))
            .digest('hex'),
        );
        const inFirst = createHmac('sha256', SECRET)
          .update(JSON.stringify([first.id, user]))
          .digest('hex');
        expect(inFirst).not.toBe(row.participant_hash);
        expect(await service.hasAnswered(first.id, user)).toBe(false);

        const otherSecret = DefaultSurveyService.create({
          store,
          config: serviceConfig({ participationSecret: `${SECRET}-rotated` }),
        });
        expect(await otherSecret.hasAnswered(second.id, user)).toBe(false);
      });
    });

    describe('results', () => {
      it('computes % favourable, mean, per question and participation', async () => {
        const campaign = await ranCampaign([
          [PAYMENTS, 5, 1, 4],
          [PAYMENTS, 4, 2, 4],
          [PAYMENTS, 4, 3, 5],
          [PAYMENTS, 3, 4, 2],
          [PAYMENTS, 2, 5, 1],
          [SEARCH, 5, 5, 5],
          [SEARCH, 5, 4, 4],
          [SEARCH, 1, 3, 3],
          [SEARCH, 2, 2, 2],
          [SEARCH, 3, 1, 1],
        ]);
        const results = await service.results({
          campaignIds: [campaign.id],
          eligible: { [PAYMENTS]: 10, [SEARCH]: 20 },
        });

        // Satisfaction overall: 5,4,4,3,2,5,5,1,2,3 = 34 / 10; favourable 5 of 10.
        expect(results.overall).toMatchObject({
          responses: 10,
          reportedResponses: 10,
          suppressed: false,
          percentFavourable: 50,
          mean: 3.4,
        });
        expect(results.overall.participationPercent).toBeCloseTo(
          (10 / 30) * 100,
        );
        expect(results.overall.questions).toEqual([
          {
            questionId: 'satisfaction',
            kind: 'satisfaction',
            text: 'How satisfied are you?',
            answers: 10,
            percentFavourable: 50,
            mean: 3.4,
          },
          // 1,2,3,4,5,5,4,3,2,1 = 30; favourable 4,5,5,4
          expect.objectContaining({
            questionId: 'speed',
            answers: 10,
            percentFavourable: 40,
            mean: 3,
          }),
          // 4,4,5,2,1,5,4,3,2,1 = 31; favourable 4,4,5,5,4
          expect.objectContaining({
            questionId: 'docs',
            percentFavourable: 50,
            mean: 3.1,
          }),
        ]);
        // Payments: 5,4,4,3,2 = 18 / 5, favourable 3 of 5.
        expect(team(results, PAYMENTS)).toMatchObject({
          team: PAYMENTS,
          responses: 5,
          suppressed: false,
          percentFavourable: 60,
          mean: 3.6,
          participationPercent: 50,
        });
        // Search: 5,5,1,2,3 = 16 / 5, favourable 2 of 5.
        expect(team(results, SEARCH)).toMatchObject({
          percentFavourable: 40,
          mean: 3.2,
          participationPercent: 25,
        });
        expect(team(results, PAYMENTS).comments).toBeUndefined();
      });

      it('suppresses small teams with a reason, free text included (5, 4, 3)', async () => {
        const campaign = await ranCampaign([
          ...many(5, PAYMENTS, 4, 'payments says'),
          ...many(4, SEARCH, 2, 'search says'),
          ...many(3, IDENTITY, 1, 'identity says'),
        ]);
        const results = await service.results({
          campaignIds: [campaign.id],
          includeComments: true,
        });

        expect(results.minimumGroupSize).toBe(5);
        expect(results.overall).toMatchObject({
          responses: 12,
          suppressed: false,
        });
        expect(results.overall.comments).toHaveLength(12);
        expect(team(results, PAYMENTS)).toMatchObject({
          responses: 5,
          suppressed: false,
          percentFavourable: 100,
          mean: 4,
        });
        expect(team(results, PAYMENTS).comments).toEqual(
          [0, 1, 2, 3, 4].map(i => `payments says ${i}`),
        );
        for (const hidden of [SEARCH, IDENTITY]) {
          const group = team(results, hidden);
          expect(group).toMatchObject({
            suppressed: true,
            reason: 'below-minimum-group-size',
            percentFavourable: null,
            mean: null,
            reportedResponses: 0,
          });
          expect(group.comments).toBeUndefined();
          expect(group.questions.every(q => q.mean === null)).toBe(true);
        }
        // 7 hidden responses >= 5: overall minus payments does not single out a team.
        const hiddenTotal = results.teams
          .filter(t => t.suppressed)
          .reduce((sum, t) => sum + t.responses, 0);
        expect(hiddenTotal).toBe(7);
      });

      it('hides a larger team when the hidden ones alone would be revealed (6, 6, 2)', async () => {
        const campaign = await ranCampaign([
          ...many(6, SEARCH, 5, 'search says'),
          ...many(6, PAYMENTS, 4, 'payments says'),
          ...many(2, IDENTITY, 1, 'identity says'),
        ]);
        const results = await service.results({
          campaignIds: [campaign.id],
          includeComments: true,
        });

        expect(results.overall.responses).toBe(14);
        expect(team(results, IDENTITY)).toMatchObject({
          suppressed: true,
          reason: 'below-minimum-group-size',
        });
        // Ties between equal teams go by ref, so every query hides the same one.
        expect(team(results, PAYMENTS)).toMatchObject({
          suppressed: true,
          reason: 'protects-another-group',
          mean: null,
        });
        expect(team(results, PAYMENTS).comments).toBeUndefined();
        expect(team(results, SEARCH)).toMatchObject({
          suppressed: false,
          mean: 5,
        });

        // Overall minus every shown team leaves at least N responses.
        const shownResponses = results.teams
          .filter(t => !t.suppressed)
          .reduce((sum, t) => sum + t.reportedResponses, 0);
        expect(
          results.overall.responses - shownResponses,
        ).toBeGreaterThanOrEqual(5);

        // A single-team query hides exactly what the breakdown hides.
        for (const ref of [PAYMENTS, SEARCH, IDENTITY]) {
          const single = await service.results({
            campaignIds: [campaign.id],
            team: ref,
            includeComments: true,
          });
          expect(single.teams).toEqual([team(results, ref)]);
          const summary = await service.satisfaction({
            from: new Date(campaign.closesAt.getTime() - 1),
            to: new Date(campaign.closesAt.getTime() + 1),
            team: ref,
          });
          expect(summary.suppressed).toBe(team(results, ref).suppressed);
        }
      });

      it('treats respondents without a team as a group of their own', async () => {
        const campaign = await ranCampaign([
          ...many(6, PAYMENTS, 4),
          ...many(7, SEARCH, 4),
          ...many(1, null, 1),
        ]);
        const results = await service.results({ campaignIds: [campaign.id] });
        expect(team(results, null)).toMatchObject({
          suppressed: true,
          reason: 'below-minimum-group-size',
        });
        expect(team(results, PAYMENTS)).toMatchObject({
          suppressed: true,
          reason: 'protects-another-group',
        });
        expect(team(results, SEARCH).suppressed).toBe(false);
      });

      it('suppresses everything below the minimum, overall included', async () => {
        const campaign = await ranCampaign([
          ...many(2, PAYMENTS, 4, 'hello'),
          ...many(2, SEARCH, 4),
        ]);
        const results = await service.results({
          campaignIds: [campaign.id],
          includeComments: true,
        });
        expect(results.overall).toMatchObject({
          responses: 4,
          suppressed: true,
          reason: 'below-minimum-group-size',
          mean: null,
          percentFavourable: null,
        });
        expect(results.overall.comments).toBeUndefined();
        expect(results.teams.every(t => t.suppressed)).toBe(true);
      });

      it('decides suppression per campaign, so overlapping selections reveal nothing', async () => {
        const first = await ranCampaign(
          [...many(5, PAYMENTS, 4), ...many(5, SEARCH, 2)],
          1,
        );
        const second = await ranCampaign(
          [[PAYMENTS, 1, 1, 1], ...many(6, SEARCH, 5), ...many(7, IDENTITY, 3)],
          2,
        );
        const both = await service.results({
          campaignIds: [first.id, second.id],
        });
        const firstOnly = await service.results({ campaignIds: [first.id] });

        // Payments' one answer in the second campaign is not in any figure, so
        // both campaigns minus the first one reveals nothing about it.
        expect(team(both, PAYMENTS)).toMatchObject({
          responses: 6,
          reportedResponses: 5,
          suppressed: false,
          mean: team(firstOnly, PAYMENTS).mean,
          percentFavourable: 100,
        });
        // Search protects payments in the second campaign, so only counts there.
        expect(team(both, SEARCH)).toMatchObject({
          responses: 11,
          reportedResponses: 5,
          mean: 2,
        });
        expect(team(both, IDENTITY)).toMatchObject({
          responses: 7,
          reportedResponses: 7,
          mean: 3,
        });
        // Whole campaigns have no one to protect: 20 + 10 + 1 + 30 + 21 = 82.
        expect(both.overall).toMatchObject({
          responses: 24,
          reportedResponses: 24,
        });
        expect(both.overall.mean).toBeCloseTo(82 / 24);
      });

      it('returns comments only when asked', async () => {
        const campaign = await ranCampaign(many(5, PAYMENTS, 4, 'note'));
        const without = await service.results({ campaignIds: [campaign.id] });
        expect(without.overall.comments).toBeUndefined();
        const withComments = await service.results({
          campaignIds: [campaign.id],
          includeComments: true,
        });
        expect(withComments.overall.comments).toEqual(
          [0, 1, 2, 3, 4].map(i => `note ${i}`),
        );
      });

      it('reports only campaigns that can no longer change', async () => {
        const open = await openCampaign();
        await answer(open, many(6, PAYMENTS, 4));
        await expect(
          service.results({ campaignIds: [open.id] }),
        ).rejects.toMatchObject({ name: 'NotAllowedError' });
        const period = {
          from: new Date(Date.now() - 30 * DAY),
          to: new Date(Date.now() + 30 * DAY),
        };
        expect(await service.satisfaction(period)).toEqual({
          percentFavourable: null,
          mean: null,
          responses: 0,
          suppressed: false,
        });

        await service.closeCampaign(open.id);
        expect(await service.satisfaction(period)).toEqual({
          percentFavourable: 100,
          mean: 4,
          responses: 6,
          suppressed: false,
        });
        // Without campaigns or period: the most recently ended campaign.
        expect((await service.results({})).campaigns.map(c => c.id)).toEqual([
          open.id,
        ]);
      });

      it('rejects malformed queries naming the field', async () => {
        await expect(
          service.results({ from: 'yesterday', to: new Date() }),
        ).rejects.toThrow(/^from:/);
        await expect(
          service.results({ from: new Date(), to: new Date(Date.now() - 1) }),
        ).rejects.toThrow(/^to:/);
        await expect(
          service.results({ campaignIds: [], from: new Date() }),
        ).rejects.toThrow(/^campaignIds:/);
        await expect(
          service.results({ team: 'user:default/x' }),
        ).rejects.toThrow(/^team:/);
        await expect(
          service.results({ eligible: { [PAYMENTS]: -1 } }),
        ).rejects.toThrow(/^eligible\.group:default\/payments:/);
        await expect(
          service.results({
            campaignIds: ['00000000-0000-4000-8000-000000000000'],
          }),
        ).rejects.toMatchObject({ name: 'NotFoundError' });
      });
    });

    describe('satisfaction and trend', () => {
      it('selects campaigns whose window ends in the period', async () => {
        const first = await ranCampaign(many(5, PAYMENTS, 5), 1);
        const second = await ranCampaign(many(5, PAYMENTS, 3), 3);

        const around = (campaign: SurveyCampaign) => ({
          from: new Date(campaign.closesAt.getTime() - DAY / 2),
          to: new Date(campaign.closesAt.getTime() + DAY / 2),
        });
        expect(await service.satisfaction(around(first))).toMatchObject({
          mean: 5,
          percentFavourable: 100,
          responses: 5,
        });
        expect(await service.satisfaction(around(second))).toMatchObject({
          mean: 3,
          percentFavourable: 0,
        });
        // closesAt is exclusive: a period ending exactly there includes it.
        expect(
          await service.satisfaction({
            from: new Date(first.closesAt.getTime() - DAY),
            to: first.closesAt,
          }),
        ).toMatchObject({ responses: 5 });
        expect(
          await service.satisfaction({
            from: first.closesAt,
            to: new Date(first.closesAt.getTime() + DAY),
          }),
        ).toMatchObject({ responses: 0 });
        expect(
          await service.satisfaction({
            from: new Date(first.closesAt.getTime() - DAY),
            to: new Date(second.closesAt.getTime() + DAY),
          }),
        ).toMatchObject({ mean: 4, percentFavourable: 50, responses: 10 });
      });

      it('reports a suppressed team with its count and no figures', async () => {
        const campaign = await ranCampaign([
          ...many(6, PAYMENTS, 5),
          ...many(5, IDENTITY, 2),
          ...many(3, SEARCH, 1),
        ]);
        const period = {
          from: new Date(campaign.closesAt.getTime() - DAY),
          to: new Date(campaign.closesAt.getTime() + DAY),
        };
        expect(await service.satisfaction({ ...period, team: SEARCH })).toEqual(
          {
            percentFavourable: null,
            mean: null,
            responses: 3,
            suppressed: true,
          },
        );
        expect(
          await service.satisfaction({ ...period, team: 'payments' }),
        ).toEqual({
          percentFavourable: 100,
          mean: 5,
          responses: 6,
          suppressed: false,
        });
        // The smaller team of the two protects search; it still says how many answered.
        expect(
          await service.satisfaction({ ...period, team: IDENTITY }),
        ).toEqual({
          percentFavourable: null,
          mean: null,
          responses: 5,
          suppressed: true,
        });
      });

      it('gives one trend point per campaign, oldest first', async () => {
        const first = await ranCampaign(
          [...many(5, PAYMENTS, 2), ...many(5, SEARCH, 4)],
          1,
        );
        const second = await ranCampaign(
          [...many(5, PAYMENTS, 4), ...many(2, SEARCH, 4)],
          2,
        );
        await openCampaign(3);

        expect(await service.trend({})).toEqual([
          {
            campaignId: first.id,
            title: first.title,
            quarter: '2026-Q4',
            closesAt: first.closesAt,
            percentFavourable: 50,
            mean: 3,
            responses: 10,
            suppressed: false,
          },
          {
            campaignId: second.id,
            title: second.title,
            quarter: '2026-Q4',
            closesAt: second.closesAt,
            percentFavourable: 100,
            mean: 4,
            responses: 7,
            suppressed: false,
          },
        ]);
        expect(
          (await service.trend({ team: SEARCH })).map(p => [
            p.suppressed,
            p.mean,
          ]),
        ).toEqual([
          [false, 4],
          [true, null],
        ]);
        // The second point hides payments too: only search's 2 would be left.
        expect(
          (await service.trend({ team: PAYMENTS })).map(p => p.suppressed),
        ).toEqual([false, true]);
      });
    });

    describe('configuration', () => {
      it('applies the clamped minimum to results', async () => {
        service = DefaultSurveyService.create({
          store,
          config: serviceConfig({ minimumGroupSize: 1 }),
        });
        const campaign = await ranCampaign([
          ...many(3, PAYMENTS, 4),
          ...many(3, SEARCH, 4),
          ...many(2, IDENTITY, 4),
        ]);
        const results = await service.results({ campaignIds: [campaign.id] });
        expect(results.minimumGroupSize).toBe(3);
        expect(team(results, IDENTITY)).toMatchObject({
          suppressed: true,
          reason: 'below-minimum-group-size',
        });
        // 2 hidden < 3, so one team of three is hidden as well.
        expect(team(results, PAYMENTS)).toMatchObject({
          suppressed: true,
          reason: 'protects-another-group',
        });
        expect(team(results, SEARCH).suppressed).toBe(false);
      });

      describe('participation secret', () => {
        const nodeEnv = process.env.NODE_ENV;
        afterEach(() => {
          process.env.NODE_ENV = nodeEnv;
        });

        it('falls back to the development secret outside production', async () => {
          process.env.NODE_ENV = 'development';
          service = DefaultSurveyService.create({
            store,
            config: new ConfigReader({}),
          });
          const campaign = await openCampaign();
          await service.submit(campaign.id, 'user:default/dev', null, {
            satisfaction: 3,
            speed: 3,
            docs: 3,
          });
          const [row] = await knex('survey_participation');
          expect(row.participant_hash).toBe(
            createHmac('sha256', DEVELOPMENT_PARTICIPATION_SECRET)
              .update(JSON.stringify([campaign.id, 'user:default/dev']))
              .digest('hex'),
          );
        });
      });
    });
  });
});
