import type { MetricsQueryOptions } from '@internal/plugin-platform-metrics-common';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PeriodPreset, periodFor, periodPresetLabels } from './periods';

export interface MetricsFilterState {
  preset: PeriodPreset;
  customFrom?: string;
  customTo?: string;
  team?: string;
  template?: string;
  query: MetricsQueryOptions;
  update(changes: Partial<Record<FilterParam, string | undefined>>): void;
}

type FilterParam = 'period' | 'from' | 'to' | 'team' | 'template';

const isPreset = (value: string | null): value is PeriodPreset =>
  value !== null && value in periodPresetLabels;

/**
 * The filters live in the URL so that a detail view, a shared link and the back
 * button all keep the selection.
 */
export function useMetricsFilter(now: Date = new Date()): MetricsFilterState {
  const [params, setParams] = useSearchParams();
  const period = params.get('period');
  const preset: PeriodPreset = isPreset(period) ? period : 'quarter';
  const customFrom = params.get('from') ?? undefined;
  const customTo = params.get('to') ?? undefined;
  const team = params.get('team') ?? undefined;
  const template = params.get('template') ?? undefined;
  const day = now.toISOString().slice(0, 10);

  const query = useMemo(
    () => ({
      ...periodFor(preset, new Date(`${day}T12:00:00.000Z`), {
        from: customFrom,
        to: customTo,
      }),
      team,
      template,
    }),
    [preset, day, customFrom, customTo, team, template],
  );

  return {
    preset,
    customFrom,
    customTo,
    team,
    template,
    query,
    update: changes =>
      setParams(
        current => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        { replace: true },
      ),
  };
}
