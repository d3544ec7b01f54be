import { judgeBackendAnswer } from '../judgeBackendAnswer';
import type { CheckOutcome, CheckTarget, ServiceCheck } from '../ServiceCheck';
import type { PrometheusCheckOptions } from './PrometheusCheckOptions';
import type { VectorSample } from './PrometheusClient';
import { quoteLabelValue } from './quoteLabelValue';

/** Whether `query`'s samples show `prometheus` (its name) scraping the service `id`. */
function judgeUpSamples(
  all: VectorSample[],
  query: string,
  id: string,
  prometheus: string,
): CheckOutcome {
  const production = `${id}-production`;
  const namespaced = all.filter(sample => sample.metric.namespace);
  const samples =
    namespaced.length > 0
      ? namespaced.filter(sample => sample.metric.namespace === production)
      : all;
  if (samples.length === 0) {
    const elsewhere = [
      ...new Set(namespaced.map(sample => sample.metric.namespace)),
    ];
    return {
      status: 'fail',
      detail:
        elsewhere.length > 0
          ? `${prometheus} scrapes ${query} only in ${elsewhere.join(
              ', ',
            )}, not in ${production}. Check the production deployment's ServiceMonitor.`
          : `${prometheus} has no ${query} series: it does not scrape the service. Check that the ServiceMonitor ${id} carries the labels the platform Prometheus selects and that the Service has a port named http serving /metrics.`,
    };
  }
  const up = samples.filter(sample => Number(sample.value[1]) === 1).length;
  if (up === 0) {
    return {
      status: 'fail',
      detail: `${prometheus} cannot scrape the service: ${query} is 0 for all ${samples.length} targets. See the service's Unavailable runbook.`,
    };
  }
  return {
    status: 'pass',
    detail: `${prometheus} scrapes the service: ${query} is 1 for ${up} of ${samples.length} targets.`,
  };
}

/**
 * `metrics`: Prometheus scrapes the service, `up` = 1.
 *
 * The selector is `up{job="<kubernetes-id>"}`, the one the generated
 * `Unavailable` alert uses, so this check and that alert can never disagree.
 * Prometheus Operator names the job after the Kubernetes Service (the
 * ServiceMonitor sets no `jobLabel`), and the golden path names the Service
 * after the `backstage.io/kubernetes-id`. The staging overlay deploys the same
 * Service name in `<id>-staging`, so when the series carry the `namespace`
 * label the operator adds, only those of `<id>-production` count; a scrape
 * config without that label (a plain static config) counts as a whole.
 */
export class MetricsCheck implements ServiceCheck {
  readonly id = 'metrics';
  readonly configured: boolean;

  private constructor(private readonly options: PrometheusCheckOptions) {
    this.configured = options.enabled && Boolean(options.prometheus);
  }

  static create(options: PrometheusCheckOptions): MetricsCheck {
    return new MetricsCheck(options);
  }

  async run(
    target: CheckTarget,
    { signal }: { signal: AbortSignal },
  ): Promise<CheckOutcome> {
    const id = target.kubernetesId;
    const query = `up{job=${quoteLabelValue(id)}}`;
    return judgeBackendAnswer({
      backend: this.options.prometheus,
      notConfigured: 'No Prometheus is configured.',
      ask: prometheus => prometheus.instantQuery(query, signal),
      judge: (answer, prometheus) =>
        judgeUpSamples(answer.value, query, id, prometheus.name),
    });
  }
}
