import { parse } from 'yaml';
import { z } from 'zod';
import {
  compareVersions,
  type GoldenPathRelease,
  isVersion,
} from './goldenPathVersions';

/**
 * A release as `templates/golden-paths/versions.yaml` lists it: what the API
 * serves, plus the commit its archive was made from.
 */
export interface GoldenPathReleaseEntry extends GoldenPathRelease {
  /** The commit whose `templates/golden-paths` this release is; unset for the newest. */
  commit?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const versionsFileSchema = z.object({
  releases: z
    .array(
      z.object({
        version: z
          .string()
          .refine(isVersion, { message: 'must be MAJOR.MINOR.PATCH' }),
        commit: z
          .string()
          .regex(/^[0-9a-f]{40}$/, 'must be a full commit hash')
          .optional(),
        released: z
          .string()
          .regex(DATE, 'must be YYYY-MM-DD')
          .refine(v => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), {
            message: 'must be a calendar date',
          })
          .optional(),
        changelog: z
          .array(
            z.object({
              title: z.string().min(1),
              description: z.string().min(1),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});

/**
 * The releases in the text of `versions.yaml`, newest first. The drift view
 * and the upgrade action both read the file through this, so "behind" means
 * the same in both. Throws an error starting with `where` (the file) that
 * names the field at fault.
 */
export function parseGoldenPathReleases(
  text: string,
  where: string,
): GoldenPathReleaseEntry[] {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new Error(
      `${where}: not valid YAML: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  const parsed = versionsFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new Error(`${where}: ${z.prettifyError(parsed.error)}`);
  }
  const releases = parsed.data.releases
    .map(({ version, commit, released, changelog }) => ({
      version,
      ...(commit ? { commit } : {}),
      released: released ?? null,
      changelog,
    }))
    .sort((a, b) => compareVersions(b.version, a.version));
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
  return releases;
}
