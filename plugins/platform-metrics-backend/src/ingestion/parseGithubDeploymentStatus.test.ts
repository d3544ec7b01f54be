import { InputError } from '@backstage/errors';
import {
  GITHUB_DEPLOYMENT_STATUS_EVENT,
  parseGithubDeploymentStatus,
} from './parseGithubDeploymentStatus';

const user = {
  login: 'octo-deployer',
  id: 583231,
  node_id: 'MDQ6VXNlcjU4MzIzMQ==',
  avatar_url: 'https://avatars.githubusercontent.com/u/583231?v=4',
  gravatar_id: '',
  url: 'https://api.github.com/users/octo-deployer',
  html_url: 'https://github.com/octo-deployer',
  type: 'User',
  site_admin: false,
};

// Shaped like the `deployment_status` example payload in GitHub's webhook docs.
const deploymentStatus = (state = 'success') => ({
  action: 'created',
  deployment_status: {
    url: 'https://api.github.com/repos/acme/payments-api/deployments/1650382811/statuses/3521987744',
    id: 3521987744,
    node_id: 'DES_kwDOJq3Vr87R7zBg',
    state,
    creator: user,
    description: '',
    environment: 'production',
    target_url: '',
    created_at: '2024-05-14T09:20:55Z',
    updated_at: '2024-05-14T09:21:07Z',
    deployment_url:
      'https://api.github.com/repos/acme/payments-api/deployments/1650382811',
    repository_url: 'https://api.github.com/repos/acme/payments-api',
  } as Record<string, unknown>,
  deployment: {
    url: 'https://api.github.com/repos/acme/payments-api/deployments/1650382811',
    id: 1650382811,
    node_id: 'DE_kwDOJq3Vr85iX6Pb',
    sha: '9f2c1a4e7b3d5c6a8e0f1b2c3d4e5f6a7b8c9d0e',
    ref: 'main',
    task: 'deploy',
    payload: {} as unknown,
    original_environment: 'production',
    environment: 'production',
    description: null,
    creator: user,
    created_at: '2024-05-14T09:20:53Z',
    updated_at: '2024-05-14T09:21:07Z',
    statuses_url:
      'https://api.github.com/repos/acme/payments-api/deployments/1650382811/statuses',
    repository_url: 'https://api.github.com/repos/acme/payments-api',
    performed_via_github_app: null,
  } as Record<string, unknown>,
  repository: {
    id: 648763311,
    node_id: 'R_kgDOJq3Vrw',
    name: 'payments-api',
    full_name: 'acme/payments-api',
    private: true,
    owner: user,
    html_url: 'https://github.com/acme/payments-api',
    description: null,
    fork: false,
    url: 'https://api.github.com/repos/acme/payments-api',
    default_branch: 'main',
  },
  sender: user,
});

const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';

describe('parseGithubDeploymentStatus', () => {
  it('names the event it reads', () => {
    expect(GITHUB_DEPLOYMENT_STATUS_EVENT).toBe('deployment_status');
  });

  it('reads a successful production deployment', () => {
    expect(parseGithubDeploymentStatus(deploymentStatus(), DELIVERY)).toEqual({
      records: [
        {
          kind: 'deployment',
          source: 'github',
          deliveryKey: DELIVERY,
          service: {
            annotation: {
              key: 'github.com/project-slug',
              value: 'acme/payments-api',
            },
          },
          environment: 'production',
          production: true,
          outcome: 'success',
          occurredAt: new Date('2024-05-14T09:21:07Z'),
          pipelineId: '1650382811',
        },
      ],
      ignored: 0,
    });
  });

  it.each([
    ['failure', 'failure'],
    ['error', 'failure'],
  ])('reads the %s state as a failed deployment', (state, outcome) => {
    const { records } = parseGithubDeploymentStatus(
      deploymentStatus(state),
      DELIVERY,
    );
    expect(records[0]).toMatchObject({ outcome });
  });

  it.each(['pending', 'queued', 'in_progress', 'inactive', 'waiting'])(
    'ignores the %s state',
    state => {
      expect(
        parseGithubDeploymentStatus(deploymentStatus(state), DELIVERY),
      ).toEqual({ records: [], ignored: 1 });
    },
  );

  it('takes the environment from the deployment when the status has none', () => {
    const body = deploymentStatus();
    delete body.deployment_status.environment;
    body.deployment.environment = 'Prod';
    expect(
      parseGithubDeploymentStatus(body, DELIVERY).records[0],
    ).toMatchObject({ environment: 'Prod', production: true });
    body.deployment.environment = 'staging';
    expect(
      parseGithubDeploymentStatus(body, DELIVERY).records[0],
    ).toMatchObject({ environment: 'staging', production: false });
  });

  it('keeps unicode environment names', () => {
    const body = deploymentStatus();
    body.deployment_status.environment = 'prüf-umgebung ✓';
    expect(
      parseGithubDeploymentStatus(body, DELIVERY).records[0],
    ).toMatchObject({ environment: 'prüf-umgebung ✓', production: false });
  });

  it('falls back to created_at without updated_at', () => {
    const body = deploymentStatus();
    delete body.deployment_status.updated_at;
    expect(
      parseGithubDeploymentStatus(body, DELIVERY).records[0],
    ).toMatchObject({ occurredAt: new Date('2024-05-14T09:20:55Z') });
  });

  it('reads the golden path from the deployment payload, object or JSON string', () => {
    const declared = {
      goldenPath: { template: 'node-service', version: '3.2.0' },
      observability: { alerts: true, logs: true, tls: true, dns: true },
    };
    const body = deploymentStatus();
    body.deployment.payload = declared;
    expect(
      parseGithubDeploymentStatus(body, DELIVERY).records[0],
    ).toMatchObject({
      goldenPath: { template: 'node-service', version: '3.2.0' },
      observabilityDeclared: true,
    });
    body.deployment.payload = JSON.stringify(declared);
    expect(
      parseGithubDeploymentStatus(body, DELIVERY).records[0],
    ).toMatchObject({
      goldenPath: { template: 'node-service', version: '3.2.0' },
    });
    body.deployment.payload = 'not json';
    expect(
      parseGithubDeploymentStatus(body, DELIVERY).records[0],
    ).not.toHaveProperty('goldenPath');
  });

  it('reads the image digest a pipeline puts in the deployment payload', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const body = deploymentStatus();
    body.deployment.payload = { imageDigest: digest };
    expect(
      parseGithubDeploymentStatus(body, DELIVERY).records[0],
    ).toMatchObject({ imageDigest: digest, pipelineId: expect.any(String) });
    body.deployment.payload = {};
    expect(
      parseGithubDeploymentStatus(body, DELIVERY).records[0],
    ).not.toHaveProperty('imageDigest');
    body.deployment.payload = { imageDigest: 'ghcr.io/acme/app:latest' };
    expect(() => parseGithubDeploymentStatus(body, DELIVERY)).toThrow(
      'deployment.payload.imageDigest: expected an OCI image digest like sha256:<64 hex digits>',
    );
  });

  it('names the field at fault', () => {
    const badTime = deploymentStatus();
    badTime.deployment_status.updated_at = '14.05.2024 09:21';
    expect(() => parseGithubDeploymentStatus(badTime, DELIVERY)).toThrow(
      'Invalid GitHub deployment_status payload: deployment_status.updated_at: expected an RFC 3339 timestamp',
    );

    const badGoldenPath = deploymentStatus();
    badGoldenPath.deployment.payload = {
      goldenPath: { template: 'node-service' },
    };
    expect(() => parseGithubDeploymentStatus(badGoldenPath, DELIVERY)).toThrow(
      'deployment.payload.goldenPath.version: required',
    );

    const noRepository = { ...deploymentStatus(), repository: undefined };
    expect(() => parseGithubDeploymentStatus(noRepository, DELIVERY)).toThrow(
      'repository: required',
    );

    const noEnvironment = deploymentStatus();
    delete noEnvironment.deployment_status.environment;
    noEnvironment.deployment.environment = '';
    expect(() => parseGithubDeploymentStatus(noEnvironment, DELIVERY)).toThrow(
      'deployment.environment: required',
    );

    expect(() =>
      parseGithubDeploymentStatus({ zen: 'Keep it simple' }, DELIVERY),
    ).toThrow(InputError);
  });

  it('requires the delivery id', () => {
    expect(() => parseGithubDeploymentStatus(deploymentStatus(), '')).toThrow(
      'X-GitHub-Delivery header: required',
    );
  });
});
