import fs from 'node:fs/promises';
import {
  compareVersions,
  type GoldenPathRelease,
  isVersion,
} from '@internal/plugin-platform-metrics-common';
import { parse } from 'yaml';
import { z } from 'zod';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// Only the fields the portal shows; the upgrade action reads the same file for
// the commit of each release, which this schema leaves alone.
const versionsSchema = z.object({
  releases: z
    .array(
      z.object({
        version: z
          .string()
          .refine(isVersion, { message: 'must be MAJOR.MINOR.PATCH' }),
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
 * The released golden-path versions in `versions.yaml`, newest first. Throws an
 * error naming the file and the field when the file is missing or malformed.
 */
export async function readGoldenPathReleases(
  file: string,
): Promise<GoldenPathRelease[]> {
  const text = await fs.readFile(file, 'utf8');
  return parseGoldenPathReleases(text, file);
}

export function parseGoldenPathReleases(
  text: string,
  where: string,
): GoldenPathRelease[] {
  const parsed = versionsSchema.safeParse(parse(text));
  if (!parsed.success) {
    throw new Error(`${where}: ${z.prettifyError(parsed.error)}`);
  }
  const releases = parsed.data.releases
    .map(r => ({
      version: r.version,
      released: r.released ?? null,
      changelog: r.changelog,
    }))
    .sort((a, b) => compareVersions(b.version, a.version));
  releases.forEach((release, index) => {
    if (index > 0 && release.version === releases[index - 1].version) {
      throw new Error(`${where}: ${release.version} is listed twice`);
    }
  });
  return releases;
}
