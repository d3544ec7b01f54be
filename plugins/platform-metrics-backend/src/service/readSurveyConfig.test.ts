import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  DEVELOPMENT_PARTICIPATION_SECRET,
  readSurveyConfig,
} from './readSurveyConfig';

const SECRET = 'test-participation-secret-0123456789abcdef';

function surveyConfig(survey: Record<string, unknown> = {}) {
  return new ConfigReader({
    platformMetrics: {
      survey: { participationSecret: SECRET, ...survey },
    },
  });
}

describe('readSurveyConfig', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('clamps the minimum group size to 3 and defaults it to 5', () => {
    const sizeFor = (minimumGroupSize?: unknown) =>
      readSurveyConfig(
        surveyConfig(
          minimumGroupSize === undefined ? {} : { minimumGroupSize },
        ),
      ).minimumGroupSize;
    expect(sizeFor()).toBe(5);
    expect(sizeFor(1)).toBe(3);
    expect(sizeFor(0)).toBe(3);
    expect(sizeFor(-10)).toBe(3);
    expect(sizeFor(3)).toBe(3);
    expect(sizeFor(7)).toBe(7);
    expect(sizeFor(4.2)).toBe(5);
    expect(() => sizeFor('many')).toThrow();
  });

  it('takes the configured participation secret', () => {
    expect(readSurveyConfig(surveyConfig()).participationSecret).toBe(SECRET);
  });

  it('falls back to the development secret outside production, with a warning', () => {
    process.env.NODE_ENV = 'development';
    const logger = mockServices.logger.mock();
    expect(
      readSurveyConfig(new ConfigReader({}), logger).participationSecret,
    ).toBe(DEVELOPMENT_PARTICIPATION_SECRET);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/participationSecret is not set/),
    );
  });

  it('requires a long participation secret in production', () => {
    process.env.NODE_ENV = 'production';
    expect(() => readSurveyConfig(new ConfigReader({}))).toThrow(
      /participationSecret is required in production/,
    );
    expect(() =>
      readSurveyConfig(surveyConfig({ participationSecret: 'short' })),
    ).toThrow(/at least 32 characters/);
    expect(readSurveyConfig(surveyConfig()).minimumGroupSize).toBe(5);
  });
});
