import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { startMetricsTestBackend } from '../__testUtils__/startMetricsTestBackend';
import { openApiOperations } from '../service/__testUtils__/openApiOperations';

const pkg = path.resolve(__dirname, '../..');

describe('the OpenAPI spec', () => {
  it('is what the generated router was generated from', () => {
    const generated = execFileSync(
      process.execPath,
      [path.join(pkg, 'scripts/generateOpenApiRouter.mjs'), '--stdout'],
      { encoding: 'utf8' },
    );
    const committed = fs.readFileSync(
      path.join(pkg, 'src/schema/openapi/generated/router.ts'),
      'utf8',
    );
    // On failure: run `yarn generate:openapi` in this package and commit the result.
    expect(committed).toBe(generated);
  }, 30_000);

  it('documents every route the plugin registers', async () => {
    const httpRouter = mockServices.httpRouter.mock();
    const backend = await startMetricsTestBackend({
      features: [httpRouter.factory],
    });
    const routers = httpRouter.use.mock.calls.map(([router]) => router);
    await backend.stop();

    const documented = openApiOperations().map(
      op =>
        `${op.method.toUpperCase()} ${op.path.replace(/\{(\w+)\}/g, ':$1')}`,
    );
    const registered = routers.flatMap(registeredRoutes).filter(
      route =>
        // The spec itself, served by createValidatedOpenApiRouter.
        route !== 'GET /openapi.json' &&
        // The permission integration that permissionsRegistry adds.
        !route.includes(' /.well-known/backstage/'),
    );
    expect(registered.sort()).toEqual(documented.sort());
  });
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** `METHOD /path` of every route in an express router and the routers it mounts. */
function registeredRoutes(router: unknown): string[] {
  const { stack = [] } = router as { stack?: Layer[] };
  return stack.flatMap(layer => {
    if (layer.route) {
      const { path: routePath, methods } = layer.route;
      return Object.keys(methods).map(m => `${m.toUpperCase()} ${routePath}`);
    }
    return layer.handle?.stack ? registeredRoutes(layer.handle) : [];
  });
}
