import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { earlyExitPipes, lineLinks, readRepoFile, runAsStudent, shellBlocks } from './markdown.js';
import { forgetNginxPort, nginxPort } from './stack.js';
import { STACK_ENV } from './stack-env.js';

const { root, projectName } = inject('stack');
// The port is asked again for each block: a block may recreate nginx (`up`), which gives it a new one.
const asStudent = async (block: string) => {
  forgetNginxPort();
  return runAsStudent(block, { root, projectName, port: await nginxPort(), env: STACK_ENV });
};

describe('the README, as written', () => {
  it('runs the "Try it" walkthrough, copy-pasted as a whole', async () => {
    const blocks = shellBlocks(readRepoFile(root, 'README.md'), 'Try it');
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const output = await blocksInOrder(blocks);
    const [, userId, productId] = /user ([0-9a-f-]{36}), product ([0-9a-f-]{36})/.exec(output) ?? [];
    expect(userId, output).toBeDefined();
    expect(output).toMatch(/X-Cache: miss/i);
    // The order, placed with both ids, and its request id found in the logs.
    expect(output).toContain(`"userId":"${userId}"`);
    expect(output).toContain(`"productId":"${productId}"`);
    expect(output).toContain('my-trace-1');
    // What its comments say the accounts do: Bob gets a 404 on Ann's order, no token a 401,
    // logout a 204 after which the cookie refreshes nothing, and anyone's status is one word.
    expect(output).toMatch(/"code":"not_found".*\} 404$/m);
    expect(output).toMatch(/"code":"unauthorized".*\} 401$/m);
    expect(output).toContain('logout 204');
    expect(output).toMatch(/"code":"invalid_refresh_token".*\} 401$/m);
    expect(output).toMatch(/^\{"status":"(ok|degraded)"\}$/m);
  }, 300_000);
});

describe('docs/cours.md, as written', () => {
  const guide = path.join(root, 'docs', 'cours.md');

  it('points each code link at a line that holds what it quotes', () => {
    const links = lineLinks(readRepoFile(root, 'docs/cours.md'));
    expect(links.length).toBeGreaterThan(20);
    const wrong = links.filter(({ snippet, file, line }) => {
      const target = path.resolve(path.dirname(guide), file);
      return !existsSync(target) || !(readRepoFile(root, path.relative(root, target)).split('\n')[line - 1] ?? '').includes(snippet);
    });
    expect(wrong).toEqual([]);
  });

  it('has no pipeline whose reader stops early, which pipefail would fail at random', () => {
    const blocks = [...shellBlocks(readRepoFile(root, 'docs/cours.md')), ...shellBlocks(readRepoFile(root, 'README.md'))];
    expect(blocks.flatMap(earlyExitPipes)).toEqual([]);
  });

  it('runs every shell block, in order, against the running stack', async () => {
    const blocks = shellBlocks(readRepoFile(root, 'docs/cours.md'));
    expect(blocks.length).toBeGreaterThan(10);
    await blocksInOrder(blocks);
  }, 900_000);
});

async function blocksInOrder(blocks: string[]): Promise<string> {
  let output = '';
  for (const block of blocks) output += await asStudent(block);
  return output;
}
