import {
  surveyCampaignInputSchema,
  surveyQuestionSchema,
  type SurveyQuestion,
} from '@internal/plugin-platform-metrics-common';

type Issue = { path: PropertyKey[]; message: string };

/** The form field an issue is about: a question is named by its line. */
function fieldProblem({ path, message }: Issue): string {
  const [field, line, part] = path;
  if (field === 'questions' && typeof line === 'number') {
    return `Line ${line + 1}: ${String(part)}: ${message}`;
  }
  return `${field === 'title' ? 'Title' : 'Questions'}: ${message}`;
}

export const questionsToText = (questions: SurveyQuestion[]) =>
  questions.map(q => `${q.id} | ${q.kind} | ${q.text}`).join('\n');

/** One question per line: `id | satisfaction|driver | text`, each checked alone. */
export function parseQuestions(text: string): SurveyQuestion[] {
  return text
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
    .map((line, index) => {
      const [id, kind, ...rest] = line.split('|').map(p => p.trim());
      if (!id || !kind || !rest.length) {
        throw new Error(
          `Line ${
            index + 1
          }: expected "id | satisfaction or driver | question text"`,
        );
      }
      const question = surveyQuestionSchema.safeParse({
        id,
        kind,
        text: rest.join('|'),
      });
      if (!question.success) {
        const [{ path, message }] = question.error.issues;
        throw new Error(
          fieldProblem({ path: ['questions', index, ...path], message }),
        );
      }
      return question.data;
    });
}

/**
 * The campaign form checked against the same schema as the backend, so that a
 * mistake is named here, by field or line, before anything is sent.
 */
export function parseCampaignForm(form: {
  title: string;
  questions?: string;
}): {
  title: string;
  questions?: SurveyQuestion[];
} {
  const result = surveyCampaignInputSchema.safeParse({
    title: form.title,
    questions:
      form.questions === undefined ? undefined : parseQuestions(form.questions),
  });
  if (!result.success) {
    throw new Error(fieldProblem(result.error.issues[0]));
  }
  return { title: result.data.title, questions: result.data.questions };
}
