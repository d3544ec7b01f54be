import { loadTrustedCas } from '../network/loadTrustedCas';
import { ProbeGuard } from '../network/ProbeGuard';
import {
  makeTestCertificates,
  type TestCertificates,
  type TestKeyPair,
} from '../network/__testUtils__/makeTestCertificates';
import { probeTarget } from '../network/__testUtils__/probeTarget';
import { startDnsmasq } from '../network/__testUtils__/startDnsmasq';
import {
  startTestServer,
  type TestServer,
} from '../network/__testUtils__/startTestServer';
import { toolAvailable } from '../network/__testUtils__/toolAvailable';
import { TlsCheck } from './TlsCheck';

const HOST = 'payments.apps.example.test';
const ready =
  toolAvailable('openssl', ['version'], 'openssl', 'TlsCheck tests') &&
  toolAvailable(
    '/usr/sbin/dnsmasq',
    ['--version'],
    'dnsmasq-base',
    'TlsCheck tests',
  );

(ready ? describe : describe.skip)('TlsCheck', () => {
  let certs: TestCertificates;
  let dnsServer: { server: string; close(): Promise<void> };
  const servers: TestServer[] = [];
  const signal = new AbortController().signal;

  beforeAll(async () => {
    certs = makeTestCertificates(HOST);
    dnsServer = await startDnsmasq({
      localDomain: 'apps.example.test',
      records: { [HOST]: '127.0.0.1' },
    });
  });
  afterAll(async () => {
    await dnsServer?.close();
    certs?.cleanup();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(server => server.close()));
  });

  async function checkAgainst(
    keyPair: TestKeyPair,
    options: { caFile?: string; timeoutMs?: number } = {},
  ) {
    const server = await startTestServer((_req, res) => res.end(), keyPair);
    servers.push(server);
    const timeoutMs = options.timeoutMs ?? 2000;
    const check = TlsCheck.create({
      enabled: true,
      guard: ProbeGuard.create({
        allowedDomains: ['apps.example.test'],
        allowPrivateAddresses: true,
        resolverServers: [dnsServer.server],
        timeoutMs,
      }),
      cas: loadTrustedCas(options.caFile ?? certs.caFile),
      port: server.port,
      minDaysValid: 14,
      timeoutMs,
    });
    return {
      port: server.port,
      outcome: await check.run(probeTarget(HOST), { signal }),
    };
  }

  it('passes for a trusted certificate for the hostname with a year left', async () => {
    const { port, outcome } = await checkAgainst(certs.valid);

    expect(outcome.status).toBe('pass');
    expect(outcome.detail).toMatch(
      new RegExp(
        `^${HOST}:${port} presents a trusted certificate valid until \\d{4}-\\d{2}-\\d{2} \\((364|365) days\\)\\.$`,
      ),
    );
  });

  it('fails naming the date when the certificate expires within 14 days', async () => {
    const { outcome } = await checkAgainst(certs.expiringSoon);

    const inThreeDays = new Date(Date.now() + 3 * 86400_000)
      .toISOString()
      .slice(0, 10);
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(`expires on ${inThreeDays}, in 2 days`);
    expect(outcome.detail).toContain('(less than 14)');
  });

  it('fails naming the date when the certificate has expired', async () => {
    const { outcome } = await checkAgainst(certs.expired);

    const yesterday = new Date(Date.now() - 86400_000)
      .toISOString()
      .slice(0, 10);
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(`the certificate expired on ${yesterday}`);
  });

  it('fails naming the names a certificate for another hostname is for', async () => {
    const { outcome } = await checkAgainst(certs.wrongHost);

    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(
      `the certificate is for DNS:other.${HOST}, not ${HOST}`,
    );
  });

  it('fails when the chain is not trusted by the configured CA', async () => {
    const { outcome } = await checkAgainst(certs.untrusted);

    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(
      'the certificate chain is not trusted by the configured CAs',
    );
  });

  it('does not trust the throwaway CA through the system CAs', async () => {
    const check = TlsCheck.create({
      enabled: true,
      guard: ProbeGuard.create({
        allowedDomains: ['apps.example.test'],
        allowPrivateAddresses: true,
        resolverServers: [dnsServer.server],
        timeoutMs: 2000,
      }),
      cas: loadTrustedCas(undefined),
      port: (await checkAgainst(certs.valid)).port,
      minDaysValid: 14,
      timeoutMs: 2000,
    });

    const outcome = await check.run(probeTarget(HOST), { signal });

    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain('not trusted by the configured CAs');
  });

  it('fails when nothing listens on the port', async () => {
    const { port } = await checkAgainst(certs.valid);
    await servers.pop()!.close();
    const check = TlsCheck.create({
      enabled: true,
      guard: ProbeGuard.create({
        allowedDomains: ['apps.example.test'],
        allowPrivateAddresses: true,
        resolverServers: [dnsServer.server],
        timeoutMs: 2000,
      }),
      cas: loadTrustedCas(certs.caFile),
      port,
      minDaysValid: 14,
      timeoutMs: 2000,
    });

    const outcome = await check.run(probeTarget(HOST), { signal });

    expect(outcome).toEqual({
      status: 'fail',
      detail: `No TLS handshake with ${HOST}:${port}: ECONNREFUSED. Check that the Ingress serves ${HOST} with the certificate in its TLS secret.`,
    });
  });
});
