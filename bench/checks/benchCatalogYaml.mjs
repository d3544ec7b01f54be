// The catalog the checks benchmark probes: `services` golden-path Components,
// shaped like templates/golden-paths/_shared/catalog/catalog-info.yaml renders
// them, owned by `teams` generated Groups.

const TEMPLATES = ['node-service', 'go-service', 'python-service'];

/** Every generated Component carries this tag, so the bench can count them. */
export const BENCH_TAG = 'checks-bench';

export const serviceName = i => `svc-${String(i).padStart(5, '0')}`;
const teamName = i => `bench-team-${String(i).padStart(3, '0')}`;

export function benchCatalogYaml({ services, teams, domain }) {
  const docs = [];
  for (let t = 1; t <= teams; t++) {
    docs.push(
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Group',
        'metadata:',
        `  name: ${teamName(t)}`,
        'spec:',
        '  type: team',
        '  children: []',
      ].join('\n'),
    );
  }
  for (let i = 1; i <= services; i++) {
    const name = serviceName(i);
    const template = TEMPLATES[i % TEMPLATES.length];
    docs.push(
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${name}`,
        `  description: The ${name} service`,
        `  tags: [${BENCH_TAG}, golden-path]`,
        '  links:',
        `    - url: https://${name}.${domain}`,
        '      title: Production',
        '      icon: dashboard',
        '  annotations:',
        `    backstage.io/source-template: template:default/${template}`,
        "    acme.example/template-version: '1.0.0'",
        `    backstage.io/kubernetes-id: ${name}`,
        `    backstage.io/kubernetes-label-selector: app.kubernetes.io/name=${name}`,
        `    prometheus.io/rule: ${name}`,
        'spec:',
        '  type: service',
        '  lifecycle: production',
        `  owner: group:default/${teamName(1 + (i % teams))}`,
      ].join('\n'),
    );
  }
  return `${docs.join('\n---\n')}\n`;
}
