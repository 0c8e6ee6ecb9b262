// The secrets job. `docker compose up` runs it before anything that needs a secret, with the
// whole `secrets` volume at /secrets; each other container mounts only its own folder.
// Its entrypoint is `node dist/make-secrets.js`, so with compose:
//   docker compose run --rm secrets               makes each secret that is missing; keeps the others
//   docker compose run --rm -T secrets set <name> replaces <name> with standard input, everywhere it goes
//   docker compose run --rm -T secrets show <name> prints <name> (the admin's password, say)
// -T: no terminal, which would turn the line break into CR LF, and $(…) would keep the CR.
// deploy/swarm/deploy.sh runs the same image to make the Swarm secrets.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { certificateNames, selfSigned } from './certificate.js';
import { redisAclFile, redisExporterAuthFile } from './redis-acl.js';
import { secretStore } from './secret-store.js';
import { SECRETS, type Secret } from './secrets-table.js';

const store = secretStore(process.env['SECRETS_DIR'] ?? '/secrets');
const newPassword = () => randomBytes(24).toString('base64url');

function secretNamed(name: string): Secret {
  const secret = SECRETS.find((candidate) => candidate.name === name && candidate.make === 'password');
  if (!secret) throw new Error(`no password named ${name}: ${SECRETS.filter((s) => s.make === 'password').map((s) => s.name).join(', ')}`);
  return secret;
}

/** Every password, made if missing; the ACL file from them; the certificate if its names changed. */
async function makeMissing(): Promise<void> {
  const passwords = new Map<string, string>();
  for (const { name, to } of SECRETS.filter((secret) => secret.make === 'password')) {
    let value = store.read(name, to);
    if (value === undefined) {
      value = newPassword();
      console.log(`made ${name} for ${to.join(', ')}`);
      // Shown once, here: the only secret a person types. Read it again with `show`.
      if (name === 'admin_password') console.log(`the admin logs in with ${value}`);
    }
    // Written again each time: a folder added to the table later gets the value it shares.
    store.write(name, value, to);
    passwords.set(name, value);
  }
  for (const { to } of SECRETS.filter((secret) => secret.make === 'redis-acl')) store.write('redis_acl', redisAclFile(passwords), to);
  for (const { name, to } of SECRETS.filter((secret) => secret.make === 'redis-exporter-auth')) {
    store.write(name, redisExporterAuthFile(passwords.get('redis_exporter_password') ?? ''), to);
  }
  for (const { to } of SECRETS.filter((secret) => secret.make === 'certificate')) {
    const names = certificateNames(process.env['PUBLIC_HOST']).join(',');
    if (store.read('tls_names', to) === names && store.read('tls_cert', to) !== undefined) continue;
    const { cert, key } = await selfSigned(process.env['PUBLIC_HOST']);
    store.write('tls_cert', cert, to);
    store.write('tls_key', key, to);
    store.write('tls_names', names, to);
    console.log(`made a self-signed certificate for ${names}`);
  }
}

const [command, name] = process.argv.slice(2);
if (command === 'show' && name) {
  // Any file the job makes (tls_cert, redis_acl too), as it is: deploy.sh pipes it into a
  // Swarm secret. A line break after it only for a person reading it in a terminal.
  const value = store.read(name, [...new Set(SECRETS.flatMap((secret) => secret.to))]);
  if (value === undefined) throw new Error(`no ${name}: run the job first, or see jobs/secrets/src/secrets-table.ts`);
  process.stdout.write(process.stdout.isTTY ? `${value}\n` : value);
} else if (command === 'set' && name) {
  const secret = secretNamed(name);
  const value = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  if (value.trim() === '') throw new Error(`give the new ${name} on standard input`);
  if (name === 'admin_password' && value.length < 10) throw new Error('the admin’s password needs at least 10 characters');
  store.write(name, value, secret.to);
  console.log(`set ${name} for ${secret.to.join(', ')}`);
  await makeMissing();
} else if (command === undefined) {
  await makeMissing();
} else {
  console.error('usage: make-secrets [set <name> | show <name>]');
  process.exit(2);
}
