import type { Entity } from '@backstage/catalog-model';
import { goldenPathComponent } from './__testUtils__/checkDoubles';
import { toCheckedService } from './checkTargets';

const GOLDEN = new Set(['template:default/node-service']);

function component(metadata: Partial<Entity['metadata']>): Entity {
  const base = goldenPathComponent('Payments');
  return { ...base, metadata: { ...base.metadata, ...metadata } };
}

describe('toCheckedService', () => {
  it('derives the target of a golden-path Component', () => {
    expect(toCheckedService(goldenPathComponent('Payments'), GOLDEN)).toEqual({
      target: {
        entityRef: 'component:default/payments',
        namespace: 'default',
        name: 'payments',
        hostname: 'payments.apps.acme.example',
        kubernetesId: 'Payments',
        prometheusRule: 'Payments',
      },
      teamRef: 'group:default/payments-team',
    });
  });

  it('covers a Component with only the prometheus.io/rule annotation', () => {
    const service = toCheckedService(
      component({ annotations: { 'prometheus.io/rule': 'legacy-rules' } }),
      GOLDEN,
    );
    expect(service?.target).toMatchObject({
      prometheusRule: 'legacy-rules',
      // No kubernetes-id: the name, as the golden path sets it.
      kubernetesId: 'Payments',
    });
  });

  it('covers a Component from a golden-path template without the rule annotation', () => {
    const service = toCheckedService(
      component({
        annotations: {
          'backstage.io/source-template': 'template:default/Node-Service',
        },
      }),
      GOLDEN,
    );
    expect(service?.target.prometheusRule).toBeUndefined();
  });

  it.each([
    [
      'from a template that is not a golden path',
      component({
        annotations: {
          'backstage.io/source-template': 'template:default/docs-site',
        },
      }),
    ],
    ['without either annotation', component({ annotations: {} })],
    [
      'that is not a Component',
      { ...goldenPathComponent('payments'), kind: 'Resource' },
    ],
  ])('ignores an entity %s', (_, entity) => {
    expect(toCheckedService(entity, GOLDEN)).toBeUndefined();
  });

  it.each([
    ['no Production link', []],
    [
      'a plain-http Production link',
      [{ url: 'http://payments.apps.acme.example', title: 'Production' }],
    ],
    ['a broken Production link', [{ url: 'not a url', title: 'Production' }]],
    [
      'an https link with another title',
      [{ url: 'https://grafana.acme.example', title: 'Dashboard' }],
    ],
  ])('leaves the hostname out with %s', (_, links) => {
    expect(
      toCheckedService(component({ links }), GOLDEN)?.target.hostname,
    ).toBeUndefined();
  });
});
