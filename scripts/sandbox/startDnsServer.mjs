import { Resolver } from 'node:dns/promises';
import { until } from './until.mjs';

/** A resolver that asks only the sandbox's DNS server. */
function sandboxResolver(port) {
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  return resolver;
}

/**
 * dnsmasq on `127.0.0.1:<port>` answering `hostname` (and its subdomains)
 * with 127.0.0.1, as the platform's external-dns record would with the
 * ingress address. It reads no config file, no /etc/hosts and no upstream
 * resolver, so that it answers nothing else. Resolves once it answers.
 */
export async function startDnsServer({
  processes,
  dnsmasq,
  port,
  hostname,
  logFile,
}) {
  const server = processes.start(
    'dnsmasq',
    dnsmasq,
    [
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      '--no-resolv',
      '--no-hosts',
      '--no-poll',
      '--bind-interfaces',
      '--listen-address=127.0.0.1',
      `--port=${port}`,
      `--address=/${hostname}/127.0.0.1`,
      // No pid file: nothing else should find or signal this server.
      '--pid-file=',
      '--log-queries',
      '--log-facility=-',
    ],
    { logFile },
  );
  const resolver = sandboxResolver(port);
  await until(
    `dnsmasq on :${port} to answer ${hostname}`,
    async () => {
      server.assertRunning();
      return (await resolver.resolve4(hostname)).includes('127.0.0.1');
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
  return { server, port, resolver };
}
