import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKey, signAccessToken, type SigningKey } from './signing-keys.js';
import { createTokenVerifier, remoteKeys } from './verify-token.js';

const userId = '0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a11';

/** A JWKS served over HTTP, as users serves it, counting the fetches; `keys` can change, `down` closes it. */
async function jwksServer(keys: SigningKey[]) {
  const served = { keys, fetches: 0 };
  const server: Server = createServer((_req, res) => {
    served.fetches += 1;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: served.keys.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/jwks.json`;
  const down = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { served, url, down };
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.().catch(() => undefined);
  stop = undefined;
});

describe('remoteKeys', () => {
  it('fetches the JWKS once for many tokens: no call to users per request', async () => {
    const key = await generateSigningKey();
    const users = await jwksServer([key]);
    stop = users.down;
    const verify = createTokenVerifier(remoteKeys(users.url));
    const { accessToken } = await signAccessToken(key, { userId, role: 'customer' });
    for (let i = 0; i < 50; i += 1) expect((await verify(accessToken)).userId).toBe(userId);
    expect(users.served.fetches).toBe(1);
  });

  it('fetches again for a kid it does not know (a rotated key), after a short cooldown', async () => {
    const [old, rotated] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    const users = await jwksServer([old]);
    stop = users.down;
    const verify = createTokenVerifier(remoteKeys(users.url));
    await verify((await signAccessToken(old, { userId, role: 'customer' })).accessToken);
    users.served.keys = [rotated, old];
    expect((await verify((await signAccessToken(rotated, { userId, role: 'admin' })).accessToken)).role).toBe('admin');
    expect(users.served.fetches).toBe(2);
  });

  it('fetches at most once a cooldown for a burst of made-up kids, and refuses them all', async () => {
    const [key, stranger] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    // 50 tokens, each with its own kid, signed by a key the JWKS does not have: signed first,
    // so that the burst starts within the cooldown of the fetch below.
    const forged = await Promise.all(Array.from({ length: 50 }, (_, i) => signAccessToken({ ...stranger, kid: `made-up-${i}` }, { userId, role: 'admin' })));
    const users = await jwksServer([key]);
    stop = users.down;
    const verify = createTokenVerifier(remoteKeys(users.url));
    await verify((await signAccessToken(key, { userId, role: 'customer' })).accessToken);
    const startedAt = performance.now();
    // One every 10 ms, as a client sending them one after another would: not all answered by one fetch.
    const answers = await Promise.all(
      forged.map(({ accessToken }, i) =>
        new Promise((resolve) => setTimeout(resolve, i * 10))
          .then(() => verify(accessToken))
          .then(
            () => 'accepted',
            (error: { status: number; code: string }) => ({ status: error.status, code: error.code }),
          ),
      ),
    );
    const elapsed = performance.now() - startedAt;
    expect(answers).toEqual(forged.map(() => ({ status: 401, code: 'invalid_token' })));
    // The fetch above, and at most one more per second (COOLDOWN_MS) the burst lasted.
    expect(users.served.fetches).toBeLessThanOrEqual(1 + Math.ceil(elapsed / 1000));
    // Each waits out the cooldown at most once: the burst's half second, and one more.
    expect(elapsed).toBeLessThan(3000);
  });

  it('keeps verifying with the last keys while users is down, without asking it per request', async () => {
    const key = await generateSigningKey();
    const users = await jwksServer([key]);
    const verify = createTokenVerifier(remoteKeys(users.url));
    const { accessToken } = await signAccessToken(key, { userId, role: 'customer' });
    await verify(accessToken);
    await users.down();
    // An unknown kid makes it try users, which is away; the known one still verifies.
    const stranger = await generateSigningKey();
    const refused = await verify((await signAccessToken(stranger, { userId, role: 'admin' })).accessToken).catch((error: { status: number }) => error.status);
    expect(refused).toBe(401);
    const startedAt = performance.now();
    for (let i = 0; i < 20; i += 1) expect((await verify(accessToken)).userId).toBe(userId);
    expect(performance.now() - startedAt).toBeLessThan(1000);
  });

  it('answers 503 auth_unavailable when no keys were ever fetched', async () => {
    const key = await generateSigningKey();
    const users = await jwksServer([key]);
    await users.down();
    const verify = createTokenVerifier(remoteKeys(users.url));
    const error = await verify((await signAccessToken(key, { userId, role: 'customer' })).accessToken).catch((caught: { status: number; code: string }) => caught);
    expect(error).toMatchObject({ status: 503, code: 'auth_unavailable' });
  });

  it('with prefetch, has the keys before the first token, so that it needs no publisher then', async () => {
    const key = await generateSigningKey();
    const { accessToken } = await signAccessToken(key, { userId, role: 'customer' });
    const orders = await jwksServer([key]);
    const prefetched = remoteKeys(orders.url, { prefetch: true });
    const lazy = remoteKeys(orders.url);
    await expect.poll(() => orders.served.fetches, { timeout: 5000 }).toBe(1);
    // The publisher goes away (orders stopping, its port closed) before the first token.
    await orders.down();
    expect((await createTokenVerifier(prefetched)(accessToken)).userId).toBe(userId);
    await expect(createTokenVerifier(lazy)(accessToken)).rejects.toMatchObject({ status: 503, code: 'auth_unavailable' });
  });

  it('with prefetch, asks again until the publisher answers', async () => {
    const key = await generateSigningKey();
    // Not yet there: a port nobody listens on, then a server on it a moment later.
    const probe = await jwksServer([key]);
    const { url } = probe;
    await probe.down();
    const keys = remoteKeys(url, { prefetch: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const port = Number(new URL(url).port);
    const served = { fetches: 0 };
    const server = createServer((_req, res) => {
      served.fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [key.publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
    await expect.poll(() => served.fetches, { timeout: 5000 }).toBe(1);
    await stop();
    stop = undefined;
    const { accessToken } = await signAccessToken(key, { userId, role: 'customer' });
    expect((await createTokenVerifier(keys)(accessToken)).userId).toBe(userId);
  });
});
