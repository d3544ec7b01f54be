import type { PrometheusClient } from './PrometheusClient';

/** What the checks that read Prometheus (`metrics`, `alerts`) are built from. */
export interface PrometheusCheckOptions {
  enabled: boolean;
  /** Undefined when no Prometheus is configured: the check is then not configured. */
  prometheus?: PrometheusClient;
}
