/** A GitHub `deployment_status` delivery: a successful production deployment. */
export function githubDeploymentStatus() {
  return {
    action: 'created',
    deployment_status: {
      id: 1,
      state: 'success',
      environment: 'production',
      created_at: '2026-10-01T10:00:00Z',
      updated_at: '2026-10-01T10:00:00Z',
    },
    deployment: {
      id: 42,
      sha: 'a10867b14bb761a232cd80139fbd4c0d33264240',
      ref: 'main',
      environment: 'production',
      payload: {},
      created_at: '2026-10-01T09:59:00Z',
      updated_at: '2026-10-01T10:00:00Z',
    },
    repository: { id: 1, name: 'payments', full_name: 'acme/payments' },
  };
}
