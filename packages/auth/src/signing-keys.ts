import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, SignJWT, type JWK } from 'jose';
import type { Caller } from './caller.js';
import { ACCESS_TOKEN_TTL_SECONDS, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './token-settings.js';

/** A signing key as it is stored: its id (the public key's RFC 7638 thumbprint) and both halves as JWKs. */
export interface SigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

type PrivateKey = Awaited<ReturnType<typeof importPKCS8>>;

async function fromPrivateKey(privateKey: PrivateKey): Promise<SigningKey> {
  const privateJwk = await exportJWK(privateKey);
  // The public half is the private JWK without its private member `d`.
  const { d: _private, ...publicPart } = privateJwk;
  const kid = await calculateJwkThumbprint(publicPart);
  return { kid, privateJwk: { ...privateJwk, kid }, publicJwk: { ...publicPart, kid, alg: TOKEN_ALGORITHM, use: 'sig' } };
}

/** A new Ed25519 key pair. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  return fromPrivateKey(privateKey);
}

/** A key given as a PEM file (PKCS #8, `openssl genpkey -algorithm ed25519`), such as a Swarm secret. */
export async function signingKeyFromPem(pem: string): Promise<SigningKey> {
  return fromPrivateKey(await importPKCS8(pem, TOKEN_ALGORITHM, { extractable: true }));
}

/** A signed access token for `caller`, valid ACCESS_TOKEN_TTL_SECONDS. */
export async function signAccessToken(key: SigningKey, caller: Caller, now = Date.now()): Promise<{ accessToken: string; expiresIn: number }> {
  const issuedAt = Math.floor(now / 1000);
  const accessToken = await new SignJWT({ role: caller.role, ...(caller.loginId ? { sid: caller.loginId } : {}) })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(caller.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ACCESS_TOKEN_TTL_SECONDS)
    .sign(await importJWK(key.privateJwk, TOKEN_ALGORITHM));
  return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}
