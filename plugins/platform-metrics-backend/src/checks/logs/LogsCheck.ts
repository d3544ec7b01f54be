import { judgeBackendAnswer } from '../judgeBackendAnswer';
import type { CheckOutcome, CheckTarget, ServiceCheck } from '../ServiceCheck';
import type { LogsBackend } from './LogsBackend';

export interface LogsCheckOptions {
  enabled: boolean;
  backend?: LogsBackend;
  /** A line at most this old passes. */
  windowMinutes: number;
  now?: () => Date;
}

/** `logs`: the logs backend holds a line from the service in the last 15 minutes. */
export class LogsCheck implements ServiceCheck {
  readonly id = 'logs';
  readonly configured: boolean;
  private readonly now: () => Date;

  private constructor(private readonly options: LogsCheckOptions) {
    this.configured = options.enabled && Boolean(options.backend);
    this.now = options.now ?? (() => new Date());
  }

  static create(options: LogsCheckOptions): LogsCheck {
    return new LogsCheck(options);
  }

  async run(
    target: CheckTarget,
    { signal }: { signal: AbortSignal },
  ): Promise<CheckOutcome> {
    const { windowMinutes } = this.options;
    return judgeBackendAnswer({
      backend: this.options.backend,
      notConfigured: 'No logs backend is configured.',
      ask: backend => {
        const since = new Date(this.now().getTime() - windowMinutes * 60_000);
        return backend.hasRecentLines(target, since, { signal });
      },
      judge: (answer, backend) =>
        answer.latestLineAt
          ? {
              status: 'pass',
              detail: `${backend.name} has lines for ${
                answer.query
              }; the newest at ${answer.latestLineAt.toISOString()}.`,
            }
          : {
              status: 'fail',
              detail: `${backend.name} has no line for ${answer.query} in the last ${windowMinutes} minutes. Check that the service writes JSON lines to stdout and that its pods keep the logging annotations of the golden path's Deployment.`,
            },
    });
  }
}
