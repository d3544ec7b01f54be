import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import type { Entity } from '@backstage/catalog-model';
import { parse } from 'yaml';
import { z } from 'zod';
import { GOLDEN_PATHS_DIRECTORY } from './renderGoldenPathTemplates';

/** `versions.yaml`, next to the generated Templates. */
export const GOLDEN_PATH_VERSIONS_FILE = path.join(
  GOLDEN_PATHS_DIRECTORY,
  'versions.yaml',
);

/** Where the tree of each older release is kept, as `<version>.tar.gz`. */
export const GOLDEN_PATH_RELEASES_DIRECTORY = path.join(
  GOLDEN_PATHS_DIRECTORY,
  'releases',
);

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

const changelogEntrySchema = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
});

const versionsSchema = z.object({
  releases: z
    .array(
      z.object({
        version: z.string().regex(SEMVER, 'must be MAJOR.MINOR.PATCH'),
        commit: z
          .string()
          .regex(/^[0-9a-f]{40}$/, 'must be a full commit hash')
          .optional(),
        changelog: z.array(changelogEntrySchema).min(1),
      }),
    )
    .min(1),
});

export type GoldenPathChangelogEntry = z.infer<typeof changelogEntrySchema>;

export interface GoldenPathRelease {
  version: string;
  /** The commit whose `templates/golden-paths` this release is; unset for the newest. */
  commit?: string;
  changelog: GoldenPathChangelogEntry[];
}

/** Where a service stands against the released golden-path versions. */
export interface GoldenPathVersionStatus {
  /** The version the service records. */
  version: string;
  latest: string;
  /** True when `latest` is newer than `version`. */
  behind: boolean;
  /** The releases after `version` up to `latest`, newest first. */
  newer: GoldenPathRelease[];
}

/**
 * The golden path an entity was created from and the version it records
 * (`backstage.io/source-template`, `acme.example/template-version`), or
 * undefined for an entity from no golden path.
 */
export function goldenPathOfEntity(
  entity: Entity,
): { template: string; version: string } | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const template = /^template:default\/([a-z0-9-]+)$/.exec(
    annotations['backstage.io/source-template'] ?? '',
  )?.[1];
  const version = annotations['acme.example/template-version'];
  return template && version ? { template, version } : undefined;
}

/** Compares two MAJOR.MINOR.PATCH versions. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) return pa[i] - pb[i];
  }
  return 0;
}

/**
 * The released golden-path versions and their changelog, read from
 * `versions.yaml`. The drift view and the upgrade both read it, so "behind"
 * means the same in both.
 */
export class GoldenPathReleases {
  private constructor(
    readonly releases: GoldenPathRelease[],
    /** The golden-paths folder: the newest release's tree and `releases/`. */
    private readonly root: string,
  ) {}

  static fromFile(file: string = GOLDEN_PATH_VERSIONS_FILE) {
    return GoldenPathReleases.fromText(
      fs.readFileSync(file, 'utf8'),
      path.dirname(file),
      file,
    );
  }

  static fromText(text: string, root: string, where = 'versions.yaml') {
    const parsed = versionsSchema.safeParse(parse(text));
    if (!parsed.success) {
      throw new Error(`${where}: ${z.prettifyError(parsed.error)}`);
    }
    const releases = [...parsed.data.releases].sort((a, b) =>
      compareVersions(b.version, a.version),
    );
    releases.forEach((release, index) => {
      if (index > 0 && release.version === releases[index - 1].version) {
        throw new Error(`${where}: ${release.version} is listed twice`);
      }
      // Every release but the newest is rendered from its archive, which is
      // made from the commit; the newest is the working tree.
      if (index > 0 && !release.commit) {
        throw new Error(
          `${where}: ${release.version} needs the commit it was released at`,
        );
      }
    });
    return new GoldenPathReleases(releases, root);
  }

  get latest(): GoldenPathRelease {
    return this.releases[0];
  }

  find(version: string): GoldenPathRelease | undefined {
    return this.releases.find(r => r.version === version);
  }

  /**
   * A folder holding the golden-paths tree of `version` (its `template.yaml`
   * and skeleton parts): the working tree for the newest release, else its
   * archive unpacked under `tempDir`. Archives, not git history, because the
   * production image has no `.git`.
   */
  async directoryOf(version: string, tempDir: string): Promise<string> {
    const release = this.find(version);
    if (!release) {
      throw new Error(`Golden-path version "${version}" was never released`);
    }
    if (release === this.latest) return this.root;
    const archive = path.join(this.root, 'releases', `${version}.tar.gz`);
    const target = path.join(tempDir, `golden-paths-${version}`);
    await fs.promises.rm(target, { recursive: true, force: true });
    await fs.promises.mkdir(target, { recursive: true });
    await tar.x({ file: archive, cwd: target, strict: true });
    return target;
  }

  /** Where a service recording `version` stands; throws for an unknown version. */
  status(version: string): GoldenPathVersionStatus {
    if (!this.find(version)) {
      throw new Error(
        `Golden-path version "${version}" was never released (known: ${this.releases
          .map(r => r.version)
          .join(', ')})`,
      );
    }
    const newer = this.releases.filter(
      r => compareVersions(r.version, version) > 0,
    );
    return {
      version,
      latest: this.latest.version,
      behind: newer.length > 0,
      newer,
    };
  }
}
