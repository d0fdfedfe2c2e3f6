/** The shared deadline queue of cache calls: expiry, settling, and no pile-up under a long timeout. */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { DeadlineQueue, settle } from "./deadlines.ts";

describe("DeadlineQueue", () => {
  it("expires each unsettled call once, after its timeout, and never a settled one", async () => {
    const q = new DeadlineQueue(30);
    const expired: string[] = [];
    const a = q.add(() => expired.push("a"));
    const b = q.add(() => expired.push("b"));
    q.add(() => expired.push("c"));
    settle(b);
    expect(a.done).toBe(false);
    await sleep(10);
    expect(expired).toEqual([]);
    await sleep(60);
    expect(expired).toEqual(["a", "c"]);
    await sleep(40);
    expect(expired).toEqual(["a", "c"]);
    expect(q.held).toBe(0);
  });

  it("a call added later gets its own full timeout", async () => {
    const q = new DeadlineQueue(40);
    const expired: number[] = [];
    const started = Date.now();
    q.add(() => expired.push(Date.now() - started));
    await sleep(25);
    q.add(() => expired.push(Date.now() - started));
    await sleep(100);
    expect(expired).toHaveLength(2);
    expect(expired[0]).toBeGreaterThanOrEqual(39);
    expect(expired[1]).toBeGreaterThanOrEqual(25 + 39);
  });

  it("settled calls are dropped within a few ticks even when the timeout is long", async () => {
    const q = new DeadlineQueue(60_000);
    let expired = 0;
    for (let i = 0; i < 10_000; i++) settle(q.add(() => expired++));
    const open = q.add(() => expired++);
    expect(q.held).toBe(10_001);
    await sleep(50);
    expect(q.held).toBe(1); // the one still open waits for its deadline
    settle(open);
    await sleep(30);
    expect(q.held).toBe(0);
    expect(expired).toBe(0);
  });
});
