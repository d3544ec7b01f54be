import type {
  FeatureWeekUsage,
  UsageFeatureKind,
} from '@internal/plugin-platform-metrics-common';
import { Flex, Select, Text } from '@backstage/ui';
import { useState } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { DataTable, type DataColumn } from '../components/DataTable';
import { weeklyUsageSeries, type WeeklyMeasure } from './weeklyUsageSeries';

// Distinguishable in both themes and for the common colour-vision deficiencies.
const COLOURS = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
];

const weeklyColumns: DataColumn<FeatureWeekUsage>[] = [
  { title: 'week', value: item => item.week },
  { title: 'kind', value: item => item.kind },
  { title: 'page or plugin', value: item => item.feature },
  { title: 'distinct users', value: item => item.users },
  { title: 'distinct teams', value: item => item.teams },
];

/** Distinct users or teams per week for the most used pages or plugins, with every row in the table below. */
export function WeeklyUsageChart({
  items,
  fileName,
}: {
  items: FeatureWeekUsage[];
  fileName: string;
}) {
  const [kind, setKind] = useState<UsageFeatureKind>('plugin');
  const [measure, setMeasure] = useState<WeeklyMeasure>('users');
  const series = weeklyUsageSeries(items, kind, measure);
  const rows = [...items].sort(
    (a, b) =>
      a.week.localeCompare(b.week) ||
      a.kind.localeCompare(b.kind) ||
      b.users - a.users,
  );

  return (
    <Flex direction="column" gap="3">
      <Flex gap="4" align="end" style={{ flexWrap: 'wrap' }}>
        <Select
          label="Per"
          name="kind"
          selectedKey={kind}
          onSelectionChange={key => setKind(key as UsageFeatureKind)}
          options={[
            { id: 'plugin', label: 'Plugin' },
            { id: 'page', label: 'Page' },
          ]}
        />
        <Select
          label="Count"
          name="measure"
          selectedKey={measure}
          onSelectionChange={key => setMeasure(key as WeeklyMeasure)}
          options={[
            { id: 'users', label: 'Distinct users' },
            { id: 'teams', label: 'Distinct teams' },
          ]}
        />
      </Flex>
      {series.keys.length === 0 ? (
        <Text color="secondary">No {kind} was used in this period.</Text>
      ) : (
        <div
          style={{ width: '100%', height: 280 }}
          role="img"
          aria-label={`Weekly distinct ${measure} of the ${series.keys.length} most used ${kind}s`}
        >
          <ResponsiveContainer>
            <LineChart data={series.points}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="week" />
              <YAxis allowDecimals={false} width={50} />
              <Tooltip />
              <Legend />
              {series.keys.map((key, i) => (
                <Line
                  key={key}
                  isAnimationActive={false}
                  type="monotone"
                  dataKey={key}
                  name={key}
                  stroke={COLOURS[i % COLOURS.length]}
                  strokeWidth={2}
                  dot={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      <DataTable
        title="Weekly distinct users and teams"
        columns={weeklyColumns}
        rows={rows}
        rowKey={item => `${item.week}|${item.kind}|${item.feature}`}
        fileName={fileName}
        emptyMessage="Nobody used the portal in this period, or everyone opted out."
      />
    </Flex>
  );
}
