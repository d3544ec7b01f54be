import { spawn } from 'node:child_process';
import { promises as dns } from 'node:dns';
import { createSocket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, for `resolver.servers`. */
  server: string;
  close(): Promise<void>;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>(resolve => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>(resolve => socket.close(() => resolve()));
  return port;
}

/**
 * A real dnsmasq (Debian `dnsmasq-base`) on a free UDP port of 127.0.0.1,
 * answering only for `localDomain` from `records` (name → IPv4 address) and
 * NXDOMAIN for every other name in it.
 */
export async function startDnsmasq(options: {
  localDomain: string;
  records: Record<string, string>;
}): Promise<TestDnsServer> {
  const port = await freeUdpPort();
  const child = spawn(
    '/usr/sbin/dnsmasq',
    [
      '--no-daemon',
      '--no-resolv',
      '--no-hosts',
      `--port=${port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--pid-file=',
      `--local=/${options.localDomain}/`,
      ...Object.entries(options.records).map(
        ([name, address]) => `--host-record=${name},${address}`,
      ),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', chunk => {
    stderr += chunk;
  });
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const server = `127.0.0.1:${port}`;

  const resolver = new dns.Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([server]);
  const [probeName] = Object.keys(options.records);
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) {
      throw new Error(`dnsmasq exited: ${stderr}`);
    }
    try {
      await resolver.resolve4(probeName);
      break;
    } catch (error) {
      if (attempt > 50) throw new Error(`dnsmasq does not answer: ${stderr}`);
      await sleep(50);
    }
  }
  return {
    server,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
