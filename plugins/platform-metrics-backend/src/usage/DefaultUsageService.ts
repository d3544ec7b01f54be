import { createHmac, randomBytes } from 'node:crypto';
import type { BackstageUserInfo } from '@backstage/backend-plugin-api';
import type {
  DropCandidate,
  FeatureUsageResponse,
  TemplateFunnelItem,
  TemplateFunnelResult,
  UsageEventInput,
} from '@internal/plugin-platform-metrics-common';
import { templateName } from '../database/metrics/templateName';
import type {
  LastUse,
  StoredUsageEvent,
  UsageRange,
  UsageStore,
} from '../database/UsageStore';
import type { TemplateTask, TemplateTaskSource } from './TemplateTaskSource';
import type { UsageDirectory } from './UsageDirectory';
import type { HistoricUsageEvent, UsageService } from './UsageService';

const DAY_MS = 86_400_000;
/** Unused this long, a template or page is a candidate to drop. */
const UNUSED_DAYS = 90;
/** How far back "was ever used" looks for pages and plugins. */
const SEEN_DAYS = 400;
const MAX_UNFOUND_SEARCHES = 100;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return Math.round(
    sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
  );
}

/** A path without its query or fragment, which may hold what the user typed. */
function withoutQuery(subject: string): string {
  return subject.replace(/[?#].*$/s, '') || '/';
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  }
  return counts;
}

export class DefaultUsageService implements UsageService {
  private constructor(
    private readonly store: UsageStore,
    private readonly directory: UsageDirectory,
    private readonly tasks: TemplateTaskSource,
    private readonly hashSecret: string,
    private readonly retentionDays: number,
    private readonly minimumGroupSize: number,
    private readonly now: () => Date,
  ) {}

  /**
   * Without a configured `hashSecret`, one is generated and kept in the database,
   * so that distinct users stay distinct across restarts and replicas.
   */
  static async create(options: {
    store: UsageStore;
    directory: UsageDirectory;
    tasks: TemplateTaskSource;
    hashSecret?: string;
    retentionDays: number;
    minimumGroupSize: number;
    now?: () => Date;
  }): Promise<DefaultUsageService> {
    const hashSecret =
      options.hashSecret ??
      (await options.store.getOrCreateHashSecret(
        randomBytes(32).toString('hex'),
      ));
    return new DefaultUsageService(
      options.store,
      options.directory,
      options.tasks,
      hashSecret,
      options.retentionDays,
      options.minimumGroupSize,
      options.now ?? (() => new Date()),
    );
  }

  async record(
    user: BackstageUserInfo,
    events: UsageEventInput[],
  ): Promise<{ stored: number }> {
    const now = this.now().getTime();
    const userKey = this.userKey(user.userEntityRef);
    // The first group is the user's team, as in the survey.
    const teamRef =
      user.ownershipEntityRefs.find(ref => ref.startsWith('group:')) ?? null;
    const stored = events.map(event => {
      const at = Date.parse(event.occurredAt);
      const clamped = Math.min(
        now,
        Math.max(now - DAY_MS, Number.isNaN(at) ? now : at),
      );
      return toStored(event, new Date(clamped), teamRef, userKey);
    });
    await this.store.insertEvents(stored);
    return { stored: stored.length };
  }

  async importHistory(events: HistoricUsageEvent[]): Promise<void> {
    await this.store.insertEvents(
      events.map(({ occurredAt, userEntityRef, teamRef, ...event }) =>
        toStored(
          { ...event, occurredAt: occurredAt.toISOString() },
          occurredAt,
          teamRef,
          this.userKey(userEntityRef),
        ),
      ),
    );
  }

  hasEvents(): Promise<boolean> {
    return this.store.hasEvents();
  }

  private userKey(userEntityRef: string): string {
    return createHmac('sha256', this.hashSecret)
      .update(userEntityRef)
      .digest('hex');
  }

  async templateFunnel(range: UsageRange): Promise<TemplateFunnelResult> {
    const [counts, submissions, ready, tasks] = await Promise.all([
      this.store.countTemplateEvents(range),
      this.store.listTemplateSubmissions(range),
      this.store.countReadyServiceRequests(range),
      this.tasks.listTasks(range),
    ]);
    const readyByName = new Map(ready.map(r => [r.templateName, r.ready]));
    const formTaskIds = new Set(
      submissions.flatMap(s => (s.taskId ? [s.taskId] : [])),
    );
    const refs = new Set([
      ...counts.map(c => c.templateRef),
      ...submissions.map(s => s.templateRef),
      ...(tasks ?? []).map(t => t.templateRef),
    ]);
    const items: TemplateFunnelItem[] = [...refs].map(ref => {
      const count = (action: string) =>
        counts.find(c => c.templateRef === ref && c.action === action)
          ?.events ?? 0;
      const templateTasks = (tasks ?? []).filter(t => t.templateRef === ref);
      const failed = templateTasks.filter(t => t.status === 'failed');
      return {
        templateRef: ref,
        opened: count('navigate'),
        submitted: count('create'),
        succeeded: templateTasks.filter(t => t.status === 'completed').length,
        failed: failed.length,
        failedSteps: [...countBy(failed, stepOf).entries()]
          .map(([stepId, n]) => ({ stepId, count: n }))
          .sort((a, b) => b.count - a.count || compare(a.stepId, b.stepId)),
        firstProductionDeployment:
          readyByName.get(templateName(ref) ?? '') ?? 0,
        // Live checks do not exist yet: null is "no checks configured".
        verified: null,
        medianFormMs: median(
          submissions
            .filter(s => s.templateRef === ref)
            .flatMap(s =>
              s.formMs !== null && s.formMs >= 0 ? [s.formMs] : [],
            ),
        ),
        startedViaApi: templateTasks.filter(t => !formTaskIds.has(t.id)).length,
      };
    });
    items.sort(
      (a, b) =>
        b.opened + b.submitted - (a.opened + a.submitted) ||
        compare(a.templateRef, b.templateRef),
    );
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      items,
      taskOutcomes: tasks ? 'available' : 'unavailable',
    };
  }

  async featureUsage(range: UsageRange): Promise<FeatureUsageResponse> {
    const now = this.now().getTime();
    const [weeks, unfoundSearches, lastUses, templates, teams, creating] =
      await Promise.all([
        this.store.countWeeklyUsers(range),
        this.store.countUnfoundSearches(range, MAX_UNFOUND_SEARCHES),
        this.store.listLastUses(new Date(now - SEEN_DAYS * DAY_MS)),
        this.directory.listTemplateRefs(),
        this.directory.listTeams(),
        this.store.listCreatingTeams(range),
      ]);

    const creators = new Set(creating);
    const idle = teams.filter(team => !creators.has(team.ref));
    const shown = idle.filter(team => team.members >= this.minimumGroupSize);

    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      weeks: weeks.map(({ weekStart, ...week }) => ({
        week: isoDay(weekStart),
        ...week,
      })),
      unfoundSearches,
      dropCandidates: this.dropCandidates(lastUses, templates, now),
      teamsWithoutCreations: {
        teamRefs: shown.map(team => team.ref).sort(compare),
        otherTeams: idle.length - shown.length,
      },
      minimumGroupSize: this.minimumGroupSize,
    };
  }

  private dropCandidates(
    lastUses: LastUse[],
    catalogTemplates: string[],
    now: number,
  ): DropCandidate[] {
    const unusedSince = now - UNUSED_DAYS * DAY_MS;
    const key = (kind: string, ref: string) => `${kind}\u0000${ref}`;
    const last = new Map(lastUses.map(u => [key(u.kind, u.ref), u.lastDay]));
    const candidates = new Map<string, DropCandidate>();
    const consider = (kind: DropCandidate['kind'], ref: string) => {
      const lastDay = last.get(key(kind, ref));
      // A day counts as used until its end.
      if (lastDay && lastDay.getTime() + DAY_MS > unusedSince) return;
      candidates.set(key(kind, ref), {
        kind,
        ref,
        lastUsedOn: lastDay ? isoDay(lastDay) : null,
      });
    };
    for (const ref of catalogTemplates) consider('template', ref);
    for (const use of lastUses) consider(use.kind, use.ref);
    return [...candidates.values()].sort(
      (a, b) => compare(a.kind, b.kind) || compare(a.ref, b.ref),
    );
  }

  async applyRetention(): Promise<{ deleted: number }> {
    const before = new Date(this.now().getTime() - this.retentionDays * DAY_MS);
    return { deleted: await this.store.deleteEventsBefore(before) };
  }
}

/** What is kept of an event: no free text but the term of a search that found nothing. */
function toStored(
  event: UsageEventInput,
  occurredAt: Date,
  teamRef: string | null,
  userKey: string,
): StoredUsageEvent {
  const value =
    event.value !== undefined && Number.isFinite(event.value)
      ? event.value
      : null;
  const term = event.searchTerm?.trim().replace(/\s+/g, ' ');
  return {
    occurredAt,
    action: event.action,
    subject: withoutQuery(event.subject),
    pluginId: event.pluginId ?? null,
    extensionId: event.extensionId ?? null,
    templateRef: event.templateRef ?? null,
    taskId: event.taskId ?? null,
    value,
    searchTerm: event.action === 'search' && value === 0 && term ? term : null,
    teamRef,
    userKey,
  };
}

function stepOf(task: TemplateTask): string {
  return task.failedStepId ?? 'unknown';
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
