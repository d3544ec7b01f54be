import { createHmac } from 'node:crypto';
import { verifyGithubSignature, verifyPagerDutySignature } from './signatures';

const hmacHex = (secret: string, body: Buffer) =>
  createHmac('sha256', secret).update(body).digest('hex');

describe('verifyGithubSignature', () => {
  // The test vector in GitHub's "Validating webhook deliveries" documentation.
  const secret = "It's a Secret to Everybody";
  const body = Buffer.from('Hello, World!');
  const documented =
    'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it('accepts the documented test vector', () => {
    expect(hmacHex(secret, body)).toBe(documented.slice('sha256='.length));
    expect(verifyGithubSignature(body, documented, secret)).toBe(true);
  });

  it('accepts upper-case hex and surrounding whitespace', () => {
    const upper = `sha256=${documented.slice('sha256='.length).toUpperCase()}`;
    expect(verifyGithubSignature(body, ` ${upper} `, secret)).toBe(true);
  });

  it('rejects another secret, a changed body and a missing header', () => {
    expect(verifyGithubSignature(body, documented, 'another secret')).toBe(
      false,
    );
    expect(
      verifyGithubSignature(Buffer.from('Hello, World?'), documented, secret),
    ).toBe(false);
    expect(verifyGithubSignature(body, undefined, secret)).toBe(false);
    expect(verifyGithubSignature(body, '', secret)).toBe(false);
  });

  it('rejects signatures of the wrong length or form without throwing', () => {
    const hex = documented.slice('sha256='.length);
    for (const header of [
      `sha256=${hex.slice(0, -2)}`, // one byte short
      `sha256=${hex}00`, // one byte long
      `sha256=${hex.slice(0, -1)}`, // odd length
      `sha256=${hex.slice(0, -1)}g`, // not hex
      hex, // no prefix
      `sha1=${hex}`,
      'sha256=',
    ]) {
      expect(verifyGithubSignature(body, header, secret)).toBe(false);
    }
  });

  it('never accepts with an empty configured secret', () => {
    const signedWithEmpty = `sha256=${hmacHex('', body)}`;
    expect(verifyGithubSignature(body, signedWithEmpty, '')).toBe(false);
  });

  it('verifies the raw bytes of a unicode body', () => {
    const raw = Buffer.from('{"name":"Zahlungsdienst – Über 💳"}', 'utf8');
    const header = `sha256=${hmacHex(secret, raw)}`;
    expect(verifyGithubSignature(raw, header, secret)).toBe(true);
    // Latin-1 bytes of the same text are a different body.
    const latin1 = Buffer.from('{"name":"Zahlungsdienst – Über 💳"}', 'latin1');
    expect(verifyGithubSignature(latin1, header, secret)).toBe(false);
  });
});

describe('verifyPagerDutySignature', () => {
  const body = Buffer.from(
    JSON.stringify({
      event: {
        id: '01DEN5QGMAHEBAQ9QBH1VNL8FR',
        event_type: 'incident.triggered',
        data: { title: 'Zahlungen schlagen fehl – größer als 5 %' },
      },
    }),
    'utf8',
  );
  const oldSecret = 'old-signing-secret';
  const newSecret = 'new-signing-secret';
  const oldSig = `v1=${hmacHex(oldSecret, body)}`;
  const newSig = `v1=${hmacHex(newSecret, body)}`;

  it('accepts a single v1 signature', () => {
    expect(verifyPagerDutySignature(body, newSig, [newSecret])).toBe(true);
  });

  it('accepts either secret while PagerDuty sends two v1 values during rotation', () => {
    const header = `${newSig},${oldSig}`;
    expect(verifyPagerDutySignature(body, header, [oldSecret])).toBe(true);
    expect(verifyPagerDutySignature(body, header, [newSecret])).toBe(true);
    expect(
      verifyPagerDutySignature(body, `${oldSig}, ${newSig}`, [
        'unrelated',
        newSecret,
      ]),
    ).toBe(true);
  });

  it('accepts when our side has two secrets configured and PagerDuty sends one', () => {
    expect(verifyPagerDutySignature(body, oldSig, [newSecret, oldSecret])).toBe(
      true,
    );
  });

  it('rejects when no value matches any secret', () => {
    expect(
      verifyPagerDutySignature(body, `${newSig},${oldSig}`, ['third-secret']),
    ).toBe(false);
    expect(
      verifyPagerDutySignature(Buffer.from('{}'), `${newSig},${oldSig}`, [
        newSecret,
        oldSecret,
      ]),
    ).toBe(false);
  });

  it('rejects a missing header, an empty secret list and empty secrets', () => {
    expect(verifyPagerDutySignature(body, undefined, [newSecret])).toBe(false);
    expect(verifyPagerDutySignature(body, '', [newSecret])).toBe(false);
    expect(verifyPagerDutySignature(body, newSig, [])).toBe(false);
    const signedWithEmpty = `v1=${hmacHex('', body)}`;
    expect(verifyPagerDutySignature(body, signedWithEmpty, [''])).toBe(false);
  });

  it('skips other versions and values of the wrong length', () => {
    const hex = newSig.slice('v1='.length);
    expect(verifyPagerDutySignature(body, `v2=${hex}`, [newSecret])).toBe(
      false,
    );
    expect(
      verifyPagerDutySignature(body, `v1=${hex.slice(0, 62)}`, [newSecret]),
    ).toBe(false);
    expect(verifyPagerDutySignature(body, `v1=${hex}ff`, [newSecret])).toBe(
      false,
    );
    // A malformed value next to a good one does not spoil it.
    expect(
      verifyPagerDutySignature(body, `v1=zz,v2=${hex},${newSig}`, [newSecret]),
    ).toBe(true);
  });
});
