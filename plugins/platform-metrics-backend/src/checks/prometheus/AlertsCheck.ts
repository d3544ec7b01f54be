import type { CheckOutcome, CheckTarget, ServiceCheck } from '../ServiceCheck';
import type { PrometheusClient } from './PrometheusClient';

/** The group name the golden path's PrometheusRule gives its rules. */
function goldenPathRuleGroup(target: CheckTarget): string {
  return `${target.prometheusRule ?? target.name}.golden-path`;
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

  private constructor(
    private readonly options: {
      enabled: boolean;
      prometheus?: PrometheusClient;
    },
  ) {
    this.configured = options.enabled && Boolean(options.prometheus);
  }

  static create(options: {
    enabled: boolean;
    prometheus?: PrometheusClient;
  }): AlertsCheck {
    return new AlertsCheck(options);
  }

  async run(
    target: CheckTarget,
    { signal }: { signal: AbortSignal },
  ): Promise<CheckOutcome> {
    const prometheus = this.options.prometheus;
    if (!prometheus) {
      return { status: 'unknown', detail: 'No Prometheus is configured.' };
    }
    const groupName = goldenPathRuleGroup(target);
    const answer = await prometheus.alertingRuleGroups(groupName, signal);
    if (!answer.ok) {
      return {
        status: 'unknown',
        detail: `${answer.detail} The check will try again.`,
      };
    }
    const rules = answer.value
      .filter(group => group.name === groupName)
      .flatMap(group => group.rules)
      .filter(rule => rule.type === 'alerting');
    if (rules.length === 0) {
      return {
        status: 'fail',
        detail: `${prometheus.name} has no alerting rules in the group ${groupName}. Check that the PrometheusRule of the service is deployed with the labels the platform Prometheus selects rules by.`,
      };
    }
    const broken = rules.filter(rule => rule.health === 'err');
    if (broken.length > 0) {
      return {
        status: 'fail',
        detail: `${prometheus.name} cannot evaluate ${broken
          .map(
            rule =>
              `${rule.name}${rule.lastError ? ` (${rule.lastError})` : ''}`,
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
        detail: `${
          prometheus.name
        } has loaded ${groupName} but not evaluated ${pending
          .map(rule => rule.name)
          .join(', ')} yet; the check will try again.`,
      };
    }
    const firing = rules.filter(rule => rule.state === 'firing');
    return {
      status: 'pass',
      detail: `${prometheus.name} evaluates the ${
        rules.length
      } alerting rules of ${groupName}.${
        firing.length > 0
          ? ` Firing now: ${firing.map(rule => rule.name).join(', ')}.`
          : ''
      }`,
    };
  }
}
