import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import type {
  DeploymentRecord,
  IncidentEventRecord,
  ServiceRequestRecord,
} from '../ingestion/types';
import { DatabaseMetricsStore, templateName } from './DatabaseMetricsStore';
import type {
  AttributedRecord,
  Attribution,
  MetricsQuery,
} from './MetricsStore';
import { applyDatabaseMigrations } from './migrations';

jest.setTimeout(60_000);

// All fixtures live in March 2026 unless a test says otherwise.
const MARCH: MetricsQuery = {
  from: new Date('2026-03-01T00:00:00Z'),
  to: new Date('2026-04-01T00:00:00Z'),
};
const APRIL: MetricsQuery = {
  from: new Date('2026-04-01T00:00:00Z'),
  to: new Date('2026-05-01T00:00:00Z'),
};

/** `at('03-02 10:00')` = 2026-03-02T10:00:00Z; seconds optional. */
function at(monthDayTime: string): Date {
  const [day, time] = monthDayTime.split(' ');
  const full = time.length === 5 ? `${time}:00` : time;
  return new Date(`2026-${day}T${full}Z`);
}

const A = 'component:default/a';
const B = 'component:default/b';
const C = 'component:default/c';
const D = 'component:default/d';
const E = 'component:default/e';
const TEAM_X = 'group:default/x';
const TEAM_Y = 'group:default/y';
const NODE = 'template:default/node-service';

type Attributed<T> = T & { attribution: Attribution };

let counter = 0;
const nextKey = (prefix: string) => `${prefix}-${++counter}`;

function deployment(
  occurredAt: Date,
  opts: Partial<Omit<DeploymentRecord, 'kind' | 'occurredAt'>> & {
    entityRef?: string | null;
    teamRef?: string | null;
  } = {},
): Attributed<DeploymentRecord> {
  const { entityRef = A, teamRef = TEAM_X, ...rest } = opts;
  return {
    kind: 'deployment',
    source: 'github',
    deliveryKey: nextKey('deploy'),
    service: entityRef ? { entityRef } : { name: 'unknown' },
    environment: 'production',
    production: true,
    outcome: 'success',
    occurredAt,
    ...rest,
    attribution: { entityRef, teamRef },
  };
}

function incidentEvent(
  incidentKey: string,
  type: IncidentEventRecord['type'],
  occurredAt: Date,
  opts: Partial<Omit<IncidentEventRecord, 'kind' | 'type' | 'occurredAt'>> & {
    entityRef?: string | null;
    teamRef?: string | null;
  } = {},
): Attributed<IncidentEventRecord> {
  const { entityRef = A, teamRef = TEAM_X, ...rest } = opts;
  return {
    kind: 'incident',
    source: 'pagerduty',
    deliveryKey: nextKey('event'),
    incidentKey,
    type,
    occurredAt,
    ...rest,
    attribution: { entityRef, teamRef },
  };
}

/** An incident resolved `seconds` after 03-02 00:00. */
function resolvedIncident(
  seconds: number,
  opts: Parameters<typeof incidentEvent>[3] = {},
): AttributedRecord[] {
  const key = nextKey('incident');
  const start = at('03-02 00:00');
  return [
    incidentEvent(key, 'triggered', start, opts),
    incidentEvent(
      key,
      'resolved',
      new Date(start.getTime() + Math.round(seconds * 1000)),
      opts,
    ),
  ];
}

function request(
  entityRef: string,
  requestedAt: Date,
  opts: Partial<
    Omit<ServiceRequestRecord, 'kind' | 'entityRef' | 'requestedAt'>
  > & {
    teamRef?: string | null;
  } = {},
): Attributed<ServiceRequestRecord> {
  const { teamRef = TEAM_X, ...rest } = opts;
  return {
    kind: 'service-request',
    source: 'demo',
    deliveryKey: nextKey('request'),
    entityRef,
    template: NODE,
    requestedAt,
    ...rest,
    attribution: { entityRef, teamRef },
  };
}

/** A request at 03-02 00:00 and its production deployment `seconds` later. */
function leadTimeOf(
  entityRef: string,
  seconds: number,
  opts: { observability?: boolean; teamRef?: string; template?: string } = {},
): AttributedRecord[] {
  const requestedAt = at('03-02 00:00');
  return [
    request(entityRef, requestedAt, {
      teamRef: opts.teamRef ?? TEAM_X,
      template: opts.template ?? NODE,
    }),
    deployment(new Date(requestedAt.getTime() + seconds * 1000), {
      entityRef,
      teamRef: opts.teamRef ?? TEAM_X,
      observabilityDeclared: opts.observability ?? false,
    }),
  ];
}

const EMPTY_LEAD_TIME = {
  medianSeconds: null,
  p90Seconds: null,
  count: 0,
  inFlight: 0,
  observabilityUnverified: 0,
};
const EMPTY_MTTR = {
  medianSeconds: null,
  meanSeconds: null,
  p90Seconds: null,
  count: 0,
  open: 0,
};

describe('DatabaseMetricsStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(knex);
    const store = await DatabaseMetricsStore.create({ knex });
    return { knex, store };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let store: DatabaseMetricsStore;

    beforeEach(async () => {
      ({ knex, store } = await createStore(databaseId));
    });

    afterEach(async () => {
      await knex.destroy();
    });

    describe('idempotent ingest', () => {
      it('skips a redelivered batch and leaves the metrics unchanged', async () => {
        const batch = [
          ...leadTimeOf(A, 60),
          ...resolvedIncident(600),
          deployment(at('03-03 10:00'), {
            entityRef: B,
            goldenPath: { template: NODE, version: '1' },
          }),
        ];
        await expect(store.ingest(batch)).resolves.toEqual({
          stored: 5,
          duplicates: 0,
        });
        const before = await Promise.all([
          store.leadTime(MARCH),
          store.goldenPath(MARCH),
          store.mttr(MARCH),
        ]);

        await expect(store.ingest(batch)).resolves.toEqual({
          stored: 0,
          duplicates: 5,
        });
        const after = await Promise.all([
          store.leadTime(MARCH),
          store.goldenPath(MARCH),
          store.mttr(MARCH),
        ]);
        expect(after).toEqual(before);
        expect(after[1]).toEqual({
          percent: 50,
          goldenDeployments: 1,
          totalDeployments: 2,
        });
        expect(Number((await knex('deployments').count({ n: '*' }))[0].n)).toBe(
          2,
        );
        expect(
          Number((await knex('incident_events').count({ n: '*' }))[0].n),
        ).toBe(2);
      });

      it('counts a key repeated within one batch once, keeping the first', async () => {
        const first = deployment(at('03-03 10:00'), { entityRef: A });
        const repeat = {
          ...deployment(at('03-04 10:00'), { entityRef: B }),
          deliveryKey: first.deliveryKey,
        };
        const other = deployment(at('03-05 10:00'), { entityRef: C });
        await expect(store.ingest([first, repeat, other])).resolves.toEqual({
          stored: 2,
          duplicates: 1,
        });
        const rows = await store.listDeployments(MARCH, 10);
        expect(rows.map(r => r.entityRef)).toEqual([C, A]);
      });

      it('treats the same delivery key from two sources as two deliveries', async () => {
        const github = deployment(at('03-03 10:00'));
        const gitlab = {
          ...deployment(at('03-03 11:00')),
          source: 'gitlab' as const,
          deliveryKey: github.deliveryKey,
        };
        await expect(store.ingest([github, gitlab])).resolves.toEqual({
          stored: 2,
          duplicates: 0,
        });
      });

      it('stores nothing when a record is invalid', async () => {
        const good = deployment(at('03-03 10:00'));
        const bad = deployment(new Date('not a date'));
        await expect(store.ingest([good, bad])).rejects.toThrow(/Invalid/);
        expect(await store.goldenPath(MARCH)).toEqual({
          percent: null,
          goldenDeployments: 0,
          totalDeployments: 0,
        });
        // Nothing was claimed: the good record is stored on its next delivery.
        await expect(store.ingest([good])).resolves.toEqual({
          stored: 1,
          duplicates: 0,
        });
      });

      it('rejects a value longer than its column on both databases', async () => {
        const good = deployment(at('03-03 10:00'));
        const long = {
          ...deployment(at('03-03 11:00')),
          pipelineId: 'x'.repeat(256),
        };
        await expect(store.ingest([good, long])).rejects.toThrow(
          'pipeline_id is longer than 255 characters',
        );
        expect(await store.listDeployments(MARCH, 10)).toEqual([]);
      });

      it('skips a duplicate delivered concurrently, counting it once', async () => {
        const batch = [
          ...leadTimeOf(A, 60),
          ...resolvedIncident(600),
          deployment(at('03-03 10:00'), { entityRef: B }),
        ];
        const results = await Promise.all([
          store.ingest(batch),
          store.ingest(batch),
          store.ingest(batch),
        ]);
        expect(results.reduce((n, r) => n + r.stored, 0)).toBe(5);
        expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(10);
        expect(await store.goldenPath(MARCH)).toMatchObject({
          totalDeployments: 2,
        });
        expect(await store.mttr(MARCH)).toMatchObject({
          count: 1,
          medianSeconds: 600,
        });
        expect(await store.leadTime(MARCH)).toMatchObject({
          count: 1,
          medianSeconds: 60,
        });
      });
    });

    it('gives the serial result when related records arrive concurrently', async () => {
      // Each record in its own ingest, all at once: on PostgreSQL these run in
      // concurrent transactions (a request and its deployment, an incident's events).
      const records = [
        incidentEvent('P1', 'triggered', at('03-02 10:00')),
        incidentEvent('P1', 'resolved', at('03-02 10:30')),
        incidentEvent('P1', 'reopened', at('03-02 11:00')),
        incidentEvent('P1', 'resolved', at('03-02 12:00')),
        ...leadTimeOf(A, 600),
        ...leadTimeOf(B, 60),
        ...leadTimeOf(C, 300),
        ...leadTimeOf(D, 180),
        ...leadTimeOf(E, 120),
      ];
      const results = await Promise.all(records.map(r => store.ingest([r])));
      expect(results.every(r => r.stored === 1)).toBe(true);
      expect(await store.mttr(MARCH)).toMatchObject({
        medianSeconds: 7200,
        count: 1,
        open: 0,
      });
      // 60, 120, 180, 300, 600 → median 180, p90 = 300 + 0.6 * 300 = 480
      expect(await store.leadTime(MARCH)).toMatchObject({
        medianSeconds: 180,
        p90Seconds: 480,
        count: 5,
        inFlight: 0,
      });
    });

    describe('lead time', () => {
      it('computes median and p90 of an even number of durations', async () => {
        // durations 60, 120, 180, 600 (ingested out of order)
        // median = (120 + 180) / 2 = 150
        // p90: h = 0.9 * 3 = 2.7 → 180 + 0.7 * (600 - 180) = 474
        await store.ingest([
          ...leadTimeOf(C, 180),
          ...leadTimeOf(A, 60, { observability: true }),
          ...leadTimeOf(D, 600),
          ...leadTimeOf(B, 120, { observability: true }),
        ]);
        expect(await store.leadTime(MARCH)).toEqual({
          medianSeconds: 150,
          p90Seconds: 474,
          count: 4,
          inFlight: 0,
          observabilityUnverified: 2,
        });
      });

      it('computes median and p90 of an odd number of durations', async () => {
        // durations 60, 120, 180, 300, 600
        // median = 180 (the middle one)
        // p90: h = 0.9 * 4 = 3.6 → 300 + 0.6 * (600 - 300) = 480
        await store.ingest([
          ...leadTimeOf(A, 600),
          ...leadTimeOf(B, 60),
          ...leadTimeOf(C, 300),
          ...leadTimeOf(D, 180),
          ...leadTimeOf(E, 120),
        ]);
        expect(await store.leadTime(MARCH)).toMatchObject({
          medianSeconds: 180,
          p90Seconds: 480,
          count: 5,
        });
      });

      it('returns nulls and count 0 for an empty period', async () => {
        expect(await store.leadTime(MARCH)).toEqual(EMPTY_LEAD_TIME);
        await store.ingest(leadTimeOf(A, 60));
        expect(await store.leadTime(APRIL)).toEqual(EMPTY_LEAD_TIME);
      });

      it('sets ready_at from a deployment stored before the request', async () => {
        // The deployment (03-02 12:00) arrives first; the request (03-02 09:00) later.
        await store.ingest([
          deployment(at('03-02 12:00'), {
            entityRef: A,
            observabilityDeclared: true,
          }),
        ]);
        await store.ingest([request(A, at('03-02 09:00'))]);
        const [row] = await store.listServiceRequests(MARCH, 10);
        expect(row.readyAt).toEqual(at('03-02 12:00'));
        expect(row.observabilityVerified).toBe(true);
        expect(await store.leadTime(MARCH)).toEqual({
          medianSeconds: 3 * 3600,
          p90Seconds: 3 * 3600,
          count: 1,
          inFlight: 0,
          observabilityUnverified: 0,
        });
      });

      it('uses the earliest qualifying deployment, whatever the arrival order', async () => {
        await store.ingest([request(A, at('03-02 09:00'))]);
        // Before the request: does not count.
        await store.ingest([deployment(at('03-02 08:00'), { entityRef: A })]);
        // Failed, rolled back, or not production: do not count.
        await store.ingest([
          deployment(at('03-02 09:30'), { entityRef: A, outcome: 'failure' }),
          deployment(at('03-02 09:40'), { entityRef: A, outcome: 'rollback' }),
          deployment(at('03-02 09:50'), {
            entityRef: A,
            environment: 'staging',
            production: false,
          }),
        ]);
        expect(await store.leadTime(MARCH)).toEqual({
          ...EMPTY_LEAD_TIME,
          inFlight: 1,
        });

        await store.ingest([deployment(at('03-02 13:00'), { entityRef: A })]);
        expect(await store.leadTime(MARCH)).toMatchObject({
          medianSeconds: 4 * 3600,
          count: 1,
          inFlight: 0,
        });

        // An earlier deployment delivered late moves ready_at back to 11:00.
        await store.ingest([
          deployment(at('03-02 11:00'), {
            entityRef: A,
            observabilityDeclared: true,
          }),
        ]);
        expect(await store.leadTime(MARCH)).toEqual({
          medianSeconds: 2 * 3600,
          p90Seconds: 2 * 3600,
          count: 1,
          inFlight: 0,
          observabilityUnverified: 0,
        });
      });

      it('counts from inclusive and to exclusive, and in-flight requests', async () => {
        await store.ingest([
          // ready exactly at `from` of March: counted in March (duration 1 h)
          request(A, at('02-28 23:00')),
          deployment(at('03-01 00:00'), { entityRef: A }),
          // ready exactly at `to` of March: not counted, in flight at March's end
          request(B, at('03-31 22:00')),
          deployment(at('04-01 00:00'), { entityRef: B }),
          // never deployed: in flight
          request(C, at('03-10 00:00')),
          // requested after March: not in flight in March
          request(D, at('04-02 00:00')),
        ]);
        expect(await store.leadTime(MARCH)).toEqual({
          medianSeconds: 3600,
          p90Seconds: 3600,
          count: 1,
          inFlight: 2,
          observabilityUnverified: 1,
        });
        // April: B (2 h) is ready; C and D are in flight.
        expect(await store.leadTime(APRIL)).toMatchObject({
          medianSeconds: 7200,
          count: 1,
          inFlight: 2,
        });
      });

      it('filters on team and on template name or ref', async () => {
        await store.ingest([
          ...leadTimeOf(A, 60, { teamRef: TEAM_X, template: NODE }),
          ...leadTimeOf(B, 120, { teamRef: TEAM_Y, template: 'node-service' }),
          ...leadTimeOf(C, 600, {
            teamRef: TEAM_Y,
            template: 'template:default/python-service',
          }),
        ]);
        expect(await store.leadTime({ ...MARCH, team: TEAM_Y })).toMatchObject({
          medianSeconds: 360, // (120 + 600) / 2
          count: 2,
        });
        for (const template of ['node-service', NODE]) {
          expect(await store.leadTime({ ...MARCH, template })).toMatchObject({
            medianSeconds: 90, // (60 + 120) / 2
            count: 2,
          });
        }
        expect(
          await store.leadTime({
            ...MARCH,
            team: TEAM_Y,
            template: 'python-service',
          }),
        ).toMatchObject({ medianSeconds: 600, count: 1 });
        expect(
          await store.leadTime({ ...MARCH, team: 'group:default/none' }),
        ).toEqual(EMPTY_LEAD_TIME);
      });

      it('takes the team from the request, else from the attribution', async () => {
        await store.ingest([
          request(A, at('03-02 00:00'), { team: TEAM_Y, teamRef: TEAM_X }),
          request(B, at('03-02 00:00'), { teamRef: TEAM_X }),
        ]);
        const rows = await store.listServiceRequests(MARCH, 10);
        expect(
          Object.fromEntries(rows.map(r => [r.entityRef, r.teamRef])),
        ).toEqual({ [A]: TEAM_Y, [B]: TEAM_X });
      });

      it('breaks down by team and template, unknown last', async () => {
        await store.ingest([
          ...leadTimeOf(A, 60, { teamRef: TEAM_Y }),
          ...leadTimeOf(B, 120, { teamRef: TEAM_X }),
          ...leadTimeOf(C, 180, {
            teamRef: TEAM_X,
            template: 'python-service',
          }),
          request(D, at('03-02 00:00'), { teamRef: null, template: undefined }),
        ]);
        expect(await store.leadTimeBreakdown(MARCH, 'team')).toEqual([
          {
            key: TEAM_X,
            value: {
              medianSeconds: 150,
              p90Seconds: 174, // 120 + 0.9 * 60
              count: 2,
              inFlight: 0,
              observabilityUnverified: 2,
            },
          },
          {
            key: TEAM_Y,
            value: {
              medianSeconds: 60,
              p90Seconds: 60,
              count: 1,
              inFlight: 0,
              observabilityUnverified: 1,
            },
          },
          { key: null, value: { ...EMPTY_LEAD_TIME, inFlight: 1 } },
        ]);
        expect(
          (await store.leadTimeBreakdown(MARCH, 'template')).map(b => [
            b.key,
            b.value.count,
            b.value.medianSeconds,
            b.value.inFlight,
          ]),
        ).toEqual([
          ['node-service', 2, 90, 0],
          ['python-service', 1, 180, 0],
          [null, 0, null, 1],
        ]);
      });
    });

    describe('golden path', () => {
      it('counts only successful production deployments', async () => {
        const golden = { template: NODE, version: '1.2.0' };
        await store.ingest([
          deployment(at('03-02 10:00'), { entityRef: A, goldenPath: golden }),
          deployment(at('03-03 10:00'), { entityRef: B, goldenPath: golden }),
          deployment(at('03-04 10:00'), { entityRef: C, goldenPath: golden }),
          deployment(at('03-05 10:00'), { entityRef: D }),
          // not counted
          deployment(at('03-06 10:00'), {
            goldenPath: golden,
            outcome: 'failure',
          }),
          deployment(at('03-06 11:00'), {
            goldenPath: golden,
            outcome: 'rollback',
          }),
          deployment(at('03-06 12:00'), {
            goldenPath: golden,
            environment: 'staging',
            production: false,
          }),
        ]);
        // 3 golden of 4 → 75 %
        expect(await store.goldenPath(MARCH)).toEqual({
          percent: 75,
          goldenDeployments: 3,
          totalDeployments: 4,
        });
        // All seven are kept.
        expect(Number((await knex('deployments').count({ n: '*' }))[0].n)).toBe(
          7,
        );
      });

      it('returns percent null when there are no deployments', async () => {
        expect(await store.goldenPath(MARCH)).toEqual({
          percent: null,
          goldenDeployments: 0,
          totalDeployments: 0,
        });
      });

      it('counts from inclusive and to exclusive', async () => {
        await store.ingest([
          deployment(at('03-01 00:00')),
          deployment(at('03-31 23:59:59.999')),
          deployment(at('04-01 00:00')),
          deployment(at('02-28 23:59:59.999')),
        ]);
        expect(await store.goldenPath(MARCH)).toMatchObject({
          totalDeployments: 2,
        });
        expect(await store.goldenPath(APRIL)).toMatchObject({
          totalDeployments: 1,
        });
      });

      it('keeps unattributed deployments and filters on team and template', async () => {
        const golden = { template: 'node-service', version: '1' };
        await store.ingest([
          deployment(at('03-02 10:00'), {
            entityRef: A,
            teamRef: TEAM_X,
            goldenPath: golden,
          }),
          deployment(at('03-02 11:00'), { entityRef: B, teamRef: TEAM_Y }),
          deployment(at('03-02 12:00'), { entityRef: null, teamRef: null }),
          deployment(at('03-02 13:00'), {
            entityRef: C,
            teamRef: TEAM_Y,
            goldenPath: {
              template: 'template:default/python-service',
              version: '3',
            },
          }),
        ]);
        // 2 golden of 4 (the unattributed one counts) → 50 %
        expect(await store.goldenPath(MARCH)).toEqual({
          percent: 50,
          goldenDeployments: 2,
          totalDeployments: 4,
        });
        // team y: 1 golden of 2
        expect(await store.goldenPath({ ...MARCH, team: TEAM_Y })).toEqual({
          percent: 50,
          goldenDeployments: 1,
          totalDeployments: 2,
        });
        expect(await store.goldenPath({ ...MARCH, template: NODE })).toEqual({
          percent: 100,
          goldenDeployments: 1,
          totalDeployments: 1,
        });
        expect(await store.goldenPathBreakdown(MARCH, 'team')).toEqual([
          {
            key: TEAM_X,
            value: { percent: 100, goldenDeployments: 1, totalDeployments: 1 },
          },
          {
            key: TEAM_Y,
            value: { percent: 50, goldenDeployments: 1, totalDeployments: 2 },
          },
          {
            key: null,
            value: { percent: 0, goldenDeployments: 0, totalDeployments: 1 },
          },
        ]);
        expect(await store.goldenPathBreakdown(MARCH, 'template')).toEqual([
          {
            key: 'node-service',
            value: { percent: 100, goldenDeployments: 1, totalDeployments: 1 },
          },
          {
            key: 'python-service',
            value: { percent: 100, goldenDeployments: 1, totalDeployments: 1 },
          },
          {
            key: null,
            value: { percent: 0, goldenDeployments: 0, totalDeployments: 2 },
          },
        ]);
      });
    });

    describe('MTTR', () => {
      it('computes median, mean and p90, with ties', async () => {
        // durations 100, 100, 100, 200
        // median = 100; mean = 500 / 4 = 125
        // p90: h = 2.7 → 100 + 0.7 * (200 - 100) = 170
        await store.ingest([
          ...resolvedIncident(100),
          ...resolvedIncident(200),
          ...resolvedIncident(100),
          ...resolvedIncident(100),
        ]);
        expect(await store.mttr(MARCH)).toEqual({
          medianSeconds: 100,
          meanSeconds: 125,
          p90Seconds: 170,
          count: 4,
          open: 0,
        });
      });

      it('handles a single value and an empty period', async () => {
        expect(await store.mttr(MARCH)).toEqual(EMPTY_MTTR);
        await store.ingest(resolvedIncident(42));
        expect(await store.mttr(MARCH)).toEqual({
          medianSeconds: 42,
          meanSeconds: 42,
          p90Seconds: 42,
          count: 1,
          open: 0,
        });
        expect(await store.mttr(APRIL)).toEqual(EMPTY_MTTR);
      });

      it('keeps a reopened incident open until its final resolution', async () => {
        // trigger 10:00, resolve 10:30, reopen 11:00, resolve 12:00 → 2 h
        const events = [
          incidentEvent('P1', 'triggered', at('03-02 10:00'), {
            severity: 'P2',
          }),
          incidentEvent('P1', 'resolved', at('03-02 10:30')),
          incidentEvent('P1', 'reopened', at('03-02 11:00')),
          incidentEvent('P1', 'resolved', at('03-02 12:00')),
        ];
        await store.ingest(events.slice(0, 3));
        expect(await store.mttr(MARCH)).toEqual({ ...EMPTY_MTTR, open: 1 });
        await store.ingest(events.slice(3));
        expect(await store.mttr(MARCH)).toEqual({
          medianSeconds: 7200,
          meanSeconds: 7200,
          p90Seconds: 7200,
          count: 1,
          open: 0,
        });
      });

      it('gives the same result for events delivered shuffled and duplicated', async () => {
        const events = [
          incidentEvent('P1', 'triggered', at('03-02 10:00')),
          incidentEvent('P1', 'acknowledged', at('03-02 10:05')),
          incidentEvent('P1', 'resolved', at('03-02 10:30')),
          incidentEvent('P1', 'reopened', at('03-02 11:00')),
          incidentEvent('P1', 'resolved', at('03-02 12:00')),
        ];
        for (const order of [[4, 2, 0, 3, 1], [3], [1, 4], [0, 2, 2, 4]]) {
          await store.ingest(order.map(i => events[i]));
        }
        expect(await store.mttr(MARCH)).toMatchObject({
          medianSeconds: 7200,
          count: 1,
          open: 0,
        });
        const [incident] = await store.listIncidents(MARCH, 10);
        expect(incident).toMatchObject({
          incidentKey: 'P1',
          startedAt: at('03-02 10:00'),
          resolvedAt: at('03-02 12:00'),
        });
        expect(Number((await knex('incidents').count({ n: '*' }))[0].n)).toBe(
          1,
        );
      });

      it('starts at the earliest event when no trigger was received', async () => {
        // acknowledged 09:50, resolved 10:20 → 30 min
        await store.ingest([
          incidentEvent('P2', 'resolved', at('03-02 10:20')),
          incidentEvent('P2', 'acknowledged', at('03-02 09:50')),
        ]);
        expect(await store.mttr(MARCH)).toMatchObject({
          medianSeconds: 1800,
          count: 1,
        });
      });

      it('keeps the latest non-null attribution, severity, title and url', async () => {
        await store.ingest([
          incidentEvent('P3', 'resolved', at('03-02 11:00'), {
            entityRef: null,
            teamRef: null,
            severity: 'P1',
          }),
          incidentEvent('P3', 'triggered', at('03-02 10:00'), {
            entityRef: B,
            teamRef: TEAM_Y,
            severity: 'P3',
            title: 'Checkout down',
            url: 'https://pd.example/P3',
          }),
        ]);
        const [incident] = await store.listIncidents(MARCH, 10);
        expect(incident).toEqual({
          id: expect.any(String),
          source: 'pagerduty',
          incidentKey: 'P3',
          entityRef: B,
          teamRef: TEAM_Y,
          severity: 'P1',
          title: 'Checkout down',
          url: 'https://pd.example/P3',
          startedAt: at('03-02 10:00'),
          resolvedAt: at('03-02 11:00'),
          baseline: false,
        });
      });

      it('counts resolutions in [from, to) and incidents open at the end', async () => {
        await store.ingest([
          // resolved exactly at `from`: counted in March (1 h)
          incidentEvent('edge-from', 'triggered', at('02-28 23:00')),
          incidentEvent('edge-from', 'resolved', at('03-01 00:00')),
          // resolved exactly at `to`: open at March's end, counted in April (1 h)
          incidentEvent('edge-to', 'triggered', at('03-31 23:00')),
          incidentEvent('edge-to', 'resolved', at('04-01 00:00')),
          // still open
          incidentEvent('open', 'triggered', at('03-15 00:00')),
          // started in April: not open in March
          incidentEvent('later', 'triggered', at('04-05 00:00')),
        ]);
        expect(await store.mttr(MARCH)).toEqual({
          medianSeconds: 3600,
          meanSeconds: 3600,
          p90Seconds: 3600,
          count: 1,
          open: 2,
        });
        expect(await store.mttr(APRIL)).toMatchObject({ count: 1, open: 2 });
        expect(await store.mttr({ ...MARCH, team: TEAM_Y })).toEqual(
          EMPTY_MTTR,
        );
      });

      it('breaks down by severity, service and team', async () => {
        await store.ingest([
          ...resolvedIncident(100, {
            severity: 'P1',
            entityRef: A,
            teamRef: TEAM_X,
          }),
          ...resolvedIncident(300, {
            severity: 'P1',
            entityRef: B,
            teamRef: TEAM_Y,
          }),
          ...resolvedIncident(50, {
            severity: 'P2',
            entityRef: A,
            teamRef: TEAM_X,
          }),
          ...resolvedIncident(70, { entityRef: null, teamRef: null }),
          incidentEvent('open-p2', 'triggered', at('03-03 00:00'), {
            severity: 'P2',
            entityRef: B,
            teamRef: TEAM_Y,
          }),
        ]);
        expect(await store.mttrBreakdown(MARCH, 'severity')).toEqual([
          {
            key: 'P1',
            // 100, 300: median 200, p90 = 100 + 0.9 * 200 = 280
            value: {
              medianSeconds: 200,
              meanSeconds: 200,
              p90Seconds: 280,
              count: 2,
              open: 0,
            },
          },
          {
            key: 'P2',
            value: {
              medianSeconds: 50,
              meanSeconds: 50,
              p90Seconds: 50,
              count: 1,
              open: 1,
            },
          },
          {
            key: null,
            value: {
              medianSeconds: 70,
              meanSeconds: 70,
              p90Seconds: 70,
              count: 1,
              open: 0,
            },
          },
        ]);
        expect(
          (await store.mttrBreakdown(MARCH, 'service')).map(b => [
            b.key,
            b.value.count,
            b.value.meanSeconds,
            b.value.open,
          ]),
        ).toEqual([
          [A, 2, 75, 0],
          [B, 1, 300, 1],
          [null, 1, 70, 0],
        ]);
        expect(
          (await store.mttrBreakdown(MARCH, 'team')).map(b => [
            b.key,
            b.value.count,
          ]),
        ).toEqual([
          [TEAM_X, 2],
          [TEAM_Y, 1],
          [null, 1],
        ]);
      });
    });

    describe('baseline', () => {
      it('keeps ticket-era rows apart from live rows', async () => {
        await store.ingest([
          // Ticket era: requested 02-01, in production 02-15 → 14 days.
          {
            ...request(A, at('02-01 00:00'), { ticketId: 'OPS-1' }),
            source: 'baseline',
            inProductionAt: at('02-15 00:00'),
          },
          {
            ...request(B, at('02-01 00:00'), { ticketId: 'OPS-2' }),
            source: 'baseline',
            inProductionAt: at('02-08 00:00'),
          },
          {
            ...incidentEvent('INC-1', 'triggered', at('02-03 00:00')),
            source: 'baseline',
          },
          {
            ...incidentEvent('INC-1', 'resolved', at('02-04 00:00')),
            source: 'baseline',
          },
          // Live
          ...leadTimeOf(C, 60),
          ...resolvedIncident(600),
        ]);
        const february = {
          from: new Date('2026-02-01T00:00:00Z'),
          to: new Date('2026-03-01T00:00:00Z'),
        };
        // 7 and 14 days: median 10.5 d = 907200 s,
        // p90 = 7 d + 0.9 * 7 d = 13.3 d = 1149120 s
        expect(await store.leadTime({ ...february, baseline: true })).toEqual({
          medianSeconds: 907200,
          p90Seconds: 1149120,
          count: 2,
          inFlight: 0,
          observabilityUnverified: 2,
        });
        expect(await store.mttr({ ...february, baseline: true })).toMatchObject(
          {
            medianSeconds: 86400,
            count: 1,
          },
        );
        expect(await store.leadTime(february)).toEqual(EMPTY_LEAD_TIME);
        expect(await store.mttr(february)).toEqual(EMPTY_MTTR);
        expect(await store.leadTime({ ...MARCH, baseline: true })).toEqual(
          EMPTY_LEAD_TIME,
        );
        expect(await store.leadTime(MARCH)).toMatchObject({
          count: 1,
          medianSeconds: 60,
        });

        const rows = await store.listServiceRequests(
          { ...february, baseline: true },
          10,
        );
        expect(rows.map(r => [r.ticketId, r.baseline])).toEqual(
          expect.arrayContaining([
            ['OPS-1', true],
            ['OPS-2', true],
          ]),
        );
        const [incident] = await store.listIncidents(
          { ...february, baseline: true },
          10,
        );
        expect(incident).toMatchObject({
          incidentKey: 'INC-1',
          baseline: true,
        });
      });

      it('does not let a live deployment make a baseline request ready', async () => {
        await store.ingest([
          { ...request(A, at('03-02 00:00')), source: 'baseline' },
          deployment(at('03-02 01:00'), { entityRef: A }),
        ]);
        expect(await store.leadTime({ ...MARCH, baseline: true })).toEqual({
          ...EMPTY_LEAD_TIME,
          inFlight: 1,
        });
      });
    });

    describe('drill-downs', () => {
      it('lists production deployments newest first, with a limit', async () => {
        const golden = { template: NODE, version: '2.0.0' };
        await store.ingest([
          deployment(at('03-02 10:00'), {
            entityRef: A,
            goldenPath: golden,
            pipelineId: 'run-1',
          }),
          deployment(at('03-04 10:00'), { entityRef: null, teamRef: null }),
          deployment(at('03-03 10:00'), { entityRef: B, goldenPath: golden }),
          deployment(at('03-05 10:00'), { entityRef: C, outcome: 'failure' }),
        ]);
        const all = await store.listDeployments(MARCH, 10);
        expect(all.map(d => d.deployedAt)).toEqual([
          at('03-04 10:00'),
          at('03-03 10:00'),
          at('03-02 10:00'),
        ]);
        expect(all[2]).toEqual({
          id: expect.any(String),
          source: 'github',
          entityRef: A,
          teamRef: TEAM_X,
          environment: 'production',
          outcome: 'success',
          deployedAt: at('03-02 10:00'),
          goldenTemplate: NODE,
          goldenVersion: '2.0.0',
          pipelineId: 'run-1',
        });
        expect(all[0]).toMatchObject({ entityRef: null, teamRef: null });
        expect(
          (await store.listDeployments(MARCH, 2)).map(d => d.entityRef),
        ).toEqual([null, B]);
        expect(
          (await store.listDeployments({ ...MARCH, goldenPath: true }, 10)).map(
            d => d.entityRef,
          ),
        ).toEqual([B, A]);
        expect(
          (
            await store.listDeployments({ ...MARCH, goldenPath: false }, 10)
          ).map(d => d.entityRef),
        ).toEqual([null]);
        expect(await store.listDeployments(MARCH, 0)).toEqual([]);
      });

      it('lists incidents by state', async () => {
        await store.ingest([
          incidentEvent('resolved-1', 'triggered', at('03-02 10:00')),
          incidentEvent('resolved-1', 'resolved', at('03-02 11:00')),
          incidentEvent('resolved-2', 'triggered', at('03-03 10:00')),
          incidentEvent('resolved-2', 'resolved', at('03-03 11:00')),
          incidentEvent('open-1', 'triggered', at('03-04 10:00')),
          incidentEvent('old', 'triggered', at('02-01 10:00')),
          incidentEvent('old', 'resolved', at('02-01 11:00')),
        ]);
        const keys = async (
          q: Parameters<typeof store.listIncidents>[0],
          limit = 10,
        ) => (await store.listIncidents(q, limit)).map(i => i.incidentKey);
        expect(await keys(MARCH)).toEqual([
          'open-1',
          'resolved-2',
          'resolved-1',
        ]);
        expect(await keys(MARCH, 1)).toEqual(['open-1']);
        expect(await keys({ ...MARCH, state: 'resolved' })).toEqual([
          'resolved-2',
          'resolved-1',
        ]);
        expect(await keys({ ...MARCH, state: 'open' })).toEqual(['open-1']);
        const [open] = await store.listIncidents(
          { ...MARCH, state: 'open' },
          1,
        );
        expect(open.resolvedAt).toBeNull();
      });

      it('lists service requests by state', async () => {
        await store.ingest([
          ...leadTimeOf(A, 60),
          request(B, at('03-05 00:00')),
          request(C, at('03-06 00:00')),
        ]);
        const entities = async (
          q: Parameters<typeof store.listServiceRequests>[0],
          limit = 10,
        ) => (await store.listServiceRequests(q, limit)).map(r => r.entityRef);
        expect(await entities(MARCH)).toEqual([C, B, A]);
        expect(await entities(MARCH, 2)).toEqual([C, B]);
        expect(await entities({ ...MARCH, state: 'ready' })).toEqual([A]);
        expect(await entities({ ...MARCH, state: 'in-flight' })).toEqual([
          C,
          B,
        ]);
        const [ready] = await store.listServiceRequests(
          { ...MARCH, state: 'ready' },
          1,
        );
        expect(ready).toEqual({
          id: expect.any(String),
          source: 'demo',
          entityRef: A,
          teamRef: TEAM_X,
          template: NODE,
          templateVersion: null,
          requestedAt: at('03-02 00:00'),
          readyAt: at('03-02 00:01'),
          observabilityVerified: false,
          ticketId: null,
          baseline: false,
        });
      });

      it('lists services deploying off the golden path', async () => {
        const golden = { template: NODE, version: '1' };
        await store.ingest([
          deployment(at('03-02 10:00'), { entityRef: A, teamRef: TEAM_X }),
          deployment(at('03-03 10:00'), { entityRef: A, teamRef: TEAM_Y }),
          deployment(at('03-04 10:00'), { entityRef: null, teamRef: null }),
          deployment(at('03-05 10:00'), { entityRef: B, goldenPath: golden }),
          deployment(at('03-06 10:00'), { entityRef: C, outcome: 'failure' }),
          deployment(at('03-07 10:00'), {
            entityRef: D,
            production: false,
            environment: 'dev',
          }),
          deployment(at('04-02 10:00'), { entityRef: E }),
        ]);
        expect(await store.listOffPathServices(MARCH)).toEqual([
          // team from A's latest deployment
          {
            entityRef: A,
            teamRef: TEAM_Y,
            deployments: 2,
            reason: 'no-golden-path-metadata',
          },
          {
            entityRef: null,
            teamRef: null,
            deployments: 1,
            reason: 'no-golden-path-metadata',
          },
        ]);
        expect(
          await store.listOffPathServices({ ...MARCH, team: TEAM_X }),
        ).toEqual([
          {
            entityRef: A,
            teamRef: TEAM_X,
            deployments: 1,
            reason: 'no-golden-path-metadata',
          },
        ]);
      });
    });

    it('reports data quality', async () => {
      await store.ingest([
        // unattributed deployments in March: 2 (any environment and outcome)
        deployment(at('03-02 10:00'), { entityRef: null, teamRef: null }),
        deployment(at('03-02 11:00'), {
          entityRef: null,
          teamRef: null,
          production: false,
          environment: 'staging',
        }),
        deployment(at('04-02 10:00'), { entityRef: null, teamRef: null }),
        // A has a request; B and C deploy to production without one; D only to staging
        ...leadTimeOf(A, 60),
        deployment(at('03-03 10:00'), { entityRef: B }),
        deployment(at('03-04 10:00'), { entityRef: B }),
        deployment(at('03-05 10:00'), { entityRef: C }),
        deployment(at('03-05 10:00'), {
          entityRef: D,
          production: false,
          environment: 'staging',
        }),
        // unattributed incidents in March: one resolved, one open
        ...resolvedIncident(60, { entityRef: null, teamRef: null }),
        incidentEvent('open', 'triggered', at('03-03 00:00'), {
          entityRef: null,
          teamRef: null,
        }),
        ...resolvedIncident(60, { entityRef: A }),
      ]);
      expect(await store.dataQuality(MARCH)).toEqual({
        unattributedDeployments: 2,
        unattributedIncidents: 2,
        servicesWithoutRequest: 2,
      });
      expect(await store.dataQuality(APRIL)).toEqual({
        unattributedDeployments: 1,
        unattributedIncidents: 1, // the open one is still open at April's end
        servicesWithoutRequest: 0,
      });
    });

    it('matches percentile_cont on many values', async () => {
      // 101 incidents with durations from a fixed pseudo-random sequence (ms precision).
      let seed = 7;
      const durations: number[] = [];
      for (let i = 0; i < 101; i++) {
        seed = (seed * 48271) % 2147483647;
        durations.push((seed % 10_000_000) / 1000); // up to ~2.8 h, in ms steps
      }
      await store.ingest(durations.flatMap(s => resolvedIncident(s)));
      const mttr = await store.mttr(MARCH);

      // The reference: PostgreSQL's own percentile_cont where there is one, else
      // its definition (interpolation between the closest ranks) in plain code.
      const sorted = [...durations].sort((a, b) => a - b);
      const cont = (p: number) => {
        const h = p * (sorted.length - 1);
        const lo = Math.floor(h);
        return (
          sorted[lo] + (h - lo) * ((sorted[lo + 1] ?? sorted[lo]) - sorted[lo])
        );
      };
      const reference = knex.client.config.client.includes('pg')
        ? (
            await knex.raw(
              `SELECT
                 percentile_cont(0.5) WITHIN GROUP (ORDER BY (resolved_at_ms - started_at_ms) / 1000.0) AS median,
                 percentile_cont(0.9) WITHIN GROUP (ORDER BY (resolved_at_ms - started_at_ms) / 1000.0) AS p90
               FROM incidents`,
            )
          ).rows[0]
        : { median: cont(0.5), p90: cont(0.9) };

      expect(mttr.count).toBe(101);
      expect(mttr.medianSeconds).toBeCloseTo(Number(reference.median), 6);
      expect(mttr.p90Seconds).toBeCloseTo(Number(reference.p90), 6);
      expect(mttr.meanSeconds).toBeCloseTo(
        durations.reduce((a, b) => a + b, 0) / durations.length,
        6,
      );
    });
  });

  it('names templates by the name part of a ref', () => {
    expect(templateName('template:default/node-service')).toBe('node-service');
    expect(templateName('default/node-service')).toBe('node-service');
    expect(templateName('node-service')).toBe('node-service');
    expect(templateName('')).toBeNull();
    expect(templateName(undefined)).toBeNull();
  });
});
