/*
 * No endpoint of the platform-metrics API lets anyone read survey answers per
 * person. Every operation of the OpenAPI spec is called after a real campaign
 * has been answered by teams above and below the minimum group size, as an
 * administrator allowed everything (the widest view) and as a respondent, and
 * every response is checked for what would tie an answer to a person.
 */
import {
  mockCredentials,
  TestDatabases,
  type TestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Knex } from 'knex';
import request from 'supertest';
import { startMetricsTestBackend } from '../__testUtils__/startMetricsTestBackend';
import {
  concretePath,
  openApiOperations,
  type OpenApiOperation,
} from './__testUtils__/openApiOperations';

jest.setTimeout(120_000);

const BASE = '/api/platform-metrics';
const MINIMUM_GROUP_SIZE = 5;
const ADMIN = 'user:default/survey-admin';

/**
 * alpha is large enough to be shown; gamma is below the minimum; beta is
 * large enough on its own but must be hidden too, or the overall result minus
 * alpha would reveal gamma's two answers.
 */
const TEAMS = [
  { ref: 'group:default/alpha', members: 7, respondents: 6 },
  { ref: 'group:default/beta', members: 6, respondents: 5 },
  { ref: 'group:default/gamma', members: 3, respondents: 2 },
];

interface Person {
  ref: string;
  name: string;
  team: string;
  responds: boolean;
  comment: string;
}

const PEOPLE: Person[] = TEAMS.flatMap(team => {
  const teamName = team.ref.split('/')[1];
  return Array.from({ length: team.members }, (_, i) => {
    const name = `respondent-${teamName}-${i + 1}`;
    return {
      ref: `user:default/${name}`,
      name,
      team: team.ref,
      responds: i < team.respondents,
      // Nothing in a comment names its author, so that finding a name in a
      // response can only mean the API attached it.
      comment: `Comment ${teamName}-${i + 1}`,
    };
  });
});
const RESPONDENTS = PEOPLE.filter(p => p.responds);

const userEntities: Entity[] = PEOPLE.map(person => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: person.name, namespace: 'default' },
  spec: { memberOf: [person.team] },
  relations: [{ type: 'memberOf', targetRef: person.team }],
}));

/**
 * In the portal a user's groups come from the catalog at sign-in and travel in
 * their token; mock tokens carry none, so this returns the same membership the
 * catalog above holds.
 */
const userInfoFromCatalog = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef: string = credentials.principal.userEntityRef;
      const person = PEOPLE.find(p => p.ref === userEntityRef);
      return {
        userEntityRef,
        ownershipEntityRefs: person
          ? [userEntityRef, person.team]
          : [userEntityRef],
      };
    },
  }),
});

type Observed = { label: string; status: number; body: unknown };

/** Everything in a response that would tie a survey answer to a person. */
function personalDataIn(
  observed: Observed,
  participationHashes: string[],
): string[] {
  const text = JSON.stringify(observed.body ?? null).toLocaleLowerCase('en-US');
  const found: string[] = [];
  for (const person of PEOPLE) {
    if (text.includes(person.name)) found.push(`names ${person.ref}`);
  }
  for (const hash of participationHashes) {
    if (text.includes(hash.toLocaleLowerCase('en-US'))) {
      found.push(`contains participation hash ${hash}`);
    }
  }
  return found;
}

/**
 * Figures about fewer people than the minimum group size: a shown group or
 * question below the minimum, or a suppressed one that still carries figures.
 */
function undersizedFigures(body: unknown): string[] {
  const problems: string[] = [];
  const visit = (node: unknown, where: string) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => visit(child, `${where}[${i}]`));
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, any>;
    if (typeof record.suppressed === 'boolean') {
      if (record.suppressed) {
        if (record.percentFavourable !== null || record.mean !== null) {
          problems.push(`${where} is suppressed but has figures`);
        }
        if (record.comments?.length) {
          problems.push(`${where} is suppressed but lists comments`);
        }
        for (const question of record.questions ?? []) {
          if (question.answers > 0 || question.mean !== null) {
            problems.push(
              `${where} is suppressed but ${question.questionId} has figures`,
            );
          }
        }
      } else {
        const base = record.reportedResponses ?? record.responses;
        if (typeof base === 'number' && base > 0 && base < MINIMUM_GROUP_SIZE) {
          problems.push(`${where} shows figures of ${base} responses`);
        }
      }
    }
    if (
      typeof record.questionId === 'string' &&
      typeof record.answers === 'number' &&
      record.answers > 0 &&
      record.answers < MINIMUM_GROUP_SIZE
    ) {
      problems.push(`${where} shows ${record.answers} answers`);
    }
    for (const [key, value] of Object.entries(record)) {
      visit(value, `${where}.${key}`);
    }
  };
  visit(body, '$');
  return problems;
}

/**
 * In an unfiltered result, the responses not shown per team are the overall
 * minus the shown teams: they must be none or at least the minimum, or the
 * difference is a small group's answer.
 */
function derivableRemainder(body: any): string[] {
  if (!body?.overall || !Array.isArray(body.teams)) return [];
  if (body.overall.suppressed) return [];
  const shown = body.teams
    .filter((t: any) => !t.suppressed)
    .reduce((sum: number, t: any) => sum + t.reportedResponses, 0);
  const remainder = body.overall.reportedResponses - shown;
  return remainder > 0 && remainder < MINIMUM_GROUP_SIZE
    ? [`overall minus shown teams leaves ${remainder} responses`]
    : [];
}

describe('survey privacy across the platform-metrics API', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const operations = openApiOperations();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: TestBackend | undefined;
    let server: TestBackend['server'];
    let campaignId: string;
    /** Responses seen while running the campaign, by operationId. */
    const duringCampaign = new Map<string, Observed[]>();

    /** Keeps a set-up response for the sweep; set-up must go as planned. */
    const record = (
      operationId: string,
      expectedStatus: number,
      res: request.Response,
    ) => {
      const label = `${operationId} while running the campaign`;
      if (res.status !== expectedStatus) {
        throw new Error(
          `${label}: HTTP ${res.status}, expected ${expectedStatus}`,
        );
      }
      duringCampaign.set(operationId, [
        ...(duringCampaign.get(operationId) ?? []),
        { label, status: res.status, body: res.body },
      ]);
      return res;
    };
    const as = (userRef: string) => mockCredentials.user.header(userRef);

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startMetricsTestBackend({
        knex,
        config: {
          platformMetrics: { survey: { minimumGroupSize: MINIMUM_GROUP_SIZE } },
        },
        // Allowed everything, comments included: no per-person data may
        // reach even an administrator.
        permission: AuthorizeResult.ALLOW,
        entities: userEntities,
        features: [userInfoFromCatalog],
      });
      server = backend.server;

      const now = Date.now();
      const created = record(
        'PostSurveyCampaign',
        201,
        await request(server)
          .post(`${BASE}/v1/survey/campaigns`)
          .set('Authorization', as(ADMIN))
          .send({
            title: 'Developer experience',
            closesAt: new Date(now + 60 * 60 * 1000).toISOString(),
          }),
      );
      campaignId = created.body.id;
      record(
        'PutSurveyCampaign',
        200,
        await request(server)
          .put(`${BASE}/v1/survey/campaigns/${campaignId}`)
          .set('Authorization', as(ADMIN))
          .send({ title: 'Developer experience, autumn' }),
      );
      record(
        'OpenSurveyCampaign',
        200,
        await request(server)
          .post(`${BASE}/v1/survey/campaigns/${campaignId}/open`)
          .set('Authorization', as(ADMIN)),
      );

      for (const [index, person] of RESPONDENTS.entries()) {
        const current = record(
          'GetCurrentSurvey',
          200,
          await request(server)
            .get(`${BASE}/v1/survey/current`)
            .set('Authorization', as(person.ref)),
        );
        const answers = Object.fromEntries(
          current.body.campaign.questions.map(
            (q: { id: string }, i: number) => [q.id, ((index + i) % 5) + 1],
          ),
        );
        record(
          'PostSurveyResponse',
          201,
          await request(server)
            .post(`${BASE}/v1/survey/campaigns/${campaignId}/responses`)
            .set('Authorization', as(person.ref))
            .send({ answers, comment: person.comment }),
        );
      }
      record(
        'CloseSurveyCampaign',
        200,
        await request(server)
          .post(`${BASE}/v1/survey/campaigns/${campaignId}/close`)
          .set('Authorization', as(ADMIN)),
      );
    });

    afterAll(() => backend?.stop());

    const period = () => ({
      from: new Date(Date.now() - 30 * 86400_000).toISOString(),
      to: new Date(Date.now() + 30 * 86400_000).toISOString(),
    });

    /** Every combination of the values worth trying for a read operation. */
    function queriesFor(operation: OpenApiOperation) {
      let queries: Array<Record<string, string>> = [{}];
      const expand = (name: string, values: Array<string | undefined>) => {
        queries = queries.flatMap(q =>
          values.map(v => (v === undefined ? q : { ...q, [name]: v })),
        );
      };
      for (const parameter of operation.parameters) {
        if (parameter.in !== 'query') continue;
        if (parameter.name === 'from' || parameter.name === 'to') {
          expand(parameter.name, [period()[parameter.name]]);
        } else if (parameter.name === 'team') {
          expand('team', [undefined, ...TEAMS.map(t => t.ref)]);
        } else if (parameter.name === 'campaignId') {
          expand('campaignId', [undefined, campaignId]);
        } else if (parameter.enum && parameter.required) {
          expand(parameter.name, parameter.enum);
        } else if (parameter.required) {
          throw new Error(
            `No test values for ${operation.operationId} ?${parameter.name}; add them`,
          );
        }
      }
      return queries;
    }

    /**
     * Writes are exercised by running the campaign above; the rest get one
     * representative call. An operation missing here fails the sweep, so a
     * new endpoint cannot go unchecked.
     */
    const writes: Record<string, () => Promise<request.Response[]>> = {
      PostEvents: async () => [
        await request(server)
          .post(`${BASE}/v1/events`)
          .set('Authorization', mockCredentials.service.header())
          .send([]),
      ],
      PostGithubWebhook: async () => [
        await request(server).post(`${BASE}/v1/webhooks/github`).send({}),
      ],
      PostGitlabWebhook: async () => [
        await request(server).post(`${BASE}/v1/webhooks/gitlab`).send({}),
      ],
      PostPagerDutyWebhook: async () => [
        await request(server).post(`${BASE}/v1/webhooks/pagerduty`).send({}),
      ],
      PostAlertmanagerWebhook: async () => [
        await request(server).post(`${BASE}/v1/webhooks/alertmanager`).send({}),
      ],
      PostUsageEvents: async () => [
        await request(server)
          .post(`${BASE}/v1/usage/events`)
          .set('Authorization', as(RESPONDENTS[0].ref))
          .send({
            events: [
              {
                action: 'navigate',
                subject: '/catalog',
                occurredAt: new Date().toISOString(),
              },
            ],
          }),
      ],
      PostBaseline: async () => [
        await request(server)
          .post(`${BASE}/v1/baseline?kind=incidents&dryRun=true`)
          .set('Authorization', as(ADMIN))
          .send([]),
      ],
    };

    async function call(operation: OpenApiOperation): Promise<Observed[]> {
      const fromCampaign = duringCampaign.get(operation.operationId);
      if (fromCampaign) return fromCampaign;
      const write = writes[operation.operationId];
      if (write) {
        return (await write()).map(res => ({
          label: operation.operationId,
          status: res.status,
          body: res.body,
        }));
      }
      if (operation.method !== 'get') {
        throw new Error(`No request for ${operation.operationId}; add one`);
      }
      const results: Observed[] = [];
      const url = `${BASE}${concretePath(operation, { campaignId })}`;
      for (const query of queriesFor(operation)) {
        // The most exposed respondent (in the smallest team) and an administrator.
        for (const caller of [
          ADMIN,
          RESPONDENTS.find(p => p.team === TEAMS[2].ref)!.ref,
        ]) {
          const res = await request(server)
            .get(url)
            .query(query)
            .set('Authorization', as(caller));
          results.push({
            label: `${operation.operationId} ?${new URLSearchParams(
              query,
            )} as ${caller}`,
            status: res.status,
            body: res.body,
          });
        }
      }
      return results;
    }

    it('has the campaign results to protect', async () => {
      // Guards the sweep below: without answers there would be nothing to leak.
      const res = await request(server)
        .get(`${BASE}/v1/survey/results`)
        .query({ campaignId })
        .set('Authorization', as(ADMIN));
      expect(res.status).toBe(200);
      expect(res.body.overall).toMatchObject({
        responses: RESPONDENTS.length,
        suppressed: false,
      });
      const team = (ref: string) =>
        res.body.teams.find((t: any) => t.team === ref);
      expect(team(TEAMS[0].ref)).toMatchObject({
        suppressed: false,
        responses: 6,
      });
      expect(team(TEAMS[0].ref).comments).toHaveLength(6);
      expect(team(TEAMS[1].ref)).toMatchObject({
        suppressed: true,
        reason: 'protects-another-group',
      });
      expect(team(TEAMS[2].ref)).toMatchObject({
        suppressed: true,
        reason: 'below-minimum-group-size',
      });
      const hashes = await knex('survey_participation').pluck(
        'participant_hash',
      );
      expect(hashes).toHaveLength(RESPONDENTS.length);
    });

    it.each(
      operations.map(o => [`${o.method.toUpperCase()} ${o.path}`, o] as const),
    )(
      '%s gives nothing away about any one person',
      async (_label, operation) => {
        const hashes: string[] = await knex('survey_participation').pluck(
          'participant_hash',
        );
        const responses = await call(operation);
        // Answered, not refused: an error hides nothing by design. (Some
        // metric and dimension pairs are invalid and answer 400.)
        const answered =
          operation.method !== 'get' || responses.some(r => r.status === 200);
        expect(answered).toBe(true);
        expect(responses.filter(r => r.status >= 500)).toEqual([]);
        const problems = responses.flatMap(res =>
          [
            ...personalDataIn(res, hashes),
            ...undersizedFigures(res.body),
            ...(res.label.includes('team=')
              ? []
              : derivableRemainder(res.body)),
          ].map(problem => `${res.label}: ${problem}`),
        );
        expect(problems).toEqual([]);
      },
    );
  });
});
