import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  platformMetricsChecksRunPermission,
  platformMetricsReadPermission,
} from '@internal/plugin-platform-metrics-common';
import type express from 'express';
import { z } from 'zod';
import type { ChecksService } from '../checks/ChecksService';
import { parseInput } from './parseInput';
import { requirePermission } from './requirePermission';

/** The catalog's rule for names and namespaces: at most 63 of [a-zA-Z0-9-_.]. */
const entityName = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .max(63, `${field}: at most 63 characters`)
    .regex(
      /^[a-zA-Z0-9]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$/,
      `${field}: expected a catalog entity name (letters, digits, -, _ and .)`,
    )
    .transform(v => v.toLocaleLowerCase('en-US'));

const serviceParams = z.object({
  namespace: entityName('namespace'),
  name: entityName('name'),
});

const unverifiedQuery = z.object({
  team: z
    .string()
    .max(300, 'team: at most 300 characters')
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      try {
        const ref = parseEntityRef(value, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        });
        return `${ref.kind}:${ref.namespace}/${ref.name}`.toLocaleLowerCase(
          'en-US',
        );
      } catch {
        ctx.addIssue({
          code: 'custom',
          message:
            'team: expected a Group entity ref, such as group:default/payments',
        });
        return z.NEVER;
      }
    }),
});

/** The live checks' routes: read with the read permission, run with checks.run. */
export function createChecksRoutes(options: {
  checks: ChecksService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}) {
  const { checks } = options;
  const authorize = requirePermission(options);

  return (router: express.Router) => {
    router.get('/v1/services/:namespace/:name/checks', async (req, res) => {
      const credentials = await authorize(req, platformMetricsReadPermission);
      const service = parseInput(serviceParams, req.params);
      res.json(await checks.getServiceChecks(service, { credentials }));
    });

    router.post(
      '/v1/services/:namespace/:name/checks/run',
      async (req, res) => {
        const credentials = await authorize(
          req,
          platformMetricsChecksRunPermission,
        );
        const service = parseInput(serviceParams, req.params);
        res.json(await checks.runServiceChecks(service, { credentials }));
      },
    );

    router.get('/v1/checks/unverified', async (req, res) => {
      await authorize(req, platformMetricsReadPermission);
      const { team } = parseInput(unverifiedQuery, req.query);
      res.json({ items: await checks.listUnverified({ teamRef: team }) });
    });
  };
}
