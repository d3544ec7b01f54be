/**
 * Deterministic pseudo-random numbers (mulberry32): the same seed gives the same
 * history, so screenshots, tests and demos agree.
 */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (min: number, max: number) => min + next() * (max - min),
    int: (min: number, max: number) =>
      Math.floor(min + next() * (max - min + 1)),
    pick: <T>(items: T[]): T => items[Math.floor(next() * items.length)],
    /** Log-normal around `median`, so durations have a realistic long tail. */
    logNormal: (median: number, spread: number) => {
      const u = Math.max(next(), 1e-9);
      const v = next();
      const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return median * Math.exp(spread * normal);
    },
  };
}
