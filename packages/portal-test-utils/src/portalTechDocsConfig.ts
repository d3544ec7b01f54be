import fs from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import { parse } from 'yaml';

const APP_CONFIG = resolvePackagePath(
  '@internal/portal-test-utils',
  '../../app-config.yaml',
);

/**
 * The `techdocs` section of the portal's app-config.yaml (builder, generator
 * and its mkdocs options, as the running portal uses them), publishing into
 * `publishDirectory` instead of the portal's own folder.
 */
export function portalTechDocsConfig(publishDirectory: string): JsonObject {
  const { techdocs } = parse(fs.readFileSync(APP_CONFIG, 'utf8')) as {
    techdocs: JsonObject;
  };
  return {
    ...techdocs,
    publisher: { type: 'local', local: { publishDirectory } },
  };
}
