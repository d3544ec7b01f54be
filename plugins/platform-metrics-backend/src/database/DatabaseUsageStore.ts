import type {
  UsageAction,
  UsageFeatureKind,
} from '@internal/plugin-platform-metrics-common';
import type { Knex } from 'knex';
import { chunks } from './metrics/chunks';
import type {
  FeatureWeekCount,
  LastUse,
  SearchTermCount,
  StoredUsageEvent,
  TemplateEventCount,
  TemplateReadyCount,
  TemplateSubmission,
  UsageRange,
  UsageStore,
} from './UsageStore';

const DAY_MS = 86_400_000;
const HASH_SECRET = 'hash_secret';

interface EventRow {
  occurred_at_ms: number;
  action: UsageAction;
  subject: string;
  plugin_id: string | null;
  extension_id: string | null;
  template_ref: string | null;
  task_id: string | null;
  value: number | null;
  search_term: string | null;
  team_ref: string | null;
  user_key: string;
}

interface RollupRow {
  day_ms: number;
  action: UsageAction;
  subject: string;
  plugin_id: string;
  template_ref: string;
  team_ref: string;
  events: number;
}

interface DailyUserRow {
  day_ms: number;
  kind: UsageFeatureKind;
  feature: string;
  user_key: string;
  team_ref: string;
}

/** UTC midnight of the day of `ms`. */
function dayMs(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

function toRow(event: StoredUsageEvent): EventRow {
  return {
    occurred_at_ms: event.occurredAt.getTime(),
    action: event.action,
    subject: event.subject,
    plugin_id: event.pluginId,
    extension_id: event.extensionId,
    template_ref: event.templateRef,
    task_id: event.taskId,
    value: event.value,
    search_term: event.searchTerm,
    team_ref: event.teamRef,
    user_key: event.userKey,
  };
}

/**
 * The rollup rows of a batch, one per key: pg refuses an upsert that touches the
 * same row twice. Sorted, so that concurrent batches lock rows in one order and
 * cannot deadlock.
 */
function toRollupRows(rows: EventRow[]): RollupRow[] {
  const byKey = new Map<string, RollupRow>();
  for (const row of rows) {
    const rollup: RollupRow = {
      day_ms: dayMs(row.occurred_at_ms),
      action: row.action,
      subject: row.subject,
      plugin_id: row.plugin_id ?? '',
      template_ref: row.template_ref ?? '',
      team_ref: row.team_ref ?? '',
      events: 1,
    };
    const key = JSON.stringify([
      rollup.day_ms,
      rollup.action,
      rollup.subject,
      rollup.plugin_id,
      rollup.template_ref,
      rollup.team_ref,
    ]);
    const existing = byKey.get(key);
    if (existing) existing.events += 1;
    else byKey.set(key, rollup);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : Number(a > b)))
    .map(([, row]) => row);
}

/** Pages are what users navigate to; plugins are what any of their events touch. */
function toDailyUserRows(rows: EventRow[]): DailyUserRow[] {
  const byKey = new Map<string, DailyUserRow>();
  const add = (row: EventRow, kind: UsageFeatureKind, feature: string) => {
    const entry: DailyUserRow = {
      day_ms: dayMs(row.occurred_at_ms),
      kind,
      feature,
      user_key: row.user_key,
      team_ref: row.team_ref ?? '',
    };
    byKey.set(
      JSON.stringify([entry.day_ms, kind, feature, entry.user_key]),
      entry,
    );
  };
  for (const row of rows) {
    if (row.action === 'navigate') add(row, 'page', row.subject);
    if (row.plugin_id) add(row, 'plugin', row.plugin_id);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : Number(a > b)))
    .map(([, row]) => row);
}

const inRange =
  (column: string, range: UsageRange) => (qb: Knex.QueryBuilder) =>
    qb
      .where(column, '>=', range.from.getTime())
      .andWhere(column, '<', range.to.getTime());

/** Days in the rollups are whole; a period covers the days that start in it. */
const dayRange = (range: UsageRange): UsageRange => ({
  from: new Date(dayMs(range.from.getTime() + DAY_MS - 1)),
  to: new Date(dayMs(range.to.getTime() + DAY_MS - 1)),
});

/** Knex implementation of {@link UsageStore}; the only code touching the usage tables. */
export class DatabaseUsageStore implements UsageStore {
  private constructor(private readonly db: Knex) {}

  static create(options: { knex: Knex }): DatabaseUsageStore {
    return new DatabaseUsageStore(options.knex);
  }

  async insertEvents(events: StoredUsageEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map(toRow);
    await this.db.transaction(async trx => {
      for (const chunk of chunks(rows)) {
        await trx('usage_events').insert(chunk);
      }
      for (const chunk of chunks(toRollupRows(rows))) {
        await trx('usage_daily_rollups')
          .insert(chunk)
          .onConflict([
            'day_ms',
            'action',
            'subject',
            'plugin_id',
            'template_ref',
            'team_ref',
          ])
          .merge({
            events: trx.raw('?? + excluded.events', [
              'usage_daily_rollups.events',
            ]),
          });
      }
      for (const chunk of chunks(toDailyUserRows(rows))) {
        await trx('usage_daily_users')
          .insert(chunk)
          .onConflict(['day_ms', 'kind', 'feature', 'user_key'])
          .ignore();
      }
    });
  }

  async getOrCreateHashSecret(candidate: string): Promise<string> {
    await this.db('usage_settings')
      .insert({ name: HASH_SECRET, value: candidate })
      .onConflict('name')
      .ignore();
    const row: { value: string } = await this.db('usage_settings')
      .where({ name: HASH_SECRET })
      .first('value');
    return row.value;
  }

  async hasEvents(): Promise<boolean> {
    // The rollups outlive the raw events.
    return (await this.db('usage_daily_rollups').first('day_ms')) !== undefined;
  }

  async deleteEventsBefore(before: Date): Promise<number> {
    return this.db('usage_events')
      .where('occurred_at_ms', '<', before.getTime())
      .delete();
  }

  async countTemplateEvents(range: UsageRange): Promise<TemplateEventCount[]> {
    const rows: Array<{
      template_ref: string;
      action: UsageAction;
      events: string | number;
    }> = await this.db('usage_events')
      .whereNotNull('template_ref')
      .modify(inRange('occurred_at_ms', range))
      .groupBy('template_ref', 'action')
      .select('template_ref', 'action', this.db.raw('count(*) as events'));
    return rows.map(row => ({
      templateRef: row.template_ref,
      action: row.action,
      events: Number(row.events),
    }));
  }

  async listTemplateSubmissions(
    range: UsageRange,
  ): Promise<TemplateSubmission[]> {
    const rows: Array<{
      template_ref: string;
      task_id: string | null;
      value: number | string | null;
    }> = await this.db('usage_events')
      .where('action', 'create')
      .whereNotNull('template_ref')
      .modify(inRange('occurred_at_ms', range))
      .select('template_ref', 'task_id', 'value');
    return rows.map(row => ({
      templateRef: row.template_ref,
      taskId: row.task_id,
      formMs: row.value === null ? null : Number(row.value),
    }));
  }

  async countWeeklyUsers(range: UsageRange): Promise<FeatureWeekCount[]> {
    // 1970-01-01 was a Thursday: day number + 3 is the days since a Monday.
    const weekStart = this.db.raw(
      `day_ms - ((day_ms / ${DAY_MS} + 3) % 7) * ${DAY_MS}`,
    );
    const rows: Array<{
      week_ms: string | number;
      kind: UsageFeatureKind;
      feature: string;
      users: string | number;
      teams: string | number;
    }> = await this.db
      .from(
        this.db('usage_daily_users')
          .modify(inRange('day_ms', dayRange(range)))
          .select(
            { week_ms: weekStart },
            'kind',
            'feature',
            'user_key',
            'team_ref',
          )
          .as('d'),
      )
      .groupBy('week_ms', 'kind', 'feature')
      .orderBy([
        { column: 'week_ms' },
        { column: 'kind' },
        { column: 'feature' },
      ])
      .select(
        'week_ms',
        'kind',
        'feature',
        this.db.raw('count(distinct user_key) as users'),
        this.db.raw(
          "count(distinct case when team_ref <> '' then team_ref end) as teams",
        ),
      );
    return rows.map(row => ({
      weekStart: new Date(Number(row.week_ms)),
      kind: row.kind,
      feature: row.feature,
      users: Number(row.users),
      teams: Number(row.teams),
    }));
  }

  async countUnfoundSearches(
    range: UsageRange,
    limit: number,
  ): Promise<SearchTermCount[]> {
    const rows: Array<{ search_term: string; n: string | number }> =
      await this.db('usage_events')
        .where('action', 'search')
        .whereNotNull('search_term')
        .modify(inRange('occurred_at_ms', range))
        .groupBy('search_term')
        .orderBy([{ column: 'n', order: 'desc' }, { column: 'search_term' }])
        .limit(limit)
        .select('search_term', this.db.raw('count(*) as n'));
    return rows.map(row => ({ term: row.search_term, count: Number(row.n) }));
  }

  async listLastUses(since: Date): Promise<LastUse[]> {
    const from = dayMs(since.getTime());
    const features: Array<{
      kind: UsageFeatureKind;
      feature: string;
      last_day: string | number;
    }> = await this.db('usage_daily_users')
      .where('day_ms', '>=', from)
      .groupBy('kind', 'feature')
      .select('kind', 'feature', this.db.raw('max(day_ms) as last_day'));
    const templates: Array<{
      template_ref: string;
      last_day: string | number;
    }> = await this.db('usage_daily_rollups')
      .where('day_ms', '>=', from)
      .whereNot('template_ref', '')
      .groupBy('template_ref')
      .select('template_ref', this.db.raw('max(day_ms) as last_day'));
    return [
      ...features.map(row => ({
        kind: row.kind,
        ref: row.feature,
        lastDay: new Date(Number(row.last_day)),
      })),
      ...templates.map(row => ({
        kind: 'template' as const,
        ref: row.template_ref,
        lastDay: new Date(Number(row.last_day)),
      })),
    ];
  }

  async listCreatingTeams(range: UsageRange): Promise<string[]> {
    const rows: Array<{ team_ref: string }> = await this.db(
      'usage_daily_rollups',
    )
      .where('action', 'create')
      .whereNot('template_ref', '')
      .whereNot('team_ref', '')
      .modify(inRange('day_ms', dayRange(range)))
      .distinct('team_ref');
    return rows.map(row => row.team_ref);
  }

  async countReadyServiceRequests(
    range: UsageRange,
  ): Promise<TemplateReadyCount[]> {
    const rows: Array<{ template_name: string; ready: string | number }> =
      await this.db('service_requests')
        .where('baseline', false)
        .whereNotNull('template_name')
        .whereNotNull('ready_at_ms')
        .modify(inRange('requested_at_ms', range))
        .groupBy('template_name')
        .select('template_name', this.db.raw('count(*) as ready'));
    return rows.map(row => ({
      templateName: row.template_name,
      ready: Number(row.ready),
    }));
  }
}
