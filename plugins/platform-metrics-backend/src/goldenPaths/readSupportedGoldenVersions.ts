import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SupportedGoldenVersions } from '../database/metrics/supportedGoldenCounts';
import { readGoldenPathReleases } from './readGoldenPathReleases';
import type { GoldenPathSettings } from './readGoldenPathSettings';

/**
 * `goldenPath.supportedVersions`, with the latest release for every template
 * it does not list. Undefined, with a warning, when `versions.yaml` cannot be
 * read: the golden-path share is then reported without the supported share
 * rather than with a wrong one.
 */
export async function readSupportedGoldenVersions(
  settings: GoldenPathSettings,
  logger: LoggerService,
): Promise<SupportedGoldenVersions | undefined> {
  try {
    const [latest] = await readGoldenPathReleases(settings.versionsFile);
    return {
      byTemplate: settings.supportedVersions,
      otherwise: [latest.version],
    };
  } catch (error) {
    logger.warn(
      `Golden-path adoption is reported without the supported-version share: ${error}`,
    );
    return undefined;
  }
}
