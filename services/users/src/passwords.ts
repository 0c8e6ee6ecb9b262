import { hash, verify, type Algorithm } from '@node-rs/argon2';

// OWASP's Password Storage Cheat Sheet, first argon2id line: 19 MiB of memory, 2 passes, one
// lane. About 10 ms of one core per hash on a laptop core: slow for a guesser, quick for a login.
// Algorithm is a const enum, which this build cannot read: 2 is its Argon2id.
const ARGON2ID = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

/** False for a wrong password and for a hash that is not one (never throws for either). */
export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * For a login with an unknown email: the same work as for a wrong password, so that the time
 * taken does not tell whether an address is registered. Made once, with the same parameters.
 */
let dummy: Promise<string> | undefined;
export async function spendPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('a password no account has, for timing only');
  await passwordMatches(await dummy, password);
}
