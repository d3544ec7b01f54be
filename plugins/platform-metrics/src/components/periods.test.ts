import {
  baselinePeriod,
  lastDay,
  periodFor,
  periodName,
  previousPeriod,
  quarterName,
} from './periods';

const now = new Date('2026-11-26T12:00:00.000Z');

describe('periods', () => {
  it('defaults to the current calendar quarter, half-open in UTC', () => {
    expect(periodFor('quarter', now)).toEqual({
      from: '2026-10-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
    });
    expect(periodFor('previous-quarter', now)).toEqual({
      from: '2026-07-01T00:00:00.000Z',
      to: '2026-10-01T00:00:00.000Z',
    });
  });

  it('makes the last day of a custom range inclusive', () => {
    const period = periodFor('custom', now, {
      from: '2026-01-15',
      to: '2026-02-14',
    });
    expect(period).toEqual({
      from: '2026-01-15T00:00:00.000Z',
      to: '2026-02-15T00:00:00.000Z',
    });
    expect(lastDay(period)).toBe('2026-02-14');
  });

  it('compares a quarter with the quarter before, and a range with one as long', () => {
    expect(previousPeriod(periodFor('quarter', now))).toEqual({
      from: '2026-07-01T00:00:00.000Z',
      to: '2026-10-01T00:00:00.000Z',
    });
    expect(
      previousPeriod({
        from: '2026-01-15T00:00:00.000Z',
        to: '2026-01-25T00:00:00.000Z',
      }),
    ).toEqual({
      from: '2026-01-05T00:00:00.000Z',
      to: '2026-01-15T00:00:00.000Z',
    });
  });

  it('names a calendar quarter as such, and any other period by its days', () => {
    expect(periodName(periodFor('previous-quarter', now))).toBe('2026-Q3');
    expect(
      periodName({
        from: '2026-10-01T00:00:00.000Z',
        to: '2026-11-15T00:00:00.000Z',
      }),
    ).toBe('2026-10-01 to 2026-11-14');
    expect(quarterName('2026-12-31T23:59:59.999Z')).toBe('2026-Q4');
    expect(quarterName('2027-01-01T00:00:00.000Z')).toBe('2027-Q1');
  });

  it('takes the baseline from the whole ticket era up to the period end', () => {
    const period = periodFor('quarter', now);
    expect(baselinePeriod(period).to).toBe(period.to);
    expect(baselinePeriod(period).from < '2020-01-01').toBe(true);
  });
});
