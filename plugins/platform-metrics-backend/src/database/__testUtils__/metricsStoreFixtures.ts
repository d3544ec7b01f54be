import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import type {
  DeploymentRecord,
  IncidentEventRecord,
  ServiceRequestRecord,
} from '../../ingestion/types';
import { DatabaseMetricsStore } from '../DatabaseMetricsStore';
import type {
  AttributedRecord,
  Attribution,
  MetricsQuery,
} from '../MetricsStore';
import { applyDatabaseMigrations } from '../migrations';

// All fixtures live in March 2026 unless a test says otherwise.
export const MARCH: MetricsQuery = {
  from: new Date('2026-03-01T00:00:00Z'),
  to: new Date('2026-04-01T00:00:00Z'),
};
export const APRIL: MetricsQuery = {
  from: new Date('2026-04-01T00:00:00Z'),
  to: new Date('2026-05-01T00:00:00Z'),
};

/** `at('03-02 10:00')` = 2026-03-02T10:00:00Z; seconds optional. */
export function at(monthDayTime: string): Date {
  const [day, time] = monthDayTime.split(' ');
  const full = time.length === 5 ? `${time}:00` : time;
  return new Date(`2026-${day}T${full}Z`);
}

export const A = 'component:default/a';
export const B = 'component:default/b';
export const C = 'component:default/c';
export const D = 'component:default/d';
export const E = 'component:default/e';
export const TEAM_X = 'group:default/x';
export const TEAM_Y = 'group:default/y';
export const NODE = 'template:default/node-service';

type Attributed<T> = T & { attribution: Attribution };

let counter = 0;
const nextKey = (prefix: string) => `${prefix}-${++counter}`;

export function deployment(
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

export function incidentEvent(
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
export function resolvedIncident(
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

export function request(
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
export function leadTimeOf(
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

export const EMPTY_LEAD_TIME = {
  medianSeconds: null,
  p90Seconds: null,
  count: 0,
  inFlight: 0,
  observabilityUnverified: 0,
};
export const EMPTY_MTTR = {
  medianSeconds: null,
  meanSeconds: null,
  p90Seconds: null,
  count: 0,
  open: 0,
};

/** A migrated database and a store on it, fresh for each test. */
export interface MetricsStoreContext {
  knex: Knex;
  store: DatabaseMetricsStore;
}

/**
 * Runs `tests` once on PostgreSQL 15 and once on SQLite, each test with a freshly
 * migrated database and a new store in `context`.
 */
export function describeOnEachDatabase(
  tests: (context: MetricsStoreContext) => void,
): void {
  jest.setTimeout(60_000);
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    const context = {} as MetricsStoreContext;

    beforeEach(async () => {
      context.knex = await databases.init(databaseId);
      await applyDatabaseMigrations(context.knex);
      context.store = await DatabaseMetricsStore.create({ knex: context.knex });
    });

    afterEach(async () => {
      await context.knex.destroy();
    });

    tests(context);
  });
}
