/** Bins per doubling of the duration: each bin spans at most 1/8 of its lower bound. */
const SUB_BITS = 3;
const EXACT_BELOW = 2 ** (SUB_BITS + 1);

/**
 * The bin of a duration in milliseconds under which `incident_duration_rollups`
 * counts it, log-linear like an HDR histogram: every value below 16 ms has its own
 * bin, then 8 bins per power of two (about 120 from a minute to a month). Bins
 * are ordered like their values (a shorter duration never has a later bin), so a
 * percentile's rank can be found bin by bin. Integer arithmetic only: a duration
 * always falls in the same bin.
 */
export function durationBin(ms: number): number {
  if (ms < EXACT_BELOW) {
    return Math.max(0, ms);
  }
  const shift = ms.toString(2).length - SUB_BITS - 1;
  return shift * 2 ** SUB_BITS + Math.floor(ms / 2 ** shift);
}
