/*
 * The platform team demo sign-in as `./scripts/portal start` configures it,
 * through the real auth backend, with groups from the demo organisation in the
 * catalog.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TestDatabases } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { parse } from 'yaml';
import {
  startPortalBackend,
  type PortalBackend,
} from './__testUtils__/startPortalBackend';
import { platformDemoAuthModule } from './platformDemoAuthModule';

jest.setTimeout(180_000);

const readConfig = (file: string) =>
  parse(fs.readFileSync(path.resolve(__dirname, '../../..', file), 'utf8'));
const platformDemo = readConfig('app-config.development.yaml').auth.providers
  .platformDemo;
const adminGroups: string[] = readConfig('app-config.yaml').portal.adminGroups;

// Sign-in is the subject here, not storage: one database is enough.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('the platform team demo sign-in', () => {
  let portal: PortalBackend;
  const nodeEnv = process.env.NODE_ENV;

  const signIn = async () => {
    const res = await fetch(`${portal.baseUrl}/api/auth/platformDemo/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    portal = await startPortalBackend({
      databases,
      database: 'SQLITE_3',
      features: [catalogPlugin, platformDemoAuthModule],
      config: { auth: { providers: { platformDemo } } },
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const user = await portal.getEntity(platformDemo.userEntityRef);
      if (user?.relations?.some((r: any) => r.type === 'memberOf')) return;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    throw new Error(
      `${platformDemo.userEntityRef} has no groups in the catalog`,
    );
  });

  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  afterAll(async () => {
    await portal?.stop();
  });

  it('signs in during development as the demo User, a member of an admin group', async () => {
    process.env.NODE_ENV = 'development';
    const { status, body } = await signIn();

    expect(status).toBe(200);
    const { identity } = body.backstageIdentity;
    expect(identity.userEntityRef).toBe(platformDemo.userEntityRef);
    expect(adminGroups).toContain('group:default/platform');
    expect(identity.ownershipEntityRefs).toContain('group:default/platform');
  });

  it.each(['production', 'test'])(
    'refuses with NODE_ENV=%s, although configured',
    async env => {
      process.env.NODE_ENV = env;
      const { status, body } = await signIn();

      expect(status).toBe(403);
      expect(body.error.message).toMatch(/only available in development/);
      expect(body.backstageIdentity).toBeUndefined();
    },
  );
});
