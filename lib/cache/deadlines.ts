/**
 * The deadline of every cache call, without a timer per call. All calls of one cache share one
 * timeout, so their deadlines come in the order the calls start: they wait in a FIFO, and one
 * timer, armed only while calls are waiting, fires at the oldest deadline and expires every call
 * past its own; it also drops settled calls, at least every 10 ms. A hit then costs an array
 * push instead of a setTimeout and a clearTimeout (which showed in the hit latency:
 * bench/README.md, "cache").
 */

export interface Deadline {
  /** the call settled: its deadline no longer matters (see `settle`) */
  done: boolean;
  at: number;
  expire: () => void;
}

const settled = () => {};

/** Marks a call settled and lets go of its callback (the entry itself waits for the next tick). */
export function settle(d: Deadline): void {
  d.done = true;
  d.expire = settled;
}

export class DeadlineQueue {
  private waiting: Deadline[] = [];
  /** index of the oldest entry still in `waiting` (shifting an array on every tick is O(n)) */
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** `expire` runs once the timeout has passed, unless the call set `done` first. */
  add(expire: () => void): Deadline {
    const d: Deadline = { done: false, at: this.now() + this.timeoutMs, expire };
    this.waiting.push(d);
    if (!this.timer) this.arm(Math.min(10, this.timeoutMs));
    return d;
  }

  /** Entries held, settled or not (settled ones are dropped at the next tick). */
  get held(): number {
    return this.waiting.length - this.head;
  }

  private arm(ms: number) {
    this.timer = setTimeout(() => this.tick(), ms);
    // a call in flight keeps the process alive through its socket, not through this timer
    this.timer.unref();
  }

  private tick() {
    this.timer = undefined;
    const now = this.now();
    const w = this.waiting;
    while (this.head < w.length && (w[this.head].done || w[this.head].at <= now)) {
      const d = w[this.head++];
      if (!d.done) d.expire(); // passed once: the head has moved past it
    }
    if (this.head === w.length) {
      this.waiting = [];
      this.head = 0;
      return;
    }
    if (this.head > 1024) {
      this.waiting = w.slice(this.head);
      this.head = 0;
    }
    // at least every 10 ms, so that under a long timeout settled calls do not pile up
    if (!this.timer) this.arm(Math.max(1, Math.min(10, this.waiting[this.head].at - now)));
  }
}
