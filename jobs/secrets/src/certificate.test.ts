import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { selfSigned } from './certificate.js';

describe('the self-signed certificate', () => {
  it('names localhost, 127.0.0.1 and PUBLIC_HOST, with an ECDSA P-256 key that matches it', async () => {
    const { cert, key } = await selfSigned('shop.test');
    const x509 = new X509Certificate(cert);
    expect(x509.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, DNS:shop.test');
    expect(x509.subject).toBe('CN=shop.test');
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
    const days = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(825);
  });

  it('takes an address as an IP entry, and is for localhost without PUBLIC_HOST', async () => {
    expect(new X509Certificate((await selfSigned('192.168.1.20')).cert).subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:192.168.1.20');
    expect(new X509Certificate((await selfSigned(undefined)).cert).subject).toBe('CN=localhost');
  });
});
