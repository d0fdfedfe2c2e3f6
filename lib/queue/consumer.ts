/**
 * The consumer: holds the slots, runs the handlers, renews their leases, closes gracefully.
 *
 * The lease loop (pump.ts) talks to Redis for it, through the LeaseHost methods below: lease
 * calls and the pipelines that complete and fail the jobs whose handlers finished. While
 * handlers run, their leases are renewed every lease/3 (extend-2.lua); a handler that outlives
 * its timeout fails with JobTimeoutError. At most once per lease period across a queue's
 * consumers and the worker, one of them reclaims expired leases (maintenance.ts), and due
 * retries are promoted inside the lease script (retry.ts) — so a queue keeps moving while the
 * worker service is down. `close()` stops leasing, lets running handlers finish within a
 * bound, then releases the rest; a pause of the queue (pause.ts) releases the jobs not started.
 */

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { extendKeys, type QueueContext, releaseKeys } from "./context.ts";
import { CorruptJobError, JobTimeoutError, QueueError } from "./errors.ts";
import type { Job } from "./job.ts";
import { reclaimIfDue } from "./maintenance.ts";
import { failureOf, refArgs } from "./outcome.ts";
import { type Leased, type LeaseHost, LeaseLoop, type Tally } from "./pump.ts";
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

/** A leased job in this process's hand. */
interface Running extends Leased {
  /** made on first use of the handler's `signal` (most handlers never read it) */
  abort?: AbortController;
  /** holds one of the `concurrency` slots (started, slot not yet given back) */
  slot?: boolean;
  timer?: NodeJS.Timeout;
  /** performance.now() when its handler started: the processing time sent with the ack */
  startedAt?: number;
}

export interface ConsumerCounters {
  completed: number;
  /** failed attempts (each retry scheduled or dead letter written) */
  failed: number;
  deadLettered: number;
  /** outcomes refused because the lease had been lost (the job runs again elsewhere) */
  leaseLost: number;
}

export class Consumer implements LeaseHost {
  readonly id: string;
  readonly counters: ConsumerCounters = { completed: 0, failed: 0, deadLettered: 0, leaseLost: 0 };
  private readonly o: Required<Omit<ConsumerOptions, "consumerId">>;
  /** handlers running now */
  private running = 0;
  /** leased, waiting for a slot (also in `held`) */
  private waiting: Running[] = [];
  /** every job in hand, by id */
  private readonly held = new Map<string, Running>();
  private stopping = false;
  private readonly loop: LeaseLoop;
  private readonly timers: NodeJS.Timeout[];
  /** how often leases are extended, which is also how often the consumer's heartbeat is written */
  private readonly extendEveryMs: number;

  constructor(
    readonly ctx: QueueContext,
    readonly handler: Handler,
    opts: ConsumerOptions = {},
  ) {
    this.id = opts.consumerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    const leaseMs = opts.leaseMs ?? ctx.settings.leaseMs;
    this.o = {
      concurrency: Math.max(1, opts.concurrency ?? 1),
      prefetch: Math.max(0, opts.prefetch ?? Math.min(100, opts.concurrency ?? 1)),
      leaseMs,
      timeoutMs: opts.timeoutMs ?? ctx.settings.jobTimeoutMs,
      pollMs: opts.pollMs ?? 200,
      promoteIntervalMs: opts.promoteIntervalMs ?? 1000,
      onError: opts.onError ?? ((err) => console.error(`[requeue] consumer ${this.id}: ${err.message}`)),
    };
    this.extendEveryMs = Math.max(50, Math.floor(leaseMs / 3));
    this.loop = new LeaseLoop(this, this.o);
    this.timers = [
      setInterval(() => void this.extendLeases(), this.extendEveryMs),
      setInterval(() => void this.reclaimExpired(), leaseMs),
    ];
  }

  // LeaseHost: what the lease loop asks of this consumer
  room = () => this.o.concurrency + this.o.prefetch - this.held.size;
  freeSlots = () => this.o.concurrency - this.running - this.waiting.length;
  inHand = () => this.held.size;
  unstarted = () => this.waiting.length;
  /**
   * The queue is paused: the jobs leased ahead and not started go back to the front of ready
   * (attempt refunded), so nothing starts after the pause is seen. Running handlers finish.
   */
  paused(): void {
    if (!this.stopping) void this.handBackUnstarted();
  }
  tally(outcome: Tally): void {
    const c = this.counters;
    if (outcome === "completed") c.completed++;
    else if (outcome === "lost") c.leaseLost++;
    else {
      c.failed++;
      if (outcome === "dead") c.deadLettered++;
    }
  }

  /**
   * Takes a leased job: starts it when a slot is free, else keeps it for the next free slot. A job
   * whose payload could not be parsed goes straight to the DLQ as "corrupt".
   */
  take(run: Running, error?: unknown): void {
    this.held.set(run.job.id, run);
    if (error !== undefined)
      this.settle(run, new CorruptJobError(`payload is not valid JSON: ${(error as Error).message}`));
    else if (this.running < this.o.concurrency && !this.stopping) this.start(run);
    else this.waiting.push(run);
  }

  /** Starts a leased job's handler; its outcome goes to the lease loop. */
  private start(run: Running): void {
    const { job } = run;
    run.slot = true;
    run.startedAt = performance.now();
    this.running++;
    if (run.prefetched) this.loop.started(run); // from now on its attempt counts: tell Redis
    const { timeoutMs } = this.o;
    if (timeoutMs > 0)
      run.timer = setTimeout(() => this.settle(run, new JobTimeoutError(timeoutMs)), timeoutMs);
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

  /** Gives a handler's slot back and starts the next prefetched job in it. */
  private freeSlot(run: Running): void {
    if (!run.slot) return;
    run.slot = false;
    this.running--;
    while (!this.stopping && this.running < this.o.concurrency && this.waiting.length) {
      const next = this.waiting.shift()!;
      if (this.held.get(next.job.id) === next) this.start(next);
    }
  }

  private settle(run: Running, err: unknown, ok = false): void {
    this.freeSlot(run);
    if (run.settled) return;
    run.settled = true;
    clearTimeout(run.timer);
    if (this.held.get(run.job.id) !== run) return; // released or lost meanwhile
    this.held.delete(run.job.id);
    const { id, attempt } = run.job;
    if (ok) this.loop.complete({ id, attempt, ms: Math.round(performance.now() - (run.startedAt ?? 0)) });
    else {
      run.abort?.abort(err);
      const { backoffBaseMs, backoffMaxMs } = run; // (no spread of `run`: the failure path is hot)
      const ref = { id, attempt, backoffBaseMs, backoffMaxMs };
      this.loop.fail(failureOf(ref, err, this.id, this.ctx.settings.errorMessageMax));
    }
  }

  /** Renews every lease in hand in one call; handlers whose lease was lost are told via their signal. */
  private async extendLeases(): Promise<void> {
    const runs = [...this.held.values()];
    if (runs.length === 0) return;
    // the heartbeat rides along: "<interval> <pid> <host>" (extend-3.lua)
    const beat = `${this.extendEveryMs} ${process.pid} ${hostname()}`;
    const lost = await this.callFor<string[]>(
      "extend",
      extendKeys(this.ctx.keys),
      [this.o.leaseMs, beat],
      runs,
    );
    for (const id of lost ?? []) this.dropLost(id);
  }

  /** Forgets a job whose lease is gone: its result would be refused. */
  private dropLost(id: string): void {
    const run = this.held.get(id);
    if (!run) return;
    this.held.delete(id);
    this.waiting = this.waiting.filter((r) => r !== run);
    this.freeSlot(run);
    run.settled = true;
    clearTimeout(run.timer);
    run.abort?.abort(new QueueError("LEASE_LOST", `lease of job ${id} was lost`));
    this.counters.leaseLost++;
  }

  /** At most one consumer (or worker) per lease period reclaims a queue's expired leases. */
  private async reclaimExpired(): Promise<void> {
    await reclaimIfDue(this.ctx, this.id, this.o.leaseMs, 1).catch((err) => this.o.onError(err as Error));
  }

  /**
   * Graceful shutdown: stop leasing; wait up to `timeoutMs` for running handlers; release the
   * jobs still in hand (back to the front of ready, attempt refunded); flush outcomes.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    this.loop.stop();
    const deadline = Date.now() + timeoutMs;
    await this.handBackUnstarted();
    while (this.running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const t of this.timers) clearInterval(t);
    // still running at the bound, or leased by a call answered while stopping
    const left = [...this.held.values()];
    for (const run of left) this.dropLost(run.job.id);
    this.counters.leaseLost -= left.length;
    this.loop.wake();
    // While Redis is unreachable the last flush cannot finish: do not wait past the bound for it.
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((r) => {
      timer = setTimeout(r, Math.max(1000, deadline - Date.now() + 1000));
    });
    await Promise.race([this.loop.done, bound]);
    clearTimeout(timer);
    await this.release(left);
  }

  /** Jobs leased ahead that never started go back at once. */
  private handBackUnstarted(): Promise<void> {
    const unstarted = this.waiting.splice(0);
    for (const run of unstarted) this.held.delete(run.job.id);
    return this.release(unstarted);
  }

  /** Hands jobs back: front of ready, attempt refunded (release-3.lua). */
  private async release(runs: Running[]): Promise<void> {
    if (runs.length > 0) await this.callFor("release", releaseKeys(this.ctx.keys), [], runs);
  }

  /** One script call over jobs in hand (ARGV: consumer, `head`, id + attempt a job); errors go to onError. */
  private callFor<T>(
    script: "extend" | "release",
    keys: string[],
    head: (number | string)[],
    runs: Running[],
  ) {
    const args = [this.id, ...head, ...refArgs(runs.map((r) => r.job))];
    return runScript<T>(this.ctx.client, script, keys, args).catch(
      (err) => void this.o.onError(err as Error),
    );
  }
}
