import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ServiceCheck } from './ServiceCheck';
import type { ChecksConfig } from './readChecksConfig';
import { LogsCheck } from './logs/LogsCheck';
import { LokiLogsBackend } from './logs/LokiLogsBackend';
import { loadTrustedCas } from './network/loadTrustedCas';
import { ProbeGuard } from './network/ProbeGuard';
import { DnsCheck } from './probes/DnsCheck';
import { HealthCheck } from './probes/HealthCheck';
import { TlsCheck } from './probes/TlsCheck';
import { AlertsCheck } from './prometheus/AlertsCheck';
import { MetricsCheck } from './prometheus/MetricsCheck';
import { PrometheusClient } from './prometheus/PrometheusClient';

/**
 * The six live checks that probe production (`health`, `dns`, `tls`,
 * `metrics`, `alerts`, `logs`), wired from config. A check whose backend is
 * not configured comes back with `configured: false`; with checks disabled,
 * none is configured.
 */
export function createNetworkChecks(
  config: ChecksConfig,
  options: { logger: LoggerService },
): ServiceCheck[] {
  const { enabled, timeoutMs, maxResponseBytes } = config;
  const guard = ProbeGuard.create({
    allowedDomains: config.allowedDomains,
    allowPrivateAddresses: config.allowPrivateAddresses,
    resolverServers: config.resolver.servers,
    timeoutMs,
  });
  const cas = loadTrustedCas(config.tls.caFile);
  if (enabled && cas.kind === 'unreadable') {
    options.logger.error(
      `${cas.problem} The tls and health checks report unknown until it is fixed.`,
    );
  }
  if (enabled && config.allowedDomains.length === 0) {
    options.logger.warn(
      'No platformMetrics.checks.allowedDomains and no goldenPath.baseDomain: the health, dns and tls checks probe no hostname.',
    );
  }
  const prometheus = config.prometheus
    ? PrometheusClient.create({
        ...config.prometheus,
        timeoutMs,
        maxResponseBytes,
      })
    : undefined;
  const loki = config.logs.loki;
  const logsBackend = loki
    ? LokiLogsBackend.create({ ...loki, timeoutMs, maxResponseBytes })
    : undefined;

  return [
    HealthCheck.create({
      enabled,
      guard,
      cas,
      port: config.tls.port,
      timeoutMs,
      maxResponseBytes,
    }),
    DnsCheck.create({ enabled, guard, timeoutMs }),
    TlsCheck.create({
      enabled,
      guard,
      cas,
      port: config.tls.port,
      minDaysValid: config.tls.minDaysValid,
      timeoutMs,
    }),
    MetricsCheck.create({ enabled, prometheus }),
    AlertsCheck.create({ enabled, prometheus }),
    LogsCheck.create({
      enabled,
      backend: logsBackend,
      windowMinutes: config.logs.windowMinutes,
    }),
  ];
}
