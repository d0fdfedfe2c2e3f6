/**
 * Writes every cache count so far: a timer flush already under way may not hold the latest ones,
 * so flush twice. Free of vitest, so the e2e helpers use it too.
 */
export async function settleStats(c: { flushStats(): Promise<void> }): Promise<void> {
  await c.flushStats();
  await c.flushStats();
}
