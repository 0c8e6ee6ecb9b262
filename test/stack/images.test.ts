import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { parse } from 'yaml';
import { docker, exec, inspect } from './stack.js';
import { NODE_SERVICES } from './stack-env.js';

describe('images', () => {
  it('builds the four Node images from one Dockerfile, told apart only by WORKSPACE', () => {
    const { root } = inject('stack');
    const file = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { build?: { context: string; dockerfile?: string; args?: Record<string, string> } }>;
    };
    const builds = NODE_SERVICES.map((service) => file.services[service]!.build!);
    expect(new Set(builds.map((build) => `${build.context}|${build.dockerfile ?? 'Dockerfile'}`)).size).toBe(1);
    expect(builds.map((build) => build.args?.['WORKSPACE'])).toEqual(['api-gateway', 'services/users', 'services/products', 'services/orders']);
  });

  it.each(NODE_SERVICES)('%s runs as a non-root user, with a healthcheck, and holds no sources, tests or dev dependencies', async (service) => {
    const uid = (await exec(service, ['id', '-u'])).output.trim();
    expect(uid).not.toBe('0');
    expect(await inspect(service, '{{.Config.User}}')).toBe('node');
    expect(await inspect(service, '{{json .Config.Healthcheck.Test}}')).toContain('/ready');
    const image = await inspect(service, '{{.Image}}');
    expect((await docker('image', 'inspect', '-f', '{{json .Config.Healthcheck.Test}}', image)).trim()).toContain('/health');

    const sources = await exec(service, ['find', '/app', '-name', '*.ts', '-o', '-name', '*.test.js', '-o', '-name', 'tsconfig*.json', '-o', '-type', 'd', '-name', 'test']);
    expect(sources.output.trim()).toBe('');
    const modules = (await exec(service, ['ls', '/app/node_modules', '/app/node_modules/@shopstack'])).output;
    for (const devOnly of ['typescript', 'vitest', 'supertest', 'testcontainers', '@types', 'pino-pretty', 'testing']) {
      expect(modules.split(/\s+/), devOnly).not.toContain(devOnly);
    }
    expect(await inspect(service, '{{range .Config.Env}}{{println .}}{{end}}')).toContain('NODE_ENV=production');
  });

  // In the container, each dependency is looked up as Node does for a bare import from the
  // workspace's folder (its own node_modules first, then the parents'), and its version
  // checked against the range its package.json declares: a package that a workspace needs
  // in another version than the top-level one must be in the image, not the other one.
  const LOOKUP = `const fs = require('fs'), path = require('path'), found = {};
    for (const [dir, dep] of JSON.parse(process.argv[1])) {
      for (let at = path.join('/app', dir); ; at = path.dirname(at)) {
        const file = path.join(at, 'node_modules', dep, 'package.json');
        if (fs.existsSync(file)) { found[dir + ' ' + dep] = JSON.parse(fs.readFileSync(file, 'utf8')).version; break; }
        if (at === '/') break;
      }
    }
    console.log(JSON.stringify(found));`;

  it.each(NODE_SERVICES)('%s holds each production dependency of its code at the version its package.json asks for', async (service) => {
    const { root } = inject('stack');
    const workspace = service === 'api-gateway' ? service : `services/${service}`;
    const closure = execFileSync('node', ['scripts/workspace-closure.mjs', workspace], { cwd: root, encoding: 'utf8' }).trim().split('\n');
    const wanted = closure.flatMap((dir) =>
      Object.entries((JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {})
        .filter(([name]) => !name.startsWith('@shopstack/'))
        .map(([name, range]) => ({ dir, name, range })),
    );
    const found = JSON.parse((await exec(service, ['node', '-e', LOOKUP, JSON.stringify(wanted.map(({ dir, name }) => [dir, name]))])).output) as Record<string, string>;
    const wrong = wanted.filter(({ dir, name, range }) => !semver.satisfies(found[`${dir} ${name}`] ?? '0.0.0-missing', range));
    expect(wrong.map(({ dir, name, range }) => `${dir}: ${name}@${range}, found ${found[`${dir} ${name}`] ?? 'nothing'}`)).toEqual([]);
  });

  it('bakes no secret into any layer or into the image configuration', async () => {
    for (const service of [...NODE_SERVICES, 'nginx'] as const) {
      const image = await inspect(service, '{{.Image}}');
      const history = await docker('history', '--no-trunc', '--format', '{{.CreatedBy}}', image);
      expect(history).not.toMatch(/password|secret|DATABASE_URL/i);
      const config = await docker('image', 'inspect', '-f', '{{json .Config.Env}} {{json .Config.Labels}}', image);
      expect(config).not.toMatch(/password|secret|DATABASE_URL/i);
      // The secrets a container gets come from compose at run time, and only there.
      const files = await exec(service, ['sh', '-c', 'grep -rl "demo-password" /app /etc/nginx 2>/dev/null || true']);
      expect(files.output.trim()).toBe('');
    }
  });

  it('runs nginx as a non-root user too', async () => {
    expect((await exec('nginx', ['id', '-u'])).output.trim()).not.toBe('0');
  });
});
