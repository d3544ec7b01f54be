import type { CheckOutcome } from './ServiceCheck';

/**
 * Asks a platform backend the checks read (Prometheus, a logs backend) and
 * judges its answer. A backend that is not configured, or that gives no answer,
 * says nothing about the service: the outcome is `unknown` and the next run
 * asks again.
 */
export async function judgeBackendAnswer<
  Backend,
  Answer extends { ok: true },
>(options: {
  backend: Backend | undefined;
  /** The detail when there is no backend: "No Prometheus is configured." */
  notConfigured: string;
  ask(backend: Backend): Promise<Answer | { ok: false; detail: string }>;
  judge(answer: Answer, backend: Backend): CheckOutcome;
}): Promise<CheckOutcome> {
  const { backend } = options;
  if (!backend) {
    return { status: 'unknown', detail: options.notConfigured };
  }
  const answer = await options.ask(backend);
  if (!answer.ok) {
    return {
      status: 'unknown',
      detail: `${answer.detail} The check will try again.`,
    };
  }
  return options.judge(answer, backend);
}
