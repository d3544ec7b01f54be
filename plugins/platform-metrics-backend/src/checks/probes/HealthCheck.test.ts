import { loadTrustedCas, type TrustedCas } from '../network/loadTrustedCas';
import { probeTarget } from '../network/__testUtils__/probeTarget';
import { HealthCheck } from './HealthCheck';
import { describeWithTlsServers } from './__testUtils__/describeWithTlsServers';

const HOST = 'payments.apps.example.test';
const OTHER = 'other.apps.example.test';

describeWithTlsServers(
  'HealthCheck',
  { [HOST]: '127.0.0.1', [OTHER]: '127.0.0.1' },
  fixture => {
    const { serve, signal } = fixture;

    function healthCheck(
      port: number,
      options: {
        allowPrivateAddresses?: boolean;
        allowedDomains?: string[];
        timeoutMs?: number;
        maxResponseBytes?: number;
        cas?: TrustedCas;
      } = {},
    ) {
      const timeoutMs = options.timeoutMs ?? 2000;
      return HealthCheck.create({
        enabled: true,
        guard: fixture.guard({ ...options, timeoutMs }),
        cas: options.cas ?? loadTrustedCas(fixture.certs.caFile),
        port,
        timeoutMs,
        maxResponseBytes: options.maxResponseBytes ?? 1024,
      });
    }

    it('passes when /readyz answers 2xx over TLS the configured CA trusts', async () => {
      const server = await serve((_req, res) => res.end('ok'));

      const outcome = await healthCheck(server.port).run(probeTarget(HOST), {
        signal,
      });

      expect(outcome).toEqual({
        status: 'pass',
        detail: `https://${HOST}:${server.port}/readyz answered 200.`,
      });
      expect(server.requests).toEqual(['/readyz']);
    });

    it('fails with the status and the runbook when /readyz answers 503', async () => {
      const server = await serve((_req, res) => {
        res.statusCode = 503;
        res.end('not ready');
      });

      const outcome = await healthCheck(server.port).run(probeTarget(HOST), {
        signal,
      });

      expect(outcome.status).toBe('fail');
      expect(outcome.detail).toBe(
        `https://${HOST}:${server.port}/readyz answered 503; the service is not ready. See the service's Unavailable runbook.`,
      );
    });

    it('fails when the certificate is not trusted by the configured CA', async () => {
      const server = await serve(
        (_req, res) => res.end('ok'),
        fixture.certs.untrusted,
      );

      const outcome = await healthCheck(server.port).run(probeTarget(HOST), {
        signal,
      });

      expect(outcome.status).toBe('fail');
      expect(outcome.detail).toContain(
        'the certificate chain is not trusted by the configured CAs',
      );
      expect(server.requests).toEqual([]);
    });

    it('refuses a hostname outside allowedDomains without resolving or connecting', async () => {
      const server = await serve((_req, res) => res.end('ok'));

      const outcome = await healthCheck(server.port, {
        allowedDomains: ['apps.acme.example'],
      }).run(probeTarget(HOST), { signal });

      expect(outcome).toEqual({
        status: 'fail',
        detail: `${HOST} is outside the domains the portal may probe (apps.acme.example). Serve the service under one of them, or ask the platform team to add its domain to platformMetrics.checks.allowedDomains.`,
      });
      expect(server.requests).toEqual([]);
    });

    it('refuses a name resolving to 127.0.0.1 unless private addresses are allowed', async () => {
      const server = await serve((_req, res) => res.end('ok'));

      const refused = await healthCheck(server.port, {
        allowPrivateAddresses: false,
      }).run(probeTarget(HOST), { signal });

      expect(refused.status).toBe('fail');
      expect(refused.detail).toContain(
        `${HOST} resolves to 127.0.0.1 (loopback), not a public address`,
      );
      expect(server.requests).toEqual([]);

      const allowed = await healthCheck(server.port, {
        allowPrivateAddresses: true,
      }).run(probeTarget(HOST), { signal });
      expect(allowed.status).toBe('pass');
    });

    it('fails with the link to add when the entity has no production hostname', async () => {
      const outcome = await healthCheck(443).run(probeTarget(undefined), {
        signal,
      });

      expect(outcome.status).toBe('fail');
      expect(outcome.detail).toContain('Add a link titled "Production"');
    });

    it('does not follow a redirect to another host', async () => {
      const other = await serve((_req, res) => res.end('ok'));
      const server = await serve((_req, res) => {
        res.statusCode = 302;
        res.setHeader('location', `https://${OTHER}:${other.port}/readyz`);
        res.end();
      });

      const outcome = await healthCheck(server.port).run(probeTarget(HOST), {
        signal,
      });

      expect(outcome.status).toBe('fail');
      expect(outcome.detail).toBe(
        `https://${HOST}:${server.port}/readyz answered 302 with a redirect to https://${OTHER}:${other.port}/readyz. The probe follows no redirect: /readyz must answer 2xx itself.`,
      );
      expect(other.requests).toEqual([]);
    });

    it('cuts a body larger than the limit and reports it', async () => {
      const server = await serve((_req, res) => {
        res.write(Buffer.alloc(600, 'a'));
        res.end(Buffer.alloc(600, 'b'));
      });

      const outcome = await healthCheck(server.port, {
        maxResponseBytes: 1000,
      }).run(probeTarget(HOST), { signal });

      expect(outcome.status).toBe('fail');
      expect(outcome.detail).toContain(
        'its body exceeded 1000 bytes and was cut',
      );
    });

    it('reports unknown when the server never answers within the timeout', async () => {
      const server = await serve(() => {
        // Never answers: the request hangs until the probe gives up.
      });

      const started = Date.now();
      const outcome = await healthCheck(server.port, { timeoutMs: 300 }).run(
        probeTarget(HOST),
        { signal },
      );

      expect(outcome).toEqual({
        status: 'unknown',
        detail: `https://${HOST}:${server.port}/readyz did not answer within 300 ms; the check will try again.`,
      });
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('reports unknown when the CA file cannot be read', async () => {
      const check = healthCheck(443, {
        cas: loadTrustedCas('/nonexistent/ca.pem'),
        timeoutMs: 1000,
      });

      const outcome = await check.run(probeTarget(HOST), { signal });

      expect(outcome.status).toBe('unknown');
      expect(outcome.detail).toContain(
        'The CA file /nonexistent/ca.pem (platformMetrics.checks.tls.caFile) cannot be used',
      );
    });
  },
);
