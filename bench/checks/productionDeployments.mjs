// One production deployment per bench service, as the golden path's
// ci/report-deployment.sh reports it (a CDEvent pinning the image by digest),
// so that the `image` and `pipeline` checks read real rows and every service
// can be verified, as in a portal whose services are all in production.
import { createHash } from 'node:crypto';

const BATCH = 100;

function deploymentEvent(name, at) {
  const digest = `sha256:${createHash('sha256').update(name).digest('hex')}`;
  const source = `https://git.checks-bench.test/acme/${name}`;
  return {
    context: {
      version: '0.4.1',
      id: `${name}/run-1/1`,
      source,
      type: 'dev.cdevents.service.deployed.0.2.0',
      timestamp: at,
    },
    subject: {
      id: `component:default/${name}`,
      source,
      type: 'service',
      content: {
        environment: { id: 'production' },
        artifactId: `pkg:oci/${name}@${digest}?repository_url=registry.checks-bench.test/acme/${name}`,
      },
    },
    customData: {
      commit: createHash('sha1').update(name).digest('hex'),
      goldenPath: { template: 'node-service', version: '1.1.0' },
      observability: true,
    },
  };
}

/**
 * Posts the deployments of `names` to `baseUrl`'s events endpoint in batches,
 * an hour ago; throws unless every batch is accepted.
 */
export async function reportProductionDeployments({
  baseUrl,
  ingestToken,
  names,
}) {
  const at = new Date(Date.now() - 3_600_000).toISOString();
  for (let i = 0; i < names.length; i += BATCH) {
    const events = names.slice(i, i + BATCH).map(n => deploymentEvent(n, at));
    const res = await fetch(`${baseUrl}/api/platform-metrics/v1/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ingestToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(events),
    });
    if (!res.ok) {
      throw new Error(
        `reporting deployments: ${res.status} ${await res.text()}`,
      );
    }
  }
}
