import type {
  LogEvent,
  ScaffolderApi,
  ScaffolderOutputLink,
} from '@backstage/plugin-scaffolder-react';
import pLimit from 'p-limit';
import { UPGRADE_TEMPLATE_REF } from './goldenPathUpgrade';

/** Upgrades started at once: each one clones, renders twice and merges. */
export const UPGRADE_CONCURRENCY = 3;

export type UpgradeProgress =
  | { state: 'queued' }
  | { state: 'running'; taskId?: string; step?: string }
  | {
      state: 'done';
      taskId: string;
      links: Array<{ title: string; url: string }>;
      /** The branch the upgrade pushed, from the task output. */
      branch?: string;
    }
  | { state: 'failed'; taskId?: string; message: string };

interface Completion {
  output?: {
    links?: ScaffolderOutputLink[];
    text?: Array<{ title?: string; content?: string }>;
  };
  error?: { message?: string };
}

/** Follows a task's event stream until it completes, reporting the step it is on. */
function followTask(
  scaffolder: ScaffolderApi,
  taskId: string,
  onStep: (step: string) => void,
): Promise<{ status: 'completed' | 'failed'; body: Completion }> {
  return new Promise((resolve, reject) => {
    let lastLog = '';
    let settled = false;
    // An event may arrive before subscribe() returns the subscription.
    const held: { subscription?: { unsubscribe(): void } } = {};
    const settle = (result: {
      status: 'completed' | 'failed';
      body: Completion;
    }) => {
      settled = true;
      held.subscription?.unsubscribe();
      resolve(result);
    };
    held.subscription = scaffolder.streamLogs({ taskId }).subscribe({
      next: (event: LogEvent) => {
        if (settled) return;
        if (event.type === 'log') {
          lastLog = event.body.message;
          if (event.body.stepId) onStep(event.body.stepId);
          return;
        }
        if (event.type === 'completion' || event.type === 'cancelled') {
          const body = event.body as LogEvent['body'] & Completion;
          const failed = event.type === 'cancelled' || !!body.error;
          settle({
            status: failed ? 'failed' : 'completed',
            body: failed
              ? {
                  error: {
                    message: body.error?.message || lastLog || body.message,
                  },
                }
              : body,
          });
        }
      },
      error: reject,
      complete: () => {
        if (!settled) {
          reject(new Error(`The event stream of task ${taskId} ended early`));
        }
      },
    });
    if (settled) held.subscription.unsubscribe();
  });
}

/** The branch named in the task's text output (`golden-path/upgrade-to-<version>`). */
function branchOf(completion: Completion): string | undefined {
  for (const text of completion.output?.text ?? []) {
    const match = /golden-path\/upgrade-to-[0-9A-Za-z.-]+/.exec(
      text.content ?? '',
    );
    if (match) return match[0];
  }
  return undefined;
}

/**
 * Starts the `golden-path-upgrade` Template for each service, at most
 * {@link UPGRADE_CONCURRENCY} at a time, and reports each one's progress and
 * result. One service's failure (a refusal, a conflict, an error) is its own
 * result and does not stop the others.
 */
export async function runBulkUpgrade(options: {
  scaffolder: ScaffolderApi;
  entityRefs: string[];
  onProgress: (entityRef: string, progress: UpgradeProgress) => void;
  concurrency?: number;
}): Promise<void> {
  const { scaffolder, entityRefs, onProgress } = options;
  const limit = pLimit(options.concurrency ?? UPGRADE_CONCURRENCY);
  for (const entityRef of entityRefs)
    onProgress(entityRef, { state: 'queued' });
  await Promise.all(
    entityRefs.map(entityRef =>
      limit(async () => {
        let taskId: string | undefined;
        try {
          onProgress(entityRef, { state: 'running' });
          ({ taskId } = await scaffolder.scaffold({
            templateRef: UPGRADE_TEMPLATE_REF,
            values: { entity: entityRef },
          }));
          const started = taskId;
          onProgress(entityRef, { state: 'running', taskId: started });
          const { status, body } = await followTask(scaffolder, started, step =>
            onProgress(entityRef, { state: 'running', taskId: started, step }),
          );
          if (status === 'failed') {
            onProgress(entityRef, {
              state: 'failed',
              taskId: started,
              message: body.error?.message ?? 'The upgrade failed',
            });
            return;
          }
          onProgress(entityRef, {
            state: 'done',
            taskId: started,
            links: (body.output?.links ?? [])
              .filter(l => l.url)
              .map(l => ({ title: l.title ?? l.url!, url: l.url! })),
            branch: branchOf(body),
          });
        } catch (error) {
          onProgress(entityRef, {
            state: 'failed',
            taskId,
            message: error instanceof Error ? error.message : String(error),
          });
        }
      }),
    ),
  );
}
