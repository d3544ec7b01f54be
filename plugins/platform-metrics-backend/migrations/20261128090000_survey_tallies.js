// @ts-check

/*
 * Tallies of closed survey campaigns, so that a year of results is read from a
 * few thousand rows instead of joining every answer (bench/queries).
 *
 * A closed campaign takes no more answers (submitting holds the campaign row
 * against a concurrent close), so its tallies are final: the store writes them
 * once, the first time the campaign's results are read after closing, and
 * marks the campaign with `tallied_at`. Like the answers, they hold counts per
 * team and question only; who answered stays out of them.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('survey_campaigns', table => {
    table
      .timestamp('tallied_at', { useTz: true })
      .nullable()
      .comment('when survey_*_tallies were written; set once, after closing');
  });

  await knex.schema.createTable('survey_team_tallies', table => {
    table.comment('Responses per team of a closed campaign');
    table
      .uuid('campaign_id')
      .notNullable()
      .references('id')
      .inTable('survey_campaigns')
      .onDelete('CASCADE');
    table.string('team_ref', 255).nullable();
    table.integer('responses').notNullable();
    table.index(['campaign_id'], 'survey_team_tallies_campaign_idx');
  });

  await knex.schema.createTable('survey_answer_tallies', table => {
    table.comment('Answers per team and question of a closed campaign');
    table
      .uuid('campaign_id')
      .notNullable()
      .references('id')
      .inTable('survey_campaigns')
      .onDelete('CASCADE');
    table.string('team_ref', 255).nullable();
    table.string('question_id', 64).notNullable();
    table.integer('answers').notNullable();
    table.bigInteger('total').notNullable().comment('sum of the 1-5 values');
    table.integer('favourable').notNullable().comment('answers of 4 or 5');
    table.index(['campaign_id'], 'survey_answer_tallies_campaign_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('survey_answer_tallies');
  await knex.schema.dropTable('survey_team_tallies');
  await knex.schema.alterTable('survey_campaigns', table => {
    table.dropColumn('tallied_at');
  });
};
