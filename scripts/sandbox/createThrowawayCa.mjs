import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A certificate authority that exists only for one run, and a server
 * certificate it signs for `hostname`, made with the openssl command line
 * (P-256 keys). The leaf is valid for 30 days, beyond the 14 days the `tls`
 * check demands. Nothing trusts the CA unless given `caFile`.
 *
 * @returns {Promise<{ caFile: string, certFile: string, keyFile: string, ca: Buffer, cert: Buffer, key: Buffer }>}
 */
export async function createThrowawayCa({ openssl, dir, hostname }) {
  mkdirSync(dir, { recursive: true });
  const caKey = join(dir, 'ca.key');
  const caFile = join(dir, 'ca.crt');
  const keyFile = join(dir, 'leaf.key');
  const csr = join(dir, 'leaf.csr');
  const certFile = join(dir, 'leaf.crt');
  const extFile = join(dir, 'leaf.ext');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

  await run(openssl, [
    'req',
    '-x509',
    ...ec,
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    caFile,
    '-days',
    '2',
    '-subj',
    '/CN=Portal sandbox throwaway CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run(openssl, [
    'req',
    ...ec,
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    csr,
    '-subj',
    `/CN=${hostname}`,
  ]);
  writeFileSync(
    extFile,
    [
      `subjectAltName=DNS:${hostname}`,
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  );
  await run(openssl, [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    caFile,
    '-CAkey',
    caKey,
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    '30',
    '-extfile',
    extFile,
    '-out',
    certFile,
  ]);
  return {
    caFile,
    certFile,
    keyFile,
    ca: readFileSync(caFile),
    cert: readFileSync(certFile),
    key: readFileSync(keyFile),
  };
}
