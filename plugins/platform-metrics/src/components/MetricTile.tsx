import type { MetricsSummary } from '@internal/plugin-platform-metrics-common';
import { Card, CardBody, CardHeader, Flex, Link, Text } from '@backstage/ui';
import { Suspense, lazy } from 'react';
import { MetricKey, describeChange, metricDefinitions } from './format';

// The chart library is most of the overview's code and the trend arrives after
// the headline anyway, so the numbers do not wait for it.
const TrendSparkline = lazy(() =>
  import('./TrendSparkline').then(m => ({ default: m.TrendSparkline })),
);

function Change({
  label,
  metric,
  current,
  other,
}: {
  label: string;
  metric: MetricKey;
  current: number | null;
  other: number | null | undefined;
}) {
  let change: { text: string; improved: boolean | null } = {
    text: `… ${label}`,
    improved: null,
  };
  if (other === null) {
    change = {
      text: `no ${label.replace('vs ', '')} data to compare`,
      improved: null,
    };
  } else if (other !== undefined) {
    const described = describeChange(metric, current, other);
    change = {
      ...described,
      text:
        described.improved === null && current === null
          ? 'no data in this period to compare'
          : `${described.text} ${label}`,
    };
  }
  let color: 'secondary' | 'success' | 'danger' = 'secondary';
  if (change.improved !== null) color = change.improved ? 'success' : 'danger';
  return (
    <Text variant="body-small" color={color}>
      {change.text}
    </Text>
  );
}

/** One headline number with its n, its changes and a small trend. */
export function MetricTile(props: {
  metric: MetricKey;
  summary: MetricsSummary;
  previous?: MetricsSummary;
  baseline?: MetricsSummary;
  trend?: MetricsSummary[];
  href: string;
  minimumGroupSize?: number;
}) {
  const { metric, summary, previous, baseline, trend, href } = props;
  const definition = metricDefinitions[metric];
  const value = definition.value(summary);
  const n = definition.n(summary);
  const suppressed =
    metric === 'satisfaction' && summary.satisfaction.suppressed;
  const points = (trend ?? []).map(point => ({
    period: point.period.from.slice(0, 7),
    value: definition.value(point),
  }));

  return (
    <Card aria-label={definition.title}>
      <CardHeader>
        <Link href={href}>{definition.title}</Link>
      </CardHeader>
      <CardBody>
        <Flex direction="column" gap="1">
          <Text variant="title-large" data-testid={`${metric}-value`}>
            {definition.format(value)}
          </Text>
          <Text variant="body-small" color="secondary">
            n = {n} {definition.nLabel}
          </Text>
          {suppressed && (
            <Text variant="body-small" color="warning">
              Hidden: fewer responses than the minimum group size
              {props.minimumGroupSize ? ` (${props.minimumGroupSize})` : ''}.
            </Text>
          )}
          {!suppressed && value === null && (
            <Text variant="body-small" color="secondary">
              No data in this period.
            </Text>
          )}
          <Change
            label="vs previous period"
            metric={metric}
            current={value}
            other={previous && definition.value(previous)}
          />
          {metric !== 'satisfaction' && (
            <Change
              label="vs baseline"
              metric={metric}
              current={value}
              other={baseline && definition.value(baseline)}
            />
          )}
          {points.length > 1 && (
            <div style={{ width: '100%', height: 48 }} aria-hidden>
              <Suspense fallback={null}>
                <TrendSparkline points={points} format={definition.format} />
              </Suspense>
            </div>
          )}
        </Flex>
      </CardBody>
    </Card>
  );
}
