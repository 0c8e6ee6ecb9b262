import { withTimeout } from '@shopstack/resilience';

/**
 * Runs clean-up steps in order, each bounded in time: one that hangs or fails is reported
 * and the next still runs, so containers are stopped whatever happened before.
 */
export async function cleanUp(steps: Record<string, () => Promise<unknown>>, timeoutMs = 15_000): Promise<void> {
  const problems: string[] = [];
  for (const [label, step] of Object.entries(steps)) {
    try {
      await withTimeout(step(), timeoutMs, label);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new Error(`clean-up problems: ${problems.join('; ')}`);
}
