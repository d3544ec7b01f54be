import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestKeyPair {
  key: string;
  cert: string;
}

export interface TestCertificates {
  /** PEM file of the throwaway CA, for `tls.caFile`. */
  caFile: string;
  /** PEM of the throwaway CA. */
  ca: string;
  /** Leaf certificates signed by the CA for `hostname`, valid for a year. */
  valid: TestKeyPair;
  /** For `hostname`, expiring in 3 days. */
  expiringSoon: TestKeyPair;
  /** For `hostname`, expired yesterday. */
  expired: TestKeyPair;
  /** Valid, but for `other.<hostname>` only. */
  wrongHost: TestKeyPair;
  /** For `hostname`, signed by a CA nobody trusts. */
  untrusted: TestKeyPair;
  cleanup(): void;
}

/**
 * A throwaway CA and leaf certificates for `hostname`, made with the openssl
 * CLI (Debian `openssl`) in a temporary directory.
 */
export function makeTestCertificates(hostname: string): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'probe-certs-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  // A fresh unencrypted P-256 key in `<name>.key`, for `openssl req`.
  const newKey = (name: string) => [
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${name}.key`,
  ];
  const newCa = (name: string) =>
    openssl(
      'req',
      '-x509',
      ...newKey(name),
      '-out',
      `${name}.pem`,
      '-days',
      '30',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  const leaf = (
    name: string,
    options: { san: string; days: number; ca: string },
  ): TestKeyPair => {
    openssl(
      'req',
      ...newKey(name),
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${options.san}`,
    );
    writeFileSync(
      file(`${name}.ext`),
      `subjectAltName=DNS:${options.san}\nextendedKeyUsage=serverAuth\n`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${options.ca}.pem`,
      '-CAkey',
      `${options.ca}.key`,
      '-CAcreateserial',
      '-days',
      String(options.days),
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    );
    return {
      key: readFileSync(file(`${name}.key`), 'utf8'),
      cert: readFileSync(file(`${name}.pem`), 'utf8'),
    };
  };

  newCa('test-ca');
  newCa('other-ca');
  return {
    caFile: file('test-ca.pem'),
    ca: readFileSync(file('test-ca.pem'), 'utf8'),
    valid: leaf('valid', { san: hostname, days: 365, ca: 'test-ca' }),
    expiringSoon: leaf('soon', { san: hostname, days: 3, ca: 'test-ca' }),
    expired: leaf('expired', { san: hostname, days: -1, ca: 'test-ca' }),
    wrongHost: leaf('wrong', {
      san: `other.${hostname}`,
      days: 365,
      ca: 'test-ca',
    }),
    untrusted: leaf('untrusted', { san: hostname, days: 365, ca: 'other-ca' }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
