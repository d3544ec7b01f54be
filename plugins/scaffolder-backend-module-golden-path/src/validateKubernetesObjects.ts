import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { spawn } from 'node:child_process';

/** A Kubernetes object read from a generated file. */
export interface KubernetesObject {
  file: string;
  object: Record<string, unknown>;
}

// kubernetes-models and its cert-manager and Prometheus Operator packages are
// ES modules behind `import`-only exports maps (with ES-only dependencies),
// which the backend's CommonJS runtime and Jest cannot load in-process. A
// short-lived Node.js process imports them natively instead.
const VALIDATOR = `
const models = {
  'apps/v1/Deployment': ['kubernetes-models/apps/v1', 'Deployment'],
  'v1/Service': ['kubernetes-models/v1', 'Service'],
  'v1/ConfigMap': ['kubernetes-models/v1', 'ConfigMap'],
  'v1/ServiceAccount': ['kubernetes-models/v1', 'ServiceAccount'],
  'networking.k8s.io/v1/Ingress': ['kubernetes-models/networking.k8s.io/v1', 'Ingress'],
  'networking.k8s.io/v1/NetworkPolicy': ['kubernetes-models/networking.k8s.io/v1', 'NetworkPolicy'],
  'policy/v1/PodDisruptionBudget': ['kubernetes-models/policy/v1', 'PodDisruptionBudget'],
  'autoscaling/v2/HorizontalPodAutoscaler': ['kubernetes-models/autoscaling/v2', 'HorizontalPodAutoscaler'],
  'cert-manager.io/v1/Certificate': ['@kubernetes-models/cert-manager/cert-manager.io/v1', 'Certificate'],
  'cert-manager.io/v1/ClusterIssuer': ['@kubernetes-models/cert-manager/cert-manager.io/v1', 'ClusterIssuer'],
  'monitoring.coreos.com/v1/ServiceMonitor': ['@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1', 'ServiceMonitor'],
  'monitoring.coreos.com/v1/PrometheusRule': ['@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1', 'PrometheusRule'],
};
let input = '';
for await (const chunk of process.stdin) input += chunk;
const problems = [];
for (const { file, object } of JSON.parse(input)) {
  const key = object.apiVersion + '/' + object.kind;
  const model = models[key];
  if (!model) {
    problems.push({ file, problem: 'has a ' + key + ' object, which no schema here can validate' });
    continue;
  }
  const Model = (await import(model[0]))[model[1]];
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push({ file, problem: object.kind + ' is invalid: ' + error.message });
  }
}
process.stdout.write(JSON.stringify(problems));
`;

/**
 * Validates Kubernetes objects against the schemas of kubernetes-models,
 * including the cert-manager and Prometheus Operator custom resources.
 */
export async function validateKubernetesObjects(
  objects: KubernetesObject[],
): Promise<Array<{ file: string; problem: string }>> {
  if (objects.length === 0) return [];
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '--eval', VALIDATOR],
      {
        // Module resolution starts from this package, next to its dependencies.
        cwd: resolvePackagePath(
          '@internal/plugin-scaffolder-backend-module-golden-path',
        ),
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    child.on('error', reject);
    child.on('close', code => {
      if (code !== 0) {
        reject(
          new Error(`Kubernetes validation could not run: ${stderr.trim()}`),
        );
        return;
      }
      resolve(JSON.parse(stdout));
    });
    child.stdin.end(JSON.stringify(objects));
  });
}
