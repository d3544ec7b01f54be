import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogAttribution } from './CatalogAttribution';

function component(
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

const SELECTOR = 'opsgenie.com/component-selector';
const TEAM = 'opsgenie.com/team';

const entities = [
  component('payments', 'group:default/payments', {
    [SELECTOR]: 'tag:"payments"',
    [TEAM]: 'Payments',
    'pagerduty.com/service-id': 'PX1',
  }),
  component('refunds', 'group:default/payments', { [TEAM]: 'Payments' }),
  component('search', 'group:default/search', { [TEAM]: 'Shared on-call' }),
  component('ledger', 'group:default/finance', { [TEAM]: 'Shared on-call' }),
];

const attribution = (annotations: string[]) =>
  CatalogAttribution.create({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    annotations,
  });

describe('CatalogAttribution', () => {
  it('matches only the annotations the ingestion sources list', async () => {
    const withoutPagerDuty = attribution([SELECTOR, TEAM]);
    await expect(
      withoutPagerDuty.attribute({
        annotation: { key: 'pagerduty.com/service-id', value: 'PX1' },
      }),
    ).resolves.toEqual({ entityRef: null, teamRef: null });

    const withPagerDuty = attribution(['pagerduty.com/service-id']);
    await expect(
      withPagerDuty.attribute({
        annotation: { key: 'pagerduty.com/service-id', value: 'PX1' },
      }),
    ).resolves.toEqual({
      entityRef: 'component:default/payments',
      teamRef: 'group:default/payments',
    });
  });

  it('tries candidate annotations in order', async () => {
    const [first, fallback] = await attribution([SELECTOR, TEAM]).attributeAll([
      {
        annotation: [
          { key: SELECTOR, value: 'tag:"unknown"' },
          { key: SELECTOR, value: 'tag:"payments"' },
          { key: TEAM, value: 'Payments' },
        ],
      },
      {
        annotation: [
          { key: SELECTOR, value: 'tag:"unknown"' },
          { key: TEAM, value: 'Payments' },
        ],
      },
    ]);
    expect(first).toEqual({
      entityRef: 'component:default/payments',
      teamRef: 'group:default/payments',
    });
    // Two components carry the team: it names their owner, not one of them.
    expect(fallback).toEqual({
      entityRef: null,
      teamRef: 'group:default/payments',
    });
  });

  it('attributes a value shared across owners to nobody', async () => {
    await expect(
      attribution([TEAM]).attribute({
        annotation: [{ key: TEAM, value: 'Shared on-call' }],
        name: 'ledger',
      }),
    ).resolves.toEqual({
      entityRef: 'component:default/ledger',
      teamRef: 'group:default/finance',
    });
    await expect(
      attribution([TEAM]).attribute({
        annotation: { key: TEAM, value: 'Shared on-call' },
      }),
    ).resolves.toEqual({ entityRef: null, teamRef: null });
  });
});
