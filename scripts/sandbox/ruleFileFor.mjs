/**
 * The generated PrometheusRule's `spec.groups`, as a Prometheus rule file,
 * with every `for:` set to `forDuration`, so that alerts fire in seconds
 * instead of minutes. Nothing else changes: expressions, labels and
 * annotations are the generated ones.
 */
export function ruleFileFor(prometheusRule, { forDuration }) {
  return {
    groups: prometheusRule.spec.groups.map(group => ({
      ...group,
      rules: group.rules.map(rule =>
        rule.for === undefined ? rule : { ...rule, for: forDuration },
      ),
    })),
  };
}
