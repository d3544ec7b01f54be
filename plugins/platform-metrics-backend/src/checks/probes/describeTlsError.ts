const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * A TLS verification error code (OpenSSL's or Node's) in words, or undefined
 * when the code is not about the certificate.
 */
export function describeTlsError(code: string | undefined): string | undefined {
  if (!code) return undefined;
  if (code === 'CERT_HAS_EXPIRED') return 'the certificate has expired';
  if (code === 'CERT_NOT_YET_VALID') return 'the certificate is not valid yet';
  if (code === 'CERT_REVOKED') return 'the certificate was revoked';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return 'the certificate is not valid for this hostname';
  }
  if (UNTRUSTED.has(code)) {
    return `the certificate chain is not trusted by the configured CAs (${code})`;
  }
  if (code.startsWith('ERR_SSL_') || code === 'EPROTO') {
    return `the TLS handshake failed (${code})`;
  }
  return undefined;
}
