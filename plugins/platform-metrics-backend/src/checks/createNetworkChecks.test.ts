import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createNetworkChecks } from './createNetworkChecks';
import { readChecksConfig } from './readChecksConfig';

function checksFor(checks: Record<string, unknown>) {
  const logger = mockServices.logger.mock();
  const created = createNetworkChecks(
    readChecksConfig(
      new ConfigReader({
        goldenPath: { baseDomain: 'apps.acme.example' },
        platformMetrics: { checks },
      } as any),
    ),
    { logger },
  );
  return {
    logger,
    configured: Object.fromEntries(
      created.map(check => [check.id, check.configured]),
    ),
  };
}

describe('createNetworkChecks', () => {
  it('creates the six probing checks, none configured while checks are disabled', () => {
    expect(
      checksFor({ prometheus: { baseUrl: 'http://prometheus:9090' } })
        .configured,
    ).toEqual({
      health: false,
      dns: false,
      tls: false,
      metrics: false,
      alerts: false,
      logs: false,
    });
  });

  it('configures health, dns and tls with nothing but the system resolver and CAs', () => {
    expect(checksFor({ enabled: true }).configured).toEqual({
      health: true,
      dns: true,
      tls: true,
      metrics: false,
      alerts: false,
      logs: false,
    });
  });

  it('configures metrics and alerts with a Prometheus, logs with a Loki', () => {
    expect(
      checksFor({
        enabled: true,
        prometheus: { baseUrl: 'http://prometheus:9090' },
        logs: { loki: { baseUrl: 'http://loki:3100' } },
      }).configured,
    ).toEqual({
      health: true,
      dns: true,
      tls: true,
      metrics: true,
      alerts: true,
      logs: true,
    });
  });

  it('logs an unreadable CA file at startup instead of failing', () => {
    const { logger, configured } = checksFor({
      enabled: true,
      tls: { caFile: '/nonexistent/ca.pem' },
    });

    expect(configured.tls).toBe(true);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('The CA file /nonexistent/ca.pem'),
    );
  });
});
