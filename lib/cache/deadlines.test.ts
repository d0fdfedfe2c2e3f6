/**
 * The shared deadline queue of cache calls: expiry, settling, and no pile-up under a long timeout.
 * On fake timers (Date and setTimeout): the queue reads the clock and arms its timer through them,
 * so each step below is an exact moment, whatever the machine's load.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeadlineQueue, settle } from "./deadlines.ts";

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

describe("DeadlineQueue", () => {
  it("expires each unsettled call once, at its timeout, and never a settled one", () => {
    const q = new DeadlineQueue(30);
    const expired: string[] = [];
    const a = q.add(() => expired.push("a"));
    const b = q.add(() => expired.push("b"));
    q.add(() => expired.push("c"));
    settle(b);
    expect(a.done).toBe(false);
    vi.advanceTimersByTime(29);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(["a", "c"]);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(["a", "c"]);
    expect(q.held).toBe(0);
  });

  it("a call added later gets its own full timeout", () => {
    const q = new DeadlineQueue(40);
    const expired: number[] = [];
    const started = Date.now();
    q.add(() => expired.push(Date.now() - started));
    vi.advanceTimersByTime(25);
    q.add(() => expired.push(Date.now() - started));
    vi.advanceTimersByTime(14);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual([40]);
    vi.advanceTimersByTime(24);
    expect(expired).toEqual([40]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual([40, 65]);
  });

  it("settled calls are dropped at the next tick even when the timeout is long", () => {
    const q = new DeadlineQueue(60_000);
    let expired = 0;
    for (let i = 0; i < 10_000; i++) settle(q.add(() => expired++));
    const open = q.add(() => expired++);
    expect(q.held).toBe(10_001);
    vi.advanceTimersByTime(10);
    expect(q.held).toBe(1); // the one still open waits for its deadline
    settle(open);
    vi.advanceTimersByTime(10);
    expect(q.held).toBe(0);
    expect(expired).toBe(0);
  });
});
