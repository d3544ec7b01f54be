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
