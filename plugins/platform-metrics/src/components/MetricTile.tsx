import type { MetricsSummary } from '@internal/plugin-platform-metrics-common';
import { Card, CardBody, CardHeader, Flex, Link, Text } from '@backstage/ui';
import { Suspense, lazy } from 'react';
import {
  MetricKey,
  describeAgainstBaseline,
  describeChange,
  metricDefinitions,
} from './format';
import { periodName } from './periods';

/** A comparison; green when it is an improvement, red when it is not. */
function Comparison({
  text,
  improved,
}: {
  text: string;
  improved: boolean | null;
}) {
  let color: 'secondary' | 'success' | 'danger' = 'secondary';
  if (improved !== null) color = improved ? 'success' : 'danger';
  return (
    <Text variant="body-small" color={color}>
      {text}
    </Text>
  );
}

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
  if (other === undefined) {
    return <Comparison text={`… ${label}`} improved={null} />;
  }
  if (other === null) {
    return (
      <Comparison
        text={`no ${label.replace('vs ', '')} data to compare`}
        improved={null}
      />
    );
  }
  const described = describeChange(metric, current, other);
  return (
    <Comparison
      text={
        described.improved === null && current === null
          ? 'no data in this period to compare'
          : `${described.text} ${label}`
      }
      improved={described.improved}
    />
  );
}

/** The ticket-era value beside this period's, for the before/after story. */
function AgainstBaseline({
  metric,
  current,
  baseline,
}: {
  metric: MetricKey;
  current: number | null;
  baseline: number | null | undefined;
}) {
  if (baseline === undefined) {
    return <Comparison text="ticket era …" improved={null} />;
  }
  return <Comparison {...describeAgainstBaseline(metric, baseline, current)} />;
}

/** What a duration tile says for a period in which nothing completed. */
function WhileEmpty({
  metric,
  summary,
}: {
  metric: MetricKey;
  summary: MetricsSummary;
}) {
  const definition = metricDefinitions[metric];
  const empty = definition.whileEmpty?.(summary);
  if (!empty) {
    return (
      <Text variant="body-small" color="secondary">
        No data in this period.
      </Text>
    );
  }
  const { lastKnown } = empty;
  return (
    <>
      <Text variant="body-small">{empty.underWay}</Text>
      {lastKnown && (
        <Text variant="body-small" color="secondary">
          last known {definition.format(lastKnown.medianSeconds)} in{' '}
          {periodName(lastKnown.period)} (n = {lastKnown.count})
        </Text>
      )}
      {lastKnown === null && (
        <Text variant="body-small" color="secondary">
          nothing completed before this period
        </Text>
      )}
    </>
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
            <WhileEmpty metric={metric} summary={summary} />
          )}
          <Change
            label="vs previous period"
            metric={metric}
            current={value}
            other={previous && definition.value(previous)}
          />
          {definition.baseline === 'side-by-side' && (
            <AgainstBaseline
              metric={metric}
              current={value}
              baseline={baseline && definition.value(baseline)}
            />
          )}
          {definition.baseline === 'change' && (
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
