import { isRedis, type ComposeModel, type ComposeService } from './compose-model.js';
import type { Rule } from './rules.js';

/** Names that say a variable holds a secret (REFRESH_TOKEN_TTL_SECONDS is a duration, not a token). */
const SECRET_NAME = /PASSWORD|SECRET|(^|_)TOKEN$|(^|_)KEY$/;
/** A URL that carries a password: scheme://user:password@host. */
const URL_WITH_PASSWORD = /\/\/[^/@\s:]+:[^/@\s]+@/;

/** Whether a container may gain privileges through a setuid program. */
const mayGainPrivileges = (service: ComposeService) =>
  !service.security_opt?.some((option) => /^no-new-privileges(:true)?$/.test(option));

/** What in a service's environment is a secret: the variable names, each with why. */
function secretsIn(service: ComposeService): string[] {
  return Object.entries(service.environment ?? {}).flatMap(([key, value]) => {
    if (key.endsWith('_FILE')) return [];
    if (SECRET_NAME.test(key)) return [key];
    return URL_WITH_PASSWORD.test(value ?? '') ? [`${key} (a URL with a password)`] : [];
  });
}

/**
 * Whether Redis asks its clients who they are: users and their passwords in an ACL file
 * (`--aclfile`), or a config file of its own that the container mounts (where `aclfile`
 * or `user` lines go). A password on the command line would be readable in `docker inspect`.
 */
function asksForAPassword(service: ComposeService): boolean {
  const command = service.command ?? [];
  if (command.includes('--aclfile')) return true;
  const config = command.find((argument) => argument.endsWith('.conf'));
  return config !== undefined && (service.volumes ?? []).some((volume) => volume.target === config);
}

/** Least privilege inside: what one container taken over can do, and read. */
export const PRIVILEGE_RULES: Rule[] = [
  {
    chapter: 'Least privilege',
    rule: 'every container drops all capabilities and cannot gain privileges',
    fix: 'add `cap_drop: [ALL]` and `security_opt: [no-new-privileges:true]`; add back with cap_add only what the image needs, said why',
    check: (model: ComposeModel) =>
      Object.entries(model.services).flatMap(([name, service]) => [
        ...(service.cap_drop?.includes('ALL') ? [] : [`${name} keeps Docker's default capabilities`]),
        ...(mayGainPrivileges(service) ? [`${name} may gain privileges (no no-new-privileges)`] : []),
      ]),
  },
  {
    chapter: '2 - Environment variables',
    rule: 'no secret in any environment: passwords, keys and tokens reach a container as files',
    fix: 'pass the secret as a file (Compose `secrets:`, or a volume only that container mounts) and its path in the *_FILE variable',
    check: (model: ComposeModel) =>
      Object.entries(model.services).flatMap(([name, service]) => secretsIn(service).map((what) => `${name}: ${what} in the environment`)),
  },
  {
    chapter: '4 - Redis',
    rule: 'Redis lets no client in without a user and a password',
    fix: 'start redis-server with `--aclfile <file>` (one user per client, `user default off`), the file mounted into Redis alone',
    check: (model: ComposeModel) =>
      Object.entries(model.services)
        .filter(([, service]) => isRedis(service) && !asksForAPassword(service))
        .map(([name]) => `${name} answers any client (no --aclfile, no config file)`),
  },
];
