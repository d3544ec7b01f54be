import type { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { readGoldenPathConfig } from './readGoldenPathConfig';
import {
  checkStepOutput,
  ON_CALL_PROVIDERS,
  resolveGoldenPathAnswers,
} from './resolveGoldenPathAnswers';

/**
 * Server-side check of a golden-path form, run before anything is rendered
 * or published, so a crafted request cannot bypass the form's own checks. It
 * also resolves the defaults that come from app config (hostname, issuer,
 * rule selector) for the later steps.
 */
export function createValidateInputAction(options: {
  config: Config;
  catalog: CatalogService;
  auth: AuthService;
}) {
  const { config, catalog, auth } = options;
  return createTemplateAction({
    id: 'golden-path:validate-input',
    description:
      'Checks the answers of a golden-path form server-side and resolves the defaults that come from app config',
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().describe('Service name'),
        description: z => z.string().optional(),
        owner: z => z.string().describe('Owning group entity ref'),
        system: z => z.string().optional(),
        tier: z => z.enum(['critical', 'standard', 'experimental']),
        hostname: z => z.string().optional(),
        onCallProvider: z =>
          z
            .enum(ON_CALL_PROVIDERS)
            .optional()
            .describe('On-call tool; pagerduty when not given'),
        onCallId: z => z.string().optional(),
        publishTarget: z => z.enum(['local', 'github', 'gitlab']),
        repoUrl: z => z.string().optional(),
      },
      output: {
        name: z => z.string(),
        owner: z => z.string(),
        ownerName: z => z.string(),
        system: z => z.string(),
        hostname: z => z.string(),
        onCallProvider: z => z.enum(ON_CALL_PROVIDERS),
        severity: z => z.string(),
        paging: z => z.boolean(),
        clusterIssuer: z => z.string(),
        ruleSelectorLabels: z => z.record(z.string(), z.string()),
        containerRegistry: z => z.string(),
        gitopsRepository: z => z.string(),
        portalUrl: z => z.string(),
        sourceHost: z => z.string(),
        projectSlug: z => z.string(),
        repoWebUrl: z => z.string(),
      },
    },
    async handler(ctx) {
      const settings = readGoldenPathConfig(config);
      const { input } = ctx;

      const resolved = resolveGoldenPathAnswers(input, settings);
      const { name, ownerRef, systemRef } = resolved;

      // A retry after a crash would otherwise find the service it registered
      // itself and fail; the checkpoint keeps the first answer.
      await ctx.checkpoint({
        key: `golden-path-validate-input-${name}`,
        fn: async () => {
          // The platform's own credentials: a name hidden from this user by
          // permissions is still taken.
          const credentialsHolder = {
            credentials: await auth.getOwnServiceCredentials(),
          };
          const existing = await catalog.getEntityByRef(
            { kind: 'component', namespace: 'default', name },
            credentialsHolder,
          );
          if (existing) {
            throw new ConflictError(
              `A component named "${name}" already exists in the catalog (owned by ${
                existing.spec?.owner ?? 'unknown'
              }); choose another name`,
            );
          }
          const owner = await catalog.getEntityByRef(
            ownerRef,
            credentialsHolder,
          );
          if (!owner) {
            throw new InputError(
              `Owner ${stringifyEntityRef(
                ownerRef,
              )} is not a group in the catalog`,
            );
          }
          if (systemRef) {
            const system = await catalog.getEntityByRef(
              systemRef,
              credentialsHolder,
            );
            if (!system) {
              throw new InputError(
                `System ${stringifyEntityRef(systemRef)} is not in the catalog`,
              );
            }
          }
        },
      });

      const output = checkStepOutput(resolved, settings);
      for (const key of Object.keys(output) as Array<keyof typeof output>) {
        ctx.output(key, output[key]);
      }
      ctx.logger.info(
        `Answers accepted: ${name} owned by ${stringifyEntityRef(
          ownerRef,
        )}, served at https://${resolved.hostname}`,
      );
    },
  });
}
