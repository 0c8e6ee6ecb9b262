// `npm run doctor`: looks at the running stack the way the debugging chapter does
// (docker compose ps, docker inspect, docker exec, docker logs, docker system df) and
// prints what is wrong with a fix for each. Exits 1 when something is wrong.
import { diagnose, type Finding } from './diagnose.js';
import { describeFindings, describeStack } from './report.js';
import { gatherFacts } from './stack-facts.js';

export async function runDoctor(): Promise<Finding[]> {
  const facts = await gatherFacts();
  const findings = diagnose(facts);
  console.log([...describeStack(facts), ...describeFindings(findings)].join('\n'));
  return findings.filter((finding) => finding.severity === 'problem');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runDoctor().then(
    (problems) => process.exit(problems.length ? 1 : 0),
    (error: unknown) => {
      console.error(`doctor: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
