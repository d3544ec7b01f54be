import { SURVEY_LIMITS } from '@internal/plugin-platform-metrics-common';
import {
  parseCampaignForm,
  parseQuestions,
  questionsToText,
} from './parseCampaignForm';

const QUESTIONS = [
  'satisfaction | satisfaction | How happy are you?',
  'speed | driver | Shipping is fast.',
  'docs | driver | Docs are good.',
].join('\n');

describe('parseQuestions', () => {
  it('parses edited questions and rejects malformed lines', () => {
    expect(parseQuestions('a | driver | Docs | good')).toEqual([
      { id: 'a', kind: 'driver', text: 'Docs|good' },
    ]);
    expect(() => parseQuestions('a | other | text')).toThrow(/Line 1/);
  });

  it('names the line and the field the shared schema refuses', () => {
    expect(() => parseQuestions(`${QUESTIONS}\n\n1st | driver | T`)).toThrow(
      'Line 4: id: must be a letter followed by up to 63 letters, digits, _ or -',
    );
    expect(() => parseQuestions('a | opinion | T')).toThrow(
      'Line 1: kind: must be satisfaction or driver',
    );
    expect(() => parseQuestions('a | driver')).toThrow(
      'Line 1: expected "id | satisfaction or driver | question text"',
    );
  });

  it('reads back what it writes', () => {
    expect(questionsToText(parseQuestions(QUESTIONS))).toBe(QUESTIONS);
  });
});

describe('parseCampaignForm', () => {
  it('takes a valid form, trimmed', () => {
    expect(
      parseCampaignForm({ title: ' Q1 survey ', questions: QUESTIONS }),
    ).toEqual({
      title: 'Q1 survey',
      questions: parseQuestions(QUESTIONS),
    });
    expect(parseCampaignForm({ title: 'Q1 survey' })).toEqual({
      title: 'Q1 survey',
    });
  });

  it(`takes titles of up to ${SURVEY_LIMITS.titleLength} characters`, () => {
    const longest = 't'.repeat(SURVEY_LIMITS.titleLength);
    expect(parseCampaignForm({ title: longest }).title).toBe(longest);
    expect(() => parseCampaignForm({ title: `${longest}t` })).toThrow(
      `Title: must be 1 to ${SURVEY_LIMITS.titleLength} characters`,
    );
  });

  it('checks the questions as a set, naming the line of a repeated id', () => {
    expect(() =>
      parseCampaignForm({
        title: 'S',
        questions: QUESTIONS.split('\n').slice(0, 2).join('\n'),
      }),
    ).toThrow('Questions: must contain two to four driver items, found 1');
    expect(() =>
      parseCampaignForm({
        title: 'S',
        questions: `${QUESTIONS}\nspeed | driver | Again`,
      }),
    ).toThrow('Line 4: id: speed is used twice');
  });
});
