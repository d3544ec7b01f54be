import type {
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  platformMetricsUsageReadPermission,
  USAGE_ACTIONS,
} from '@internal/plugin-platform-metrics-common';
import type express from 'express';
import { z } from 'zod';
import { normalizeTemplateRef } from '../usage/normalizeTemplateRef';
import type { UsageService } from '../usage/UsageService';
import { isoDate, parseIsoDate } from './isoDate';
import { requirePermission } from './requirePermission';
import { parseInput } from './parseInput';

/** Events per request: a tab sends at most one batch per 5 s. */
export const MAX_USAGE_BATCH = 500;

/** Absent or null: the frontend may send either for a missing attribute. */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  schema.nullish().transform(v => v ?? undefined);

const usageEventSchema = z.object({
  action: z.enum(USAGE_ACTIONS),
  subject: z.string().trim().min(1).max(300),
  occurredAt: z
    .string()
    .max(40)
    .refine(v => parseIsoDate(v) !== undefined, {
      message: 'expected an ISO 8601 timestamp',
    }),
  pluginId: optional(z.string().trim().min(1).max(100)),
  extensionId: optional(z.string().trim().min(1).max(200)),
  templateRef: optional(
    z
      .string()
      .max(300)
      .refine(v => normalizeTemplateRef(v) !== undefined, {
        message: 'expected a template entity ref',
      })
      .transform(v => normalizeTemplateRef(v) as string),
  ),
  taskId: optional(z.string().trim().min(1).max(100)),
  value: optional(z.number()),
  searchTerm: optional(z.string().max(200)),
});

const usageEventsBatchSchema = z.object({
  events: z.array(usageEventSchema).min(1).max(MAX_USAGE_BATCH),
});

const usagePeriodQuery = z
  .object({ from: isoDate('from'), to: isoDate('to') })
  .refine(q => q.from < q.to, {
    message: 'from: must be before to',
    path: ['from'],
  });

/**
 * The usage routes. Events come from signed-in users only; the reports are the
 * platform team's, behind the usage read permission.
 */
export function createUsageRoutes(options: {
  usage: UsageService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
}) {
  const { usage, httpAuth, userInfo } = options;
  const authorize = requirePermission(options);

  const readPeriod = async (req: express.Request) => {
    await authorize(req, platformMetricsUsageReadPermission);
    return parseInput(usagePeriodQuery, req.query);
  };

  return (router: express.Router) => {
    router.post('/v1/usage/events', async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const { events } = parseInput(usageEventsBatchSchema, req.body);
      const user = await userInfo.getUserInfo(credentials);
      res.status(202).json(await usage.record(user, events));
    });

    router.get('/v1/usage/templates', async (req, res) => {
      res.json(await usage.templateFunnel(await readPeriod(req)));
    });

    router.get('/v1/usage/features', async (req, res) => {
      res.json(await usage.featureUsage(await readPeriod(req)));
    });
  };
}
