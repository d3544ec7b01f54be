import { createBackend } from '@backstage/backend-defaults';
import { permissionPolicyModule } from './permissionPolicyModule';
import { platformDemoAuthModule } from './platformDemoAuthModule';
import { startBackendSerialised } from './startBackendSerialised';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
// The guest provider refuses to sign anyone in unless NODE_ENV is development,
// so production (app-config.production.yaml) is left with GitHub sign-in only.
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// A second development-only sign-in, as a member of the platform team; only
// app-config.development.yaml configures it, and it refuses outside development.
backend.add(platformDemoAuthModule);
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Users and Groups from a GitHub organisation; only when
// catalog.providers.githubOrg is configured (production).
backend.add(import('@backstage/plugin-catalog-backend-module-github-org'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(import('@backstage/plugin-scaffolder-backend-module-gitlab'));
backend.add(import('@internal/plugin-scaffolder-backend-module-golden-path'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionPolicyModule);

// Docs and runbooks of every entity with backstage.io/techdocs-ref, built with
// the local mkdocs (techdocs in app-config.yaml).
backend.add(import('@backstage/plugin-techdocs-backend'));

backend.add(import('@backstage/plugin-search-backend'));
// PostgreSQL full-text search in production; on SQLite the search backend
// falls back to its in-memory Lunr engine.
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// The event bus carries catalog and notification events between backend instances.
backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));

backend.add(import('@internal/plugin-platform-metrics-backend'));
backend.add(
  import('@internal/plugin-platform-metrics-backend-module-opsgenie'),
);
// The demo history is for development only: the module is a devDependency, so
// the production bundle does not contain it.
if (process.env.NODE_ENV !== 'production') {
  backend.add(
    // eslint-disable-next-line @backstage/no-undeclared-imports
    import('@internal/plugin-platform-metrics-backend-module-demo-data'),
  );
}

startBackendSerialised(backend);
