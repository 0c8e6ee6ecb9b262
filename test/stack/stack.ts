import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { STACK_ENV, type Service } from './stack-env.js';

const run = promisify(execFile);

/** `docker compose …` on the test stack's project; answers stdout. */
export async function compose(...args: string[]): Promise<string> {
  const { projectName, root } = inject('stack');
  const { stdout } = await run('docker', ['compose', '-p', projectName, '-f', 'docker-compose.yml', ...args], {
    cwd: root,
    env: { ...process.env, ...STACK_ENV },
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export async function containerId(service: Service): Promise<string> {
  const id = (await compose('ps', '-q', service)).trim().split('\n')[0];
  if (!id) throw new Error(`no container for ${service}`);
  return id;
}

/** Runs a command inside a service's container; resolves with its exit code and output. */
export async function exec(service: Service, command: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('docker', ['exec', await containerId(service), ...command]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, output: (failed.stdout ?? '') + (failed.stderr ?? '') };
  }
}

export async function inspect(service: Service, format: string): Promise<string> {
  return (await docker('inspect', '-f', format, await containerId(service))).trim();
}

export const health = (service: Service) => inspect(service, '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}');

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 60_000, intervalMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const waitHealthy = (service: Service, timeoutMs = 90_000) =>
  waitUntil(`${service} to be healthy`, async () => (await health(service)) === 'healthy', timeoutMs);

let port: number | undefined;

/** The host port Docker gave nginx (it changes when the stack is recreated). */
export async function nginxPort(): Promise<number> {
  if (port === undefined) {
    const mapping = (await compose('port', 'nginx', '80')).trim();
    port = Number(mapping.slice(mapping.lastIndexOf(':') + 1));
  }
  return port;
}

export function forgetNginxPort(): void {
  port = undefined;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A request to the stack through nginx, the only way in. */
export async function api<T = any>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<ApiResponse<T>> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  const res = await fetch(`http://127.0.0.1:${await nginxPort()}${path}`, {
    ...rest,
    headers,
    body: json !== undefined ? JSON.stringify(json) : rest.body,
    signal: rest.signal ?? AbortSignal.timeout(45_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: tests that care assert on it
  }
  return { status: res.status, headers: res.headers, body: body as T, text };
}

/**
 * A request written as-is with node:http, for what fetch refuses to send: methods such as
 * TRACE, empty or odd header values, malformed paths.
 */
export async function rawRequest(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<ApiResponse> {
  const port = await nginxPort();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, timeout: 45_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: the caller decides
        }
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: parsed, text });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

export async function logs(service: Service): Promise<string> {
  // compose writes terminal control sequences even here; strip them to keep plain lines.
  return (await compose('logs', '--no-color', '--no-log-prefix', service)).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

/** Restarts nginx: it resolves the gateway's addresses at start, and gets a new host port. */
export async function restartNginx(): Promise<void> {
  await compose('restart', 'nginx');
  forgetNginxPort();
}

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export async function createUser(): Promise<{ id: string; email: string }> {
  const res = await api('/api/users', { method: 'POST', json: { email: `user.${unique()}@example.com`, name: 'Stack Tester' } });
  if (res.status !== 201) throw new Error(`user not created: ${res.status} ${res.text}`);
  return res.body;
}

export async function createProduct(stock = 100, priceCents = 1500): Promise<{ id: string; stock: number }> {
  const res = await api('/api/products', { method: 'POST', json: { name: `Product ${unique()}`, priceCents, stock } });
  if (res.status !== 201) throw new Error(`product not created: ${res.status} ${res.text}`);
  return res.body;
}
