import { loadTrustedCas, type TrustedCas } from '../network/loadTrustedCas';
import type { TestKeyPair } from '../network/__testUtils__/makeTestCertificates';
import { probeTarget } from '../network/__testUtils__/probeTarget';
import { TlsCheck } from './TlsCheck';
import { describeWithTlsServers } from './__testUtils__/describeWithTlsServers';

const HOST = 'payments.apps.example.test';

describeWithTlsServers('TlsCheck', { [HOST]: '127.0.0.1' }, fixture => {
  const { signal } = fixture;

  function tlsCheck(port: number, cas?: TrustedCas) {
    return TlsCheck.create({
      enabled: true,
      guard: fixture.guard(),
      cas: cas ?? loadTrustedCas(fixture.certs.caFile),
      port,
      minDaysValid: 14,
      timeoutMs: 2000,
    });
  }

  async function checkAgainst(keyPair: TestKeyPair) {
    const server = await fixture.serve((_req, res) => res.end(), keyPair);
    return {
      port: server.port,
      outcome: await tlsCheck(server.port).run(probeTarget(HOST), { signal }),
    };
  }

  it('passes for a trusted certificate for the hostname with a year left', async () => {
    const { port, outcome } = await checkAgainst(fixture.certs.valid);

    expect(outcome.status).toBe('pass');
    expect(outcome.detail).toMatch(
      new RegExp(
        `^${HOST}:${port} presents a trusted certificate valid until \\d{4}-\\d{2}-\\d{2} \\((364|365) days\\)\\.$`,
      ),
    );
  });

  it('fails naming the date when the certificate expires within 14 days', async () => {
    const { outcome } = await checkAgainst(fixture.certs.expiringSoon);

    const inThreeDays = new Date(Date.now() + 3 * 86400_000)
      .toISOString()
      .slice(0, 10);
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(`expires on ${inThreeDays}, in 2 days`);
    expect(outcome.detail).toContain('(less than 14)');
  });

  it('fails naming the date when the certificate has expired', async () => {
    const { outcome } = await checkAgainst(fixture.certs.expired);

    const yesterday = new Date(Date.now() - 86400_000)
      .toISOString()
      .slice(0, 10);
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(`the certificate expired on ${yesterday}`);
  });

  it('fails naming the names a certificate for another hostname is for', async () => {
    const { outcome } = await checkAgainst(fixture.certs.wrongHost);

    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(
      `the certificate is for DNS:other.${HOST}, not ${HOST}`,
    );
  });

  it('fails when the chain is not trusted by the configured CA', async () => {
    const { outcome } = await checkAgainst(fixture.certs.untrusted);

    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(
      'the certificate chain is not trusted by the configured CAs',
    );
  });

  it('does not trust the throwaway CA through the system CAs', async () => {
    const server = await fixture.serve((_req, res) => res.end());
    const check = tlsCheck(server.port, loadTrustedCas(undefined));

    const outcome = await check.run(probeTarget(HOST), { signal });

    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain('not trusted by the configured CAs');
  });

  it('fails when nothing listens on the port', async () => {
    const server = await fixture.serve((_req, res) => res.end());
    const { port } = server;
    await server.close();
    const check = tlsCheck(port);

    const outcome = await check.run(probeTarget(HOST), { signal });

    expect(outcome).toEqual({
      status: 'fail',
      detail: `No TLS handshake with ${HOST}:${port}: ECONNREFUSED. Check that the Ingress serves ${HOST} with the certificate in its TLS secret.`,
    });
  });
});
