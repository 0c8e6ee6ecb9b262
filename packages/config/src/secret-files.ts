import { readFileSync } from 'node:fs';

type Environment = Readonly<Record<string, string | undefined>>;

const FILE_SUFFIX = '_FILE';

/**
 * The `<NAME>_FILE` convention of Docker's official images: a secret is handed over as a
 * file (Swarm and Kubernetes mount them under /run/secrets), so that it never shows in the
 * environment, `docker inspect` or a crash report. For each `<NAME>_FILE` whose NAME the
 * schema knows, the file's content (without its final line break) becomes NAME.
 *
 * Problems are returned, not thrown, so that they join the schema's in one message; they
 * name the variable and the path, never the content.
 */
export function readSecretFiles(
  environment: Environment,
  knownKeys: ReadonlySet<string>,
): { environment: Record<string, string | undefined>; problems: Map<string, string> } {
  const resolved: Record<string, string | undefined> = { ...environment };
  // By the key the file stands for: the schema would also report that key missing.
  const problems = new Map<string, string>();
  for (const [fileKey, path] of Object.entries(environment)) {
    if (!fileKey.endsWith(FILE_SUFFIX) || path === undefined || path === '') continue;
    const key = fileKey.slice(0, -FILE_SUFFIX.length);
    if (!knownKeys.has(key)) continue;
    delete resolved[fileKey];
    if (environment[key] !== undefined && environment[key] !== '') {
      problems.set(key, `${key} and ${fileKey} are both set: set one`);
      continue;
    }
    let content: string;
    try {
      content = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      problems.set(key, `${fileKey} names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}: ${path})`);
      continue;
    }
    if (content.trim() === '') {
      problems.set(key, `${fileKey} names an empty file (${path})`);
      continue;
    }
    resolved[key] = content;
  }
  return { environment: resolved, problems };
}
