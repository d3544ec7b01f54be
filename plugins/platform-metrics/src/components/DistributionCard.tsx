import { Flex, Text } from '@backstage/ui';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { TitledCard } from './TitledCard';

/** A metric's spread in the period: its figures as one line, and a bar chart of them. */
export function DistributionCard({
  lines,
  bars,
  unit,
}: {
  lines: string[];
  /** null where there is no data. */
  bars: { name: string; value: number | null }[];
  /** The y-axis unit, e.g. ' h'. */
  unit: string;
}) {
  return (
    <TitledCard title="Distribution">
      <Flex direction="column" gap="2">
        <Text>{lines.join(' · ')}</Text>
        {bars.some(b => b.value !== null && b.value > 0) ? (
          <div style={{ width: '100%', height: 200 }}>
            <ResponsiveContainer>
              <BarChart data={bars}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="name" />
                <YAxis unit={unit} width={70} />
                <Tooltip />
                <Bar dataKey="value" fill="#1f77b4" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        ) : (
          <Text color="secondary">No data in this period.</Text>
        )}
      </Flex>
    </TitledCard>
  );
}
