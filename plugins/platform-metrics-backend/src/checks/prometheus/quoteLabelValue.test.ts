import { quoteLabelValue } from './quoteLabelValue';

describe('quoteLabelValue', () => {
  it('quotes a plain value', () => {
    expect(quoteLabelValue('payments')).toBe('"payments"');
  });

  it('escapes quotes and backslashes so a value cannot end the string', () => {
    expect(quoteLabelValue('a"} or up{job="x')).toBe('"a\\"} or up{job=\\"x"');
    expect(quoteLabelValue('back\\slash')).toBe('"back\\\\slash"');
    expect(quoteLabelValue('ends with \\')).toBe('"ends with \\\\"');
  });

  it('escapes line breaks', () => {
    expect(quoteLabelValue('a\nb\rc')).toBe('"a\\nb\\rc"');
  });

  it('round-trips through a JSON parser, whose string escapes PromQL shares', () => {
    for (const value of ['x"y', 'x\\y', 'x\\"y', 'line\nbreak', 'ünï']) {
      expect(JSON.parse(quoteLabelValue(value))).toBe(value);
    }
  });
});
