import {
  SURVEY_LIMITS,
  surveyCampaignInputSchema,
  surveyCampaignUpdateSchema,
  surveyQuestionsSchema,
  surveySubmissionSchema,
} from './surveySchemas';

/** The first problem, as the backend reports it: where, and what. */
function problem(
  schema: { safeParse(value: unknown): any },
  value: unknown,
): { path: PropertyKey[]; message: string } | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  const [{ path, message }] = result.error.issues;
  return { path, message };
}

const satisfaction = {
  id: 'satisfaction',
  kind: 'satisfaction',
  text: 'Happy?',
};
const drivers = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `driver-${i}`,
    kind: 'driver',
    text: `Driver ${i}`,
  }));
const questions = (n = 2) => [satisfaction, ...drivers(n)];

describe('surveyCampaignInputSchema', () => {
  it(`takes a title of up to ${SURVEY_LIMITS.titleLength} characters, trimmed`, () => {
    const longest = 't'.repeat(SURVEY_LIMITS.titleLength);
    expect(surveyCampaignInputSchema.parse({ title: longest })).toEqual({
      title: longest,
    });
    expect(
      surveyCampaignInputSchema.parse({ title: `  ${longest}\n` }).title,
    ).toBe(longest);
    expect(
      problem(surveyCampaignInputSchema, { title: `${longest}t` }),
    ).toEqual({
      path: ['title'],
      message: `must be 1 to ${SURVEY_LIMITS.titleLength} characters`,
    });
    expect(problem(surveyCampaignInputSchema, { title: ' \t ' })?.path).toEqual(
      ['title'],
    );
    expect(problem(surveyCampaignInputSchema, {})?.path).toEqual(['title']);
  });

  it('takes a quarter such as 2026-Q4', () => {
    expect(
      surveyCampaignInputSchema.parse({ title: 'S', quarter: '2026-Q4' })
        .quarter,
    ).toBe('2026-Q4');
    for (const quarter of ['2026-Q5', '2026-Q0', '26-Q1', '2026Q1', 2026]) {
      expect(
        problem(surveyCampaignInputSchema, { title: 'S', quarter })?.path,
      ).toEqual(['quarter']);
    }
  });

  it('takes timestamps with a time zone, or Dates', () => {
    const opensAt = '2026-10-01T00:00:00+02:00';
    const closesAt = new Date('2027-01-01T00:00:00Z');
    expect(
      surveyCampaignInputSchema.parse({ title: 'S', opensAt, closesAt }),
    ).toEqual({ title: 'S', opensAt, closesAt });
    for (const value of [
      '2026-10-01T00:00:00',
      '2026-10-01',
      "' OR '1'='1",
      new Date('not a date'),
      1790000000000,
    ]) {
      expect(
        problem(surveyCampaignInputSchema, { title: 'S', closesAt: value }),
      ).toEqual({
        path: ['closesAt'],
        message: 'must be an ISO 8601 timestamp with a time zone',
      });
    }
  });

  it('leaves every field optional in an update, but checks those given', () => {
    expect(surveyCampaignUpdateSchema.parse({})).toEqual({});
    expect(
      problem(surveyCampaignUpdateSchema, { questions: questions(1) })?.path,
    ).toEqual(['questions']);
  });
});

describe('surveyQuestionsSchema', () => {
  it(`takes one satisfaction item and ${SURVEY_LIMITS.minDrivers} to ${SURVEY_LIMITS.maxDrivers} drivers`, () => {
    for (const n of [SURVEY_LIMITS.minDrivers, SURVEY_LIMITS.maxDrivers]) {
      expect(surveyQuestionsSchema.parse(questions(n))).toEqual(questions(n));
    }
    expect(
      problem(surveyQuestionsSchema, questions(SURVEY_LIMITS.maxDrivers + 1)),
    ).toEqual({
      path: [],
      message: `must contain two to four driver items, found ${
        SURVEY_LIMITS.maxDrivers + 1
      }`,
    });
    expect(
      problem(surveyQuestionsSchema, questions(SURVEY_LIMITS.minDrivers - 1))
        ?.message,
    ).toMatch(/driver items, found 1$/);
    expect(problem(surveyQuestionsSchema, drivers(3))?.message).toBe(
      'must contain exactly one satisfaction item, found 0',
    );
    expect(
      problem(surveyQuestionsSchema, [
        satisfaction,
        { ...satisfaction, id: 'again' },
        ...drivers(2),
      ])?.message,
    ).toBe('must contain exactly one satisfaction item, found 2');
    expect(problem(surveyQuestionsSchema, 'satisfaction')?.path).toEqual([]);
  });

  it(`takes ids of up to ${SURVEY_LIMITS.questionIdLength} characters, starting with a letter`, () => {
    const longest = `q${'1'.repeat(SURVEY_LIMITS.questionIdLength - 1)}`;
    const withId = (id: unknown) => [
      satisfaction,
      ...drivers(1),
      { id, kind: 'driver', text: 'T' },
    ];
    expect(surveyQuestionsSchema.parse(withId(longest))[2].id).toBe(longest);
    expect(surveyQuestionsSchema.parse(withId(' padded '))[2].id).toBe(
      'padded',
    );
    for (const id of [`${longest}1`, '__proto__', '1st', 'a b', '', 7]) {
      expect(problem(surveyQuestionsSchema, withId(id))?.path).toEqual([
        2,
        'id',
      ]);
    }
    expect(
      problem(surveyQuestionsSchema, [...questions(2), drivers(1)[0]]),
    ).toEqual({ path: [3, 'id'], message: 'driver-0 is used twice' });
  });

  it(`takes question texts of up to ${SURVEY_LIMITS.questionTextLength} characters`, () => {
    const withText = (text: unknown) => [
      { ...satisfaction, text },
      ...drivers(2),
    ];
    const longest = 'x'.repeat(SURVEY_LIMITS.questionTextLength);
    expect(surveyQuestionsSchema.parse(withText(` ${longest} `))[0].text).toBe(
      longest,
    );
    expect(problem(surveyQuestionsSchema, withText(`${longest}x`))).toEqual({
      path: [0, 'text'],
      message: `must be 1 to ${SURVEY_LIMITS.questionTextLength} characters`,
    });
    expect(problem(surveyQuestionsSchema, withText('  '))?.path).toEqual([
      0,
      'text',
    ]);
  });

  it('takes satisfaction and driver items only', () => {
    expect(
      problem(surveyQuestionsSchema, [
        satisfaction,
        ...drivers(1),
        { id: 'other', kind: 'opinion', text: 'T' },
      ]),
    ).toEqual({ path: [2, 'kind'], message: 'must be satisfaction or driver' });
  });
});

describe('surveySubmissionSchema', () => {
  it(`takes ratings from ${SURVEY_LIMITS.lowestRating} to ${SURVEY_LIMITS.highestRating} only`, () => {
    const answers = {
      low: SURVEY_LIMITS.lowestRating,
      high: SURVEY_LIMITS.highestRating,
    };
    expect(surveySubmissionSchema.parse({ answers })).toEqual({ answers });
    for (const value of [
      SURVEY_LIMITS.lowestRating - 1,
      SURVEY_LIMITS.highestRating + 1,
      3.5,
      '3',
      null,
    ]) {
      expect(
        problem(surveySubmissionSchema, { answers: { speed: value } }),
      ).toEqual({
        path: ['answers', 'speed'],
        message: 'must be an integer from 1 to 5',
      });
    }
    expect(problem(surveySubmissionSchema, { answers: [4] })?.path).toEqual([
      'answers',
    ]);
  });

  it(`takes a comment of up to ${SURVEY_LIMITS.commentLength} characters, trimmed`, () => {
    const longest = 'c'.repeat(SURVEY_LIMITS.commentLength);
    expect(
      surveySubmissionSchema.parse({ answers: {}, comment: ` ${longest}\n` })
        .comment,
    ).toBe(longest);
    expect(
      problem(surveySubmissionSchema, { answers: {}, comment: `${longest}c` }),
    ).toEqual({
      path: ['comment'],
      message: `must be at most ${SURVEY_LIMITS.commentLength} characters`,
    });
  });
});
