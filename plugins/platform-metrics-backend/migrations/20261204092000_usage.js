// @ts-check

/*
 * Portal usage analytics (issue #13):
 * - `usage_events`: the raw events, kept `platformMetrics.usage.retentionDays`
 *   (400 by default). No free text: a search term is kept only when the search
 *   found nothing. `user_key` is a keyed hash of the user, used only to count
 *   distinct users.
 * - `usage_daily_rollups`: events per UTC day, action, subject, plugin, template
 *   and team, written in the transaction that stores the events, so deleting raw
 *   events never loses a count. Absent dimensions are '' (they are key columns).
 * - `usage_daily_users`: the set of (day, page or plugin, user key), so that
 *   distinct users and teams stay exactly countable over any run of days after the
 *   raw events are gone.
 * - `usage_settings`: the hash secret generated on first use when config has none;
 *   distinct counts must survive restarts and agree between replicas.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('usage_events', table => {
    table.comment(
      'Raw portal usage events; deleted after the retention period',
    );
    table.bigIncrements('id').primary();
    table
      .bigInteger('occurred_at_ms')
      .notNullable()
      .comment('clamped to the server clock at ingestion');
    table.string('action', 16).notNullable();
    table.string('subject', 300).notNullable();
    table.string('plugin_id', 100).nullable();
    table.string('extension_id', 200).nullable();
    table.string('template_ref', 300).nullable();
    table.string('task_id', 100).nullable();
    table.double('value').nullable();
    table
      .string('search_term', 200)
      .nullable()
      .comment('only for searches that found nothing');
    table.string('team_ref', 255).nullable();
    table
      .string('user_key', 64)
      .notNullable()
      .comment('HMAC-SHA256 of the user entity ref; never shown');
    table.index(['occurred_at_ms'], 'usage_events_occurred_idx');
    table.index(
      ['template_ref', 'occurred_at_ms'],
      'usage_events_template_idx',
    );
  });

  await knex.schema.createTable('usage_daily_rollups', table => {
    table.comment('Usage events per UTC day and dimensions; kept forever');
    table.bigInteger('day_ms').notNullable().comment('UTC midnight');
    table.string('action', 16).notNullable();
    table.string('subject', 300).notNullable();
    table.string('plugin_id', 100).notNullable().defaultTo('');
    table.string('template_ref', 300).notNullable().defaultTo('');
    table.string('team_ref', 255).notNullable().defaultTo('');
    table.bigInteger('events').notNullable();
    table.primary(
      ['day_ms', 'action', 'subject', 'plugin_id', 'template_ref', 'team_ref'],
      'usage_daily_rollups_pk',
    );
  });

  await knex.schema.createTable('usage_daily_users', table => {
    table.comment('Who (as a keyed hash) used a page or plugin on a UTC day');
    table.bigInteger('day_ms').notNullable();
    table.string('kind', 8).notNullable().comment('page or plugin');
    table.string('feature', 300).notNullable().comment('path or plugin id');
    table.string('user_key', 64).notNullable();
    table.string('team_ref', 255).notNullable().defaultTo('');
    table.primary(
      ['day_ms', 'kind', 'feature', 'user_key'],
      'usage_daily_users_pk',
    );
  });

  await knex.schema.createTable('usage_settings', table => {
    table.string('name', 64).primary();
    table.string('value', 255).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('usage_settings');
  await knex.schema.dropTable('usage_daily_users');
  await knex.schema.dropTable('usage_daily_rollups');
  await knex.schema.dropTable('usage_events');
};
