/**
 * Prometheus scrape jobs for a golden-path service, one per endpoint of its
 * generated ServiceMonitor, with the job name and target labels the
 * Prometheus Operator gives them (`namespace`, `service`, `pod`,
 * `container`, `endpoint`, and `job` = the Service's name). Kubernetes
 * discovery is replaced by one static target: the service process on
 * 127.0.0.1:`port`, wherever the endpoint's port name leads.
 *
 * @param {ReturnType<import('./readGoldenPathManifests.mjs').readGoldenPathManifests>} manifests
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
 * The container port a ServiceMonitor endpoint scrapes: endpoint `port` names
 * a Service port, whose `targetPort` names (or numbers) a container port.
 */
function scrapedContainerPort(manifests, endpoint) {
  const servicePort = manifests.service.spec.ports.find(
    p => p.name === endpoint.port,
  );
  if (!servicePort) {
    throw new Error(
      `ServiceMonitor endpoint port ${endpoint.port}: no Service port has that name`,
    );
  }
  const target = servicePort.targetPort ?? servicePort.port;
  const containerPort =
    typeof target === 'number'
      ? manifests.container.ports.find(p => p.containerPort === target)
      : manifests.container.ports.find(p => p.name === target);
  if (!containerPort) {
    throw new Error(
      `Service port ${servicePort.name}: targetPort ${target} is not a port of the container`,
    );
  }
  return containerPort;
}
