// @ts-check

/*
 * Read-path structures for the metric queries on large histories (see
 * bench/queries): without them a yearly summary scans every production deployment.
 *
 * PostgreSQL only, a rollup of successful production deployments, kept exact without
 * any change to ingestion:
 * - `deployments.ins_xid` defaults to the inserting transaction's id, so ingestion
 *   keeps inserting exactly as before;
 * - `deployment_rollups` holds counts per UTC day and per UTC month (`grain` 1 and 2)
 *   of the rows whose `ins_xid` is below `deployment_rollup_state.watermark`;
 * - the store advances the watermark in the background to the oldest transaction
 *   still running (every transaction below it has finished), and reads add the rows
 *   at or above the watermark from `deployments` itself, so every read is exact
 *   however far behind the rollup is. It starts empty: the first catch-up fills it.
 * SQLite (development, tests) keeps reading the raw rows.
 *
 * Both databases: an index for MTTR's "resolved in the period" scan and its "open
 * at the end" count; on PostgreSQL it carries the columns MTTR reads, so that a
 * quarter is answered from the index alone.
 */

/**
 * @param {import('knex').Knex} knex
 */
function isPostgres(knex) {
  return String(knex.client.config.client).includes('pg');
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (isPostgres(knex)) {
    // A non-volatile default: existing rows take this migration's id without a
    // table rewrite, and the empty rollup's watermark (0) is below it.
    await knex.raw(
      'ALTER TABLE deployments ADD COLUMN ins_xid xid8 NOT NULL DEFAULT pg_current_xact_id()',
    );
    await knex.raw(
      `CREATE INDEX deployments_rollup_tail_idx ON deployments (ins_xid)
        WHERE production AND outcome = 'success'`,
    );
    // Statistics for the new column now, not at autovacuum's next analyze: without
    // them the planner guesses a third of the rows lie above the watermark and
    // scans the period instead of the few rows the rollup has not counted.
    await knex.raw('ANALYZE deployments');

    await knex.schema.createTable('deployment_rollups', table => {
      table.comment(
        'Successful production deployments counted per UTC day and month; see deployment_rollup_state',
      );
      table
        .smallint('grain')
        .notNullable()
        .comment('1: bucket_ms is a UTC day, 2: a UTC month');
      table
        .bigInteger('bucket_ms')
        .notNullable()
        .comment('start of the bucket');
      table.boolean('baseline').notNullable();
      table.string('team_ref', 255).nullable();
      table.string('golden_template_name', 255).nullable();
      table.bigInteger('total').notNullable();
      table
        .bigInteger('golden')
        .notNullable()
        .comment('of total, those with a golden_template');
      // Only one catch-up runs at a time (advisory lock), so rows are found by
      // this index and updated or inserted without a unique constraint (which
      // would treat null team or template refs as distinct).
      table.index(
        ['grain', 'baseline', 'bucket_ms'],
        'deployment_rollups_bucket_idx',
      );
    });

    await knex.schema.createTable('deployment_rollup_state', table => {
      table.comment('How far deployment_rollups has counted; one row');
      table.integer('id').primary();
      table
        .specificType('watermark', 'xid8')
        .notNullable()
        .comment(
          'deployments with ins_xid below this are in deployment_rollups',
        );
    });
    await knex('deployment_rollup_state').insert({ id: 1, watermark: '0' });
  }

  if (isPostgres(knex)) {
    // Knex has no INCLUDE; the columns MTTR reads ride along in the leaf pages.
    await knex.raw(
      `CREATE INDEX incidents_baseline_resolved_idx ON incidents (baseline, resolved_at_ms)
        INCLUDE (started_at_ms, team_ref, entity_ref, severity)`,
    );
  } else {
    await knex.schema.alterTable('incidents', table => {
      table.index(
        ['baseline', 'resolved_at_ms'],
        'incidents_baseline_resolved_idx',
      );
    });
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.dropIndex([], 'incidents_baseline_resolved_idx');
  });
  if (isPostgres(knex)) {
    await knex.schema.dropTable('deployment_rollup_state');
    await knex.schema.dropTable('deployment_rollups');
    await knex.raw('DROP INDEX deployments_rollup_tail_idx');
    await knex.raw('ALTER TABLE deployments DROP COLUMN ins_xid');
  }
};
