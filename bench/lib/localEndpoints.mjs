// Local stand-ins for the network a portal's live checks probe: a throwaway CA
// with a wildcard certificate (openssl CLI) and a DNS server answering a whole
// domain (dnsmasq). The TypeScript test helpers in
// plugins/platform-metrics-backend/src/checks/network/__testUtils__/ do the same
// per hostname; the benchmarks cannot import TypeScript, and need one name per
// service, hence wildcards.
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { promises as dns } from 'node:dns';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A throwaway CA (`ca.pem`, for `platformMetrics.checks.tls.caFile`) and a
 * certificate it signed for `*.<domain>`, valid for 30 days, in `dir`. EC P-256
 * keys, as a certificate manager would issue them today.
 */
export function makeWildcardCertificate(dir, domain) {
  mkdirSync(dir, { recursive: true });
  const openssl = (...args) =>
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  openssl(
    'req',
    '-x509',
    ...ecKey,
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '30',
    '-subj',
    '/CN=bench throwaway CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl(
    'req',
    ...ecKey,
    '-nodes',
    '-keyout',
    'leaf.key',
    '-out',
    'leaf.csr',
    '-subj',
    `/CN=*.${domain}`,
  );
  writeFileSync(
    join(dir, 'leaf.ext'),
    `subjectAltName=DNS:*.${domain}\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '30',
    '-extfile',
    'leaf.ext',
    '-out',
    'leaf.pem',
  );
  return {
    caFile: join(dir, 'ca.pem'),
    key: readFileSync(join(dir, 'leaf.key'), 'utf8'),
    cert: readFileSync(join(dir, 'leaf.pem'), 'utf8'),
  };
}

async function freeUdpPort() {
  const socket = createSocket('udp4');
  await new Promise(resolve => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise(resolve => socket.close(resolve));
  return port;
}

/**
 * dnsmasq (Debian `dnsmasq-base`) on a free UDP port of 127.0.0.1, answering
 * every name under `domain` with `address` and nothing else. Resolves once it
 * answers; `server` is `127.0.0.1:<port>` for `resolver.servers`.
 */
export async function startDnsmasq({ domain, address = '127.0.0.1' }) {
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
      // The default cache (150 names) would churn over thousands of services;
      // --address answers from config, but keep the cache out of the picture.
      '--cache-size=0',
      `--address=/${domain}/${address}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', chunk => {
    stderr += chunk;
  });
  const exited = new Promise(resolve => child.once('exit', resolve));
  // A bench that dies before close() must not leave dnsmasq behind.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const server = `127.0.0.1:${port}`;
  const resolver = new dns.Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([server]);
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`dnsmasq exited: ${stderr}`);
    try {
      await resolver.resolve4(`probe.${domain}`);
      break;
    } catch {
      if (attempt > 50) throw new Error(`dnsmasq does not answer: ${stderr}`);
      await sleep(50);
    }
  }
  return {
    server,
    pid: child.pid,
    async close() {
      process.off('exit', killOnExit);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
