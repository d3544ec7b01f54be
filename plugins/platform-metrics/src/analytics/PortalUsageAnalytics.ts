import type {
  AnalyticsEvent,
  AnalyticsImplementation,
  StorageApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  PlatformMetricsApi,
  UsageEventInput,
} from '@internal/plugin-platform-metrics-common';
import { toUsageEvent } from './toUsageEvent';
import {
  browserAsksNotToTrack,
  isOptedOut,
  type PrivacySignals,
} from './usageTrackingPreference';

/** At most one request per this many ms per tab, except the flush when the tab is hidden. */
export const USAGE_FLUSH_INTERVAL_MS = 5_000;
/** Events per request: a keepalive request's body must stay under 64 KiB. */
export const USAGE_MAX_BATCH = 100;
/** Events kept while the backend is unreachable; the oldest go first. */
export const USAGE_MAX_QUEUE = 1_000;
/** How long after a `create` the task page's navigation names its task. */
const TASK_LINK_WINDOW_MS = 10_000;

/** The browser globals the tracker listens to; tests pass their own. */
export interface UsageAnalyticsEnvironment {
  navigator?: PrivacySignals;
  document?: Pick<
    Document,
    'addEventListener' | 'removeEventListener' | 'visibilityState'
  >;
  window?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  now?: () => Date;
}

/**
 * The portal's analytics implementation: keeps the events the platform team
 * reads on the "Platform usage" page and sends them to platform-metrics in
 * batches.
 *
 * On pagehide and when the tab is hidden the queue goes out as a `fetch` with
 * `keepalive: true` through the fetch API, not `navigator.sendBeacon`: a beacon
 * cannot carry the Authorization header, and the alternative, Backstage's
 * limited-access user cookie, would make the endpoint accept cross-site posts
 * with the user's cookie (events forged from another site). keepalive has the
 * beacon's property that matters here: the browser finishes the request after
 * the page is gone.
 */
export class PortalUsageAnalytics implements AnalyticsImplementation {
  private queue: UsageEventInput[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly formOpenedAt = new Map<string, number>();
  private lastCreate: { event: UsageEventInput; at: number } | undefined;
  private lastTaskPage: { taskId: string; at: number } | undefined;
  private readonly now: () => Date;

  private constructor(
    private readonly api: Pick<PlatformMetricsApi, 'sendUsageEvents'>,
    private readonly storageApi: StorageApi,
    private readonly environment: UsageAnalyticsEnvironment,
  ) {
    this.now = environment.now ?? (() => new Date());
  }

  static create(options: {
    api: Pick<PlatformMetricsApi, 'sendUsageEvents'>;
    storageApi: StorageApi;
    environment?: UsageAnalyticsEnvironment;
  }): PortalUsageAnalytics {
    const environment = options.environment ?? browserEnvironment();
    const tracker = new PortalUsageAnalytics(
      options.api,
      options.storageApi,
      environment,
    );
    const onHide = () => tracker.flushOnHide();
    environment.window?.addEventListener('pagehide', onHide);
    environment.document?.addEventListener('visibilitychange', () => {
      if (environment.document?.visibilityState === 'hidden') onHide();
    });
    return tracker;
  }

  /** Tracking is off: the user opted out, or the browser asks not to be tracked. */
  isDisabled(): boolean {
    return (
      browserAsksNotToTrack(this.environment.navigator) ||
      isOptedOut(this.storageApi)
    );
  }

  captureEvent(event: AnalyticsEvent): void {
    if (this.isDisabled()) {
      this.queue = [];
      return;
    }
    const at = this.now();
    const usage = toUsageEvent(event, at);
    if (!usage) return;
    this.remember(usage, at.getTime());
    this.queue.push(usage);
    if (this.queue.length > USAGE_MAX_QUEUE) {
      this.queue.splice(0, this.queue.length - USAGE_MAX_QUEUE);
    }
    this.schedule();
  }

  /** Sends everything queued now, in keepalive requests; called when the tab goes away. */
  flushOnHide(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.send(true);
  }

  /**
   * Form time and task id: the form's navigation says when it opened, and the
   * task page's navigation, right before or after the scaffolder's `create`
   * event, names the task that event started.
   */
  private remember(usage: UsageEventInput, at: number) {
    const recent = (then: number) => at - then <= TASK_LINK_WINDOW_MS;
    if (usage.action === 'navigate' && usage.templateRef) {
      this.formOpenedAt.set(usage.templateRef, at);
    }
    if (usage.action === 'navigate' && usage.taskId) {
      if (this.lastCreate && recent(this.lastCreate.at)) {
        this.lastCreate.event.taskId = usage.taskId;
        this.lastCreate = undefined;
      } else {
        this.lastTaskPage = { taskId: usage.taskId, at };
      }
    }
    if (usage.action === 'create' && usage.templateRef) {
      const openedAt = this.formOpenedAt.get(usage.templateRef);
      if (openedAt !== undefined) usage.value = at - openedAt;
      this.formOpenedAt.delete(usage.templateRef);
      this.lastCreate = undefined;
      if (!usage.taskId && this.lastTaskPage && recent(this.lastTaskPage.at)) {
        usage.taskId = this.lastTaskPage.taskId;
      } else if (!usage.taskId) {
        this.lastCreate = { event: usage, at };
      }
      this.lastTaskPage = undefined;
    }
  }

  private async send(keepalive: boolean): Promise<void> {
    if (this.isDisabled()) {
      this.queue = [];
      return;
    }
    // Between two timer flushes one request; when the tab hides, everything.
    do {
      const events = this.queue.splice(0, USAGE_MAX_BATCH);
      if (events.length === 0) return;
      if (this.lastCreate && events.includes(this.lastCreate.event)) {
        this.lastCreate = undefined;
      }
      try {
        await this.api.sendUsageEvents({ events }, { keepalive });
      } catch (error) {
        // A rejected batch is dropped (it would be rejected again); one that
        // did not arrive is tried again with the next flush.
        if (!isClientError(error)) {
          this.queue.unshift(...events);
          this.queue.splice(USAGE_MAX_QUEUE);
        }
        break;
      }
    } while (keepalive);
    if (this.queue.length > 0) this.schedule();
  }

  /** The timer starts with the first event after a send, so sends are 5 s apart. */
  private schedule() {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.send(false);
    }, USAGE_FLUSH_INTERVAL_MS);
  }
}

function isClientError(error: unknown): boolean {
  return (
    error instanceof ResponseError &&
    error.statusCode >= 400 &&
    error.statusCode < 500 &&
    error.statusCode !== 429
  );
}

function browserEnvironment(): UsageAnalyticsEnvironment {
  return {
    navigator:
      typeof navigator === 'undefined'
        ? undefined
        : (navigator as Navigator & PrivacySignals),
    document: typeof document === 'undefined' ? undefined : document,
    window: typeof window === 'undefined' ? undefined : window,
  };
}
