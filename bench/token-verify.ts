// `npm run bench:verify`: what checking one access token costs a process, the first time
// (an Ed25519 signature and the claims, through jose) and every time after (the verified-
// token cache). CPU time of this process over many checks; bounded in count.
import { randomUUID } from 'node:crypto';
import { createTokenVerifier, generateSigningKey, localKeys, signAccessToken } from '@shopstack/auth';

const CHECKS = 20_000;

async function cpuMicrosPerCall(call: (i: number) => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < CHECKS; i += 1) await call(i);
  const used = process.cpuUsage(before);
  return Math.round(((used.user + used.system) / CHECKS) * 10) / 10;
}

const key = await generateSigningKey();
const verify = createTokenVerifier(localKeys({ keys: [key.publicJwk] }));
// As many different tokens as checks (one per user), each met once.
const tokens = await Promise.all(
  Array.from({ length: CHECKS }, async () => (await signAccessToken(key, { userId: randomUUID(), role: 'customer' })).accessToken),
);
const first = await cpuMicrosPerCall((i) => verify(tokens[i]!));
const again = await cpuMicrosPerCall(() => verify(tokens[0]!));
console.log(`| check of one access token | CPU µs per check (${CHECKS} checks) |`);
console.log('|---|---|');
console.log(`| first time (signature and claims) | ${first} |`);
console.log(`| again, until it expires (cached) | ${again} |`);
