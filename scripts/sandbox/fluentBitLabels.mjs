/**
 * The Loki stream labels the platform's Fluent Bit gives a golden-path pod's
 * lines: the Kubernetes filter's namespace, pod and container, and the
 * service and team from the pod's `logging.acme.example/*` annotations (the
 * log-shipping contract written into the generated Deployment).
 */
export function fluentBitLabels(manifests, pod) {
  const labels = {
    namespace: manifests.namespace,
    pod,
    container: manifests.container.name,
  };
  const prefix = 'logging.acme.example/';
  for (const [key, value] of Object.entries(manifests.podAnnotations)) {
    if (key.startsWith(prefix))
      labels[key.slice(prefix.length)] = String(value);
  }
  return labels;
}
