import { ProbeGuard } from '../../network/ProbeGuard';
import {
  makeTestCertificates,
  type TestCertificates,
  type TestKeyPair,
} from '../../network/__testUtils__/makeTestCertificates';
import {
  startDnsmasq,
  type TestDnsServer,
} from '../../network/__testUtils__/startDnsmasq';
import {
  startTestServer,
  type TestServer,
} from '../../network/__testUtils__/startTestServer';
import { toolAvailable } from '../../network/__testUtils__/toolAvailable';

/** The domain the test resolver answers for and the guards allow by default. */
export const TEST_DOMAIN = 'apps.example.test';

/** What the tests of a TLS probe (health, tls) are given. */
export interface TlsServersFixture {
  /** A throwaway CA and leaf certificates for the first name in `records`. */
  readonly certs: TestCertificates;
  readonly dnsServer: TestDnsServer;
  /** A run signal that never fires. */
  readonly signal: AbortSignal;
  /** An HTTPS server on 127.0.0.1, closed after the test. */
  serve(
    handler: Parameters<typeof startTestServer>[0],
    keyPair?: TestKeyPair,
  ): Promise<TestServer>;
  /** A guard resolving at the test resolver; private addresses allowed unless said. */
  guard(options?: {
    allowedDomains?: string[];
    allowPrivateAddresses?: boolean;
    timeoutMs?: number;
  }): ProbeGuard;
}

/**
 * A `describe` whose tests probe real HTTPS servers through a real resolver:
 * dnsmasq answering `records` (name → IPv4 address) and openssl-made
 * certificates. Skipped, with the package to install, when either tool is
 * missing outside CI.
 */
export function describeWithTlsServers(
  name: string,
  records: Record<string, string>,
  tests: (fixture: TlsServersFixture) => void,
) {
  const ready =
    toolAvailable('openssl', ['version'], 'openssl', `${name} tests`) &&
    toolAvailable(
      '/usr/sbin/dnsmasq',
      ['--version'],
      'dnsmasq-base',
      `${name} tests`,
    );

  (ready ? describe : describe.skip)(name, () => {
    let certs: TestCertificates;
    let dnsServer: TestDnsServer;
    const servers: TestServer[] = [];

    beforeAll(async () => {
      certs = makeTestCertificates(Object.keys(records)[0]);
      dnsServer = await startDnsmasq({ localDomain: TEST_DOMAIN, records });
    });
    afterAll(async () => {
      await dnsServer?.close();
      certs?.cleanup();
    });
    afterEach(async () => {
      await Promise.all(servers.splice(0).map(server => server.close()));
    });

    tests({
      get certs() {
        return certs;
      },
      get dnsServer() {
        return dnsServer;
      },
      signal: new AbortController().signal,
      async serve(handler, keyPair = certs.valid) {
        const server = await startTestServer(handler, keyPair);
        servers.push(server);
        return server;
      },
      guard(options = {}) {
        return ProbeGuard.create({
          allowedDomains: options.allowedDomains ?? [TEST_DOMAIN],
          allowPrivateAddresses: options.allowPrivateAddresses ?? true,
          resolverServers: [dnsServer.server],
          timeoutMs: options.timeoutMs ?? 2000,
        });
      },
    });
  });
}
