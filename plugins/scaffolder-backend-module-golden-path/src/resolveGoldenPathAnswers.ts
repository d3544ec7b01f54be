import {
  parseEntityRef,
  stringifyEntityRef,
  type CompoundEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { checkInputSafety } from './checkInputSafety';
import type { GoldenPathConfig } from './readGoldenPathConfig';

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
export const ON_CALL_PROVIDERS = ['pagerduty', 'opsgenie'] as const;

const TIERS = {
  critical: { severity: 'critical', paging: true },
  standard: { severity: 'warning', paging: false },
  experimental: { severity: 'info', paging: false },
} as const;

const PUBLISH_HOSTS = { github: 'github.com', gitlab: 'gitlab.com' } as const;

/** The answers of a golden-path form, as the form and `.golden-path.yaml` hold them. */
export interface GoldenPathAnswers {
  name: string;
  description?: string;
  owner: string;
  system?: string;
  tier: 'critical' | 'standard' | 'experimental';
  hostname?: string;
  onCallProvider?: (typeof ON_CALL_PROVIDERS)[number];
  onCallId?: string;
  publishTarget: 'local' | 'github' | 'gitlab';
  repoUrl?: string;
}

/** What the skeletons get from the answers and from app config. */
export interface ResolvedGoldenPathAnswers {
  name: string;
  ownerRef: CompoundEntityRef;
  systemRef?: CompoundEntityRef;
  hostname: string;
  onCallProvider: (typeof ON_CALL_PROVIDERS)[number];
  severity: string;
  paging: boolean;
  sourceHost: string;
  projectSlug: string;
  repoWebUrl: string;
}

/**
 * Checks the answers and resolves the values derived from them and from app
 * config. Creation runs it on the form (`golden-path:validate-input`), an
 * upgrade on the answers a service recorded, so both render alike.
 */
export function resolveGoldenPathAnswers(
  input: GoldenPathAnswers,
  settings: GoldenPathConfig,
): ResolvedGoldenPathAnswers {
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
      `On-call tool must be ${ON_CALL_PROVIDERS.join(' or ')}, got "${String(
        onCallProvider,
      ).slice(0, 40)}"`,
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

  const tier = TIERS[input.tier];
  if (!tier) {
    throw new InputError(
      `Tier must be one of ${Object.keys(TIERS).join(', ')}, got "${String(
        input.tier,
      ).slice(0, 40)}"`,
    );
  }
  return {
    name,
    ownerRef,
    systemRef,
    hostname,
    onCallProvider,
    severity: tier.severity,
    paging: tier.paging,
    sourceHost,
    projectSlug,
    repoWebUrl,
  };
}

/**
 * The output of the `check` step (`golden-path:validate-input`), which the
 * render steps read as `steps.check.output`.
 */
export function checkStepOutput(
  resolved: ResolvedGoldenPathAnswers,
  settings: GoldenPathConfig,
) {
  return {
    name: resolved.name,
    owner: stringifyEntityRef(resolved.ownerRef),
    ownerName: resolved.ownerRef.name,
    system: resolved.systemRef ? resolved.systemRef.name : '',
    hostname: resolved.hostname,
    onCallProvider: resolved.onCallProvider,
    severity: resolved.severity,
    paging: resolved.paging,
    clusterIssuer: settings.clusterIssuer,
    ruleSelectorLabels: settings.ruleSelectorLabels,
    containerRegistry: settings.containerRegistry,
    gitopsRepository: settings.gitopsRepository,
    portalUrl: settings.portalUrl,
    sourceHost: resolved.sourceHost,
    projectSlug: resolved.projectSlug,
    repoWebUrl: resolved.repoWebUrl,
  };
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
