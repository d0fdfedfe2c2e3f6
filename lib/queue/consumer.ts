/**
 * The consumer: leases jobs, runs the handler, reports outcomes.
 *
 * One "pump" (pump.ts) talks to Redis: a lease call for as many jobs as there are free slots,
 * and pipelines that complete and fail the jobs whose handlers finished, so under load fetching
 * and acknowledging are batched over many jobs, and at concurrency 1 a job costs one round trip. While handlers run, their leases are renewed every lease/3 (extend-2.lua); a
 * handler that outlives its timeout fails with JobTimeoutError. Consumers also promote due
 * retries (inside the lease script) and, at most once per lease period across all consumers of
 * a queue, reclaim expired leases — so a queue keeps moving while the worker service is down.
 * `close()` stops leasing, lets running handlers finish within a bound, then releases the rest.
 */

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { globalKeys } from "../redis/keys.ts";
import { deadKeys, extendKeys, type QueueContext, releaseKeys } from "./context.ts";
import { JobTimeoutError, QueueError } from "./errors.ts";
import type { Job } from "./job.ts";
import { CorruptJobError, failureArgs } from "./outcome.ts";
import { type PumpState, pump } from "./pump.ts";
import { runScript } from "./scripts.ts";

export type Handler<T = unknown> = (job: Job<T>, ctx: { signal: AbortSignal }) => unknown | Promise<unknown>;

export interface ConsumerOptions {
  /** Handlers running at once (default 1). */
  concurrency?: number;
  /** Visibility timeout, renewed while the handler runs (default JOB_LEASE_SECONDS). */
  leaseMs?: number;
  /** Handler timeout; 0 = none (default JOB_TIMEOUT_SECONDS). */
  timeoutMs?: number;
  /**
   * Jobs leased ahead of free slots, started the moment a handler finishes (default: as many as
   * `concurrency`, at most 100). Use 0 for long jobs you would rather leave to other consumers.
   */
  prefetch?: number;
  /** Longest wait between polls of an empty queue (default 200 ms). */
  pollMs?: number;
  /** Promote due retries and delayed jobs at least this often (default 1000 ms). */
  promoteIntervalMs?: number;
  /** Called with errors talking to Redis (the consumer retries by itself). Default: console.error. */
  onError?: (err: Error) => void;
  /** An id shown in errors and the active set; default host:pid:random. */
  consumerId?: string;
}

export interface Running {
  job: Job;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** made on first use of the handler's `signal` (most handlers never read it) */
  abort?: AbortController;
  settled: boolean;
  /** leased ahead of a free slot and not yet known to Redis as started (`pf` mark, lease-10.lua) */
  prefetched?: boolean;
  /** holds one of the `concurrency` slots (started, slot not yet given back) */
  slot?: boolean;
  timer?: NodeJS.Timeout;
}

export interface ConsumerCounters {
  completed: number;
  /** failed attempts (each retry scheduled or dead letter written) */
  failed: number;
  deadLettered: number;
  /** outcomes refused because the lease had been lost (the job runs again elsewhere) */
  leaseLost: number;
}

export class Consumer {
  readonly id: string;
  readonly counters: ConsumerCounters = { completed: 0, failed: 0, deadLettered: 0, leaseLost: 0 };
  readonly state: PumpState;
  private readonly done: Promise<void>;
  private extendTimer?: NodeJS.Timeout;
  private reclaimTimer?: NodeJS.Timeout;

  constructor(
    readonly ctx: QueueContext,
    readonly handler: Handler,
    opts: ConsumerOptions = {},
  ) {
    this.id = opts.consumerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    const leaseMs = opts.leaseMs ?? ctx.settings.leaseMs;
    this.state = {
      consumer: this,
      concurrency: Math.max(1, opts.concurrency ?? 1),
      prefetch: Math.max(0, opts.prefetch ?? Math.min(100, opts.concurrency ?? 1)),
      running: 0,
      waiting: [],
      leaseMs,
      timeoutMs: opts.timeoutMs ?? ctx.settings.jobTimeoutMs,
      pollMs: opts.pollMs ?? 200,
      promoteIntervalMs: opts.promoteIntervalMs ?? 1000,
      onError: opts.onError ?? ((err) => console.error(`[requeue] consumer ${this.id}: ${err.message}`)),
      inHand: new Map(),
      completions: [],
      failures: [],
      starts: [],
      stopping: false,
      wake: () => {},
      lastPromote: 0,
      nextDueAt: Number.POSITIVE_INFINITY,
    };
    this.done = pump(this.state);
    this.extendTimer = setInterval(() => void this.extendLeases(), Math.max(50, Math.floor(leaseMs / 3)));
    this.reclaimTimer = setInterval(() => void this.reclaimExpired(), leaseMs);
  }

  /** Takes a leased job: starts it when a slot is free, else keeps it for the next free slot. */
  accept(run: Running): void {
    const s = this.state;
    s.inHand.set(run.job.id, run);
    if (s.running < s.concurrency && !s.stopping) this.start(run);
    else s.waiting.push(run);
  }

  /** Starts a leased job's handler; its outcome is queued for the pump. */
  private start(run: Running): void {
    const { job } = run;
    const s = this.state;
    run.slot = true;
    s.running++;
    if (run.prefetched) s.starts.push(run); // from now on its attempt counts: tell Redis (pump.ts)
    if (s.timeoutMs > 0)
      run.timer = setTimeout(() => this.settle(run, new JobTimeoutError(s.timeoutMs)), s.timeoutMs);
    let result: unknown;
    try {
      result = this.handler(job, {
        get signal() {
          run.abort ??= new AbortController();
          return run.abort.signal;
        },
      });
    } catch (err) {
      this.settle(run, err);
      return;
    }
    Promise.resolve(result).then(
      () => this.settle(run, undefined, true),
      (err) => this.settle(run, err),
    );
  }

  /** A job whose payload could not be parsed goes straight to the DLQ as "corrupt". */
  startCorrupt(run: Running, err: unknown): void {
    this.state.inHand.set(run.job.id, run);
    this.settle(run, new CorruptJobError(`payload is not valid JSON: ${(err as Error).message}`));
  }

  /** Gives a handler's slot back and starts the next prefetched job in it. */
  private freeSlot(run: Running): void {
    if (!run.slot) return;
    run.slot = false;
    const s = this.state;
    s.running--;
    while (!s.stopping && s.running < s.concurrency && s.waiting.length) {
      const next = s.waiting.shift()!;
      if (s.inHand.get(next.job.id) === next) this.start(next);
    }
  }

  private settle(run: Running, err: unknown, ok = false): void {
    this.freeSlot(run);
    if (run.settled) return;
    run.settled = true;
    clearTimeout(run.timer);
    if (this.state.inHand.get(run.job.id) !== run) return; // released or lost meanwhile
    this.state.inHand.delete(run.job.id);
    if (ok) this.state.completions.push([run.job.id, run.job.attempt]);
    else {
      run.abort?.abort(err);
      const leased = { id: run.job.id, attempt: run.job.attempt, ...run };
      this.state.failures.push(failureArgs(leased, err, this.id, this.ctx.settings.errorMessageMax));
    }
    this.state.wake();
  }

  /** Renews every lease in hand in one call; handlers whose lease was lost are told via their signal. */
  private async extendLeases(): Promise<void> {
    const runs = [...this.state.inHand.values()];
    if (runs.length === 0) return;
    const args = runs.flatMap((r) => [r.job.id, r.job.attempt]);
    try {
      const lost = await runScript<string[]>(this.ctx.client, "extend", extendKeys(this.ctx.keys), [
        this.id,
        this.state.leaseMs,
        ...args,
      ]);
      for (const id of lost) this.dropLost(id);
    } catch (err) {
      this.state.onError(err as Error);
    }
  }

  /** Forgets a job whose lease is gone: its result would be refused. */
  dropLost(id: string): void {
    const run = this.state.inHand.get(id);
    if (!run) return;
    this.state.inHand.delete(id);
    this.state.waiting = this.state.waiting.filter((r) => r !== run);
    this.freeSlot(run);
    run.settled = true;
    clearTimeout(run.timer);
    run.abort?.abort(new QueueError("LEASE_LOST", `lease of job ${id} was lost`));
    this.counters.leaseLost++;
  }

  /** At most one consumer (or worker) per lease period reclaims a queue's expired leases. */
  private async reclaimExpired(): Promise<void> {
    const { client, keys, name, settings } = this.ctx;
    try {
      const lock = globalKeys(settings.prefix).sweepLock(`reclaim:${name}`);
      if ((await client.set(lock, this.id, "PX", this.state.leaseMs, "NX")) !== "OK") return;
      await runScript(client, "reclaim", deadKeys(keys), [
        1000,
        settings.dlqRetentionMs,
        settings.dlqMaxEntries,
      ]);
    } catch (err) {
      this.state.onError(err as Error);
    }
  }

  /**
   * Graceful shutdown: stop leasing; wait up to `timeoutMs` for running handlers; release the
   * jobs still in hand (back to the front of ready, attempt refunded); flush outcomes.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    const s = this.state;
    s.stopping = true;
    s.wake();
    const deadline = Date.now() + timeoutMs;
    // prefetched jobs never started: they go back at once
    const queued = s.waiting.splice(0);
    for (const run of queued) s.inHand.delete(run.job.id);
    await this.release(queued);
    while (s.running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    clearInterval(this.extendTimer);
    clearInterval(this.reclaimTimer);
    // still running at the bound, or leased by a call answered while stopping
    const left = [...s.inHand.values()];
    for (const run of left) this.dropLost(run.job.id);
    this.counters.leaseLost -= left.length;
    s.wake();
    // While Redis is unreachable the last flush cannot finish: do not wait past the bound for it.
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((r) => {
      timer = setTimeout(r, Math.max(1000, deadline - Date.now() + 1000));
    });
    await Promise.race([this.done, bound]);
    clearTimeout(timer);
    await this.release(left);
  }

  /** Hands jobs back: front of ready, attempt refunded (release-3.lua). */
  private async release(runs: Running[]): Promise<void> {
    if (runs.length === 0) return;
    const args = runs.flatMap((r) => [r.job.id, r.job.attempt]);
    await runScript(this.ctx.client, "release", releaseKeys(this.ctx.keys), [this.id, ...args]).catch((err) =>
      this.state.onError(err as Error),
    );
  }
}
