import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { CustomErrorBase, InputError, NotFoundError } from '@backstage/errors';
import {
  platformMetricsAdminPermission,
  platformMetricsReadPermission,
} from '@internal/plugin-platform-metrics-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { createOpenApiRouter } from '../schema/openapi/generated/router';
import { parseInput } from './parseInput';
import { findJsonProblem } from '../ingestion/parseHelpers';
import { isoDate } from './isoDate';
import { requirePermission } from './requirePermission';
import {
  type IngestionSourceRegistry,
  webhookPath,
} from '../ingestion/IngestionSourceRegistry';
import { parseCdEvents } from '../ingestion/parseCdEvents';
import type { IngestRecord } from '../ingestion/types';
import type { BaselineImportService } from './BaselineImportService';
import type { GoldenPathService } from './GoldenPathService';
import type { IngestionService } from './IngestionService';
import type { MetricsService } from './MetricsService';

export interface RouterOptions {
  config: Config;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  ingestion: IngestionService;
  /** The senders served at `/v1/webhooks/<id>`. */
  sources: IngestionSourceRegistry;
  metrics: MetricsService;
  baseline: BaselineImportService;
  goldenPaths: GoldenPathService;
  /** Survey routes are registered by their own module on the same router. */
  surveyRoutes?: (router: express.Router) => void;
  /** So are the live checks' routes. */
  checksRoutes?: (router: express.Router) => void;
  /** So are the usage routes. */
  usageRoutes?: (router: express.Router) => void;
}

/** Express keeps the exact bytes here: webhook signatures are over the raw body. */
type RawBodyRequest = express.Request & { rawBody?: Buffer };

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const MAX_LIST_LIMIT = 500;

const periodQuery = z
  .object({
    from: isoDate('from'),
    to: isoDate('to'),
    team: z.string().max(300).optional(),
    template: z.string().max(300).optional(),
    baseline: z
      .enum(['true', 'false'])
      .optional()
      .transform(v => v === 'true'),
    limit: z
      .string()
      .regex(/^\d+$/, 'limit: expected a whole number')
      .optional()
      .transform(v => Math.min(Number(v ?? 100), MAX_LIST_LIMIT)),
  })
  .refine(q => q.from < q.to, {
    message: 'from: must be before to',
    path: ['from'],
  });

const JSON_TYPES = ['application/json', 'application/*+json'];

/** Every type of body the routes take; the OpenAPI spec says which route takes which. */
const BODY_TYPES = [...JSON_TYPES, 'text/csv'];

/**
 * Webhooks skip the OpenAPI validator, whose route lookup compiles the spec's paths
 * into regular expressions on every request: about 15 % of a webhook's CPU
 * (docs/benchmarks.md). Their bodies have no schema in the spec; each sender's
 * parser validates them after the signature check, so they are validated once.
 * The validator sees the path with the plugin's mount point before it.
 */
const WEBHOOK_PATHS = /\/v1\/webhooks\//;

/** The error handler answers with `statusCode`; @backstage/errors has no 415. */
class UnsupportedMediaTypeError extends CustomErrorBase {
  readonly statusCode = 415;
}

/**
 * Rewords the JSON body parser's 400s so they name the body; its 413 (too large) and
 * 415 (unsupported charset) pass unchanged.
 */
const bodyParserErrors: express.ErrorRequestHandler = (
  error,
  _req,
  _res,
  next,
) => {
  if (error?.type !== 'entity.parse.failed') {
    next(error);
    return;
  }
  // In strict mode the parser refuses well-formed JSON that is a string, number,
  // boolean or null with a SyntaxError that reads as if the JSON were broken.
  let wellFormed = false;
  try {
    JSON.parse(String(error.body));
    wellFormed = true;
  } catch {
    // broken indeed
  }
  next(
    new InputError(
      wellFormed
        ? 'body: expected a JSON object or array'
        : `body: not valid JSON: ${error.message}`,
    ),
  );
};

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    config,
    httpAuth,
    permissions,
    ingestion,
    sources,
    metrics,
    baseline,
    goldenPaths,
  } = options;
  const maxBody =
    config.getOptionalNumber('platformMetrics.maxBodyBytes') ??
    DEFAULT_MAX_BODY_BYTES;

  const authorize = requirePermission({ httpAuth, permissions });

  const store2xx = async (records: IngestRecord[], ignored: number) => {
    const result = await ingestion.ingest(records);
    return { ...result, ignored };
  };

  // Body parsers sit outside the OpenAPI router so that their 413 (too large) and
  // 400 (malformed JSON) reach the client as such.
  const outer = Router();
  outer.use(
    express.json({
      limit: maxBody,
      type: JSON_TYPES,
      verify: (req, _res, buf) => {
        (req as RawBodyRequest).rawBody = buf;
      },
    }),
    express.text({ limit: maxBody, type: 'text/csv' }),
  );
  outer.use(bodyParserErrors);
  outer.use((req, _res, next) => {
    // A body of a type the parsers above skip would reach the routes as `{}`, and a
    // webhook would then report a signature mismatch instead of the actual problem.
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      Number(req.headers['content-length']) > 0;
    if (hasBody && !req.is(BODY_TYPES)) {
      throw new UnsupportedMediaTypeError(
        `Content-Type: expected ${BODY_TYPES.join(' or ')}, got ${
          req.headers['content-type'] || 'none'
        }`,
      );
    }
    next();
  });
  outer.use((req, _res, next) => {
    // Checked once here for every field and parameter of every route, before any of
    // them reaches a parser, a hash or a query.
    const problem = findJsonProblem(req.query) ?? findJsonProblem(req.body);
    if (problem) throw new InputError(problem);
    next();
  });

  // The bodies are parsed above; the OpenAPI router must not parse them again (its
  // default) and needs at least one middleware, so it gets a pass-through.
  const router = await createOpenApiRouter({
    middleware: [(_req, _res, next) => next()],
    validatorOptions: { ignorePaths: WEBHOOK_PATHS },
  });
  outer.use(router);

  // What the spec says of webhook requests, checked here as the validator skips them.
  router.use('/v1/webhooks', (req, _res, next) => {
    const [parameter] = Object.keys(req.query);
    if (parameter !== undefined) {
      throw new InputError(`${parameter}: unknown query parameter`);
    }
    if (!req.is('application/json')) {
      throw new UnsupportedMediaTypeError(
        `Content-Type: expected application/json, got ${
          req.headers['content-type'] || 'none'
        }`,
      );
    }
    next();
  });

  router.post('/v1/events', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const { records, ignored } = parseCdEvents(req.body);
    res.json(await store2xx(records, ignored));
  });

  // Routes the spec documents for the built-in sources, and undocumented ones
  // for sources that modules add; the validator skips all of them.
  const webhooks = router as unknown as express.Router;
  for (const source of sources.sources) {
    webhooks.post(webhookPath(source), async (req, res) => {
      const request = {
        header: (name: string) => req.header(name),
        rawBody: (req as RawBodyRequest).rawBody ?? Buffer.alloc(0),
        body: req.body,
      };
      if (source.authenticate(request, config) === 'not-configured') {
        throw new NotFoundError(
          `The ${source.displayName} webhook is not configured`,
        );
      }
      const { records, ignored } = source.parse(request);
      res.json(await store2xx(records, ignored));
    });
  }

  /** Every read route: the read permission, then the period and filters. */
  const readQuery = async (req: express.Request) => {
    await authorize(req, platformMetricsReadPermission);
    const { limit, ...query } = parseInput(periodQuery, req.query);
    return { query, limit };
  };

  router.get('/v1/summary', async (req, res) => {
    const { query } = await readQuery(req);
    res.json({ ...(await metrics.summary(query)) });
  });

  router.get('/v1/trend', async (req, res) => {
    const { query } = await readQuery(req);
    const { bucket } = parseInput(
      z.object({ bucket: z.enum(['month', 'quarter']).default('quarter') }),
      { bucket: req.query.bucket },
    );
    res.json(await metrics.trend(query, bucket));
  });

  router.get('/v1/breakdown', async (req, res) => {
    const { query } = await readQuery(req);
    const { metric, by } = parseInput(
      z.object({
        metric: z.enum(['leadTime', 'goldenPath', 'mttr']),
        by: z.enum(['team', 'template', 'service', 'severity']),
      }),
      { metric: req.query.metric, by: req.query.by },
    );
    res.json({ metric, by, items: await metrics.breakdown(query, metric, by) });
  });

  router.get('/v1/deployments', async (req, res) => {
    const { query, limit } = await readQuery(req);
    const { goldenPath } = parseInput(
      z.object({
        goldenPath: z
          .enum(['true', 'false'])
          .optional()
          .transform(v => (v === undefined ? undefined : v === 'true')),
      }),
      { goldenPath: req.query.goldenPath },
    );
    res.json({
      items: await metrics.listDeployments({ ...query, goldenPath }, limit),
    });
  });

  router.get('/v1/incidents', async (req, res) => {
    const { query, limit } = await readQuery(req);
    const { state } = parseInput(
      z.object({ state: z.enum(['resolved', 'open']).optional() }),
      { state: req.query.state },
    );
    res.json({
      items: await metrics.listIncidents({ ...query, state }, limit),
    });
  });

  router.get('/v1/service-requests', async (req, res) => {
    const { query, limit } = await readQuery(req);
    const { state } = parseInput(
      z.object({ state: z.enum(['ready', 'in-flight']).optional() }),
      { state: req.query.state },
    );
    res.json({
      items: await metrics.listServiceRequests({ ...query, state }, limit),
    });
  });

  router.get('/v1/off-path', async (req, res) => {
    const { query } = await readQuery(req);
    res.json({ items: await metrics.listOffPathServices(query) });
  });

  router.get('/v1/data-quality', async (req, res) => {
    const { query } = await readQuery(req);
    res.json({ ...(await metrics.dataQuality(query)) });
  });

  router.get('/v1/ingestion/sources', async (req, res) => {
    await authorize(req, platformMetricsAdminPermission);
    res.json({ items: sources.describe() });
  });

  router.get('/v1/golden-paths/versions', async (req, res) => {
    const credentials = await authorize(req, platformMetricsReadPermission);
    res.json({ ...(await goldenPaths.versions({ credentials })) });
  });

  router.get('/v1/golden-paths/drift', async (req, res) => {
    const credentials = await authorize(req, platformMetricsReadPermission);
    res.json({ ...(await goldenPaths.drift({ credentials })) });
  });

  router.post('/v1/baseline', async (req, res) => {
    await authorize(req, platformMetricsAdminPermission);
    const { kind, dryRun } = parseInput(
      z.object({
        kind: z.enum(['service-requests', 'incidents']),
        dryRun: z
          .enum(['true', 'false'])
          .optional()
          .transform(v => v === 'true'),
      }),
      req.query,
    );
    const contentType = req.is('text/csv') ? 'csv' : 'json';
    const result = await baseline.import({
      kind,
      dryRun,
      contentType,
      body: req.body,
    });
    res.json({ ...result });
  });

  options.surveyRoutes?.(router as unknown as express.Router);
  options.checksRoutes?.(router as unknown as express.Router);
  options.usageRoutes?.(router as unknown as express.Router);

  return outer;
}
