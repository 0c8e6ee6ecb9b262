import { chmodSync, chownSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NODE_CONTAINERS, NODE_GID } from './secrets-table.js';

/** The `secrets` volume: one folder per container, each file a secret. */
export function secretStore(root: string) {
  return {
    /** A secret's value, from the first of its folders that has it. */
    read(name: string, to: readonly string[]): string | undefined {
      for (const folder of to) {
        try {
          return readFileSync(path.join(root, folder, name), 'utf8');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
      return undefined;
    },

    /**
     * Writes a secret into each of its folders: to a new file first, renamed over the old one,
     * so that a container starting meanwhile reads the old value or the new one, never half.
     */
    write(name: string, value: string, to: readonly string[]): void {
      for (const folder of to) {
        const dir = path.join(root, folder);
        mkdirSync(dir, { recursive: true, mode: 0o755 });
        const file = path.join(dir, name);
        writeFileSync(`${file}.new`, value, { mode: 0o600 });
        if (NODE_CONTAINERS.has(folder)) {
          // Owner root, group node: the service reads it (0440), and so does this job when it
          // runs again, without the right to read any file (only CAP_CHOWN, to hand it over).
          // Only root may do that; a run as another user (a test) keeps the file its own.
          if (process.getuid?.() === 0) chownSync(`${file}.new`, 0, NODE_GID);
          chmodSync(`${file}.new`, 0o440);
        } else {
          chmodSync(`${file}.new`, 0o444);
        }
        renameSync(`${file}.new`, file);
      }
    },
  };
}
