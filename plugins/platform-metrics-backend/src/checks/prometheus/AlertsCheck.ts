import { judgeBackendAnswer } from '../judgeBackendAnswer';
import type { CheckOutcome, CheckTarget, ServiceCheck } from '../ServiceCheck';
import type { PrometheusCheckOptions } from './PrometheusCheckOptions';
import type { RuleGroup } from './PrometheusClient';

/** The group name the golden path's PrometheusRule gives its rules. */
function goldenPathRuleGroup(target: CheckTarget): string {
  return `${target.prometheusRule ?? target.name}.golden-path`;
}

/** `prometheus` (its name) has loaded `groupName` and evaluates every alerting rule in it. */
function judgeRuleGroup(
  groups: RuleGroup[],
  groupName: string,
  prometheus: string,
): CheckOutcome {
  const rules = groups
    .filter(group => group.name === groupName)
    .flatMap(group => group.rules)
    .filter(rule => rule.type === 'alerting');
  if (rules.length === 0) {
    return {
      status: 'fail',
      detail: `${prometheus} has no alerting rules in the group ${groupName}. Check that the PrometheusRule of the service is deployed with the labels the platform Prometheus selects rules by.`,
    };
  }
  const broken = rules.filter(rule => rule.health === 'err');
  if (broken.length > 0) {
    return {
      status: 'fail',
      detail: `${prometheus} cannot evaluate ${broken
        .map(
          rule => `${rule.name}${rule.lastError ? ` (${rule.lastError})` : ''}`,
        )
        .join(
          ', ',
        )} in ${groupName}. Fix the rule expression in the PrometheusRule.`,
    };
  }
  const pending = rules.filter(rule => rule.health !== 'ok');
  if (pending.length > 0) {
    return {
      status: 'unknown',
      detail: `${prometheus} has loaded ${groupName} but not evaluated ${pending
        .map(rule => rule.name)
        .join(', ')} yet; the check will try again.`,
    };
  }
  const firing = rules.filter(rule => rule.state === 'firing');
  return {
    status: 'pass',
    detail: `${prometheus} evaluates the ${
      rules.length
    } alerting rules of ${groupName}.${
      firing.length > 0
        ? ` Firing now: ${firing.map(rule => rule.name).join(', ')}.`
        : ''
    }`,
  };
}

/**
 * `alerts`: Prometheus has loaded the service's generated rule group
 * (`<prometheus.io/rule>.golden-path`) and evaluates every rule in it without
 * error. Whether an alert fires is the service's state, not this check's: a
 * firing rule is reported in the detail and still passes.
 */
export class AlertsCheck implements ServiceCheck {
  readonly id = 'alerts';
  readonly configured: boolean;

  private constructor(private readonly options: PrometheusCheckOptions) {
    this.configured = options.enabled && Boolean(options.prometheus);
  }

  static create(options: PrometheusCheckOptions): AlertsCheck {
    return new AlertsCheck(options);
  }

  async run(
    target: CheckTarget,
    { signal }: { signal: AbortSignal },
  ): Promise<CheckOutcome> {
    const groupName = goldenPathRuleGroup(target);
    return judgeBackendAnswer({
      backend: this.options.prometheus,
      notConfigured: 'No Prometheus is configured.',
      ask: prometheus => prometheus.alertingRuleGroups(groupName, signal),
      judge: (answer, prometheus) =>
        judgeRuleGroup(answer.value, groupName, prometheus.name),
    });
  }
}
