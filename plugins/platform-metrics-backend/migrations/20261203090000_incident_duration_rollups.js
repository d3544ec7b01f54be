// @ts-check

/*
 * MTTR's exact percentiles without sorting every incident resolved in the period
 * (see bench/queries and IncidentDurationRollup.ts), on both databases:
 * - `incident_duration_rollups` counts the resolved incidents per UTC day and per
 *   UTC month of their resolution (`grain` 1 and 2), era and duration bin, with the
 *   sum of their durations;
 * - `incidents.duration_bin` is the bin an incident is counted under, null while it
 *   is not counted: open, or resolved before this migration until the store's
 *   background catch-up counts it (reads take those from `incidents` meanwhile);
 * - ingestion keeps both in step in the transaction that recomputes an incident.
 * Bins are the store's (durationBin.ts), ordered like the durations, so a
 * percentile's rank is found bin by bin and only the durations of that bin are
 * read, through `incidents_duration_bin_idx`.
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
  await knex.schema.alterTable('incidents', table => {
    table
      .smallint('duration_bin')
      .nullable()
      .comment(
        'bin incident_duration_rollups counts this incident under; null: not counted',
      );
  });

  await knex.schema.createTable('incident_duration_rollups', table => {
    table.comment(
      'Resolved incidents counted per UTC day and month of resolution and per duration bin',
    );
    table
      .smallint('grain')
      .notNullable()
      .comment('1: bucket_ms is a UTC day, 2: a UTC month');
    table
      .bigInteger('bucket_ms')
      .notNullable()
      .comment('start of the bucket of resolved_at_ms');
    table.boolean('baseline').notNullable();
    table
      .smallint('bin')
      .notNullable()
      .comment('duration bin, as incidents.duration_bin');
    table.bigInteger('n').notNullable().comment('incidents counted');
    table
      .bigInteger('sum_ms')
      .notNullable()
      .comment('sum of their resolved_at_ms - started_at_ms');
    table.primary(['grain', 'baseline', 'bucket_ms', 'bin']);
  });

  if (isPostgres(knex)) {
    // Knex has no INCLUDE: the durations of a bin are read from the index alone.
    await knex.raw(
      `CREATE INDEX incidents_duration_bin_idx
        ON incidents (baseline, duration_bin, resolved_at_ms) INCLUDE (started_at_ms)`,
    );
  } else {
    await knex.schema.alterTable('incidents', table => {
      table.index(
        ['baseline', 'duration_bin', 'resolved_at_ms'],
        'incidents_duration_bin_idx',
      );
    });
  }
  // The incidents not counted yet: few once the catch-up has run.
  await knex.raw(
    `CREATE INDEX incidents_uncounted_idx ON incidents (baseline, resolved_at_ms)
      WHERE duration_bin IS NULL AND resolved_at_ms IS NOT NULL`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.dropIndex([], 'incidents_uncounted_idx');
    table.dropIndex([], 'incidents_duration_bin_idx');
  });
  await knex.schema.dropTable('incident_duration_rollups');
  await knex.schema.alterTable('incidents', table => {
    table.dropColumn('duration_bin');
  });
};
