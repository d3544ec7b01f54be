import type { Config } from '@backstage/config';

const DEFAULT_RETENTION_DAYS = 400;

export interface UsageConfig {
  /** Raw events older than this are deleted; the daily rollups are kept. */
  retentionDays: number;
  /** Keys the user hash; undefined: a secret generated once and kept in the database. */
  hashSecret?: string;
}

/** Reads `platformMetrics.usage`: `retentionDays` (default 400) and `hashSecret`. */
export function readUsageConfig(config: Config): UsageConfig {
  const key = 'platformMetrics.usage.retentionDays';
  const retentionDays = config.getOptionalNumber(key) ?? DEFAULT_RETENTION_DAYS;
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new Error(`${key} must be a whole number of days, at least 1`);
  }
  const hashSecret = config.getOptionalString(
    'platformMetrics.usage.hashSecret',
  );
  return { retentionDays, hashSecret: hashSecret || undefined };
}
