import {
  countOf,
  describeAgainstBaseline,
  formatFactor,
  formatRelativeTime,
} from './format';

describe('format', () => {
  it('says how long ago a time was in the largest whole unit', () => {
    const now = Date.parse('2026-12-03T12:00:00.000Z');
    expect(formatRelativeTime('2026-12-03T11:59:30.000Z', now)).toBe(
      'just now',
    );
    expect(formatRelativeTime('2026-12-03T11:50:00.000Z', now)).toBe(
      '10 minutes ago',
    );
    expect(formatRelativeTime('2026-12-03T11:10:00.000Z', now)).toBe(
      '1 hour ago',
    );
    expect(formatRelativeTime('2026-12-02T12:00:00.000Z', now)).toBe(
      'yesterday',
    );
    expect(formatRelativeTime('2026-11-30T12:00:00.000Z', now)).toBe(
      '3 days ago',
    );
    expect(formatRelativeTime('2026-09-03T12:00:00.000Z', now)).toBe(
      '3 months ago',
    );
    expect(formatRelativeTime('2026-12-03T14:00:00.000Z', now)).toBe(
      'in 2 hours',
    );
  });

  it('gives a factor to two significant digits', () => {
    expect(formatFactor((21 * 86400) / (38 * 60))).toBe('800');
    expect(formatFactor(168)).toBe('170');
    expect(formatFactor(12_345)).toBe('12,000');
    expect(formatFactor(3.36)).toBe('3.4');
    expect(formatFactor(9.96)).toBe('10');
    expect(formatFactor(1.04)).toBe('1.0');
  });

  it('sets a duration beside its ticket-era value, whichever way it went', () => {
    expect(describeAgainstBaseline('leadTime', 21 * 86400, 38 * 60)).toEqual({
      text: 'ticket era 21.0 d → 38 min (×800)',
      improved: true,
    });
    expect(describeAgainstBaseline('mttr', 3600, 7200)).toEqual({
      text: 'ticket era 1.0 h → 2.0 h (2.0× longer)',
      improved: false,
    });
    expect(describeAgainstBaseline('mttr', 3600, 3600)).toEqual({
      text: 'ticket era 1.0 h → 1.0 h (unchanged)',
      improved: null,
    });
    expect(describeAgainstBaseline('leadTime', 3600, null)).toEqual({
      text: 'ticket era 1.0 h → none in this period',
      improved: null,
    });
    expect(describeAgainstBaseline('leadTime', null, 3600)).toEqual({
      text: 'no ticket-era data to compare',
      improved: null,
    });
  });

  it('counts in words', () => {
    expect(countOf(0, 'request')).toBe('no requests');
    expect(countOf(1, 'request')).toBe('1 request');
    expect(countOf(3, 'incident')).toBe('3 incidents');
  });
});
