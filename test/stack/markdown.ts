import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The ```sh blocks of a markdown file (```console ones are shown, not run). */
export function shellBlocks(markdown: string, section?: string): string[] {
  const text = section ? sectionOf(markdown, section) : markdown;
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((match) => match[1]!);
}

/** A `## heading` and what follows it, up to the next heading of the same level. */
function sectionOf(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section "${heading}"`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** Links written [`snippet`](path#Lnn): the line they point at must hold the snippet. */
export function lineLinks(markdown: string): Array<{ snippet: string; file: string; line: number }> {
  return [...markdown.matchAll(/\[`([^`]+)`\]\(([^)#\s]+)#L(\d+)\)/g)].map((match) => ({
    snippet: match[1]!,
    file: match[2]!,
    line: Number(match[3]),
  }));
}

/**
 * Pipelines whose reader stops before the writer is done (`| head`, `| grep -q`): under
 * pipefail the writer's SIGPIPE fails the block, at random. Text in single quotes runs in
 * another shell (`sh -c '…'` in a container) and is left out.
 */
export function earlyExitPipes(block: string): string[] {
  return block
    .split('\n')
    .filter((line) => /\|\s*(head\b|grep\s+-\w*[qml])/.test(line.replaceAll(/'[^']*'/g, "''")));
}

export function readRepoFile(root: string, relative: string): string {
  return readFileSync(path.join(root, relative), 'utf8');
}

/**
 * Runs a block as a student would paste it, in bash with -e and pipefail, from the
 * repository root, against the test stack: the demo's names and port become the test
 * project's (shopstack_backend → <project>_backend, localhost:8080 → its port).
 */
export async function runAsStudent(
  block: string,
  { root, projectName, port, env }: { root: string; projectName: string; port: number; env: Record<string, string> },
): Promise<string> {
  const script = block
    .replaceAll('localhost:8080', `localhost:${port}`)
    .replace(/\bshopstack([_-])(?=[a-z])/g, `${projectName}$1`);
  try {
    const { stdout, stderr } = await run('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd: root,
      env: { ...process.env, ...env, COMPOSE_PROJECT_NAME: projectName },
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout + stderr;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`this block failed:\n${script}\n--- output:\n${failed.stdout ?? ''}${failed.stderr ?? failed.message}`, { cause: error });
  }
}
