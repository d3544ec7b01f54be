import type { Entity } from '@backstage/catalog-model';
import { SERVICE_CHECK_IDS } from '@internal/plugin-platform-metrics-common';
import {
  checkFixDoc,
  goldenPathChecklist,
  isGoldenPathService,
} from './goldenPathChecklist';

const component = (
  annotations: Record<string, string>,
  kind = 'Component',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'checkout-service', annotations },
  spec: { type: 'service' },
});

const row = (id: string) => goldenPathChecklist.find(r => r.id === id)!;

describe('goldenPathChecklist', () => {
  it('has one row for every check the backend runs', () => {
    expect(goldenPathChecklist.map(r => r.id).sort()).toEqual(
      [...SERVICE_CHECK_IDS].sort(),
    );
  });

  it('shows the card on components from a golden path or with its rule annotation', () => {
    expect(
      isGoldenPathService(
        component({
          'backstage.io/source-template': 'template:default/node-service',
        }),
      ),
    ).toBe(true);
    expect(
      isGoldenPathService(component({ 'prometheus.io/rule': 'checkout' })),
    ).toBe(true);
    expect(isGoldenPathService(component({}))).toBe(false);
    expect(
      isGoldenPathService(
        component({ 'prometheus.io/rule': 'checkout' }, 'Resource'),
      ),
    ).toBe(false);
  });

  it('sends a generated service to its runbooks, others to their docs or golden path', () => {
    const generated = component({
      'backstage.io/source-template': 'template:default/node-service',
      'backstage.io/techdocs-ref': 'dir:.',
    });
    expect(checkFixDoc(row('health'), generated)).toEqual({
      kind: 'techdocs',
      path: 'runbooks/unavailable/',
      title: 'Runbook: Service unavailable',
    });
    expect(checkFixDoc(row('logs'), generated)).toMatchObject({
      kind: 'techdocs',
      path: '#what-you-got',
    });
    // Hand-written docs have no generated runbooks.
    expect(
      checkFixDoc(
        row('health'),
        component({
          'prometheus.io/rule': 'checkout',
          'backstage.io/techdocs-ref': 'dir:.',
        }),
      ),
    ).toMatchObject({ kind: 'techdocs', path: '' });
    expect(
      checkFixDoc(
        row('tls'),
        component({
          'backstage.io/source-template': 'template:default/go-service',
        }),
      ),
    ).toMatchObject({
      kind: 'template',
      templateRef: 'template:default/go-service',
    });
    expect(
      checkFixDoc(row('dns'), component({ 'prometheus.io/rule': 'checkout' })),
    ).toBeUndefined();
  });
});
