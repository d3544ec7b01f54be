import {
  GITLAB_DEPLOYMENT_HOOK,
  parseGitlabDeployment,
  parseGitlabTimestamp,
} from './parseGitlabDeployment';

// Shaped like the "Deployment events" payload example in GitLab's webhook events docs.
const deploymentEvent = (status = 'success') => ({
  object_kind: 'deployment',
  status,
  status_changed_at: '2024-05-14 11:21:07 +0200',
  deployment_id: 3187,
  deployable_id: 90214,
  deployable_url:
    'https://gitlab.acme.example/billing/invoice-service/-/jobs/90214',
  environment: 'production',
  environment_tier: 'production' as string | undefined,
  environment_slug: 'production',
  environment_external_url: 'https://invoices.acme.example',
  project: {
    id: 412,
    name: 'invoice-service',
    description: '',
    web_url: 'https://gitlab.acme.example/billing/invoice-service',
    avatar_url: null,
    git_ssh_url:
      'ssh://git@gitlab.acme.example:2222/billing/invoice-service.git',
    git_http_url: 'https://gitlab.acme.example/billing/invoice-service.git',
    namespace: 'billing',
    visibility_level: 0,
    path_with_namespace: 'billing/invoice-service',
    default_branch: 'main',
    ci_config_path: '',
    homepage: 'https://gitlab.acme.example/billing/invoice-service',
    url: 'ssh://git@gitlab.acme.example:2222/billing/invoice-service.git',
    ssh_url: 'ssh://git@gitlab.acme.example:2222/billing/invoice-service.git',
    http_url: 'https://gitlab.acme.example/billing/invoice-service.git',
  },
  short_sha: '3c9e1f0a',
  user: {
    id: 7,
    name: 'Jürgen Groß',
    username: 'jgross',
    avatar_url:
      'https://gitlab.acme.example/uploads/-/system/user/avatar/7/avatar.png',
    email: '[REDACTED]',
  },
  user_url: 'https://gitlab.acme.example/jgross',
  commit_url:
    'https://gitlab.acme.example/billing/invoice-service/-/commit/3c9e1f0a7d2b4c5e6f708192a3b4c5d6e7f80912',
  commit_title: 'Rechnungen: Umlaute im PDF korrigieren',
});

describe('parseGitlabTimestamp', () => {
  it.each([
    ['2021-04-28 21:50:00 +0200', '2021-04-28T19:50:00.000Z'],
    ['2021-04-28 19:50:00 UTC', '2021-04-28T19:50:00.000Z'],
    ['2021-04-28 14:50:00 -0500', '2021-04-28T19:50:00.000Z'],
    ['2021-04-28T21:50:00+02:00', '2021-04-28T19:50:00.000Z'],
  ])('parses %s', (value, iso) => {
    expect(parseGitlabTimestamp(value)?.toISOString()).toBe(iso);
  });

  it.each(['2021-04-31 10:00:00 +0200', '28.04.2021 21:50', '', 'now'])(
    'rejects %j',
    value => {
      expect(parseGitlabTimestamp(value)).toBeUndefined();
    },
  );
});

describe('parseGitlabDeployment', () => {
  it('names the hook it reads', () => {
    expect(GITLAB_DEPLOYMENT_HOOK).toBe('Deployment Hook');
  });

  it('reads a successful deployment', () => {
    expect(parseGitlabDeployment(deploymentEvent())).toEqual({
      records: [
        {
          kind: 'deployment',
          source: 'gitlab',
          deliveryKey: 'gitlab-deployment-3187-success',
          service: {
            annotation: {
              key: 'gitlab.com/project-slug',
              value: 'billing/invoice-service',
            },
          },
          environment: 'production',
          production: true,
          outcome: 'success',
          occurredAt: new Date('2024-05-14T09:21:07Z'),
          pipelineId: '3187',
        },
      ],
      ignored: 0,
    });
  });

  it('reads a failed deployment', () => {
    const { records } = parseGitlabDeployment(deploymentEvent('failed'));
    expect(records[0]).toMatchObject({
      outcome: 'failure',
      deliveryKey: 'gitlab-deployment-3187-failed',
    });
  });

  it.each(['running', 'canceled', 'blocked', 'approved', 'rejected'])(
    'ignores the %s status',
    status => {
      expect(parseGitlabDeployment(deploymentEvent(status))).toEqual({
        records: [],
        ignored: 1,
      });
    },
  );

  it('ignores other kinds of event', () => {
    expect(
      parseGitlabDeployment({ object_kind: 'pipeline', object_attributes: {} }),
    ).toEqual({ records: [], ignored: 1 });
  });

  it('prefers an idempotency header when one is passed', () => {
    const { records } = parseGitlabDeployment(
      deploymentEvent(),
      '3e5cc4b2-7d3c-4ba0-9b6c-0c1f0f4f8f11',
    );
    expect(records[0].deliveryKey).toBe('3e5cc4b2-7d3c-4ba0-9b6c-0c1f0f4f8f11');
    expect(
      parseGitlabDeployment(deploymentEvent(), '  ').records[0].deliveryKey,
    ).toBe('gitlab-deployment-3187-success');
  });

  it('decides production from the tier, else the name', () => {
    const staging = deploymentEvent();
    staging.environment = 'staging';
    staging.environment_tier = 'staging';
    expect(parseGitlabDeployment(staging).records[0]).toMatchObject({
      production: false,
    });

    const live = deploymentEvent();
    live.environment = 'live-eu';
    expect(parseGitlabDeployment(live).records[0]).toMatchObject({
      production: true,
    });

    const noTier = deploymentEvent();
    noTier.environment = 'PROD';
    delete noTier.environment_tier;
    expect(parseGitlabDeployment(noTier).records[0]).toMatchObject({
      production: true,
    });
  });

  it('keeps unicode project paths and environments', () => {
    const event = deploymentEvent();
    event.project.path_with_namespace = 'büro/rechnungs-dienst';
    event.environment = 'prüfung';
    event.environment_tier = 'testing';
    expect(parseGitlabDeployment(event).records[0]).toMatchObject({
      environment: 'prüfung',
      service: {
        annotation: { value: 'büro/rechnungs-dienst' },
      },
    });
  });

  it('names the field at fault', () => {
    const badTime = deploymentEvent();
    badTime.status_changed_at = '28.04.2021 21:50';
    expect(() => parseGitlabDeployment(badTime)).toThrow(
      'Invalid GitLab deployment event: status_changed_at: expected a timestamp like "2021-04-28 21:50:00 +0200" or RFC 3339',
    );

    const { project, ...noProject } = deploymentEvent();
    expect(project).toBeDefined();
    expect(() => parseGitlabDeployment(noProject)).toThrow('project: required');

    const noId = { ...deploymentEvent(), deployment_id: null };
    expect(() => parseGitlabDeployment(noId)).toThrow(
      'deployment_id: expected a number or a string',
    );
  });
});
