import type { Breakdown } from '../MetricsStore';
import { compareKeys } from './compareKeys';

/** A metric's values per group key as a breakdown, "unknown" (null) last. */
export function toBreakdown<T>(map: Map<string | null, T>): Breakdown<T>[] {
  return [...map.entries()]
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => compareKeys(a.key, b.key));
}
