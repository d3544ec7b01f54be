import type { PlatformMetricsIngestionSource } from '@internal/plugin-platform-metrics-node';
import { IngestionSourceRegistry } from './IngestionSourceRegistry';
import { builtInSources } from './sources/builtInSources';

const source = (
  id: string,
  attributionAnnotations: string[] = [],
): PlatformMetricsIngestionSource => ({
  id,
  displayName: id,
  setup: `Point ${id} at the portal`,
  authentication: 'token',
  attributionAnnotations,
  authenticate: () => 'not-configured',
  parse: () => ({ records: [], ignored: 0 }),
});

describe('IngestionSourceRegistry', () => {
  it.each([
    ['Upper', /lower-case/],
    ['with space', /lower-case/],
    ['-leading', /lower-case/],
    ['x'.repeat(33), /1 to 32/],
    ['cdevents', /reserved/],
    ['baseline', /reserved/],
  ])('refuses the id %j', (id, message) => {
    expect(() => IngestionSourceRegistry.create([source(id)])).toThrow(message);
  });

  it('refuses a second source with a taken id', () => {
    expect(() =>
      IngestionSourceRegistry.create([...builtInSources, source('github')]),
    ).toThrow('Ingestion source "github" is registered twice');
  });

  it('lists the CDEvents API, then each source at its webhook path', () => {
    const registry = IngestionSourceRegistry.create([
      ...builtInSources,
      source('opsgenie', ['opsgenie.com/component-selector']),
    ]);
    expect(
      registry.describe().map(s => [s.id, s.path, s.authentication]),
    ).toEqual([
      ['cdevents', '/v1/events', 'backstage'],
      ['github', '/v1/webhooks/github', 'signature'],
      ['gitlab', '/v1/webhooks/gitlab', 'token'],
      ['pagerduty', '/v1/webhooks/pagerduty', 'signature'],
      ['alertmanager', '/v1/webhooks/alertmanager', 'token'],
      ['opsgenie', '/v1/webhooks/opsgenie', 'token'],
    ]);
  });

  it('collects the attribution annotations of every source once', () => {
    const registry = IngestionSourceRegistry.create([
      ...builtInSources,
      source('opsgenie', [
        'opsgenie.com/component-selector',
        'opsgenie.com/team',
      ]),
      source('other-kubernetes-alerts', ['backstage.io/kubernetes-id']),
    ]);
    expect(registry.attributionAnnotations).toEqual([
      'github.com/project-slug',
      'gitlab.com/project-slug',
      'pagerduty.com/service-id',
      'backstage.io/kubernetes-id',
      'opsgenie.com/component-selector',
      'opsgenie.com/team',
    ]);
  });
});
