import fc from 'fast-check';
import { compareTeams, discloseCampaign } from './discloseCampaign';

const PAYMENTS = 'group:default/payments';
const SEARCH = 'group:default/search';
const IDENTITY = 'group:default/identity';

const disclose = (teams: Array<[string | null, number]>, minimum = 5) =>
  discloseCampaign(new Map(teams), minimum);

describe('discloseCampaign', () => {
  it('hides teams below the minimum when the hidden ones add up to it (5, 4, 3)', () => {
    const disclosure = disclose([
      [PAYMENTS, 5],
      [SEARCH, 4],
      [IDENTITY, 3],
    ]);
    expect(disclosure.total).toBe(12);
    expect(disclosure.overall).toBeUndefined();
    expect(disclosure.hidden).toEqual(
      new Map([
        [SEARCH, 'below-minimum-group-size'],
        [IDENTITY, 'below-minimum-group-size'],
      ]),
    );
  });

  it('hides the smallest shown team, ties by ref, when the hidden ones alone would be revealed (6, 6, 2)', () => {
    for (const order of [
      [SEARCH, PAYMENTS],
      [PAYMENTS, SEARCH],
    ]) {
      const disclosure = disclose([
        [order[0], 6],
        [order[1], 6],
        [IDENTITY, 2],
      ]);
      expect(disclosure.hidden).toEqual(
        new Map([
          [IDENTITY, 'below-minimum-group-size'],
          [PAYMENTS, 'protects-another-group'],
        ]),
      );
    }
  });

  it('protects respondents without a team like any other group', () => {
    expect(
      disclose([
        [PAYMENTS, 6],
        [SEARCH, 7],
        [null, 1],
      ]).hidden,
    ).toEqual(
      new Map([
        [null, 'below-minimum-group-size'],
        [PAYMENTS, 'protects-another-group'],
      ]),
    );
  });

  it('hides the whole campaign below the minimum, and every team with it', () => {
    const disclosure = disclose([
      [PAYMENTS, 2],
      [SEARCH, 2],
    ]);
    expect(disclosure.overall).toBe('below-minimum-group-size');
    expect([...disclosure.hidden.keys()]).toEqual([PAYMENTS, SEARCH]);
    expect(disclose([]).overall).toBe('below-minimum-group-size');
  });

  it('shows a campaign at exactly the minimum, and teams at exactly it', () => {
    const disclosure = disclose(
      [
        [PAYMENTS, 3],
        [SEARCH, 3],
      ],
      3,
    );
    expect(disclosure.overall).toBeUndefined();
    expect(disclosure.hidden.size).toBe(0);
  });

  it('never leaves fewer hidden responses than the minimum to subtract, whatever the teams', () => {
    const teams = fc.uniqueArray(
      fc.tuple(
        fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), {
          nil: null,
        }),
        fc.integer({ min: 1, max: 20 }),
      ),
      { selector: ([team]) => team, maxLength: 6 },
    );
    fc.assert(
      fc.property(teams, fc.integer({ min: 3, max: 8 }), (entries, minimum) => {
        const disclosure = disclose(entries, minimum);
        const shown = entries.filter(([team]) => !disclosure.hidden.has(team));
        const hiddenTotal = entries
          .filter(([team]) => disclosure.hidden.has(team))
          .reduce((sum, [, responses]) => sum + responses, 0);

        expect(disclosure.total).toBe(
          entries.reduce((sum, [, responses]) => sum + responses, 0),
        );
        expect(disclosure.overall !== undefined).toBe(
          disclosure.total < minimum,
        );
        for (const [, responses] of shown) {
          expect(responses).toBeGreaterThanOrEqual(minimum);
        }
        // The overall result minus the shown teams is the hidden total: shown
        // overall, it must be nothing or at least the minimum.
        expect(
          disclosure.overall !== undefined ||
            hiddenTotal === 0 ||
            hiddenTotal >= minimum,
        ).toBe(true);
        // Every query hides the same teams, whatever order they come in.
        expect(disclose([...entries].reverse(), minimum).hidden).toEqual(
          disclosure.hidden,
        );
      }),
    );
  });
});

describe('compareTeams', () => {
  it('orders refs as text, respondents without a team last', () => {
    expect([SEARCH, null, IDENTITY, PAYMENTS].sort(compareTeams)).toEqual([
      IDENTITY,
      PAYMENTS,
      SEARCH,
      null,
    ]);
  });
});
