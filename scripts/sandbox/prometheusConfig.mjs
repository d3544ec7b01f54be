import { scrapedContainerPort } from './goldenPathManifests.mjs';

/**
 * Prometheus scrape jobs for a golden-path service, one per endpoint of its
 * generated ServiceMonitor, with the job name and target labels the
 * Prometheus Operator gives them (`namespace`, `service`, `pod`,
 * `container`, `endpoint`, and `job` = the Service's name). Kubernetes
 * discovery is replaced by one static target: the service process on
 * 127.0.0.1 at `address`, wherever the endpoint's port name leads.
 *
 * @param {ReturnType<import('./goldenPathManifests.mjs').readGoldenPathManifests>} manifests
 * @param {{ port: number, pod: string, interval: string }} target
 */
export function scrapeConfigsFor(manifests, { port, pod, interval }) {
  const { name, namespace, serviceMonitor, container } = manifests;
  return serviceMonitor.spec.endpoints.map((endpoint, index) => {
    scrapedContainerPort(manifests, endpoint);
    return {
      job_name: `serviceMonitor/${namespace}/${serviceMonitor.metadata.name}/${index}`,
      metrics_path: endpoint.path ?? '/metrics',
      scheme: endpoint.scheme ?? 'http',
      // Shortened for the test (the generated interval is `endpoint.interval`).
      scrape_interval: interval,
      scrape_timeout: interval,
      static_configs: [
        {
          targets: [`127.0.0.1:${port}`],
          labels: {
            namespace,
            service: name,
            pod,
            container: container.name,
            endpoint: endpoint.port,
          },
        },
      ],
      // The Operator sets `job` to the Service's name by relabelling.
      relabel_configs: [
        { target_label: 'job', replacement: name, action: 'replace' },
      ],
    };
  });
}

/**
 * The generated PrometheusRule's `spec.groups`, as a Prometheus rule file,
 * with every `for:` set to `forDuration`, so that alerts fire in seconds
 * instead of minutes. Nothing else changes: expressions, labels and
 * annotations are the generated ones.
 */
export function ruleFileFor(prometheusRule, { forDuration }) {
  return {
    groups: prometheusRule.spec.groups.map(group => ({
      ...group,
      rules: group.rules.map(rule =>
        rule.for === undefined ? rule : { ...rule, for: forDuration },
      ),
    })),
  };
}
