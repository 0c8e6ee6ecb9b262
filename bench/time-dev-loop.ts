import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitUntil } from '@shopstack/testing';
import type { ComposeProjectOptions, ComposeProject } from './compose-project.js';

export interface DevLoopOptions extends ComposeProjectOptions {
  service: string;
  /** A folder the service's watch rule covers, relative to root. */
  sourceDir: string;
  timeoutMs?: number;
}

/**
 * The development loop, timed: `docker compose … -f compose.dev.yml watch <service>`, then a
 * change among the service's sources (a probe file, removed afterwards), until a new
 * container of the service is healthy. Resolves with the seconds that took.
 */
export async function timeDevLoop(stack: ComposeProject, options: DevLoopOptions): Promise<number> {
  const { projectName, root, env = {}, service, sourceDir, timeoutMs = 240_000 } = options;
  const args = ['compose', '-p', projectName, '-f', 'docker-compose.yml', '-f', 'compose.dev.yml', 'watch', '--no-up', service];
  const watch = spawn('docker', args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  watch.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  watch.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const probe = path.join(root, sourceDir, '.watch-probe');
  try {
    await waitUntil('docker compose watch to start', async () => /watch enabled/i.test(output), 60_000, 200);
    const before = await stack.containerId(service);
    const changedAt = Date.now();
    writeFileSync(probe, `changed at ${new Date(changedAt).toISOString()}\n`);
    await waitUntil(
      `a new, healthy ${service} container (watch said: ${output.slice(-500)})`,
      async () => (await stack.containerId(service)) !== before && (await stack.health(service)) === 'healthy',
      timeoutMs,
      250,
    );
    return Math.round((Date.now() - changedAt) / 100) / 10;
  } finally {
    watch.kill('SIGINT');
    rmSync(probe, { force: true });
  }
}
