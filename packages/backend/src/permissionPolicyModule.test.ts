/*
 * The portal's policy as the server enforces it: users sign in through the
 * real auth backend, their groups come from the demo organisation in the
 * catalog, and the metrics plugin asks the permission backend, which runs
 * permissionPolicyModule. Nothing here decides permissions in the test.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import platformMetricsPlugin from '@internal/plugin-platform-metrics-backend';
import {
  startPortalBackend,
  type PortalBackend,
} from './__testUtils__/startPortalBackend';
import { permissionPolicyModule } from './permissionPolicyModule';

jest.setTimeout(180_000);

/** In group:default/platform, the admin group of app-config.yaml. */
const PLATFORM_MEMBER = 'user:default/tom-becker';
const NON_MEMBERS = [
  // An ordinary product-team member.
  'user:default/noah-williams',
  // Member of platform-engineering, the platform team's parent group:
  // membership is not inherited.
  'user:default/daniel-okafor',
];

async function waitForMembership(portal: PortalBackend, user: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const entity = await portal.getEntity(user);
    if (entity?.relations?.some((r: any) => r.type === 'memberOf')) return;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`${user} has no group memberships in the catalog`);
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'the portal permission policy on %s',
  database => {
    let portal: PortalBackend;
    const metrics = (path: string) =>
      `${portal.baseUrl}/api/platform-metrics${path}`;

    const call = async (
      token: string,
      method: string,
      path: string,
      body?: unknown,
    ) => {
      const res = await fetch(metrics(path), {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return {
        status: res.status,
        body: await res.json().catch(() => undefined),
      };
    };

    /**
     * The administrator actions of the metrics API against one draft
     * campaign, each with the status it answers when allowed.
     */
    const adminActions = (campaignId: string) => [
      {
        method: 'POST',
        path: '/v1/baseline?kind=incidents&dryRun=true',
        body: [],
        allowed: 200,
      },
      { method: 'GET', path: '/v1/survey/campaigns', allowed: 200 },
      {
        method: 'POST',
        path: '/v1/survey/campaigns',
        body: { title: 'Quarterly survey' },
        allowed: 201,
      },
      {
        method: 'PUT',
        path: `/v1/survey/campaigns/${campaignId}`,
        body: { title: 'Renamed' },
        allowed: 200,
      },
      {
        method: 'POST',
        path: `/v1/survey/campaigns/${campaignId}/open`,
        allowed: 200,
      },
      {
        method: 'POST',
        path: `/v1/survey/campaigns/${campaignId}/close`,
        allowed: 200,
      },
    ];

    beforeAll(async () => {
      portal = await startPortalBackend({
        databases,
        database,
        features: [
          catalogPlugin,
          permissionPlugin,
          permissionPolicyModule,
          platformMetricsPlugin,
        ],
        config: {
          platformMetrics: {
            survey: {
              participationSecret: 'permission-test-participation-secret-0123',
            },
          },
        },
      });
      for (const user of [PLATFORM_MEMBER, ...NON_MEMBERS]) {
        await waitForMembership(portal, user);
      }
    });

    afterAll(async () => {
      await portal?.stop();
    });

    it('lets the platform team run every administrator action', async () => {
      const token = await portal.signInAs(PLATFORM_MEMBER);
      const draft = await call(token, 'POST', '/v1/survey/campaigns', {
        title: 'Platform survey',
      });
      expect(draft.status).toBe(201);

      const statuses = [];
      for (const action of adminActions(draft.body.id)) {
        const res = await call(token, action.method, action.path, action.body);
        statuses.push(`${action.method} ${action.path} ${res.status}`);
      }
      expect(statuses).toEqual(
        adminActions(draft.body.id).map(
          a => `${a.method} ${a.path} ${a.allowed}`,
        ),
      );
    });

    it.each(NON_MEMBERS)(
      'refuses every administrator action to %s',
      async user => {
        const admin = await portal.signInAs(PLATFORM_MEMBER);
        const draft = await call(admin, 'POST', '/v1/survey/campaigns', {
          title: 'Not for everyone',
        });
        expect(draft.status).toBe(201);
        const before = await call(admin, 'GET', '/v1/survey/campaigns');

        const token = await portal.signInAs(user);
        const statuses = [];
        for (const action of adminActions(draft.body.id)) {
          const res = await call(
            token,
            action.method,
            action.path,
            action.body,
          );
          statuses.push(`${action.method} ${action.path} ${res.status}`);
        }
        expect(statuses).toEqual(
          adminActions(draft.body.id).map(a => `${a.method} ${a.path} 403`),
        );

        // Refused before anything changed: no campaign created, the draft still a draft.
        const after = await call(admin, 'GET', '/v1/survey/campaigns');
        expect(after.body.items).toEqual(before.body.items);
      },
    );

    it.each([PLATFORM_MEMBER, ...NON_MEMBERS])(
      'lets %s read the metrics',
      async user => {
        const token = await portal.signInAs(user);
        const res = await call(
          token,
          'GET',
          '/v1/summary?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z',
        );
        expect(res.status).toBe(200);
      },
    );
  },
);
