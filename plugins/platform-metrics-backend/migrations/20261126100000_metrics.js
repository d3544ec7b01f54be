// @ts-check

/*
 * The ingested facts behind the platform value metrics.
 *
 * Every instant is stored twice: as a timestamp for people reading the tables, and as
 * epoch milliseconds (`*_ms`, bigint) for the metric queries, so that period filters and
 * durations are plain integer arithmetic that SQLite and PostgreSQL evaluate identically.
 * `baseline` marks ticket-era rows (source `baseline`), kept apart from live rows.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // The idempotency gate: one row per (source, delivery key) ever stored.
  await knex.schema.createTable('ingest_deliveries', table => {
    table.comment('Every ingested delivery, to skip redeliveries');
    table.string('source', 32).notNullable();
    table.string('delivery_key', 255).notNullable();
    table.string('kind', 32).notNullable();
    table.timestamp('received_at').notNullable().defaultTo(knex.fn.now());
    table.primary(['source', 'delivery_key']);
  });

  await knex.schema.createTable('deployments', table => {
    table.comment('Every deployment: all environments, all outcomes');
    table.uuid('id').primary();
    table.string('source', 32).notNullable();
    table.string('delivery_key', 255).notNullable();
    table.string('entity_ref', 255).nullable().comment('null: unattributed');
    table.string('team_ref', 255).nullable();
    table.string('environment', 255).notNullable();
    table.boolean('production').notNullable();
    table.string('outcome', 16).notNullable();
    table.timestamp('deployed_at').notNullable();
    table.bigInteger('deployed_at_ms').notNullable();
    table.string('golden_template', 255).nullable().comment('as received');
    table
      .string('golden_template_name', 255)
      .nullable()
      .comment('name part of golden_template, for filters and breakdowns');
    table.string('golden_version', 255).nullable();
    table.string('pipeline_id', 255).nullable();
    table.boolean('observability_declared').notNullable().defaultTo(false);
    table.boolean('baseline').notNullable().defaultTo(false);
    table.unique(['source', 'delivery_key'], {
      indexName: 'deployments_delivery_uniq',
    });
    table.index(['production', 'deployed_at_ms'], 'deployments_prod_at_idx');
    table.index(['entity_ref', 'deployed_at_ms'], 'deployments_entity_at_idx');
  });

  await knex.schema.createTable('incident_events', table => {
    table.comment(
      'Raw incident lifecycle events; incidents are derived from them',
    );
    table.bigIncrements('seq');
    table.string('source', 32).notNullable();
    table.string('delivery_key', 255).notNullable();
    table.string('incident_key', 255).notNullable();
    table.string('type', 16).notNullable();
    table.timestamp('occurred_at').notNullable();
    table.bigInteger('occurred_at_ms').notNullable();
    table.string('entity_ref', 255).nullable();
    table.string('team_ref', 255).nullable();
    table.string('severity', 64).nullable();
    table.text('title').nullable();
    table.text('url').nullable();
    table.unique(['source', 'delivery_key'], {
      indexName: 'incident_events_delivery_uniq',
    });
    table.index(['source', 'incident_key'], 'incident_events_incident_idx');
  });

  await knex.schema.createTable('incidents', table => {
    table.comment(
      'One row per (source, incident key), recomputed from its events',
    );
    table.uuid('id').primary();
    table.string('source', 32).notNullable();
    table.string('incident_key', 255).notNullable();
    table.string('entity_ref', 255).nullable().comment('null: unattributed');
    table.string('team_ref', 255).nullable();
    table.string('severity', 64).nullable();
    table.text('title').nullable();
    table.text('url').nullable();
    table.timestamp('started_at').notNullable();
    table.bigInteger('started_at_ms').notNullable();
    table.timestamp('resolved_at').nullable().comment('null: open');
    table.bigInteger('resolved_at_ms').nullable();
    table.boolean('baseline').notNullable().defaultTo(false);
    table.unique(['source', 'incident_key'], {
      indexName: 'incidents_source_key_uniq',
    });
    table.index(['resolved_at_ms'], 'incidents_resolved_at_idx');
    table.index(['started_at_ms'], 'incidents_started_at_idx');
  });

  await knex.schema.createTable('service_requests', table => {
    table.comment('One row per requested service per delivery');
    table.uuid('id').primary();
    table.string('source', 32).notNullable();
    table.string('delivery_key', 255).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('team_ref', 255).nullable();
    table.string('template', 255).nullable().comment('as received');
    table.string('template_name', 255).nullable();
    table.string('template_version', 255).nullable();
    table.timestamp('requested_at').notNullable();
    table.bigInteger('requested_at_ms').notNullable();
    table
      .timestamp('ready_at')
      .nullable()
      .comment(
        'first successful production deployment at or after the request',
      );
    table.bigInteger('ready_at_ms').nullable();
    table.uuid('ready_deployment_id').nullable();
    table.boolean('observability_verified').notNullable().defaultTo(false);
    table.string('ticket_id', 255).nullable();
    table.boolean('baseline').notNullable().defaultTo(false);
    table.unique(['source', 'delivery_key'], {
      indexName: 'service_requests_delivery_uniq',
    });
    table.index(['ready_at_ms'], 'service_requests_ready_at_idx');
    table.index(['requested_at_ms'], 'service_requests_requested_at_idx');
    table.index(['entity_ref'], 'service_requests_entity_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('service_requests');
  await knex.schema.dropTable('incidents');
  await knex.schema.dropTable('incident_events');
  await knex.schema.dropTable('deployments');
  await knex.schema.dropTable('ingest_deliveries');
};
