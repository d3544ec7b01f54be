import { bearerToken, verifySharedToken } from './verifySharedToken';

describe('verifySharedToken', () => {
  it('accepts the same token', () => {
    expect(verifySharedToken('s3cr3t-tøken', 's3cr3t-tøken')).toBe(true);
  });

  it('rejects other tokens, whatever their length', () => {
    expect(verifySharedToken('s3cr3t-token', 's3cr3t-tokem')).toBe(false);
    expect(verifySharedToken('s3cr3t', 's3cr3t-token')).toBe(false);
    expect(verifySharedToken('s3cr3t-token-and-more', 's3cr3t-token')).toBe(
      false,
    );
  });

  it('rejects a missing token and never accepts an empty expected token', () => {
    expect(verifySharedToken(undefined, 's3cr3t')).toBe(false);
    expect(verifySharedToken('', 's3cr3t')).toBe(false);
    expect(verifySharedToken('', '')).toBe(false);
    expect(verifySharedToken('anything', '')).toBe(false);
  });
});

describe('bearerToken', () => {
  it('extracts the token of a Bearer authorization header', () => {
    expect(bearerToken('Bearer abc.def-123')).toBe('abc.def-123');
    expect(bearerToken('bearer   abc ')).toBe('abc');
  });

  it('returns undefined for other schemes and malformed headers', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
  });

  it('feeds verifySharedToken for Alertmanager', () => {
    expect(verifySharedToken(bearerToken('Bearer tok'), 'tok')).toBe(true);
    expect(verifySharedToken(bearerToken('Basic tok'), 'tok')).toBe(false);
  });
});
