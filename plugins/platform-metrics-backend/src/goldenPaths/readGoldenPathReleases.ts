import fs from 'node:fs/promises';
import {
  type GoldenPathRelease,
  parseGoldenPathReleases,
} from '@internal/plugin-platform-metrics-common';

/**
 * The released golden-path versions in `versions.yaml`, newest first, as the
 * API serves them (without the commit each archive is made from). Throws an
 * error naming the file and the field when the file is missing or malformed.
 */
export async function readGoldenPathReleases(
  file: string,
): Promise<GoldenPathRelease[]> {
  const text = await fs.readFile(file, 'utf8');
  return parseGoldenPathReleases(text, file).map(
    ({ version, released, changelog }) => ({ version, released, changelog }),
  );
}
