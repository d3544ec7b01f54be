// @ts-check

/*
 * The developer-satisfaction survey, anonymous by construction.
 *
 * Who answered (`survey_participation`) and what was answered (`survey_responses`,
 * `survey_answers`) live in separate tables that share nothing but the campaign:
 * - participation is keyed by an HMAC of (user, campaign), never the user ref itself;
 * - responses carry a random UUID and the respondent's team, never a user reference;
 * - neither side has a timestamp or a sequential id, so the two cannot be joined on
 *   time or order. The campaign identifies the quarter an answer belongs to.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('survey_campaigns', table => {
    table.comment('One survey run, normally one per quarter');
    table.uuid('id').primary();
    table.string('title', 255).notNullable();
    table.string('quarter', 7).notNullable().comment('e.g. 2026-Q4');
    table
      .timestamp('opens_at', { useTz: true })
      .notNullable()
      .comment('planned opening; set to the actual opening when opened');
    table
      .timestamp('closes_at', { useTz: true })
      .notNullable()
      .comment('exclusive end of the answering window');
    table
      .string('status', 16)
      .notNullable()
      .defaultTo('draft')
      .checkIn(['draft', 'open', 'closed'], 'survey_campaigns_status_check');
    table
      .text('questions')
      .notNullable()
      .comment('JSON array of { id, kind, text }');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['status', 'closes_at'], 'survey_campaigns_status_closes_idx');
    table.index(['quarter'], 'survey_campaigns_quarter_idx');
    // At most one campaign is open at any time, even under concurrent requests.
    table.unique(['status'], {
      indexName: 'survey_campaigns_one_open_uniq',
      predicate: knex.whereRaw("status = 'open'"),
    });
  });

  await knex.schema.createTable('survey_participation', table => {
    table.comment(
      'Who has answered, as HMAC(user, campaign); no timestamp, no user ref',
    );
    table
      .uuid('campaign_id')
      .notNullable()
      .references('id')
      .inTable('survey_campaigns')
      .onDelete('CASCADE');
    table
      .string('participant_hash', 64)
      .notNullable()
      .comment('hex HMAC-SHA256 of (user ref, campaign id)');
    // Unnamed: knex's SQLite compiler garbles a named composite key next to a
    // foreign key. PostgreSQL names it survey_participation_pkey anyway.
    table.primary(['campaign_id', 'participant_hash']);
  });

  await knex.schema.createTable('survey_responses', table => {
    table.comment('Anonymous answers: no user reference, no timestamp');
    table.uuid('id').primary().comment('random (v4), never sequential');
    table
      .uuid('campaign_id')
      .notNullable()
      .references('id')
      .inTable('survey_campaigns')
      .onDelete('CASCADE');
    table
      .string('team_ref', 255)
      .nullable()
      .comment('owning Group of the respondent, for breakdowns');
    table.text('comment').nullable();
    table.index(
      ['campaign_id', 'team_ref'],
      'survey_responses_campaign_team_idx',
    );
  });

  await knex.schema.createTable('survey_answers', table => {
    table.comment('One 1-5 rating per question of a response');
    table
      .uuid('response_id')
      .notNullable()
      .references('id')
      .inTable('survey_responses')
      .onDelete('CASCADE');
    table.string('question_id', 64).notNullable();
    table
      .integer('value')
      .notNullable()
      .checkBetween([1, 5], 'survey_answers_value_check');
    table.primary(['response_id', 'question_id']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('survey_answers');
  await knex.schema.dropTable('survey_responses');
  await knex.schema.dropTable('survey_participation');
  await knex.schema.dropTable('survey_campaigns');
};
