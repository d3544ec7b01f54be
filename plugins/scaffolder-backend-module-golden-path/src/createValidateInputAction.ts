import type { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { checkInputSafety } from './checkInputSafety';
import { readGoldenPathConfig } from './readGoldenPathConfig';

/** DNS-1123 label: it becomes a Kubernetes name, a hostname and a repository. */
export const SERVICE_NAME_PATTERN = '^[a-z]([-a-z0-9]*[a-z0-9])?$';
const SERVICE_NAME_MAX_LENGTH = 40;
const HOSTNAME_PATTERN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;
const ON_CALL_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Where the service's incidents come from; it decides the catalog annotation that
 * attributes them (`pagerduty.com/service-id` or `opsgenie.com/component-selector`).
 */
const ON_CALL_PROVIDERS = ['pagerduty', 'opsgenie'] as const;

const TIERS = {
  critical: { severity: 'critical', paging: true },
  standard: { severity: 'warning', paging: false },
  experimental: { severity: 'info', paging: false },
} as const;

const PUBLISH_HOSTS = { github: 'github.com', gitlab: 'gitlab.com' } as const;

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

      const name = input.name.trim();
      if (name.length > SERVICE_NAME_MAX_LENGTH) {
        throw new InputError(
          `Service name "${name.slice(0, 60)}" is ${
            name.length
          } characters long; at most ${SERVICE_NAME_MAX_LENGTH} are allowed`,
        );
      }
      checkInputSafety('Service name', name);
      if (!new RegExp(SERVICE_NAME_PATTERN).test(name)) {
        throw new InputError(
          `Service name "${name}" is not a DNS-1123 label: use lowercase letters, digits and "-", starting with a letter and not ending with "-"`,
        );
      }
      checkInputSafety('Description', input.description ?? '');
      checkInputSafety('Owner', input.owner, { maxLength: 253 });
      checkInputSafety('System', input.system ?? '', { maxLength: 253 });
      checkInputSafety('Hostname', input.hostname ?? '', { maxLength: 253 });
      checkInputSafety('On-call service id', input.onCallId ?? '', {
        maxLength: 64,
      });
      checkInputSafety('Repository location', input.repoUrl ?? '', {
        maxLength: 253,
      });

      const hostname =
        (input.hostname ?? '').trim().toLowerCase() ||
        `${name}.${settings.baseDomain}`;
      if (!HOSTNAME_PATTERN.test(hostname)) {
        throw new InputError(`Hostname "${hostname}" is not a valid DNS name`);
      }
      if (input.onCallId && !ON_CALL_ID_PATTERN.test(input.onCallId)) {
        throw new InputError(
          'On-call service id may only contain letters, digits, "-" and "_"',
        );
      }
      const onCallProvider = input.onCallProvider ?? 'pagerduty';
      if (!ON_CALL_PROVIDERS.includes(onCallProvider)) {
        throw new InputError(
          `On-call tool must be ${ON_CALL_PROVIDERS.join(
            ' or ',
          )}, got "${String(onCallProvider).slice(0, 40)}"`,
        );
      }

      const ownerRef = parseRef(input.owner, 'group', 'Owner');
      const systemRef = input.system
        ? parseRef(input.system, 'system', 'System')
        : undefined;

      const { sourceHost, projectSlug, repoWebUrl } = resolveRepository(
        input.publishTarget,
        input.repoUrl,
        name,
      );

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

      const tier = TIERS[input.tier];
      ctx.output('name', name);
      ctx.output('owner', stringifyEntityRef(ownerRef));
      ctx.output('ownerName', ownerRef.name);
      ctx.output('system', systemRef ? systemRef.name : '');
      ctx.output('hostname', hostname);
      ctx.output('onCallProvider', onCallProvider);
      ctx.output('severity', tier.severity);
      ctx.output('paging', tier.paging);
      ctx.output('clusterIssuer', settings.clusterIssuer);
      ctx.output('ruleSelectorLabels', settings.ruleSelectorLabels);
      ctx.output('containerRegistry', settings.containerRegistry);
      ctx.output('gitopsRepository', settings.gitopsRepository);
      ctx.output('portalUrl', settings.portalUrl);
      ctx.output('sourceHost', sourceHost);
      ctx.output('projectSlug', projectSlug);
      ctx.output('repoWebUrl', repoWebUrl);
      ctx.logger.info(
        `Answers accepted: ${name} owned by ${stringifyEntityRef(
          ownerRef,
        )}, served at https://${hostname}`,
      );
    },
  });
}

function parseRef(value: string, kind: string, field: string) {
  let ref;
  try {
    ref = parseEntityRef(value.trim(), {
      defaultKind: kind,
      defaultNamespace: 'default',
    });
  } catch {
    throw new InputError(`${field} "${value}" is not an entity reference`);
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== kind) {
    throw new InputError(`${field} must be a ${kind}, got ${ref.kind}`);
  }
  return ref;
}

function resolveRepository(
  target: 'local' | 'github' | 'gitlab',
  repoUrl: string | undefined,
  name: string,
) {
  if (target === 'local') {
    return {
      sourceHost: 'local',
      projectSlug: `local/${name}`,
      repoWebUrl: '',
    };
  }
  if (!repoUrl) {
    throw new InputError(`Choose a ${target} repository to publish to`);
  }
  // RepoUrlPicker produces `host?owner=o&repo=r`.
  let parsed: URL;
  try {
    parsed = new URL(`https://${repoUrl}`);
  } catch {
    throw new InputError(`Repository location "${repoUrl}" is not valid`);
  }
  const expectedHost = PUBLISH_HOSTS[target];
  if (parsed.host !== expectedHost) {
    throw new InputError(
      `Repositories for ${target} must be on ${expectedHost}, not ${parsed.host}`,
    );
  }
  const owner = parsed.searchParams.get('owner');
  const repo = parsed.searchParams.get('repo');
  if (!owner || !repo) {
    throw new InputError('Repository location needs an owner and a name');
  }
  const segment = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
  if (!segment.test(owner) || !/^[A-Za-z0-9_.-]+$/.test(repo)) {
    throw new InputError(
      `Repository "${owner}/${repo}" has characters a repository name cannot have`,
    );
  }
  return {
    sourceHost: expectedHost,
    projectSlug: `${owner}/${repo}`,
    repoWebUrl: `https://${expectedHost}/${owner}/${repo}`,
  };
}
