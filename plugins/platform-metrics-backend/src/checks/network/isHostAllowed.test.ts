import { isHostAllowed, normalizeHostname } from './isHostAllowed';

describe('isHostAllowed', () => {
  const domains = ['apps.acme.example'];

  it.each([
    'apps.acme.example',
    'payments.apps.acme.example',
    'Payments.Apps.Acme.Example.',
    'a.b.apps.acme.example',
  ])('allows %s', host => {
    expect(isHostAllowed(host, domains)).toBe(true);
  });

  it.each([
    'evilapps.acme.example',
    'apps.acme.example.evil.test',
    'acme.example',
    'payments.apps.acme.example:8443',
    'user@payments.apps.acme.example',
    '127.0.0.1',
    '[::1]',
    'payments..apps.acme.example',
    '-x.apps.acme.example',
    '',
  ])('refuses %j', host => {
    expect(isHostAllowed(host, domains)).toBe(false);
  });

  it('refuses everything when no domain is allowed', () => {
    expect(isHostAllowed('payments.apps.acme.example', [])).toBe(false);
  });

  it('refuses names a URL parser would read as an IPv4 address', () => {
    expect(normalizeHostname('0x7f.1')).toBeUndefined();
    expect(normalizeHostname('2130706433')).toBeUndefined();
    expect(normalizeHostname('svc.apps.example.test')).toBe(
      'svc.apps.example.test',
    );
  });
});
