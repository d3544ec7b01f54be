import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { chunks } from '../database/metrics/chunks';
import type { UsageRange } from '../database/UsageStore';
import { normalizeTemplateRef } from './normalizeTemplateRef';
import type { TemplateTask, TemplateTaskSource } from './TemplateTaskSource';

const PAGE_SIZE = 200;
/** A bound on what one funnel request reads from the scaffolder. */
const MAX_TASKS = 20_000;
const PARALLEL_EVENT_READS = 4;

interface SerializedTask {
  id: string;
  status: string;
  createdAt: string;
  spec?: { templateInfo?: { entityRef?: string } };
}

interface TaskEvent {
  type?: string;
  body?: { stepId?: string; status?: string };
}

/**
 * Task outcomes from the scaffolder's own API (`/v2/tasks`): its task table is
 * another plugin's database, which this plugin must not read. The failing step
 * is in a failed task's events.
 */
export class ScaffolderTaskSource implements TemplateTaskSource {
  private constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  static create(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    logger: LoggerService;
  }): ScaffolderTaskSource {
    return new ScaffolderTaskSource(
      options.discovery,
      options.auth,
      options.logger,
    );
  }

  async listTasks(range: UsageRange): Promise<TemplateTask[] | undefined> {
    try {
      const baseUrl = await this.discovery.getBaseUrl('scaffolder');
      const { token } = await this.auth.getPluginRequestToken({
        onBehalfOf: await this.auth.getOwnServiceCredentials(),
        targetPluginId: 'scaffolder',
      });
      const get = async <T>(path: string): Promise<T> => {
        const response = await fetch(`${baseUrl}${path}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        if (!response.ok) throw await ResponseError.fromResponse(response);
        return (await response.json()) as T;
      };

      const inRange: SerializedTask[] = [];
      // Newest first: stop at the first page that reaches before the period.
      for (let offset = 0; offset < MAX_TASKS; offset += PAGE_SIZE) {
        const { tasks } = await get<{ tasks: SerializedTask[] }>(
          `/v2/tasks?order=desc:created_at&limit=${PAGE_SIZE}&offset=${offset}`,
        );
        for (const task of tasks) {
          const created = Date.parse(task.createdAt);
          if (created >= range.from.getTime() && created < range.to.getTime()) {
            inRange.push(task);
          }
        }
        const oldest = tasks[tasks.length - 1];
        if (
          tasks.length < PAGE_SIZE ||
          Date.parse(oldest.createdAt) < range.from.getTime()
        ) {
          break;
        }
      }

      const result: TemplateTask[] = [];
      for (const batch of chunks(inRange, PARALLEL_EVENT_READS)) {
        result.push(
          ...(await Promise.all(
            batch.map(async task => ({
              id: task.id,
              templateRef:
                normalizeTemplateRef(
                  task.spec?.templateInfo?.entityRef ?? '',
                ) ?? 'template:default/unknown',
              status: toStatus(task.status),
              failedStepId:
                task.status === 'failed'
                  ? failedStep(
                      await get<TaskEvent[]>(
                        `/v2/tasks/${encodeURIComponent(task.id)}/events`,
                      ),
                    )
                  : null,
            })),
          )),
        );
      }
      return result;
    } catch (error) {
      this.logger.warn(
        `Could not read scaffolder tasks for the template funnel: ${error}`,
      );
      return undefined;
    }
  }
}

function toStatus(status: string): TemplateTask['status'] {
  if (status === 'completed' || status === 'failed' || status === 'cancelled') {
    return status;
  }
  return 'running';
}

/** The last step a log event reports as failed. */
function failedStep(events: TaskEvent[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const body = events[i].body;
    if (body?.status === 'failed' && body.stepId) return body.stepId;
  }
  return null;
}
