/**
 * The circuit breaker in front of Redis, and the deadline every cache call runs under.
 *
 * closed ──(N consecutive failures)──▶ open ──(reset time passed)──▶ half-open
 *   ▲                                   ▲                              │ one trial call
 *   └────────────── trial succeeds ─────┼──────────── trial fails ─────┘
 * While open, calls skip Redis entirely (callers get the loader's value at once).
 */
import { CacheError } from "./errors.ts";

export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: number | null;
  opens: number;
}

export class CircuitBreaker {
  private current: BreakerState = "closed";
  private failures = 0;
  private openedAt: number | null = null;
  private trialRunning = false;
  private opens = 0;

  constructor(
    private readonly threshold: number,
    private readonly resetMs: number,
    private readonly now: () => number = Date.now,
    private readonly onChange: (state: BreakerState) => void = () => {},
  ) {}

  get state(): BreakerState {
    if (this.current === "open" && this.openedAt !== null && this.now() - this.openedAt >= this.resetMs) {
      this.transition("half-open");
    }
    return this.current;
  }

  /** May this call use Redis? In half-open, only one trial call at a time may. */
  allow(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.trialRunning) return false;
    this.trialRunning = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.trialRunning = false;
    if (this.current !== "closed") this.transition("closed");
  }

  failure(): void {
    this.failures++;
    this.trialRunning = false;
    if (this.current === "half-open" || (this.current === "closed" && this.failures >= this.threshold)) {
      this.openedAt = this.now();
      this.opens++;
      this.transition("open");
    }
  }

  snapshot(): BreakerSnapshot {
    return {
      state: this.state,
      consecutiveFailures: this.failures,
      openedAt: this.openedAt,
      opens: this.opens,
    };
  }

  private transition(state: BreakerState) {
    this.current = state;
    this.onChange(state);
  }
}

/** Resolves with the promise's value, or rejects with CACHE_TIMEOUT after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  // Hand-rolled rather than Promise.race + finally: this runs on every cache hit.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new CacheError("CACHE_TIMEOUT", `cache call took over ${ms} ms`)),
      ms,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
