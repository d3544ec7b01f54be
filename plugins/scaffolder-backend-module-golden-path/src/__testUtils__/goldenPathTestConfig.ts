/** The `goldenPath` settings the tests run with (app-config.yaml's shape). */
export const GOLDEN_PATH_TEST_CONFIG = {
  baseDomain: 'apps.acme.example',
  clusterIssuer: 'letsencrypt-production',
  ruleSelectorLabels: { prometheus: 'platform' },
  containerRegistry: 'ghcr.io/acme',
  gitopsRepository: 'acme/gitops',
  portalUrl: 'https://portal.acme.example',
};
