import type { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader, type JsonObject } from '@backstage/config';
import type { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Knex } from 'knex';
import path from 'node:path';
import { platformMetricsPlugin } from '../plugin';

/** What the test backend's webhooks accept as proof of their sender. */
export const TEST_WEBHOOK_SECRETS: Readonly<
  Record<'github' | 'gitlab' | 'pagerduty' | 'alertmanager', string>
> = {
  github: 'github-webhook-secret-under-test',
  gitlab: 'gitlab-webhook-token-under-test',
  pagerduty: 'pagerduty-webhook-secret-under-test',
  alertmanager: 'alertmanager-webhook-token-under-test',
};

const DEFAULT_CONFIG: JsonObject = {
  // The repository's released golden-path versions, whatever the test's cwd.
  goldenPath: {
    versionsFile: path.resolve(
      __dirname,
      '../../../../templates/golden-paths/versions.yaml',
    ),
  },
  platformMetrics: {
    webhooks: {
      github: { secret: TEST_WEBHOOK_SECRETS.github },
      gitlab: { token: TEST_WEBHOOK_SECRETS.gitlab },
      pagerduty: { secrets: [TEST_WEBHOOK_SECRETS.pagerduty] },
      alertmanager: { token: TEST_WEBHOOK_SECRETS.alertmanager },
    },
    survey: { participationSecret: 'survey-participation-secret-under-test' },
  },
};

export interface MetricsTestBackendOptions {
  /** The plugin's database; an in-memory SQLite database when omitted. */
  knex?: Knex;
  /** Layered over the defaults (every webhook configured, a survey secret). */
  config?: JsonObject;
  /** The catalog the plugin attributes events with and reads teams from. */
  entities?: Entity[];
  /** Every permission decision; Backstage's permission mock when omitted. */
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  /** More features, such as a user-info service that knows group membership. */
  features?: BackendFeature[];
}

/**
 * The platform-metrics plugin alone in a test backend, served over HTTP.
 * Requests without a token are anonymous, as in a real backend. Stop it in
 * the `afterAll` of the block that started it: the database it uses is
 * destroyed when that block's TestDatabases shut down.
 */
export function startMetricsTestBackend(
  options: MetricsTestBackendOptions = {},
): Promise<TestBackend> {
  const config = ConfigReader.fromConfigs([
    { context: 'defaults', data: DEFAULT_CONFIG },
    { context: 'test', data: options.config ?? {} },
  ]).get<JsonObject>();
  return startTestBackend({
    features: [
      platformMetricsPlugin,
      mockServices.rootConfig.factory({ data: config }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      ...(options.permission
        ? [mockServices.permissions.factory({ result: options.permission })]
        : []),
      ...(options.features ?? []),
    ],
  });
}
