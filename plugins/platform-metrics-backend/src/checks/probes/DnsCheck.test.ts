import { createSocket } from 'node:dgram';
import { ProbeGuard } from '../network/ProbeGuard';
import { probeTarget } from '../network/__testUtils__/probeTarget';
import {
  startDnsmasq,
  type TestDnsServer,
} from '../network/__testUtils__/startDnsmasq';
import { toolAvailable } from '../network/__testUtils__/toolAvailable';
import { DnsCheck } from './DnsCheck';

const ready = toolAvailable(
  '/usr/sbin/dnsmasq',
  ['--version'],
  'dnsmasq-base',
  'DnsCheck tests',
);

(ready ? describe : describe.skip)('DnsCheck', () => {
  let dnsServer: TestDnsServer;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    dnsServer = await startDnsmasq({
      localDomain: 'apps.example.test',
      records: {
        'payments.apps.example.test': '192.0.2.10',
        'internal.apps.example.test': '10.0.0.7',
      },
    });
  });
  afterAll(async () => {
    await dnsServer?.close();
  });

  function dnsCheck(servers = [dnsServer.server], timeoutMs = 1000) {
    return DnsCheck.create({
      enabled: true,
      guard: ProbeGuard.create({
        allowedDomains: ['apps.example.test'],
        allowPrivateAddresses: false,
        resolverServers: servers,
        timeoutMs,
      }),
      timeoutMs,
    });
  }

  it('passes with the addresses the configured resolver gives', async () => {
    const outcome = await dnsCheck().run(
      probeTarget('payments.apps.example.test'),
      { signal },
    );

    expect(outcome).toEqual({
      status: 'pass',
      detail: `payments.apps.example.test resolves to 192.0.2.10 at the resolver ${dnsServer.server}.`,
    });
  });

  it('passes for a private address too: whether it may be probed is not its question', async () => {
    const outcome = await dnsCheck().run(
      probeTarget('internal.apps.example.test'),
      { signal },
    );

    expect(outcome.status).toBe('pass');
    expect(outcome.detail).toContain('resolves to 10.0.0.7');
  });

  it('fails for a name without a record, saying where the record comes from', async () => {
    const outcome = await dnsCheck().run(
      probeTarget('missing.apps.example.test'),
      { signal },
    );

    expect(outcome).toEqual({
      status: 'fail',
      detail: `missing.apps.example.test has no A or AAAA record at the resolver ${dnsServer.server}. Check the DNS record that external-dns publishes for the service's Ingress.`,
    });
  });

  it('reports unknown when the resolver does not answer in time', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>(resolve => silent.bind(0, '127.0.0.1', resolve));
    const server = `127.0.0.1:${silent.address().port}`;

    try {
      const outcome = await dnsCheck([server], 300).run(
        probeTarget('payments.apps.example.test'),
        { signal },
      );

      expect(outcome).toEqual({
        status: 'unknown',
        detail: `Resolving payments.apps.example.test through the resolver ${server} did not answer within 300 ms; the check will try again.`,
      });
    } finally {
      silent.close();
    }
  });

  it('reports unknown when the resolver is unreachable', async () => {
    const closed = await startDnsmasq({
      localDomain: 'apps.example.test',
      records: { 'payments.apps.example.test': '192.0.2.10' },
    });
    await closed.close();

    const outcome = await dnsCheck([closed.server], 1000).run(
      probeTarget('payments.apps.example.test'),
      { signal },
    );

    expect(outcome.status).toBe('unknown');
    expect(outcome.detail).toMatch(
      /^Resolving payments\.apps\.example\.test through the resolver 127\.0\.0\.1:\d+ (failed \(ECONNREFUSED\)|did not answer within 1000 ms); the check will try again\.$/,
    );
  });

  it('refuses a hostname outside the allowed domains', async () => {
    const outcome = await dnsCheck().run(probeTarget('payments.evil.test'), {
      signal,
    });

    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(
      'payments.evil.test is outside the domains the portal may probe (apps.example.test)',
    );
  });
});
