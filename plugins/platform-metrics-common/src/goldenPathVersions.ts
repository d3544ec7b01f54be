/*
 * Golden-path versions and drift, as the platform-metrics API serves them. The
 * releases come from `templates/golden-paths/versions.yaml`; the versions of the
 * services come from their catalog annotations.
 */

/** The annotation a golden-path service records its template in (`template:default/<name>`). */
export const SOURCE_TEMPLATE_ANNOTATION = 'backstage.io/source-template';

/** The annotation a golden-path service (and Template) records its version in. */
export const TEMPLATE_VERSION_ANNOTATION = 'acme.example/template-version';

export interface GoldenPathChangelogEntry {
  title: string;
  description: string;
}

export interface GoldenPathRelease {
  /** MAJOR.MINOR.PATCH */
  version: string;
  /** `YYYY-MM-DD`, or null when `versions.yaml` does not say. */
  released: string | null;
  changelog: GoldenPathChangelogEntry[];
}

/** `GET /v1/golden-paths/versions`: the released versions per golden-path template. */
export interface GoldenPathVersionsResponse {
  items: Array<{
    /** Template name, such as `node-service`. */
    template: string;
    latest: string;
    /** Newest first. */
    releases: GoldenPathRelease[];
  }>;
}

/** A service that is not on the latest version of its template. */
export interface GoldenPathBehindService {
  entityRef: string;
  title: string | null;
  /** The owner's entity ref, or null when the Component names none. */
  owner: string | null;
  /** The owning Group's display name from the catalog, else the ref. */
  ownerTitle: string | null;
  /** The version the service records, or null when it records none. */
  version: string | null;
  /**
   * The release date of the first version newer than the service's
   * (`YYYY-MM-DD`), or null when it is not known; `unknownReason` says why.
   */
  behindSince: string | null;
  unknownReason?: string;
}

export interface GoldenPathTemplateDrift {
  template: string;
  title: string;
  latest: string;
  /** Services per recorded version, newest version first; `version` null is "none recorded". */
  versions: Array<{ version: string | null; services: number }>;
  /** Longest behind first. */
  behind: GoldenPathBehindService[];
}

/** `GET /v1/golden-paths/drift`. */
export interface GoldenPathDriftResponse {
  items: GoldenPathTemplateDrift[];
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** True for MAJOR.MINOR.PATCH. */
export function isVersion(value: string): boolean {
  return SEMVER.test(value);
}

/** Compares two MAJOR.MINOR.PATCH versions: negative when `a` is older. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) return pa[i] - pb[i];
  }
  return 0;
}

/**
 * The releases newer than `version`, newest first: what a service on `version`
 * gains by upgrading. A version that is not MAJOR.MINOR.PATCH gains every release.
 */
export function releasesAfter(
  releases: GoldenPathRelease[],
  version: string | null,
): GoldenPathRelease[] {
  if (version === null || !isVersion(version)) return releases;
  return releases.filter(r => compareVersions(r.version, version) > 0);
}

/**
 * The golden-path template (by name) and version a catalog entity records, or
 * undefined when its `backstage.io/source-template` names no Template.
 */
export function goldenPathOf(entity: {
  metadata: { annotations?: Record<string, string> };
}): { template: string; version: string | null } | undefined {
  const annotations = entity.metadata.annotations ?? {};
  // [template:][namespace/]name, as entity refs are written.
  const match = /^(?:([^:/]+):)?(?:[^:/]+\/)?([^:/]+)$/.exec(
    annotations[SOURCE_TEMPLATE_ANNOTATION]?.trim() ?? '',
  );
  if (
    !match ||
    (match[1] && match[1].toLocaleLowerCase('en-US') !== 'template')
  ) {
    return undefined;
  }
  return {
    template: match[2],
    version: annotations[TEMPLATE_VERSION_ANNOTATION]?.trim() || null,
  };
}
