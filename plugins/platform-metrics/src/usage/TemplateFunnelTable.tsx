import type { TemplateFunnelItem } from '@internal/plugin-platform-metrics-common';
import { DataTable } from '../components/DataTable';
import { templateFunnelColumns } from './templateFunnelColumns';

/** One row per template, the most opened first. */
export function TemplateFunnelTable({
  items,
  fileName,
}: {
  items: TemplateFunnelItem[];
  fileName: string;
}) {
  const rows = [...items].sort(
    (a, b) =>
      b.opened - a.opened ||
      b.submitted - a.submitted ||
      a.templateRef.localeCompare(b.templateRef),
  );
  return (
    <DataTable
      title="Template funnel"
      columns={templateFunnelColumns}
      rows={rows}
      rowKey={item => item.templateRef}
      fileName={fileName}
      emptyMessage="No template was opened or run in this period. Events arrive as people use the portal; people who turned usage analytics off, or whose browser sends Do Not Track, are not counted."
    />
  );
}
