import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../bench/compose-project.js';

const run = promisify(execFile);

/** Runs one of deploy/swarm/*.sh, as a student would, with the given environment. */
export async function script(name: string, env: Record<string, string>, ...args: string[]): Promise<string> {
  const root = repoRoot();
  try {
    const { stdout } = await run(path.join(root, 'deploy/swarm', name), args, {
      cwd: root,
      env: { ...process.env, ...env },
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${name} failed: ${failed.message}\n${(failed.stdout ?? '').slice(-4000)}\n${(failed.stderr ?? '').slice(-4000)}`, { cause: error });
  }
}
