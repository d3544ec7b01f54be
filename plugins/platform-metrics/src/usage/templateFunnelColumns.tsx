import type { TemplateFunnelItem } from '@internal/plugin-platform-metrics-common';
import type { DataColumn } from '../components/DataTable';
import { EntityLink } from '../components/EntityLink';
import { formatDuration } from '../components/format';

const count = (
  title: string,
  pick: (item: TemplateFunnelItem) => number,
): DataColumn<TemplateFunnelItem> => ({ title, value: pick });

/** "publish ×3; register ×1", the steps failed tasks stopped at, most first. */
export function formatFailedSteps(item: TemplateFunnelItem): string {
  return [...item.failedSteps]
    .sort((a, b) => b.count - a.count || a.stepId.localeCompare(b.stepId))
    .map(step => `${step.stepId} ×${step.count}`)
    .join('; ');
}

/**
 * The funnel's steps in the order a service goes through them; the CSV has the
 * same columns, with the form time in seconds.
 */
export const templateFunnelColumns: DataColumn<TemplateFunnelItem>[] = [
  {
    title: 'template',
    value: item => item.templateRef,
    render: item => <EntityLink entityRef={item.templateRef} />,
  },
  count('opened', item => item.opened),
  count('submitted', item => item.submitted),
  count('started via API', item => item.startedViaApi),
  count('succeeded', item => item.succeeded),
  count('failed', item => item.failed),
  {
    title: 'failing steps',
    value: item => formatFailedSteps(item) || null,
  },
  count('first production deployment', item => item.firstProductionDeployment),
  {
    title: 'verified',
    value: item => item.verified,
    render: item =>
      item.verified === null ? 'no checks configured' : String(item.verified),
  },
  {
    title: 'median form time (s)',
    value: item =>
      item.medianFormMs === null ? null : Math.round(item.medianFormMs / 1000),
    render: item =>
      item.medianFormMs === null
        ? '–'
        : formatDuration(item.medianFormMs / 1000),
  },
];
