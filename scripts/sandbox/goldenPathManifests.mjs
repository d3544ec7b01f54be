import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const read = (repoDir, file) =>
  parse(readFileSync(join(repoDir, file), 'utf8'));

/**
 * The Kubernetes objects a generated service's repository declares, read
 * from the files the golden path rendered: what the sandbox needs to run the
 * service, scrape it and ship its logs the way the cluster would.
 */
export function readGoldenPathManifests(repoDir) {
  const deployment = read(repoDir, 'kubernetes/base/deployment.yaml');
  const service = read(repoDir, 'kubernetes/base/service.yaml');
  const serviceMonitor = read(repoDir, 'kubernetes/base/servicemonitor.yaml');
  const prometheusRule = read(repoDir, 'kubernetes/base/prometheusrule.yaml');
  const production = read(
    repoDir,
    'kubernetes/overlays/production/kustomization.yaml',
  );
  const [container] = deployment.spec.template.spec.containers;
  return {
    name: service.metadata.name,
    /** The namespace the production overlay deploys into. */
    namespace: production.namespace,
    deployment,
    service,
    serviceMonitor,
    prometheusRule,
    container,
    /** The container's environment, as the Deployment sets it. */
    env: Object.fromEntries(
      (container.env ?? []).map(({ name, value }) => [name, String(value)]),
    ),
    podAnnotations: deployment.spec.template.metadata.annotations ?? {},
  };
}

/**
 * The container port a ServiceMonitor endpoint scrapes: endpoint `port` names
 * a Service port, whose `targetPort` names (or numbers) a container port.
 */
export function scrapedContainerPort(manifests, endpoint) {
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

/** The command the image runs: the Dockerfile's exec-form CMD. */
export function imageCommand(repoDir) {
  const dockerfile = readFileSync(join(repoDir, 'Dockerfile'), 'utf8');
  const line = dockerfile
    .split('\n')
    .filter(l => /^CMD\s+\[/.test(l))
    .at(-1);
  if (!line) throw new Error('Dockerfile: no exec-form CMD ["..."]');
  return JSON.parse(line.replace(/^CMD\s+/, ''));
}
