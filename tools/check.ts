// `npm run check`: after a "break it" exercise of docs/cours.md, says whether the stack is
// back to correct: first the files (compose file, Dockerfiles, .dockerignore), then the
// running stack (the doctor, and each service's metrics). Exits 1 when a rule is broken.
import { readBuildFiles } from './build-files.js';
import { loadComposeModel } from './compose-model.js';
import { runDoctor } from './doctor.js';
import { checkMetrics } from './metrics-check.js';
import { checkRules, type RuleResult } from './rules.js';

function print(result: RuleResult): void {
  console.log(`  ${result.failures.length ? '✗' : '✓'} [${result.chapter}] ${result.rule}`);
  for (const failure of result.failures) console.log(`      ${failure}\n      fix: ${result.fix}`);
}

async function main(): Promise<number> {
  const model = await loadComposeModel({ allProfiles: true });
  const results = checkRules(model, readBuildFiles(model));
  console.log('The files\n');
  results.forEach(print);
  console.log('\nThe running stack\n');
  const problems = await runDoctor();
  const metrics = await checkMetrics();
  console.log('');
  print(metrics);
  const broken = [...results, metrics].filter((result) => result.failures.length).length + problems.length;
  console.log(broken ? `\n${broken} thing(s) to fix.` : '\nAll good: the stack is back to correct.');
  return broken ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`check: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
