// `npm run bench:dev-loop`: the development loop of compose.dev.yml, timed. Starts its own
// copy of the stack (project shopstack-devloop, nginx on a free loopback port), changes a
// file among products' sources three times under `docker compose watch`, and reports the
// median time from the change to a new, healthy products container. Removes the copy after.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeProject, repoRoot } from './compose-project.js';
import { timeDevLoop } from './time-dev-loop.js';

const TARGET_SECONDS = 60;
const root = repoRoot();
const options = { projectName: 'shopstack-devloop', root, env: { HTTP_PORT: '127.0.0.1:0' } };
const stack = composeProject(options);

async function main(): Promise<void> {
  console.log('[dev-loop] building and starting the stack');
  await stack.compose('up', '--build', '-d', '--wait');
  const runs: number[] = [];
  try {
    for (let run = 0; run < 3; run++) {
      runs.push(await timeDevLoop(stack, { ...options, service: 'products', sourceDir: 'services/products/src' }));
      console.log(`[dev-loop] run ${run + 1}: ${runs.at(-1)} s`);
    }
  } finally {
    await stack.compose('down', '-v', '--rmi', 'local');
  }
  const median = [...runs].sort((a, b) => a - b)[1]!;
  const result = { date: new Date().toISOString(), runs, medianSeconds: median, targetSeconds: TARGET_SECONDS, met: median <= TARGET_SECONDS };
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', 'dev-loop.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`dev loop, source change → new container healthy: ${median} s (median of 3; target <= ${TARGET_SECONDS} s) ${result.met ? 'met' : 'MISSED'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
