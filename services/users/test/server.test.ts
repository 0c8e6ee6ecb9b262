import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const server = fileURLToPath(new URL('../dist/server.js', import.meta.url));

/** Starts the built server with only the given environment; resolves when it exits. */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [server], { env: { PATH: process.env['PATH'] ?? '', ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('server start-up', () => {
  it('exits 1 at once with one message naming every bad or missing setting', async () => {
    const { code, output } = await start({ PORT: 'eighty', LOG_LEVEL: 'chatty' });
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'fatal', service: 'users' });
    expect(line.msg).toBe(
      'Invalid configuration (4 problems): PORT must be a whole number; LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; DATABASE_URL is required but not set; REDIS_URL is required but not set',
    );
  });
});
