#!/usr/bin/env node
// Generates a large-organisation dataset for the metrics query benchmark directly
// in an already migrated platform-metrics PostgreSQL database:
//
//   node bench/queries/generate.mjs --database 'portal_bench_q_b_platform-metrics'
//     [--connection postgresql://postgres@127.0.0.1:5432] [--services 5000]
//     [--teams 60] [--production 1000000] [--non-production 300000]
//     [--incidents 50000] [--survey-responses 40000] [--seed 0.42]
//
// Everything is INSERT ... SELECT generate_series in one session, so a million
// deployments take about a minute instead of the hours real ingestion would. The
// rows are what ingestion would have stored (see DatabaseMetricsStore.ingest):
// live rows (baseline = false), `*_ms` columns equal to their timestamps, team refs
// and template names split the same way, one ingest_deliveries row per record,
// incidents derived from their incident_events and readiness computed with the
// store's own statement. The rollups are left to the store's catch-ups, as after
// the migrations that added them (incidents without a duration bin, deployments at
// or above the watermark). Run by run.mjs; usable alone against a migrated database.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';

/** Two years of history, ending now. */
const DAY_MS = 86_400_000;
const SPAN_DAYS = 730;

/** Golden-path templates and their share of the requested services; the rest is off-path. */
const TEMPLATES = [
  ['node-service', 0.4],
  ['python-service', 0.25],
  ['go-service', 0.15],
];

/** The questions the portal's campaigns ask by default (SurveyService.ts). */
const QUESTIONS = JSON.parse(
  readFileSync(
    new URL(
      '../../plugins/platform-metrics-backend/src/service/defaultSurveyQuestions.json',
      import.meta.url,
    ),
    'utf8',
  ),
);

/** Epoch milliseconds (bigint expression) to timestamptz, exactly. */
const ts = expr =>
  `(timestamptz 'epoch' + (${expr}) * interval '1 millisecond')`;

/** A standard normal variate from two uniform random() calls (Box-Muller). */
const normal = `(sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))`;

/**
 * Splits `total` over the rows of `table` in proportion to `weight`, exactly:
 * floors first, then one more to the rows with the largest remainders.
 */
function apportion(table, weight, column, total) {
  return `
    WITH w AS (
      SELECT s, ${weight} AS w FROM ${table}
    ), q AS (
      SELECT s, ${total}::float8 * w / NULLIF(SUM(w) OVER (), 0) AS q FROM w
    ), f AS (
      SELECT s, floor(q)::int AS base, q - floor(q) AS frac FROM q
    ), r AS (
      SELECT s, base + CASE WHEN ROW_NUMBER() OVER (ORDER BY frac DESC, s)
        <= ${total} - SUM(base) OVER () THEN 1 ELSE 0 END AS n FROM f
    )
    UPDATE ${table} t SET ${column} = r.n FROM r WHERE r.s = t.s`;
}

export async function generate({
  connectionString = 'postgresql://postgres@127.0.0.1:5432',
  database,
  services = 5000,
  teams = 60,
  production = 1_000_000,
  nonProduction = 300_000,
  incidents = 50_000,
  surveyResponses = 40_000,
  campaigns = 8,
  seed = 0.42,
  log = console.log,
}) {
  // pg lets the connection string's (empty) database win over a `database` option.
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const step = async (label, sql, params) => {
    const started = performance.now();
    const result = await client.query(sql, params);
    log(
      `  ${label}: ${result.rowCount ?? ''} (${Math.round(
        performance.now() - started,
      )} ms)`,
    );
    return result;
  };
  try {
    const { rows } = await client.query(
      `SELECT to_regclass('deployments') AS d, to_regclass('survey_answers') AS s`,
    );
    if (!rows[0].d || !rows[0].s) {
      throw new Error(`${database} is not migrated: start the backend first`);
    }
    const existing = await client.query('SELECT 1 FROM deployments LIMIT 1');
    if (existing.rowCount) {
      throw new Error(`${database} already holds deployments`);
    }
    // Whole minutes, so that reruns on the same day see the same calendar shape.
    const endMs = Math.floor(Date.now() / 60_000) * 60_000;
    const startMs = endMs - SPAN_DAYS * DAY_MS;
    // One transaction: a failed run leaves the database as migrated.
    await client.query('BEGIN');
    await client.query('SELECT setseed($1)', [seed]);

    // ---- services: requested evenly over the two years, each with a team, most
    // of them on a golden path; the first successful production deployment follows
    // the request after a log-normal lead time (median 2 days).
    let cumulative = 0;
    const templateCase = TEMPLATES.map(([name, share]) => {
      cumulative += share;
      return `WHEN rt < ${cumulative} THEN '${name}'`;
    }).join(' ');
    await step(
      'services',
      `CREATE TEMP TABLE bench_services AS
      WITH base AS MATERIALIZED (
        SELECT s, random() AS rt, random() AS rteam, random() AS rr,
          ${normal} AS zlead, ${normal} AS zact, random() AS rv
        FROM generate_series(1, $1::int) s
      )
      SELECT s,
        'component:default/svc-' || lpad(s::text, 5, '0') AS entity_ref,
        -- Uneven team sizes: a few large teams, a long tail of small ones.
        'group:default/team-' || lpad((1 + floor($2::int * power(rteam, 1.6)))::int::text, 2, '0') AS team_ref,
        CASE ${templateCase} END AS template_name,
        'v' || (1 + floor(rv * 3))::int || '.' || floor(rv * 30)::int % 10 || '.0' AS version,
        floor($3::bigint + (s - 1 + rr) / $1::float8 * ($4::bigint - $3::bigint))::bigint AS requested_ms,
        LEAST(floor(2 * 86400000 * exp(1.1 * zlead)), 90::bigint * 86400000)::bigint AS lead_ms,
        exp(zact) AS activity,
        0 AS n_prod, 0 AS n_nonprod, 0 AS n_incidents
      FROM base`,
      [services, teams, startMs, endMs],
    );
    await client.query(
      `ALTER TABLE bench_services ADD COLUMN first_ms bigint;
       UPDATE bench_services SET first_ms = requested_ms + lead_ms;
       ALTER TABLE bench_services ADD PRIMARY KEY (s)`,
    );
    // Busier services deploy more; each deploys from its first deployment until now.
    const weight = `CASE WHEN first_ms < ${endMs} THEN activity * (${endMs} - first_ms) ELSE 0 END`;
    const { rows: live } = await client.query(
      `SELECT COUNT(*)::int AS n FROM bench_services WHERE first_ms < $1`,
      [endMs],
    );
    await step(
      'production deployments per service',
      apportion('bench_services', weight, 'n_prod', production - live[0].n),
    );
    await step(
      'non-production deployments per service',
      apportion('bench_services', weight, 'n_nonprod', nonProduction),
    );
    await step(
      'incidents per service',
      apportion('bench_services', weight, 'n_incidents', incidents),
    );

    // ---- service requests, one per service, as the scaffolder reports them.
    await step(
      'service_requests',
      `INSERT INTO service_requests (id, source, delivery_key, entity_ref, team_ref,
        template, template_name, template_version, requested_at, requested_at_ms,
        observability_verified, ticket_id, baseline)
      SELECT gen_random_uuid(), 'cdevents', 'request-' || s, entity_ref, team_ref,
        'template:default/' || template_name, template_name,
        CASE WHEN template_name IS NOT NULL THEN version END,
        ${ts('requested_ms')}, requested_ms, false, NULL, false
      FROM bench_services`,
    );

    // ---- deployments: the first production deployment of every live service, then
    // the apportioned ones at uniform times after it. 88% succeed; golden-path
    // services' pipelines carry the template 95% of the time (the rest are manual
    // deployments without metadata); 0.3% name no known service (unattributed).
    const deploymentColumns = `id, source, delivery_key, entity_ref, team_ref,
      environment, production, outcome, deployed_at, deployed_at_ms, golden_template,
      golden_template_name, golden_version, pipeline_id, observability_declared,
      baseline`;
    await step(
      'first production deployments',
      `INSERT INTO deployments (${deploymentColumns})
      SELECT gen_random_uuid(), 'cdevents', 'deploy-' || s || '-0', entity_ref,
        team_ref, 'production', true, 'success', ${ts('first_ms')}, first_ms,
        'template:default/' || template_name, template_name,
        CASE WHEN template_name IS NOT NULL THEN version END,
        'pipeline-' || s || '-0', template_name IS NOT NULL, false
      FROM bench_services WHERE first_ms < ${endMs}`,
    );
    const moreDeployments = (label, count, environment, isProduction) =>
      step(
        label,
        `INSERT INTO deployments (${deploymentColumns})
        WITH x AS MATERIALIZED (
          SELECT s.*, g, random() AS rtime, random() AS rout, random() AS rgold,
            random() AS rsrc, random() AS rattr
          FROM bench_services s CROSS JOIN LATERAL generate_series(1, s.${count}) g
        ), y AS (
          SELECT x.*,
            rattr < 0.003 AS unattributed,
            template_name IS NOT NULL AND rgold < 0.95 AND rattr >= 0.003 AS golden,
            CASE WHEN rsrc < 0.6 THEN 'cdevents' WHEN rsrc < 0.9 THEN 'github'
              ELSE 'gitlab' END AS source,
            first_ms + floor(rtime * (${endMs} - first_ms))::bigint AS at_ms
          FROM x
        )
        SELECT gen_random_uuid(), source, '${environment}-' || s || '-' || g,
          CASE WHEN NOT unattributed THEN entity_ref END,
          CASE WHEN NOT unattributed THEN team_ref END,
          '${environment}', ${isProduction},
          CASE WHEN rout < 0.88 THEN 'success' WHEN rout < 0.96 THEN 'failure'
            ELSE 'rollback' END,
          ${ts('at_ms')}, at_ms,
          CASE WHEN golden THEN 'template:default/' || template_name END,
          CASE WHEN golden THEN template_name END,
          CASE WHEN golden THEN version END,
          'pipeline-' || s || '-' || g, golden, false
        FROM y`,
      );
    await moreDeployments(
      'production deployments',
      'n_prod',
      'production',
      true,
    );
    await moreDeployments(
      'non-production deployments',
      'n_nonprod',
      'staging',
      false,
    );

    // Statistics for the rows just inserted (in this transaction): without them the
    // planner takes the fresh table for empty and the readiness lookups for scans.
    await step('ANALYZE deployments', 'ANALYZE deployments');

    // ---- readiness: the statement of recomputeReadiness (database/metrics), so
    // that ready_at is exactly what ingestion would have computed.
    await step(
      'service_requests readiness',
      `UPDATE service_requests SET ready_deployment_id = (SELECT d.id FROM deployments d
        WHERE d.entity_ref = service_requests.entity_ref
          AND d.production = true AND d.outcome = 'success' AND d.baseline = false
          AND d.deployed_at_ms >= service_requests.requested_at_ms
        ORDER BY d.deployed_at_ms ASC, d.observability_declared DESC, d.id ASC
        LIMIT 1)
      WHERE baseline = false`,
    );
    await step(
      'service_requests ready_at',
      `UPDATE service_requests r SET ready_at = d.deployed_at,
        ready_at_ms = d.deployed_at_ms, observability_verified = d.observability_declared
      FROM deployments d WHERE d.id = r.ready_deployment_id`,
    );

    // ---- incidents: log-normal time to restore (median 45 min), 4% reopened once,
    // 1% unattributed; those still running at the end of the data stay open.
    await step(
      'incidents (working set)',
      `CREATE TEMP TABLE bench_incidents AS
      WITH x AS MATERIALIZED (
        SELECT s.s, s.entity_ref, s.team_ref, s.first_ms, g,
          random() AS rstart, ${normal} AS zdur, random() AS rreopen,
          random() AS rgap, ${normal} AS zdur2, random() AS rsev, random() AS rsrc,
          random() AS rattr, random() AS rack
        FROM bench_services s CROSS JOIN LATERAL generate_series(1, s.n_incidents) g
      )
      SELECT ROW_NUMBER() OVER (ORDER BY s, g) AS i,
        CASE WHEN rsrc < 0.7 THEN 'pagerduty' ELSE 'alertmanager' END AS source,
        CASE WHEN rattr >= 0.01 THEN entity_ref END AS entity_ref,
        CASE WHEN rattr >= 0.01 THEN team_ref END AS team_ref,
        CASE WHEN rsev < 0.05 THEN 'SEV1' WHEN rsev < 0.25 THEN 'SEV2'
          WHEN rsev < 0.7 THEN 'SEV3' ELSE 'SEV4' END AS severity,
        t0, t0 + floor(rack * LEAST(d1, 600000))::bigint AS ack,
        t0 + d1 AS t1,
        CASE WHEN rreopen < 0.04 THEN t0 + d1 + floor(rgap * 86400000)::bigint END AS t2,
        CASE WHEN rreopen < 0.04
          THEN t0 + d1 + floor(rgap * 86400000)::bigint + d2 END AS t3
      FROM (
        SELECT x.*,
          first_ms + floor(rstart * (${endMs} - first_ms))::bigint AS t0,
          GREATEST(60000, LEAST(floor(2700000 * exp(1.5 * zdur)), 30::bigint * 86400000))::bigint AS d1,
          GREATEST(60000, LEAST(floor(1800000 * exp(1.2 * zdur2)), 7::bigint * 86400000))::bigint AS d2
        FROM x
      ) y`,
    );
    // Events after the end of the data have not happened yet: drop them.
    await client.query(
      `UPDATE bench_incidents SET t1 = NULL, t2 = NULL, t3 = NULL WHERE t1 > ${endMs};
       UPDATE bench_incidents SET t2 = NULL, t3 = NULL WHERE t2 > ${endMs};
       UPDATE bench_incidents SET t3 = NULL WHERE t3 > ${endMs};
       UPDATE bench_incidents SET ack = NULL WHERE ack > ${endMs}`,
    );
    await step(
      'incident_events',
      `INSERT INTO incident_events (source, delivery_key, incident_key, type,
        occurred_at, occurred_at_ms, entity_ref, team_ref, severity, title, url)
      SELECT source, 'event-' || i || '-' || k, 'INC-' || i, type, ${ts(
        'at',
      )}, at,
        entity_ref, team_ref, severity, 'Incident ' || i || ': elevated error rate',
        'https://incidents.example.com/INC-' || i
      FROM (
        SELECT i, source, entity_ref, team_ref, severity, 'triggered' AS type, t0 AS at, 1 AS k FROM bench_incidents
        UNION ALL SELECT i, source, entity_ref, team_ref, severity, 'acknowledged', ack, 2 FROM bench_incidents WHERE ack IS NOT NULL
        UNION ALL SELECT i, source, entity_ref, team_ref, severity, 'resolved', t1, 3 FROM bench_incidents WHERE t1 IS NOT NULL
        UNION ALL SELECT i, source, entity_ref, team_ref, severity, 'reopened', t2, 4 FROM bench_incidents WHERE t2 IS NOT NULL
        UNION ALL SELECT i, source, entity_ref, team_ref, severity, 'resolved', t3, 5 FROM bench_incidents WHERE t3 IS NOT NULL
      ) e
      ORDER BY at, i, k`,
    );
    // Derived with the rules of recomputeIncidents (database/metrics): started at
    // the first trigger, resolved at the last resolve unless reopened after it.
    await step(
      'incidents',
      `INSERT INTO incidents (id, source, incident_key, entity_ref, team_ref, severity,
        title, url, started_at, started_at_ms, resolved_at, resolved_at_ms, baseline)
      SELECT gen_random_uuid(), source, 'INC-' || i, entity_ref, team_ref, severity,
        'Incident ' || i || ': elevated error rate',
        'https://incidents.example.com/INC-' || i, ${ts('t0')}, t0,
        ${ts('r')}, r, false
      FROM (
        SELECT b.*, CASE WHEN t2 IS NULL THEN t1 ELSE t3 END AS r FROM bench_incidents b
      ) x`,
    );

    await step(
      'ingest_deliveries',
      `INSERT INTO ingest_deliveries (source, delivery_key, kind, received_at)
      SELECT source, delivery_key, 'deployment', deployed_at FROM deployments
      UNION ALL
      SELECT source, delivery_key, 'incident', occurred_at FROM incident_events
      UNION ALL
      SELECT source, delivery_key, 'service-request', requested_at FROM service_requests`,
    );

    // ---- survey: the last `campaigns` whole quarters, one closed campaign each,
    // answered by equal shares of the responses; teams as uneven as the services'.
    await step(
      'survey_campaigns',
      `INSERT INTO survey_campaigns (id, title, quarter, opens_at, closes_at, status,
        questions, created_at, updated_at)
      SELECT gen_random_uuid(), 'Developer survey ' || q, q,
        opens AT TIME ZONE 'UTC', closes AT TIME ZONE 'UTC', 'closed', $1,
        (opens - interval '7 days') AT TIME ZONE 'UTC', closes AT TIME ZONE 'UTC'
      FROM (
        -- Calendar arithmetic on UTC wall-clock time, whatever the session zone.
        SELECT to_char(qs, 'YYYY') || '-Q' || to_char(qs, 'Q') AS q,
          qs + interval '2 months' AS opens,
          qs + interval '2 months 21 days' AS closes
        FROM (
          SELECT date_trunc('quarter', ${ts(endMs)} AT TIME ZONE 'UTC')
            - k * interval '3 months' AS qs
          FROM generate_series(1, $2::int) k
        ) a
      ) b`,
      [JSON.stringify(QUESTIONS), campaigns],
    );
    await step(
      'survey_responses',
      `INSERT INTO survey_responses (id, campaign_id, team_ref, comment)
      SELECT gen_random_uuid(), c.id,
        CASE WHEN rteam < 0.98
          THEN 'group:default/team-' || lpad((1 + floor($2::int * power(rteam / 0.98, 1.6)))::int::text, 2, '0')
        END,
        CASE WHEN rcomment < 0.1 THEN 'Comment ' || n END
      FROM (
        SELECT n, random() AS rteam, random() AS rcomment,
          ROW_NUMBER() OVER (ORDER BY n) AS k FROM generate_series(1, $1::int) n
      ) r
      JOIN (
        SELECT id, ROW_NUMBER() OVER (ORDER BY closes_at) - 1 AS c FROM survey_campaigns
      ) c ON c.c = (r.k - 1) % $3::int`,
      [surveyResponses, teams, campaigns],
    );
    await step(
      'survey_participation',
      `INSERT INTO survey_participation (campaign_id, participant_hash)
      SELECT campaign_id, md5(random()::text || id::text) || md5(id::text || random()::text)
      FROM survey_responses`,
    );
    await step(
      'survey_answers',
      `INSERT INTO survey_answers (response_id, question_id, value)
      SELECT r.id, q, LEAST(5, 1 + floor(5 * power(random(), 0.6)))::int
      FROM survey_responses r CROSS JOIN unnest($1::text[]) q`,
      [QUESTIONS.map(q => q.id)],
    );

    await client.query('COMMIT');
    // Hint bits, visibility map and statistics, as a long-lived database has them.
    await step('VACUUM ANALYZE', 'VACUUM ANALYZE');
    const counts = await client.query(
      `SELECT
        (SELECT COUNT(*) FROM deployments WHERE production) AS production,
        (SELECT COUNT(*) FROM deployments WHERE NOT production) AS non_production,
        (SELECT COUNT(*) FROM service_requests) AS service_requests,
        (SELECT COUNT(*) FROM incidents) AS incidents,
        (SELECT COUNT(*) FROM incident_events) AS incident_events,
        (SELECT COUNT(*) FROM survey_responses) AS survey_responses,
        (SELECT COUNT(*) FROM survey_answers) AS survey_answers,
        (SELECT COUNT(DISTINCT team_ref) FROM service_requests) AS teams,
        pg_size_pretty(pg_database_size(current_database())) AS size`,
    );
    return { startMs, endMs, counts: counts.rows[0] };
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      connection: {
        type: 'string',
        default:
          process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
          'postgresql://postgres@127.0.0.1:5432',
      },
      database: { type: 'string' },
      services: { type: 'string', default: '5000' },
      teams: { type: 'string', default: '60' },
      production: { type: 'string', default: '1000000' },
      'non-production': { type: 'string', default: '300000' },
      incidents: { type: 'string', default: '50000' },
      'survey-responses': { type: 'string', default: '40000' },
      seed: { type: 'string', default: '0.42' },
    },
  });
  if (!values.database) throw new Error('--database is required');
  const result = await generate({
    connectionString: values.connection,
    database: values.database,
    services: Number(values.services),
    teams: Number(values.teams),
    production: Number(values.production),
    nonProduction: Number(values['non-production']),
    incidents: Number(values.incidents),
    surveyResponses: Number(values['survey-responses']),
    seed: Number(values.seed),
  });
  console.log(JSON.stringify(result, null, 2));
}
