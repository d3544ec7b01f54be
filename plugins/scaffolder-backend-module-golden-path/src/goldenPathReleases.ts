import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import {
  type GoldenPathReleaseEntry,
  parseGoldenPathReleases,
  releasesAfter,
} from '@internal/plugin-platform-metrics-common';
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

/** Where a service stands against the released golden-path versions. */
export interface GoldenPathVersionStatus {
  /** The version the service records. */
  version: string;
  latest: string;
  /** True when `latest` is newer than `version`. */
  behind: boolean;
  /** The releases after `version` up to `latest`, newest first. */
  newer: GoldenPathReleaseEntry[];
}

/**
 * The released golden-path versions and their changelog, read from
 * `versions.yaml` with the parser the drift view uses too
 * (`parseGoldenPathReleases`), and the tree of each release.
 */
export class GoldenPathReleases {
  private constructor(
    readonly releases: GoldenPathReleaseEntry[],
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
    return new GoldenPathReleases(parseGoldenPathReleases(text, where), root);
  }

  get latest(): GoldenPathReleaseEntry {
    return this.releases[0];
  }

  find(version: string): GoldenPathReleaseEntry | undefined {
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
    const newer = releasesAfter(this.releases, version);
    return {
      version,
      latest: this.latest.version,
      behind: newer.length > 0,
      newer,
    };
  }
}
