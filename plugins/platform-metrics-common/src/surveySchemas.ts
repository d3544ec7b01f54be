import { z } from 'zod';

/**
 * The limits of survey input, checked by the backend's router and service and by
 * the admin form alike.
 */
export const SURVEY_LIMITS = {
  /** Characters of a campaign title, after trimming. */
  titleLength: 200,
  /** Characters of a question id. */
  questionIdLength: 64,
  /** Characters of a question's text, after trimming. */
  questionTextLength: 500,
  /** Driver items besides the one satisfaction item. */
  minDrivers: 2,
  maxDrivers: 4,
  /** Characters of a free-text comment, after trimming. */
  commentLength: 2000,
  /** The rating scale of every answer. */
  lowestRating: 1,
  highestRating: 5,
} as const;

const L = SURVEY_LIMITS;

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six'];
const inWords = (n: number) => NUMBER_WORDS[n] ?? String(n);

/** The satisfaction item is the headline; drivers explain it. */
export const SURVEY_QUESTION_KINDS = ['satisfaction', 'driver'] as const;

// A letter first keeps ids like `__proto__` out of the answers object.
const QUESTION_ID = new RegExp(
  `^[A-Za-z][A-Za-z0-9_-]{0,${L.questionIdLength - 1}}$`,
);

export const surveyQuestionSchema = z.object({
  /** Key of the answer in a submission, unique within the campaign. */
  id: z
    .string()
    .trim()
    .regex(
      QUESTION_ID,
      `must be a letter followed by up to ${
        L.questionIdLength - 1
      } letters, digits, _ or -`,
    ),
  kind: z.enum(SURVEY_QUESTION_KINDS, {
    error: `must be ${SURVEY_QUESTION_KINDS.join(' or ')}`,
  }),
  text: z
    .string()
    .trim()
    .min(1, `must be 1 to ${L.questionTextLength} characters`)
    .max(
      L.questionTextLength,
      `must be 1 to ${L.questionTextLength} characters`,
    ),
});

/** A campaign's questions: unique ids, one satisfaction item and 2 to 4 drivers. */
export const surveyQuestionsSchema = z
  .array(surveyQuestionSchema)
  .superRefine((questions, ctx) => {
    const seen = new Set<string>();
    questions.forEach(({ id }, index) => {
      if (seen.has(id)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'id'],
          message: `${id} is used twice`,
        });
      }
      seen.add(id);
    });
    const count = (kind: SurveyQuestionKind) =>
      questions.filter(q => q.kind === kind).length;
    const satisfaction = count('satisfaction');
    if (satisfaction !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `must contain exactly one satisfaction item, found ${satisfaction}`,
      });
    }
    const drivers = count('driver');
    if (drivers < L.minDrivers || drivers > L.maxDrivers) {
      ctx.addIssue({
        code: 'custom',
        message: `must contain ${inWords(L.minDrivers)} to ${inWords(
          L.maxDrivers,
        )} driver items, found ${drivers}`,
      });
    }
  });

const TIMESTAMP_PROBLEM = 'must be an ISO 8601 timestamp with a time zone';

// A Date is what a timestamp becomes in-process; over HTTP only the string arrives.
const timestamp = z.union(
  [z.date(), z.iso.datetime({ offset: true, error: TIMESTAMP_PROBLEM })],
  { error: TIMESTAMP_PROBLEM },
);

export const surveyCampaignInputSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, `must be 1 to ${L.titleLength} characters`)
    .max(L.titleLength, `must be 1 to ${L.titleLength} characters`),
  /** `2026-Q4`; defaults to the current quarter (UTC). */
  quarter: z
    .string()
    .regex(/^\d{4}-Q[1-4]$/, 'must be a quarter such as 2026-Q4')
    .optional(),
  /** Defaults to the backend's standard questions. */
  questions: surveyQuestionsSchema.optional(),
  /** Defaults to the start of the quarter. */
  opensAt: timestamp.optional(),
  /** Exclusive; defaults to the end of the quarter. */
  closesAt: timestamp.optional(),
});

/** Changes to a draft: any of the fields of a new campaign. */
export const surveyCampaignUpdateSchema = surveyCampaignInputSchema.partial();

const rating = `must be an integer from ${L.lowestRating} to ${L.highestRating}`;

export const surveySubmissionSchema = z.object({
  /** Question id to a rating; which ids are required depends on the campaign. */
  answers: z.record(
    z.string(),
    z
      .number({ error: rating })
      .int(rating)
      .min(L.lowestRating, rating)
      .max(L.highestRating, rating),
  ),
  comment: z
    .string()
    .trim()
    .max(L.commentLength, `must be at most ${L.commentLength} characters`)
    .optional(),
});

export type SurveyQuestionKind = (typeof SURVEY_QUESTION_KINDS)[number];
export type SurveyQuestion = z.output<typeof surveyQuestionSchema>;
export type SurveyCampaignInput = z.input<typeof surveyCampaignInputSchema>;
export type SurveyCampaignUpdate = z.input<typeof surveyCampaignUpdateSchema>;
export type SurveySubmissionInput = z.input<typeof surveySubmissionSchema>;
