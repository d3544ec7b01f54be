import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

const DEFAULT_MINIMUM_GROUP_SIZE = 5;

/**
 * The smallest minimum group size accepted; lower configured values are raised to
 * it. With two respondents, each can subtract their own answer from the group's
 * result and read the other's, so two can never be anonymous.
 */
const MINIMUM_GROUP_SIZE_FLOOR = 3;

/**
 * Used only outside production when `platformMetrics.survey.participationSecret` is
 * not configured. It is public, so anyone holding the database and the user list
 * could tell who participated: never rely on it for real answers.
 */
export const DEVELOPMENT_PARTICIPATION_SECRET =
  'platform-metrics-development-only-participation-secret';

/** Below this, the HMAC key could be guessed and participation re-identified. */
const PRODUCTION_SECRET_MIN_LENGTH = 32;

export interface SurveyConfig {
  /** Keys the hash that records who answered, apart from the answers. */
  participationSecret: string;
  /** Results of fewer responses than this are withheld. */
  minimumGroupSize: number;
}

/**
 * Reads `platformMetrics.survey`: `participationSecret` (required in production;
 * elsewhere {@link DEVELOPMENT_PARTICIPATION_SECRET} stands in, with a warning)
 * and `minimumGroupSize` (default 5, never below 3).
 */
export function readSurveyConfig(
  config: Config,
  logger?: LoggerService,
): SurveyConfig {
  return {
    participationSecret: readParticipationSecret(config, logger),
    minimumGroupSize: readMinimumGroupSize(config),
  };
}

function readMinimumGroupSize(config: Config): number {
  const key = 'platformMetrics.survey.minimumGroupSize';
  const configured = config.getOptionalNumber(key);
  if (configured === undefined) {
    return DEFAULT_MINIMUM_GROUP_SIZE;
  }
  if (!Number.isFinite(configured)) {
    throw new Error(`${key} must be a finite number`);
  }
  // Clamped, not rejected: a lower setting still gets the safest allowed value.
  return Math.max(MINIMUM_GROUP_SIZE_FLOOR, Math.ceil(configured));
}

function readParticipationSecret(
  config: Config,
  logger?: LoggerService,
): string {
  const key = 'platformMetrics.survey.participationSecret';
  const secret = config.getOptionalString(key);
  const production = process.env.NODE_ENV === 'production';
  if (secret === undefined || secret === '') {
    if (production) {
      throw new Error(
        `${key} is required in production: it keys the hash that records who answered a survey`,
      );
    }
    logger?.warn(
      `${key} is not set; using a public development-only secret. Set it before collecting real answers.`,
    );
    return DEVELOPMENT_PARTICIPATION_SECRET;
  }
  if (production && secret.length < PRODUCTION_SECRET_MIN_LENGTH) {
    throw new Error(
      `${key} must be at least ${PRODUCTION_SECRET_MIN_LENGTH} characters in production`,
    );
  }
  return secret;
}
