import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';

const run = promisify(execFile);

/** The folder holding docker-compose.yml, found by walking up from this file (in bench/ or bench/dist/). */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'docker-compose.yml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('docker-compose.yml not found above the bench folder');
    dir = parent;
  }
  return dir;
}

export interface ComposeProjectOptions {
  projectName: string;
  /** The folder holding the compose files. */
  root: string;
  files?: string[];
  /** Variables for compose's interpolation, on top of the current environment. */
  env?: Record<string, string>;
}

/** Commands against one compose project: the stack tests' and the benchmark's way in. */
export function composeProject({ projectName, root, files = ['docker-compose.yml'], env = {} }: ComposeProjectOptions) {
  async function compose(...args: string[]): Promise<string> {
    const { stdout } = await run('docker', ['compose', '-p', projectName, ...files.flatMap((file) => ['-f', file]), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  }

  /** The service's (first) container, stopped ones included, so a stopped one can be inspected. */
  async function containerId(service: string): Promise<string> {
    const id = (await compose('ps', '--all', '-q', service)).trim().split('\n')[0];
    if (!id) throw new Error(`no container for ${service}`);
    return id;
  }

  async function inspect(service: string, format: string): Promise<string> {
    return (await docker('inspect', '-f', format, await containerId(service))).trim();
  }

  /**
   * Runs the secrets job with these arguments (`set <name>`, `show <name>`), standard input
   * given, and resolves with what it printed: how a test sets or reads a secret.
   */
  async function secretsJob(args: string[], input = ''): Promise<string> {
    const running = run('docker', ['compose', '-p', projectName, ...files.flatMap((file) => ['-f', file]), 'run', '--rm', '-T', 'secrets', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    running.child.stdin?.end(input);
    return (await running).stdout;
  }

  return {
    compose,
    containerId,
    secretsJob,
    inspect,
    /** Runs a command in a service's container; resolves with its exit code and output. */
    async exec(service: string, command: string[]): Promise<{ code: number; output: string }> {
      try {
        const { stdout, stderr } = await run('docker', ['exec', await containerId(service), ...command]);
        return { code: 0, output: stdout + stderr };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof failed.code === 'number' ? failed.code : 1, output: (failed.stdout ?? '') + (failed.stderr ?? '') };
      }
    },
    health: (service: string) => inspect(service, '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}'),
    /** The host port a service's container port is published on. */
    async hostPort(service: string, containerPort: number): Promise<number> {
      const mapping = (await compose('port', service, String(containerPort))).trim();
      return Number(mapping.slice(mapping.lastIndexOf(':') + 1));
    },
    /** Plain lines: compose writes terminal control sequences even into a pipe. */
    async logs(service: string): Promise<string> {
      return stripVTControlCharacters(await compose('logs', '--no-color', '--no-log-prefix', service));
    },
  };
}

export type ComposeProject = ReturnType<typeof composeProject>;

export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
