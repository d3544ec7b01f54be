import { ConfigReader } from '@backstage/config';
import { readChecksConfig } from './readChecksConfig';

function read(checks: unknown, extra: Record<string, unknown> = {}) {
  return readChecksConfig(
    new ConfigReader({
      ...extra,
      ...(checks === undefined ? {} : { platformMetrics: { checks } }),
    } as any),
  );
}

describe('readChecksConfig', () => {
  it('is disabled with every default when nothing is configured', () => {
    expect(read(undefined)).toEqual({
      enabled: false,
      intervalMinutes: 5,
      concurrency: 16,
      timeoutMs: 5000,
      maxResponseBytes: 1048576,
      required: undefined,
      allowedDomains: [],
      allowPrivateAddresses: false,
      resolver: {},
      tls: { port: 443, minDaysValid: 14 },
      prometheus: undefined,
      logs: { windowMinutes: 15 },
    });
  });

  it("allows the golden path's base domain by default", () => {
    const config = read(
      { enabled: true },
      { goldenPath: { baseDomain: 'Apps.Acme.Example.' } },
    );
    expect(config.allowedDomains).toEqual(['apps.acme.example']);
  });

  it('takes allowedDomains over the base domain', () => {
    const config = read(
      { allowedDomains: ['svc.example.test', '.internal.example.test'] },
      { goldenPath: { baseDomain: 'apps.acme.example' } },
    );
    expect(config.allowedDomains).toEqual([
      'svc.example.test',
      'internal.example.test',
    ]);
  });

  it('reads every backend, dropping trailing slashes of base URLs', () => {
    const config = read({
      enabled: true,
      required: ['health', 'tls'],
      resolver: { servers: ['127.0.0.1:5353'] },
      tls: { caFile: '/etc/ca.pem', port: 8443, minDaysValid: 7 },
      prometheus: {
        baseUrl: 'https://prometheus.example/',
        headers: { Authorization: 'Bearer t' },
      },
      logs: {
        loki: { baseUrl: 'http://loki:3100', tenant: 'platform' },
      },
    });
    expect(config).toMatchObject({
      required: ['health', 'tls'],
      resolver: { servers: ['127.0.0.1:5353'] },
      tls: { caFile: '/etc/ca.pem', port: 8443, minDaysValid: 7 },
      prometheus: {
        baseUrl: 'https://prometheus.example',
        headers: { Authorization: 'Bearer t' },
      },
      logs: {
        windowMinutes: 15,
        loki: {
          baseUrl: 'http://loki:3100',
          headers: {},
          tenant: 'platform',
          serviceLabel: 'service',
        },
      },
    });
  });

  it.each([
    [{ timeoutMs: 0 }, 'platformMetrics.checks.timeoutMs'],
    [{ required: ['health', 'uptime'] }, 'platformMetrics.checks.required.1'],
    [
      { prometheus: { baseUrl: 'ftp://x' } },
      'platformMetrics.checks.prometheus.baseUrl',
    ],
    [
      { resolver: { servers: ['not a server'] } },
      'platformMetrics.checks.resolver.servers',
    ],
    [{ tls: { port: 70000 } }, 'platformMetrics.checks.tls.port'],
    [{ tls: { cafile: '/x' } }, 'platformMetrics.checks.tls'],
    [
      { logs: { loki: { baseUrl: 'http://l', serviceLabel: 'a-b' } } },
      'platformMetrics.checks.logs.loki.serviceLabel',
    ],
  ])('refuses %j naming %s', (checks, key) => {
    expect(() => read(checks)).toThrow(key);
  });
});
