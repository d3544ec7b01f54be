import type { AnalyticsEvent } from '@backstage/frontend-plugin-api';
import { MAX_SUBJECT_LENGTH, toUsageEvent } from './toUsageEvent';

const at = new Date('2026-12-01T10:00:00.000Z');
const context = { pluginId: 'catalog', extensionId: 'page:catalog' };
const map = (event: Partial<AnalyticsEvent>) =>
  toUsageEvent({ action: 'click', subject: '', context, ...event }, at);

describe('toUsageEvent', () => {
  it('keeps the path of a navigation, never its query or fragment', () => {
    expect(
      map({ action: 'navigate', subject: '/search?query=my+secret#top' }),
    ).toEqual({
      action: 'navigate',
      subject: '/search',
      occurredAt: at.toISOString(),
      pluginId: 'catalog',
      extensionId: 'page:catalog',
    });
  });

  it('names a click by where the link goes, not by its text', () => {
    expect(
      map({
        subject: 'Alice’s private notes',
        attributes: { to: '/catalog/default/component/payments?tab=ci' },
      })?.subject,
    ).toBe('/catalog/default/component/payments');
    expect(
      map({
        subject: 'Runbook',
        attributes: { to: 'https://wiki.example/runbooks/x?token=abc' },
      })?.subject,
    ).toBe('https://wiki.example/runbooks/x');
    // Without a target, the entity it happened on, else the extension.
    expect(
      map({
        subject: 'Template has been opened',
        context: { ...context, entityRef: 'template:default/node-service' },
      })?.subject,
    ).toBe('template:default/node-service');
    expect(map({ subject: 'Next Step (2)' })?.subject).toBe('page:catalog');
  });

  it('keeps a search term only when the search found nothing', () => {
    const search = {
      action: 'search',
      subject: ' kafka topics ',
      context: { pluginId: 'search', extensionId: 'page:search' },
    };
    expect(map({ ...search, value: 0 })).toEqual(
      expect.objectContaining({
        subject: 'page:search',
        value: 0,
        searchTerm: 'kafka topics',
      }),
    );
    const found = map({ ...search, value: 12 });
    expect(found?.value).toBe(12);
    expect(found).not.toHaveProperty('searchTerm');
    expect(JSON.stringify(found)).not.toContain('kafka');
    expect(map({ ...search })).not.toHaveProperty('searchTerm');
  });

  it('marks the template form and the create event with the template ref', () => {
    const scaffolder = {
      pluginId: 'scaffolder',
      extensionId: 'page:scaffolder',
    };
    expect(
      map({
        action: 'navigate',
        subject: '/create/templates/team-a/node-service',
        attributes: { namespace: 'team-a', templateName: 'node-service' },
        context: scaffolder,
      })?.templateRef,
    ).toBe('template:team-a/node-service');
    // Other plugins' route parameters of the same name mean nothing here.
    expect(
      map({
        action: 'navigate',
        subject: '/x',
        attributes: { templateName: 'x' },
      }),
    ).not.toHaveProperty('templateRef');

    const created = map({
      action: 'create',
      subject: 'Task has been created',
      value: 45,
      context: { ...scaffolder, entityRef: 'Template:default/node-service' },
    });
    expect(created).toEqual(
      expect.objectContaining({
        subject: 'template:default/node-service',
        templateRef: 'template:default/node-service',
      }),
    );
    // The scaffolder's "minutes saved" estimate is not a form time.
    expect(created).not.toHaveProperty('value');
    expect(
      map({
        action: 'create',
        subject: 'x',
        context: { ...scaffolder, taskId: 'task-9' },
      })?.taskId,
    ).toBe('task-9');
  });

  it('keeps the rank of a discovered search result and its location', () => {
    expect(
      map({
        action: 'discover',
        subject: 'Payments service',
        value: 3,
        attributes: { to: '/catalog/default/component/payments' },
      }),
    ).toEqual(
      expect.objectContaining({
        subject: '/catalog/default/component/payments',
        value: 3,
      }),
    );
  });

  it('drops actions the portal does not keep and cuts long subjects', () => {
    expect(map({ action: 'signIn', subject: 'success' })).toBeUndefined();
    expect(map({ action: 'not-found', subject: '/x' })).toBeUndefined();
    expect(
      map({ action: 'navigate', subject: `/${'a'.repeat(2000)}` })?.subject,
    ).toHaveLength(MAX_SUBJECT_LENGTH);
    // Ids too long for the backend are left out rather than cut into other ids.
    const long = map({
      action: 'navigate',
      subject: '/x',
      attributes: { taskId: 't'.repeat(101) },
      context: { pluginId: 'p'.repeat(101), extensionId: 'page:x' },
    });
    expect(long).not.toHaveProperty('taskId');
    expect(long).not.toHaveProperty('pluginId');
    expect(long?.extensionId).toBe('page:x');
    // Blank text, which the backend refuses, is never sent.
    const blank = map({
      subject: '   ',
      attributes: { to: '  ', taskId: ' ' },
      context: { pluginId: ' ', extensionId: 'page:x' },
    });
    expect(blank).toEqual(
      expect.objectContaining({ subject: 'page:x', extensionId: 'page:x' }),
    );
    expect(blank).not.toHaveProperty('pluginId');
    expect(blank).not.toHaveProperty('taskId');
    expect(map({ action: 'navigate', subject: ' ' })?.subject).toBe('/');
  });
});
