/*
 * Production takes its Users and Groups from the GitHub organisation
 * (catalog.providers.githubOrg in app-config.production.yaml): a GitHub login
 * signs in as the User of the same name, and membership of the team
 * `platform` makes an administrator. Here the provider reads a GitHub GraphQL
 * API served by the test, through the integration as production configures it.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { TestDatabases } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import githubOrgModule from '@backstage/plugin-catalog-backend-module-github-org';
import permissionPlugin from '@backstage/plugin-permission-backend';
import platformMetricsPlugin from '@internal/plugin-platform-metrics-backend';
import { parse } from 'yaml';
import {
  startPortalBackend,
  type PortalBackend,
} from './__testUtils__/startPortalBackend';
import { permissionPolicyModule } from './permissionPolicyModule';

jest.setTimeout(180_000);

const ORG = 'acme';
const TOKEN = 'github-integration-token-under-test';

const member = (login: string, name: string) => ({
  login,
  name,
  id: `MDQ6VXNlcj${login}`,
  bio: null,
  avatarUrl: `https://avatars.example/${login}`,
  email: `${login}@acme.example`,
  organizationVerifiedDomainEmails: [],
});
const MEMBERS = [
  member('ada-lovelace', 'Ada Lovelace'),
  member('ben-okafor', 'Ben Okafor'),
];
const team = (slug: string, members: ReturnType<typeof member>[]) => ({
  slug,
  combinedSlug: `${ORG}/${slug}`,
  name: slug,
  description: `The ${slug} team`,
  avatarUrl: null,
  editTeamUrl: `https://github.example/orgs/${ORG}/teams/${slug}/edit`,
  parentTeam: null,
  members: { pageInfo: { hasNextPage: false }, nodes: members },
});
const TEAMS = [team('platform', [MEMBERS[0]]), team('payments', [MEMBERS[1]])];

/** The two GraphQL queries the provider sends: organisation members, teams. */
function startGithubGraphql() {
  const requests: Array<{ authorization?: string; org?: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => {
      const { query, variables } = JSON.parse(body || '{}');
      requests.push({
        authorization: req.headers.authorization,
        org: variables?.org,
      });
      const page = (nodes: unknown[]) => ({
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes,
      });
      let data: unknown;
      if (req.url !== '/api/graphql' || variables?.org !== ORG) {
        data = { organization: null };
      } else if (String(query).includes('membersWithRole')) {
        data = { organization: { membersWithRole: page(MEMBERS) } };
      } else {
        data = { organization: { teams: page(TEAMS) } };
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ data }));
    });
  });
  return new Promise<{
    url: string;
    host: string;
    requests: typeof requests;
    close(): void;
  }>(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://localhost:${port}`,
        host: `localhost:${port}`,
        requests,
        close: () => server.close(),
      });
    }),
  );
}

/** The provider as app-config.production.yaml declares it. */
function productionProvider() {
  const config = parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../app-config.production.yaml'),
      'utf8',
    ),
  );
  const [provider, ...others] = config.catalog.providers.githubOrg;
  if (!provider || others.length > 0) {
    throw new Error('Production should declare exactly one githubOrg provider');
  }
  return provider;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen`);
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

it('reads the organisation named by GITHUB_ORG on github.com in production', () => {
  expect(productionProvider()).toMatchObject({
    id: '${GITHUB_ORG}',
    githubUrl: 'https://github.com',
    orgs: ['${GITHUB_ORG}'],
  });
});

describe.each(databases.eachSupportedId())(
  'Users and Groups from the GitHub organisation, on %s',
  database => {
    let github: Awaited<ReturnType<typeof startGithubGraphql>>;
    let portal: PortalBackend;

    beforeAll(async () => {
      github = await startGithubGraphql();
      const provider = productionProvider();
      portal = await startPortalBackend({
        databases,
        database,
        layering: 'production',
        features: [
          catalogPlugin,
          githubOrgModule,
          permissionPlugin,
          permissionPolicyModule,
          platformMetricsPlugin,
        ],
        config: {
          integrations: {
            github: [
              {
                host: github.host,
                apiBaseUrl: `${github.url}/api`,
                token: TOKEN,
              },
            ],
          },
          catalog: {
            providers: {
              githubOrg: [
                {
                  ...provider,
                  id: ORG,
                  githubUrl: github.url,
                  orgs: [ORG],
                  // The test backend's scheduler runs each task once at
                  // start, except those with an initial delay.
                  schedule: {
                    frequency: provider.schedule.frequency,
                    timeout: provider.schedule.timeout,
                  },
                },
              ],
            },
          },
        },
      });
    });

    afterAll(async () => {
      await portal?.stop();
      github?.close();
    });

    it('reads members and teams with the integration token', async () => {
      await portal.waitForEntity('user:default/ada-lovelace');
      expect(github.requests.length).toBeGreaterThanOrEqual(2);
      for (const request of github.requests) {
        expect(request).toEqual({
          authorization: `Bearer ${TOKEN}`,
          org: ORG,
        });
      }
    });

    it('makes every member a User in the Groups of their teams', async () => {
      const ada = await waitFor('ada in platform', async () => {
        const entity = await portal.getEntity('user:default/ada-lovelace');
        return entity?.relations?.some(
          (r: any) =>
            r.type === 'memberOf' && r.targetRef === 'group:default/platform',
        )
          ? entity
          : undefined;
      });
      expect(ada.spec.profile).toMatchObject({
        displayName: 'Ada Lovelace',
        email: 'ada-lovelace@acme.example',
      });
      const payments = await portal.waitForEntity('group:default/payments');
      expect(payments.relations).toContainEqual(
        expect.objectContaining({
          type: 'hasMember',
          targetRef: 'user:default/ben-okafor',
        }),
      );
    });

    it('lets the platform team administer the metrics, and nobody else', async () => {
      await waitFor('ben in payments', async () =>
        (
          await portal.getEntity('user:default/ben-okafor')
        )?.relations?.some((r: any) => r.type === 'memberOf')
          ? true
          : undefined,
      );
      const campaigns = async (user: string) =>
        (
          await fetch(
            `${portal.baseUrl}/api/platform-metrics/v1/survey/campaigns`,
            {
              headers: {
                Authorization: `Bearer ${await portal.signInAs(user)}`,
              },
            },
          )
        ).status;
      expect(await campaigns('user:default/ada-lovelace')).toBe(200);
      expect(await campaigns('user:default/ben-okafor')).toBe(403);
    });
  },
);
