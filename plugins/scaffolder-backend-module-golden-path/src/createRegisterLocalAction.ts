import type { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { LocalGitEntityProvider } from './LocalGitEntityProvider';
import { readGoldenPathConfig } from './readGoldenPathConfig';

/**
 * Registers a locally published service in the catalog: a `file` location
 * for the checkout kept next to its bare repository (the built-in
 * catalog:register only registers `url` locations).
 */
export function createRegisterLocalAction(options: {
  config: Config;
  catalog: CatalogService;
  auth: AuthService;
  localGit: Pick<LocalGitEntityProvider, 'register'>;
}) {
  const { config, catalog, auth, localGit } = options;
  return createTemplateAction({
    id: 'golden-path:register:local',
    description:
      'Registers catalog-info.yaml of a locally published repository in the catalog',
    supportsDryRun: true,
    schema: {
      input: {
        catalogInfoPath: z => z.string(),
        waitSeconds: z =>
          z
            .number()
            .min(0)
            .max(60)
            .optional()
            .describe(
              'How long to wait for the entity to appear in the catalog',
            ),
      },
      output: {
        entityRef: z => z.string(),
        locationRef: z => z.string(),
      },
    },
    async handler(ctx) {
      const root = readGoldenPathConfig(config).localGitDirectory;
      const target = path.resolve(ctx.input.catalogInfoPath);
      // Only checkouts of the local git host may be registered, so this
      // action cannot be pointed at arbitrary files on the backend host.
      if (!target.startsWith(`${path.join(root, 'checkouts')}${path.sep}`)) {
        throw new InputError(
          'catalogInfoPath must be a checkout on the local git host',
        );
      }
      const locationRef = `file:${target}`;
      ctx.output('locationRef', locationRef);

      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register ${locationRef}`);
        ctx.output('entityRef', 'component:default/dry-run');
        return;
      }

      const entity = parse(await fs.readFile(target, 'utf8'));
      const entityRef = stringifyEntityRef(entity);
      ctx.output('entityRef', entityRef);

      // Registering the same checkout again replaces the same Location, so a
      // retry is harmless; the checkpoint just skips the work.
      await ctx.checkpoint({
        key: `golden-path-register-local-${target}`,
        fn: async () => {
          await localGit.register(target);
        },
      });
      ctx.logger.info(`Registered ${locationRef} in the catalog`);

      const deadline = Date.now() + (ctx.input.waitSeconds ?? 0) * 1000;
      const serviceCredentials = await auth.getOwnServiceCredentials();
      while (Date.now() < deadline) {
        const found = await catalog.getEntityByRef(entityRef, {
          credentials: serviceCredentials,
        });
        if (found) {
          ctx.logger.info(`${entityRef} is in the catalog`);
          return;
        }
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      if (ctx.input.waitSeconds) {
        ctx.logger.warn(
          `${entityRef} is registered but not yet processed; it will appear in the catalog shortly`,
        );
      }
    },
  });
}
