import { execFile } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the docker CLI; never throws: a failed command is a fact the doctor reports. */
export function docker(args: readonly string[], timeoutMs = 30_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile('docker', args, { maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() || (error && code !== 0 ? error.message : '') });
    });
  });
}

/**
 * `docker compose` for the project of the current folder, as a student types it; the
 * project name can be changed as compose itself allows (COMPOSE_PROJECT_NAME).
 */
export const compose = (args: readonly string[], timeoutMs?: number) => docker(['compose', ...args], timeoutMs);

/** Compose writes terminal control sequences even into a pipe. */
export const plain = (text: string) => stripVTControlCharacters(text);
