import type { PlatformMetricsIngestionSource } from '@internal/plugin-platform-metrics-node';
import { alertmanagerSource } from './alertmanagerSource';
import { githubSource } from './githubSource';
import { gitlabSource } from './gitlabSource';
import { pagerDutySource } from './pagerDutySource';

/**
 * The senders the plugin serves without any module, registered like a module's:
 * their routes, secrets (`platformMetrics.webhooks.*` in the plugin's
 * config.d.ts) and behaviour predate the extension point and stay where users'
 * webhook configurations expect them.
 */
export const builtInSources: readonly PlatformMetricsIngestionSource[] = [
  githubSource,
  gitlabSource,
  pagerDutySource,
  alertmanagerSource,
];
