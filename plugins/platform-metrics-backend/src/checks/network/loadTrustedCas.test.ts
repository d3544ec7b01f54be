import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTrustedCas } from './loadTrustedCas';

describe('loadTrustedCas', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cas-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trusts the system CAs without a file', () => {
    expect(loadTrustedCas(undefined)).toEqual({ kind: 'system' });
  });

  it.each([
    ['empty.pem', '', 'holds no PEM certificate'],
    [
      'garbage.pem',
      '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n',
      'cannot be used',
    ],
  ])(
    'reports %s as unusable instead of failing every probe later',
    (name, content, problem) => {
      const file = join(dir, name);
      writeFileSync(file, content);

      const cas = loadTrustedCas(file);

      expect(cas.kind).toBe('unreadable');
      expect(cas.kind === 'unreadable' && cas.problem).toContain(
        `The CA file ${file} (platformMetrics.checks.tls.caFile) ${problem}`,
      );
    },
  );
});
