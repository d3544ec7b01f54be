import tls, { type PeerCertificate } from 'node:tls';
import { probeError, type ProbeError } from './probeError';

export type TlsHandshakeResult =
  | {
      kind: 'connected';
      /** The chain is trusted by the CAs and valid for the hostname. */
      authorized: boolean;
      /** OpenSSL's or Node's code when not authorized (`CERT_HAS_EXPIRED`, ...). */
      authorizationError?: string;
      certificate: PeerCertificate;
    }
  | ProbeError;

/**
 * A TLS handshake with `address`:`port` presenting `hostname` as SNI. It does
 * not reject an untrusted certificate itself: it reports whether the chain
 * and hostname verified, so the caller can name the expiry date or the
 * verification error of a certificate it would not trust. It sends nothing
 * after the handshake.
 */
export function tlsHandshake(options: {
  address: string;
  port: number;
  hostname: string;
  ca?: string;
  signal: AbortSignal;
}): Promise<TlsHandshakeResult> {
  const { signal } = options;
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve(probeError(new Error('aborted'), signal));
      return;
    }
    let socket: tls.TLSSocket;
    try {
      socket = tls.connect({
        host: options.address,
        port: options.port,
        servername: options.hostname,
        ...(options.ca ? { ca: options.ca } : {}),
        // Verification still runs (and fills authorizationError, including a
        // hostname mismatch); the connection is only not torn down for it.
        rejectUnauthorized: false,
      });
    } catch (error) {
      // Options Node refuses synchronously (a malformed CA).
      resolve(probeError(error as NodeJS.ErrnoException, signal));
      return;
    }
    const onAbort = () => socket.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (result: TlsHandshakeResult) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    socket.once('secureConnect', () =>
      done({
        kind: 'connected',
        authorized: socket.authorized,
        authorizationError: socket.authorizationError
          ? String(socket.authorizationError)
          : undefined,
        certificate: socket.getPeerCertificate(),
      }),
    );
    const fail = (error: NodeJS.ErrnoException) =>
      done(probeError(error, signal));
    socket.once('error', fail);
    socket.once('close', () =>
      fail(
        Object.assign(new Error('the server closed the connection'), {
          code: 'ECONNRESET',
        }),
      ),
    );
  });
}
