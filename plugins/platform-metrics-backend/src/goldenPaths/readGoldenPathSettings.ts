import type { Config } from '@backstage/config';
import { isVersion } from '@internal/plugin-platform-metrics-common';
import path from 'node:path';

/** What the platform-metrics backend reads of the `goldenPath` app-config section. */
export interface GoldenPathSettings {
  /** Absolute path of `versions.yaml`. */
  versionsFile: string;
  /** Supported versions per template name, where config lists them. */
  supportedVersions: Record<string, string[]>;
}

export function readGoldenPathSettings(config: Config): GoldenPathSettings {
  const section = config.getOptionalConfig('goldenPath');
  const supportedConfig = section?.getOptionalConfig('supportedVersions');
  const supportedVersions: Record<string, string[]> = {};
  for (const template of supportedConfig?.keys() ?? []) {
    const versions = supportedConfig!.getStringArray(template);
    const wrong = versions.find(v => !isVersion(v));
    if (wrong !== undefined) {
      throw new Error(
        `goldenPath.supportedVersions.${template}: "${wrong}" is not MAJOR.MINOR.PATCH`,
      );
    }
    supportedVersions[template] = versions;
  }
  return {
    // Relative to the backend's working directory, like goldenPath.localGit
    // (packages/backend in development; production configures its own).
    versionsFile: path.resolve(
      section?.getOptionalString('versionsFile') ??
        '../../templates/golden-paths/versions.yaml',
    ),
    supportedVersions,
  };
}
