import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** The names a certificate is made for: localhost, 127.0.0.1 and PUBLIC_HOST when set. */
export function certificateNames(publicHost: string | undefined): string[] {
  return ['localhost', '127.0.0.1', ...(publicHost ? [publicHost] : [])];
}

/**
 * A self-signed certificate (ECDSA P-256, SHA-256, 825 days: the longest browsers accept)
 * for localhost, 127.0.0.1 and PUBLIC_HOST: what nginx serves HTTPS with when it is given
 * no certificate of its own.
 */
export async function selfSigned(publicHost: string | undefined): Promise<{ cert: string; key: string }> {
  const names = certificateNames(publicHost);
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + 825 * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: publicHost || 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })) },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
