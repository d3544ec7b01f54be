import type {
  ServiceCheckId,
  ServiceCheckStatus,
} from '@internal/plugin-platform-metrics-common';
import { Knex } from 'knex';
import type {
  CheckCycle,
  CheckTransition,
  ChecksStore,
  ServiceCheckState,
  StoredCheckResult,
} from './ChecksStore';
import { takeAdvisoryLocks } from './metrics/advisoryLocks';
import { checkedRow } from './metrics/checkedRow';
import { dateFromEpochMs, epochMs } from './metrics/epochMs';

interface ResultRow {
  entity_ref: string;
  check_id: string;
  status: string;
  since_ms: number | string;
  last_checked_at_ms: number | string;
  detail: string;
}

interface TransitionRow {
  entity_ref: string;
  check_id: string;
  from_status: string | null;
  to_status: string;
  at_ms: number | string;
  detail: string;
}

interface StateRow {
  entity_ref: string;
  team_ref: string | null;
  covered_since_ms: number | string;
  last_cycle_at_ms: number | string;
  first_production_deployment_at_ms: number | string | null;
  required_passing: boolean | number;
  verified_at_ms: number | string | null;
}

function resultToRow(entityRef: string, result: StoredCheckResult): ResultRow {
  return checkedRow({
    entity_ref: entityRef,
    check_id: result.checkId,
    status: result.status,
    since_ms: epochMs(result.since, 'since'),
    last_checked_at_ms: epochMs(result.lastCheckedAt, 'lastCheckedAt'),
    detail: result.detail,
  });
}

function resultFromRow(row: ResultRow): StoredCheckResult {
  return {
    checkId: row.check_id as ServiceCheckId,
    status: row.status as ServiceCheckStatus,
    since: dateFromEpochMs(row.since_ms)!,
    lastCheckedAt: dateFromEpochMs(row.last_checked_at_ms)!,
    detail: row.detail,
  };
}

function transitionToRow(
  entityRef: string,
  transition: CheckTransition,
): TransitionRow {
  return checkedRow({
    entity_ref: entityRef,
    check_id: transition.checkId,
    from_status: transition.from,
    to_status: transition.to,
    at_ms: epochMs(transition.at, 'at'),
    detail: transition.detail,
  });
}

function transitionFromRow(row: TransitionRow): CheckTransition {
  return {
    checkId: row.check_id as ServiceCheckId,
    from: row.from_status as ServiceCheckStatus | null,
    to: row.to_status as ServiceCheckStatus,
    at: dateFromEpochMs(row.at_ms)!,
    detail: row.detail,
  };
}

function stateToRow(state: ServiceCheckState): StateRow {
  const optionalMs = (date: Date | null, field: string) =>
    date === null ? null : epochMs(date, field);
  return checkedRow({
    entity_ref: state.entityRef,
    team_ref: state.teamRef,
    covered_since_ms: epochMs(state.coveredSince, 'coveredSince'),
    last_cycle_at_ms: epochMs(state.lastCycleAt, 'lastCycleAt'),
    first_production_deployment_at_ms: optionalMs(
      state.firstProductionDeploymentAt,
      'firstProductionDeploymentAt',
    ),
    required_passing: state.requiredPassing,
    verified_at_ms: optionalMs(state.verifiedAt, 'verifiedAt'),
  });
}

function stateFromRow(row: StateRow): ServiceCheckState {
  return {
    entityRef: row.entity_ref,
    teamRef: row.team_ref,
    coveredSince: dateFromEpochMs(row.covered_since_ms)!,
    lastCycleAt: dateFromEpochMs(row.last_cycle_at_ms)!,
    firstProductionDeploymentAt: dateFromEpochMs(
      row.first_production_deployment_at_ms,
    ),
    // SQLite has no boolean type and answers 0 or 1.
    requiredPassing: Boolean(row.required_passing),
    verifiedAt: dateFromEpochMs(row.verified_at_ms),
  };
}

/** The live checks' tables; the only code that reads or writes them. */
export class DatabaseChecksStore implements ChecksStore {
  private constructor(
    private readonly db: Knex,
    private readonly isPostgres: boolean,
  ) {}

  static create(options: { knex: Knex }): DatabaseChecksStore {
    const { knex } = options;
    return new DatabaseChecksStore(
      knex,
      String(knex.client.config.client).includes('pg'),
    );
  }

  async recordCycle(cycle: CheckCycle): Promise<ServiceCheckState> {
    return this.db.transaction(async tx => {
      // The scheduled cycle and a "check now" may record the same service at
      // once; one after the other, each sees what the other wrote.
      if (this.isPostgres) {
        await takeAdvisoryLocks(tx, [`checks:${cycle.entityRef}`]);
      }
      const current = new Map(
        (await this.readResults(tx, cycle.entityRef)).map(r => [r.checkId, r]),
      );
      const results: StoredCheckResult[] = [];
      const transitions: CheckTransition[] = [];
      for (const outcome of cycle.outcomes) {
        const previous = current.get(outcome.checkId);
        // A slower run that finishes after a newer one must not overwrite it.
        if (previous && previous.lastCheckedAt > cycle.at) continue;
        const changed = previous?.status !== outcome.status;
        results.push({
          checkId: outcome.checkId,
          status: outcome.status,
          since: changed || !previous ? cycle.at : previous.since,
          lastCheckedAt: cycle.at,
          detail: outcome.detail,
        });
        if (changed) {
          transitions.push({
            checkId: outcome.checkId,
            from: previous?.status ?? null,
            to: outcome.status,
            at: cycle.at,
            detail: outcome.detail,
          });
        }
      }
      if (results.length > 0) {
        await tx('service_check_results')
          .insert(results.map(r => resultToRow(cycle.entityRef, r)))
          .onConflict(['entity_ref', 'check_id'])
          .merge();
      }
      if (transitions.length > 0) {
        await tx('service_check_transitions').insert(
          transitions.map(t => transitionToRow(cycle.entityRef, t)),
        );
      }

      const previousState = await this.readState(tx, cycle.entityRef);
      if (previousState && previousState.lastCycleAt > cycle.at) {
        return previousState;
      }
      const state: ServiceCheckState = {
        entityRef: cycle.entityRef,
        teamRef: cycle.teamRef,
        coveredSince: previousState?.coveredSince ?? cycle.at,
        lastCycleAt: cycle.at,
        firstProductionDeploymentAt: cycle.firstProductionDeploymentAt,
        requiredPassing: cycle.requiredPassing,
        verifiedAt: previousState?.verifiedAt ?? cycle.verifiedAt,
      };
      await tx('service_check_states')
        .insert(stateToRow(state))
        .onConflict('entity_ref')
        .merge();
      return state;
    });
  }

  getResults(entityRef: string): Promise<StoredCheckResult[]> {
    return this.readResults(this.db, entityRef);
  }

  getState(entityRef: string): Promise<ServiceCheckState | undefined> {
    return this.readState(this.db, entityRef);
  }

  async listTransitions(
    entityRef: string,
    limit: number,
  ): Promise<CheckTransition[]> {
    const rows: TransitionRow[] = await this.db('service_check_transitions')
      .where('entity_ref', entityRef)
      .orderBy([
        { column: 'at_ms', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(transitionFromRow);
  }

  async listUnverified(filter: { teamRef?: string }) {
    const unverified = () => {
      const query = this.db('service_check_states')
        .whereNotNull('first_production_deployment_at_ms')
        .where('required_passing', false);
      return filter.teamRef === undefined
        ? query
        : query.where('team_ref', filter.teamRef);
    };
    const stateRows: StateRow[] = await unverified().orderBy('entity_ref');
    if (stateRows.length === 0) return [];
    const resultRows: ResultRow[] = await this.db('service_check_results')
      .whereIn('entity_ref', unverified().select('entity_ref'))
      .orderBy(['entity_ref', 'check_id']);
    const results = new Map<string, StoredCheckResult[]>();
    for (const row of resultRows) {
      const list = results.get(row.entity_ref) ?? [];
      list.push(resultFromRow(row));
      results.set(row.entity_ref, list);
    }
    return stateRows.map(row => ({
      state: stateFromRow(row),
      results: results.get(row.entity_ref) ?? [],
    }));
  }

  async hasResults(): Promise<boolean> {
    const row = await this.db('service_check_results').first('entity_ref');
    return row !== undefined;
  }

  private async readResults(
    db: Knex,
    entityRef: string,
  ): Promise<StoredCheckResult[]> {
    const rows: ResultRow[] = await db('service_check_results')
      .where('entity_ref', entityRef)
      .orderBy('check_id');
    return rows.map(resultFromRow);
  }

  private async readState(
    db: Knex,
    entityRef: string,
  ): Promise<ServiceCheckState | undefined> {
    const row: StateRow | undefined = await db('service_check_states')
      .where('entity_ref', entityRef)
      .first();
    return row ? stateFromRow(row) : undefined;
  }
}
