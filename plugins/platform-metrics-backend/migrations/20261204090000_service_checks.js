// @ts-check

/*
 * The live checks of golden-path services (issue #11):
 * - `service_check_results`: the current result of each check of each service;
 * - `service_check_transitions`: every change of a check's status, with its detail;
 * - `service_check_states`: per service, what the runner knows after its last
 *   cycle: when checks first covered it, its first production deployment, whether
 *   every required check passed, and `verified_at`, which once set stays.
 * Instants are epoch milliseconds (bigint), as the metric queries use them.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('service_check_results', table => {
    table.comment('Current result of each live check of each checked service');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('component:<namespace>/<name>, lower-case');
    table.string('check_id', 32).notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('pass, fail, unknown or not-configured');
    table
      .bigInteger('since_ms')
      .notNullable()
      .comment('when the check entered its current status');
    table.bigInteger('last_checked_at_ms').notNullable();
    table.text('detail').notNullable();
    table.primary(['entity_ref', 'check_id']);
  });

  await knex.schema.createTable('service_check_transitions', table => {
    table.comment('Every change of status of a live check');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('check_id', 32).notNullable();
    table
      .string('from_status', 16)
      .nullable()
      .comment('null: the first result of the check');
    table.string('to_status', 16).notNullable();
    table.bigInteger('at_ms').notNullable();
    table.text('detail').notNullable();
    table.index(
      ['entity_ref', 'at_ms'],
      'service_check_transitions_entity_idx',
    );
  });

  await knex.schema.createTable('service_check_states', table => {
    table.comment('What the checks runner knows of each checked service');
    table.string('entity_ref', 255).notNullable().primary();
    table
      .string('team_ref', 255)
      .nullable()
      .comment('owning Group as of the last cycle, lower-case');
    table
      .bigInteger('covered_since_ms')
      .notNullable()
      .comment('the first cycle that checked the service');
    table.bigInteger('last_cycle_at_ms').notNullable();
    table
      .bigInteger('first_production_deployment_at_ms')
      .nullable()
      .comment('as of the last cycle; null: not in production');
    table
      .boolean('required_passing')
      .notNullable()
      .comment('every required check passed in the last cycle');
    table
      .bigInteger('verified_at_ms')
      .nullable()
      .comment(
        'first cycle at or after the first production deployment in which every required check passed',
      );
    table.index(['required_passing'], 'service_check_states_passing_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('service_check_states');
  await knex.schema.dropTable('service_check_transitions');
  await knex.schema.dropTable('service_check_results');
};
