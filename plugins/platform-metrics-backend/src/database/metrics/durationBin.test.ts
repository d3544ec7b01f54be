import { durationBin } from './durationBin';

describe('durationBin', () => {
  it('gives each value below 16 ms its own bin, then 8 bins per power of two', () => {
    expect([0, 1, 15, 16, 17, 18, 31, 32, 35, 36].map(durationBin)).toEqual([
      0, 1, 15, 16, 16, 17, 23, 24, 24, 25,
    ]);
    // 2^40 ms starts a bin; the value before it ends the previous one.
    expect(durationBin(2 ** 40) - durationBin(2 ** 40 - 1)).toBe(1);
  });

  it('orders bins like their values', () => {
    let previous = durationBin(0);
    for (let ms = 1; ms < 2 ** 45; ms = Math.ceil(ms * 1.01) + 1) {
      for (const value of [ms - 1, ms, ms + 1]) {
        const bin = durationBin(value);
        expect(bin).toBeGreaterThanOrEqual(previous);
        previous = bin;
      }
    }
  });
});
