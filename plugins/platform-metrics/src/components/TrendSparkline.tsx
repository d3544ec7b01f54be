import {
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/** A tile's small trend line, one point per period. */
export function TrendSparkline({
  points,
  format,
}: {
  points: { period: string; value: number | null }[];
  format(value: number | null): string;
}) {
  return (
    <ResponsiveContainer>
      <LineChart data={points}>
        <XAxis dataKey="period" hide />
        <YAxis hide domain={['auto', 'auto']} />
        <Tooltip formatter={v => format(v as number | null)} />
        <Line
          isAnimationActive={false}
          type="monotone"
          dataKey="value"
          dot={false}
          strokeWidth={2}
          connectNulls
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
