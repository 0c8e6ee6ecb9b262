/**
 * Runs clean-up steps in order, each bounded in time: one that hangs or fails is reported
 * and the next still runs, so containers are stopped whatever happened before.
 */
export async function cleanUp(steps: Record<string, () => Promise<unknown>>, timeoutMs = 15_000): Promise<void> {
  const problems: string[] = [];
  for (const [label, step] of Object.entries(steps)) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([step(), timeout]);
    } catch (error) {
      problems.push(`${label}: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
  if (problems.length > 0) throw new Error(`clean-up problems: ${problems.join('; ')}`);
}
