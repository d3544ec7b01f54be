// @ts-check

/*
 * Lead time ends when the service is verified (issue #11 part 3).
 *
 * - `deployments.image_digest`: the OCI digest (`sha256:<hex>`) a deployment
 *   reported, for the `image` check.
 * - `service_verifications`: one row per service the live checks cover, with
 *   when they started covering it and the first time its required checks all
 *   passed at or after its first production deployment (null: not yet).
 * - `service_requests.ready_by_checks`: the request's lead time ended at its
 *   service's `verified_at` rather than at a production deployment. Requests of
 *   services without a row keep ending at the deployment, so with no row at all
 *   every figure is what it was before this migration.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table
      .string('image_digest', 255)
      .nullable()
      .comment('OCI digest of the deployed image, e.g. sha256:<64 hex>');
  });

  await knex.schema.createTable('service_verifications', table => {
    table.comment(
      'Services the live checks cover, and when they were first verified',
    );
    table.string('entity_ref', 255).primary();
    table
      .timestamp('covered_since')
      .notNullable()
      .comment('earliest time the live checks covered the service');
    table.bigInteger('covered_since_ms').notNullable();
    table
      .timestamp('verified_at')
      .nullable()
      .comment(
        'first time every required check passed at or after the first production deployment; null: not yet',
      );
    table.bigInteger('verified_at_ms').nullable();
  });

  await knex.schema.alterTable('service_requests', table => {
    table
      .boolean('ready_by_checks')
      .notNullable()
      .defaultTo(false)
      .comment('ready_at is the service verified_at, not a deployment');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('service_requests', table => {
    table.dropColumn('ready_by_checks');
  });
  await knex.schema.dropTable('service_verifications');
  await knex.schema.alterTable('deployments', table => {
    table.dropColumn('image_digest');
  });
};
