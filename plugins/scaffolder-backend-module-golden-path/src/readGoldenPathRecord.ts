import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { parse } from 'yaml';
import { z } from 'zod';

/** The record every golden-path repository holds at its root. */
export const GOLDEN_PATH_RECORD_FILE = '.golden-path.yaml';

const recordSchema = z.object({
  template: z
    .string()
    .regex(/^template:default\/[a-z0-9-]+$/, 'must be template:default/<name>'),
  version: z.string().min(1),
  answers: z.record(z.string(), z.unknown()),
});

export type GoldenPathRecord = z.infer<typeof recordSchema>;

/**
 * Reads `.golden-path.yaml` from the checkout `dir` of `entityRef`'s
 * repository; an InputError says why there is nothing to upgrade from.
 */
export async function readGoldenPathRecord(
  dir: string,
  entityRef: string,
): Promise<GoldenPathRecord> {
  const text = await fs
    .readFile(path.join(dir, GOLDEN_PATH_RECORD_FILE), 'utf8')
    .catch(() => undefined);
  if (text === undefined) {
    throw new InputError(
      `The repository of ${entityRef} has no ${GOLDEN_PATH_RECORD_FILE}: it was not created from a golden path, or the file was removed, so there is no version to upgrade from`,
    );
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new InputError(
      `${GOLDEN_PATH_RECORD_FILE} is not valid YAML: ${
        (error as Error).message
      }`,
    );
  }
  const parsed = recordSchema.safeParse(data);
  if (!parsed.success) {
    throw new InputError(
      `${GOLDEN_PATH_RECORD_FILE} is not valid: ${z.prettifyError(
        parsed.error,
      )}`,
    );
  }
  return parsed.data;
}
