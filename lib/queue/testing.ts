/** Helpers for the queue's own tests: a queue on the suite's Redis and a way to wait. */
import { testConfig, testRedis, uniqueName } from "../../test/harness/index.ts";
import { createQueue, type Queue } from "./index.ts";

export function testQueue(overrides: Record<string, string> = {}): Queue {
  const config = testConfig(overrides);
  return createQueue(uniqueName("q"), { client: testRedis(overrides), config });
}

/** Closes the queue's consumers and its client. */
export async function closeQueue(q: Queue): Promise<void> {
  await q.close(2000);
  await q.ctx.client.quit().catch(() => {});
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function until<T>(
  check: () => Promise<T> | T,
  timeoutMs = 5000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
