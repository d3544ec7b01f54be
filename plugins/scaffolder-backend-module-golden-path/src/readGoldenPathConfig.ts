import type { Config } from '@backstage/config';
import path from 'node:path';

/** The `goldenPath` app-config section, with defaults applied. */
export interface GoldenPathConfig {
  baseDomain: string;
  clusterIssuer: string;
  ruleSelectorLabels: Record<string, string>;
  containerRegistry: string;
  gitopsRepository: string;
  portalUrl: string;
  /** Absolute folder holding one bare repository per locally published service. */
  localGitDirectory: string;
}

export function readGoldenPathConfig(config: Config): GoldenPathConfig {
  const section = config.getConfig('goldenPath');
  const labelsConfig = section.getOptionalConfig('ruleSelectorLabels');
  const ruleSelectorLabels: Record<string, string> = {};
  for (const key of labelsConfig?.keys() ?? []) {
    ruleSelectorLabels[key] = labelsConfig!.getString(key);
  }
  return {
    baseDomain: section.getString('baseDomain'),
    clusterIssuer: section.getString('clusterIssuer'),
    ruleSelectorLabels,
    containerRegistry: section.getString('containerRegistry'),
    gitopsRepository: section.getString('gitopsRepository'),
    portalUrl:
      section.getOptionalString('portalUrl') ??
      config.getString('backend.baseUrl'),
    // Relative to the backend's working directory (packages/backend in
    // development), like the SQLite folder in backend.database.
    localGitDirectory: path.resolve(
      section.getOptionalString('localGit.directory') ?? '../../.data/git',
    ),
  };
}
