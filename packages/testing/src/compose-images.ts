import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The folder holding docker-compose.yml, found by walking up from this file. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'docker-compose.yml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('docker-compose.yml not found above the testing package');
    dir = parent;
  }
  return dir;
}

/**
 * The image a compose service runs, read from docker-compose.yml: tests use exactly the
 * Postgres and Redis the stack uses, and a version bump happens in one place.
 */
export function composeImage(service: string): string {
  const compose = parse(readFileSync(path.join(repoRoot(), 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { image?: string }>;
  };
  const image = compose.services[service]?.image;
  if (!image) throw new Error(`docker-compose.yml has no image for service ${service}`);
  // Resolve ${VAR:-default} to its default, as compose would with VAR unset.
  return image.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
}
