import type { AnalyticsEvent } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/frontend-test-utils';
import type { UsageEventsBatch } from '@internal/plugin-platform-metrics-common';
import {
  PortalUsageAnalytics,
  USAGE_FLUSH_INTERVAL_MS,
  USAGE_MAX_BATCH,
  type UsageAnalyticsEnvironment,
} from './PortalUsageAnalytics';
import { setOptedOut } from './usageTrackingPreference';

const navigate = (path: string, attributes = {}): AnalyticsEvent => ({
  action: 'navigate',
  subject: path,
  attributes,
  context: { pluginId: 'catalog', extensionId: 'page:catalog' },
});

/** A browser whose visibility and privacy signals the test controls. */
function fakeBrowser(navigator: UsageAnalyticsEnvironment['navigator'] = {}) {
  const document = new EventTarget() as EventTarget & {
    visibilityState: DocumentVisibilityState;
  };
  document.visibilityState = 'visible';
  const window = new EventTarget();
  return {
    environment: {
      navigator,
      document,
      window,
      now: () => new Date(),
    } as UsageAnalyticsEnvironment,
    hide() {
      document.visibilityState = 'hidden';
      document.dispatchEvent(new Event('visibilitychange'));
    },
    leave() {
      window.dispatchEvent(new Event('pagehide'));
    },
  };
}

function setup(
  options: {
    navigator?: UsageAnalyticsEnvironment['navigator'];
    send?: jest.Mock;
  } = {},
) {
  const sendUsageEvents: jest.Mock =
    options.send ??
    jest.fn(async (_batch: UsageEventsBatch, _options?: object) => {});
  const storageApi = mockApis.storage();
  const browser = fakeBrowser(options.navigator);
  const tracker = PortalUsageAnalytics.create({
    api: { sendUsageEvents },
    storageApi,
    environment: browser.environment,
  });
  const sent = () =>
    sendUsageEvents.mock.calls.map(
      ([batch, opts]: [UsageEventsBatch, { keepalive?: boolean }]) => ({
        subjects: batch.events.map(e => e.subject),
        keepalive: opts?.keepalive ?? false,
      }),
    );
  return { tracker, sendUsageEvents, storageApi, browser, sent };
}

describe('PortalUsageAnalytics', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-01T10:00:00.000Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sends the events of 5 seconds in one request, then waits again', async () => {
    const { tracker, sent } = setup();
    tracker.captureEvent(navigate('/catalog'));
    await jest.advanceTimersByTimeAsync(2_000);
    tracker.captureEvent(navigate('/docs'));
    tracker.captureEvent(navigate('/create'));
    await jest.advanceTimersByTimeAsync(2_999);
    expect(sent()).toEqual([]);

    await jest.advanceTimersByTimeAsync(1);
    expect(sent()).toEqual([
      { subjects: ['/catalog', '/docs', '/create'], keepalive: false },
    ]);

    tracker.captureEvent(navigate('/search'));
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS - 1);
    expect(sent()).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(sent()[1]).toEqual({ subjects: ['/search'], keepalive: false });
  });

  it('sends at most one batch per interval when many events queue up', async () => {
    const { tracker, sent } = setup();
    for (let i = 0; i < USAGE_MAX_BATCH + 5; i++) {
      tracker.captureEvent(navigate(`/page/${i}`));
    }
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS);
    expect(sent()).toHaveLength(1);
    expect(sent()[0].subjects).toHaveLength(USAGE_MAX_BATCH);
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS);
    expect(sent()).toHaveLength(2);
    expect(sent()[1].subjects).toHaveLength(5);
  });

  it('flushes everything with keepalive when the tab is hidden or left', async () => {
    const { tracker, sent, browser } = setup();
    tracker.captureEvent(navigate('/catalog'));
    browser.hide();
    await jest.advanceTimersByTimeAsync(0);
    expect(sent()).toEqual([{ subjects: ['/catalog'], keepalive: true }]);

    for (let i = 0; i < USAGE_MAX_BATCH + 1; i++) {
      tracker.captureEvent(navigate(`/page/${i}`));
    }
    browser.leave();
    await jest.advanceTimersByTimeAsync(0);
    expect(sent().map(s => [s.subjects.length, s.keepalive])).toEqual([
      [1, true],
      [USAGE_MAX_BATCH, true],
      [1, true],
    ]);
    // Nothing is left for the timer.
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS);
    expect(sent()).toHaveLength(3);
  });

  it('sends nothing when hidden with an empty queue', async () => {
    const { sendUsageEvents, browser } = setup();
    browser.hide();
    browser.leave();
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS);
    expect(sendUsageEvents).not.toHaveBeenCalled();
  });

  it('sends nothing for a user who opted out, including what was queued before', async () => {
    const { tracker, sendUsageEvents, storageApi, browser } = setup();
    tracker.captureEvent(navigate('/catalog'));
    await setOptedOut(storageApi, true);
    tracker.captureEvent(navigate('/docs'));
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS);
    browser.leave();
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS);
    expect(sendUsageEvents).not.toHaveBeenCalled();

    await setOptedOut(storageApi, false);
    tracker.captureEvent(navigate('/search'));
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS);
    expect(sendUsageEvents).toHaveBeenCalledTimes(1);
    expect(sendUsageEvents.mock.calls[0][0].events).toEqual([
      expect.objectContaining({ subject: '/search' }),
    ]);
  });

  it.each([
    ['Do-Not-Track', { doNotTrack: '1' }],
    ['Global Privacy Control', { globalPrivacyControl: true }],
  ])('sends nothing when the browser sends %s', async (_name, signals) => {
    const { tracker, sendUsageEvents, browser } = setup({
      navigator: signals,
    });
    expect(tracker.isDisabled()).toBe(true);
    tracker.captureEvent(navigate('/catalog'));
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS);
    browser.leave();
    await jest.advanceTimersByTimeAsync(0);
    expect(sendUsageEvents).not.toHaveBeenCalled();
  });

  it('tries a batch again after a network or server error, not after a rejection', async () => {
    const send = jest
      .fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(undefined)
      .mockRejectedValueOnce(
        await ResponseError.fromResponse(
          new Response('{}', { status: 400, statusText: 'Bad Request' }),
        ),
      )
      .mockResolvedValue(undefined);
    const { tracker, sent } = setup({ send });
    tracker.captureEvent(navigate('/catalog'));
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS);
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS);
    expect(sent().map(s => s.subjects)).toEqual([['/catalog'], ['/catalog']]);

    tracker.captureEvent(navigate('/bad'));
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS);
    tracker.captureEvent(navigate('/docs'));
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS);
    expect(sent().map(s => s.subjects)).toEqual([
      ['/catalog'],
      ['/catalog'],
      ['/bad'],
      ['/docs'],
    ]);
  });

  it('adds the form time and the task id to the scaffolder create event', async () => {
    const { tracker, sendUsageEvents } = setup();
    const scaffolder = {
      pluginId: 'scaffolder',
      extensionId: 'page:scaffolder',
    };
    tracker.captureEvent({
      action: 'navigate',
      subject: '/create/templates/default/node-service',
      attributes: { namespace: 'default', templateName: 'node-service' },
      context: scaffolder,
    });
    await jest.advanceTimersByTimeAsync(90_000);
    tracker.captureEvent({
      action: 'create',
      subject: 'Task has been created',
      value: 30,
      attributes: { templateSteps: 3 },
      context: { ...scaffolder, entityRef: 'template:default/node-service' },
    });
    tracker.captureEvent({
      action: 'navigate',
      subject: '/create/tasks/task-1',
      attributes: { taskId: 'task-1' },
      context: scaffolder,
    });
    await jest.advanceTimersByTimeAsync(USAGE_FLUSH_INTERVAL_MS);
    const events = sendUsageEvents.mock.calls.flatMap(
      ([batch]: [UsageEventsBatch]) => batch.events,
    );
    expect(events.map(e => [e.action, e.templateRef, e.taskId])).toEqual([
      ['navigate', 'template:default/node-service', undefined],
      ['create', 'template:default/node-service', 'task-1'],
      ['navigate', undefined, 'task-1'],
    ]);
    expect(events[1].value).toBe(90_000);
  });
});
