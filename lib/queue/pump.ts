/**
 * The lease loop: a consumer's conversation with Redis. A lease call asks for as many jobs as
 * there are free slots and hands them over as soon as it is answered; the outcomes that piled up
 * meanwhile go in one script call (or one pipeline when complete and fail are both due), up to
 * two in flight, written one macrotask behind a lease call due at the same time, so Redis answers
 * the lease first and applies the outcomes while this process runs handlers: fetches and
 * acknowledgements batch under load; at concurrency 1 a job costs two writes and one round trip
 * of waiting. On an empty queue it sleeps
 * (growing to `pollMs`) until a handler finishes or a retry it knows of falls due. It sees its
 * consumer only through LeaseHost; the consumer hands it `complete`, `fail` and `started`.
 *
 * A paused queue (lib/queue/pause.ts) leases nothing, and the reply says so: the consumer then
 * hands back the jobs it holds but has not started. A consumer whose hands are full sends no
 * lease call, so while it holds such jobs it still asks at least every CHECK_IN_MS (a call that
 * leases nothing): a pause is seen within that, whatever its handlers are doing.
 * Handlers' progress and log lines (reports.ts) ride in the outcome pipelines too, written
 * before the outcomes beside them.
 */
import { completeKeys, deadKeys, leaseKeys, type QueueContext } from "./context.ts";
import { RC } from "./errors.ts";
import type { Job } from "./job.ts";
import { type Completion, completeArgs, type Failure, failArgs, type JobRef } from "./outcome.ts";
import { REPORT_FLUSH_MS, ReportBuffer } from "./reports.ts";
import { PromoteClock } from "./retry.ts";
import { pipeScript, runScript, type ScriptName, scriptPipeline } from "./scripts.ts";

/** Most jobs leased in one call (keeps each script call short). */
const MAX_LEASE = 200;
/** Outcome pipelines in flight at once; a lease call may run beside them. */
const MAX_TURNS = 2;
/** A lease reply (lease-11.lua): next retry due, paused flag, then 8 fields per job. */
const LEASE_HEAD = 2;
const LEASE_FIELDS = 8;
/** Longest time a consumer holding jobs it has not started goes without asking Redis. */
const CHECK_IN_MS = 250;

/** A job as a lease call hands it over. */
export interface Leased {
  job: Job;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** leased beyond the free slots: marked `pf` until Redis learns its handler started */
  prefetched: boolean;
  /** set by the consumer once the outcome is in or the lease was lost */
  settled?: boolean;
}

/** A lease call's ARGV, the starts it tells (put back if it fails), and how many jobs start at once. */
interface LeaseCall {
  args: (string | number)[];
  started: Leased[];
  startNow: number;
}

/** A lease call of run(): the jobs it asks for; `open` until its reply (or failure) is handled. */
interface LeaseTurn {
  want: number;
  open: boolean;
}

/** Handlers' outcomes and reports that go in one pipeline. */
interface Outcomes {
  completions: Completion[];
  failures: Failure[];
  /** report-1.lua's ARGV tail (empty: none) */
  reports: (string | number)[];
}

/** What an acknowledged outcome counts as: "dead" is a failure that wrote a dead letter. */
export type Tally = "completed" | "failed" | "dead" | "lost";

/** All the lease loop needs of its consumer. */
export interface LeaseHost {
  readonly id: string;
  readonly ctx: QueueContext;
  /** jobs to lease to fill the slots and the prefetch; slots free now; jobs in hand */
  room(): number;
  freeSlots(): number;
  inHand(): number;
  /** jobs in hand whose handlers have not started (prefetched, waiting for a slot) */
  unstarted(): number;
  /** the queue is paused: hand back the jobs not started */
  paused(): void;
  /** a leased job; `error`: its payload could not be read */
  take(leased: Leased, error?: unknown): void;
  /** one outcome Redis answered */
  tally(outcome: Tally): void;
}

export interface LeaseLoopOptions {
  leaseMs: number;
  pollMs: number;
  promoteIntervalMs: number;
  onError: (err: Error) => void;
}

/** A leased job's `progress` and `log`, in that order: they write to the lease loop's report buffer. */
type Reporter = (ref: JobRef) => [Job["progress"], Job["log"]];

/**
 * Functions made for every job or turn are never declared with a name (`const f = () => …`, or
 * as an object literal's property): under tsx (esbuild's keepNames, how the worker and the
 * benches run) each such function costs an Object.defineProperty of its name, ~1 µs each, a
 * dozen per job at concurrency 1 (CPU profile, bench/README.md).
 */
const noop = () => {};

/** Resolves after the I/O of this turn of the event loop (one macrotask). */
const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One job of a lease reply, its 8 fields from `i`. Built property by property: object spreads
 * here (`...ref`, `...reporter(ref)`) cost ~30× more per job, measured (bench/README.md).
 */
function leasedAt(queue: string, f: (string | number)[], i: number, prefetched: boolean, reporter: Reporter) {
  const id = String(f[i]);
  const attempt = Number(f[i + 3]);
  const [progress, log] = reporter({ id, attempt });
  const job: Job = {
    id,
    attempt,
    queue,
    data: undefined,
    metadata: {},
    maxAttempts: Number(f[i + 4]),
    createdAt: Number(f[i + 7]),
    progress,
    log,
  };
  const leased: Leased = { job, backoffBaseMs: Number(f[i + 5]), backoffMaxMs: Number(f[i + 6]), prefetched };
  try {
    job.data = JSON.parse(String(f[i + 1]));
    if (f[i + 2] !== "") job.metadata = JSON.parse(String(f[i + 2]));
  } catch (error) {
    return { leased, error };
  }
  return { leased };
}

export class LeaseLoop {
  readonly done: Promise<void>;
  private completions: Completion[] = [];
  private failures: Failure[] = [];
  /** prefetched jobs whose handlers started: told to Redis with the next lease call */
  private starts: Leased[] = [];
  private readonly reports: ReportBuffer;
  /** set when reports waited REPORT_FLUSH_MS: they go without waiting for an outcome */
  private reportsDue = false;
  private reportTimer?: NodeJS.Timeout;
  private stopping = false;
  private wakeUp = noop;
  /** a lease call is on its way (run() sends no second one); `leasing`: the jobs it asked for */
  private leaseInFlight = false;
  private leasing = 0;
  private readonly promote: PromoteClock;

  constructor(
    private readonly host: LeaseHost,
    private readonly o: LeaseLoopOptions,
  ) {
    this.promote = new PromoteClock(o.promoteIntervalMs);
    this.reports = new ReportBuffer(host.ctx.settings);
    this.done = this.run();
  }

  /** A job's progress() and log(): buffered, written within REPORT_FLUSH_MS or with an outcome. */
  private readonly reporter: Reporter = (ref) => [
    (value) => this.report(() => this.reports.progress(ref, value)),
    (text) => this.report(() => this.reports.log(ref, text)),
  ];

  private report(write: () => void): void {
    write();
    this.reportTimer ??= setTimeout(() => {
      this.reportsDue = true;
      this.wake();
    }, REPORT_FLUSH_MS).unref();
  }

  /** The buffered reports as report-1.lua's ARGV tail (empty: none). */
  private takeReports(): (string | number)[] {
    clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    this.reportsDue = false;
    return this.reports.size > 0 ? this.reports.take() : [];
  }

  complete(done: Completion): void {
    this.completions.push(done);
    this.wake();
  }

  fail(failure: Failure): void {
    this.failures.push(failure);
    this.wake();
  }

  /** A prefetched job's handler started: from now on its attempt counts. */
  started(leased: Leased): void {
    this.starts.push(leased);
  }

  /** Stop leasing; `done` resolves once the outcomes in hand are flushed. */
  stop(): void {
    this.stopping = true;
    this.wake();
  }

  wake(): void {
    this.wakeUp();
  }

  /**
   * Waits `ms` or until `wake()`; a wait that is already over yields to I/O only (no 1 ms timer),
   * and an endless one (a call in flight will wake the loop) sets no timer at all.
   */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return nextMacrotask();
    return new Promise((resolve) => {
      const timer = ms === Number.POSITIVE_INFINITY ? undefined : setTimeout(() => this.wakeUp(), ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = noop;
        resolve();
      };
    });
  }

  /**
   * Prefetched jobs whose handlers started and are still running: Redis must learn they started,
   * or a reclaim after a crash would refund their attempt. A job that already finished needs no
   * word: its outcome (complete or fail) ends its lease and mark anyway.
   */
  private pendingStarts(): Leased[] {
    if (this.starts.length === 0) return this.starts;
    this.starts = this.starts.filter((r) => !r.settled);
    return this.starts;
  }

  /**
   * The ARGV of a lease call for up to `want` jobs. The jobs beyond the free slots are leased as
   * prefetched (their attempt is refunded if this process dies before they start), and the starts
   * of earlier prefetched jobs ride along (`started`: put back if the call fails).
   */
  private leaseCall(want: number): LeaseCall {
    const { settings } = this.host.ctx;
    const startNow = Math.max(0, this.host.freeSlots());
    const started = this.pendingStarts().splice(0);
    const args = [
      this.host.id,
      want,
      this.o.leaseMs,
      this.promote.limit(Date.now()),
      settings.dlqRetentionMs,
      settings.dlqMaxEntries,
      startNow,
      ...started.map((r) => r.job.id),
    ];
    return { args, started, startNow };
  }

  /** A lease call is answered or failed: another may go (once per call). */
  private leaseReplied(lease: LeaseTurn): void {
    if (!lease.open) return;
    lease.open = false;
    this.leaseInFlight = false;
    this.leasing -= lease.want;
  }

  /** Hands over the jobs of a lease reply; another lease call may go before the handlers start. */
  private leaseAnswered(lease: LeaseTurn, call: LeaseCall, reply: (string | number)[]): number {
    this.leaseReplied(lease);
    const nextDue = Number(reply[0]);
    if (nextDue >= 0) this.promote.dueAt(nextDue);
    if (Number(reply[1]) === 1) this.host.paused();
    for (let i = LEASE_HEAD; i < reply.length; i += LEASE_FIELDS) {
      // jobs beyond the free slots were marked `pf` by the lease script
      const prefetched = (i - LEASE_HEAD) / LEASE_FIELDS >= call.startNow;
      const { leased, error } = leasedAt(this.host.ctx.name, reply, i, prefetched, this.reporter);
      this.host.take(leased, error);
    }
    return (reply.length - LEASE_HEAD) / LEASE_FIELDS;
  }

  /**
   * Sends what is due: a lease call for `want` jobs first, as its own call, then (one macrotask
   * later when a lease went) the outcomes (handlers' reports, completions and failures): one
   * script call when only one kind is due, else one pipeline. Each is
   * its own script, so a crash between them loses nothing: a job leased but not answered, or run
   * but not acknowledged, is reclaimed when its lease expires (at least once). Returns a promise
   * per part, so each keeps its own bookkeeping: `leased` (jobs handed over) and `acked`.
   */
  private send(
    lease: LeaseTurn | undefined,
    out: Outcomes | undefined,
  ): { leased?: Promise<number>; acked?: Promise<void> } {
    const { client, keys } = this.host.ctx;
    const call = lease && this.leaseCall(lease.want);
    // The lease goes first, as its own call, the outcomes behind it: Redis answers the lease
    // before it runs the acknowledgements, so the next handler starts while Redis applies them.
    // (One pipeline with the lease last saved a socket write but made the next job wait for the
    // acknowledgements: c1 ran ~25 % slower on the quiet bench.)
    // async: a throw while building a call fails it like a refused call (put back, retried)
    const leased =
      call &&
      (async () => runScript<(string | number)[]>(client, "lease", leaseKeys(keys), call.args))().then(
        (reply) => this.leaseAnswered(lease!, call, reply),
        (err: unknown): never => {
          this.starts.push(...call.started); // told with the next lease call
          throw err;
        },
      );
    const acked =
      out &&
      (async () => {
        // With a lease in the same turn, the outcomes wait one macrotask: written in the same
        // tick, both often reach Redis in one read, and Redis answers the lease only after it
        // has run the outcomes too (the next handler would wait for them).
        if (call) await nextMacrotask();
        const calls = this.outcomeCalls(out);
        // One call (the common case): no ioredis Pipeline built for it; its reply or error is
        // shaped as a pipeline's, so outcomesAnswered reads both alike.
        if (calls.length === 1) {
          const [name, keys, args] = calls[0];
          return runScript(client, name, keys, args).then(
            (reply): [Error | null, unknown][] => [[null, reply]],
            (err: Error): [Error | null, unknown][] => [[err, null]],
          );
        }
        const pipeline = scriptPipeline(client);
        for (const [name, keys, args] of calls) pipeScript(pipeline, name, keys, args);
        return (await pipeline.exec()) ?? [];
      })().then((replies) => this.outcomesAnswered(out, replies));
    return { leased, acked };
  }

  /** The script calls of the outcomes: handlers' reports, then the completions, then the failures. */
  private outcomeCalls(out: Outcomes): [ScriptName, string[], (string | number)[]][] {
    const { keys, settings } = this.host.ctx;
    const id = this.host.id;
    const { completions, failures, reports } = out;
    const calls: [ScriptName, string[], (string | number)[]][] = [];
    if (reports.length) calls.push(["report", [keys.job("")], [id, settings.logMaxLines, ...reports]]);
    if (completions.length)
      calls.push([
        "complete",
        completeKeys(keys),
        [
          id,
          settings.completedMaxEntries,
          settings.completedKeepPayload ? 1 : 0,
          ...completeArgs(completions),
        ],
      ]);
    if (failures.length)
      calls.push([
        "fail",
        deadKeys(keys),
        [id, settings.dlqRetentionMs, settings.dlqMaxEntries, ...failArgs(failures)],
      ]);
    return calls;
  }

  /**
   * Tallies what the outcome scripts answered. Reports are best effort: a pipeline that fails
   * loses them; completions and failures Redis refused are resent with the next pipeline.
   */
  private outcomesAnswered(out: Outcomes, replies: [Error | null, unknown][]): void {
    const { completions, failures, reports } = out;
    const reported = reports.length ? replies.shift() : undefined;
    if (reported?.[0]) this.o.onError(reported[0]);
    const [c, f] = completions.length ? replies : [undefined, replies[0]];
    if (c?.[0]) {
      this.completions.push(...completions);
      this.o.onError(c[0]);
    } else if (c) for (const rc of c[1] as number[]) this.host.tally(rc === RC.OK ? "completed" : "lost");
    if (f?.[0]) {
      this.failures.push(...failures);
      this.o.onError(f[0]);
    } else if (f) {
      const now = Date.now();
      (f[1] as number[]).forEach((rc, i) => {
        this.host.tally(rc < 0 ? "lost" : rc === RC.DEAD ? "dead" : "failed");
        if (rc === RC.RETRY) this.promote.dueAt(now + failures[i].delay);
      });
    }
  }

  /**
   * Runs until the consumer stops and every outcome in hand is flushed. A lease call and the
   * outcomes due go together (send()); a lease call waits for no outcome pipeline in flight.
   */
  private async run(): Promise<void> {
    const { host } = this;
    let idleMs = 1;
    let errorMs = 50;
    let retryAt = 0;
    let outcomeTurns = 0;
    let idle = false; // the last lease found nothing
    let leaseSentAt = 0;
    let lastError: unknown;
    const failed = (err: unknown) => {
      // a pipeline that carried a lease and outcomes fails both with the same error: told once
      if (err === lastError) return;
      lastError = err;
      this.o.onError(err as Error);
      retryAt = Date.now() + errorMs;
      errorMs = Math.min(errorMs * 2, 2000);
    };
    for (;;) {
      const now = Date.now();
      const hasOutcomes =
        this.completions.length > 0 ||
        this.failures.length > 0 ||
        (this.reports.size > 0 && (this.reportsDue || this.stopping));
      const want = this.stopping ? 0 : Math.max(0, Math.min(MAX_LEASE, host.room() - this.leasing));
      // starts to tell Redis make a lease call worth sending even with nothing to lease (stopping)
      const starts = this.pendingStarts().length > 0;
      // holding jobs not started and silent for a while: ask, so a pause is seen (a call of 0 jobs)
      const checkIn = !this.stopping && host.unstarted() > 0 && now - leaseSentAt >= CHECK_IN_MS;
      if (this.stopping && !hasOutcomes && host.inHand() === 0 && outcomeTurns === 0 && !this.leaseInFlight)
        return;
      if (now < retryAt) {
        await this.sleep(retryAt - now);
        continue;
      }
      let lease: LeaseTurn | undefined;
      if ((want > 0 || starts || checkIn) && !this.leaseInFlight) {
        if (idle && !hasOutcomes && !starts && !checkIn) {
          // Nothing was ready: wait for a handler to finish, a retry to fall due, or the next poll.
          idle = false;
          await this.sleep(Math.min(idleMs, this.promote.nextDueAt - now));
          idleMs = Math.min(idleMs * 2, this.o.pollMs);
          continue;
        }
        this.leaseInFlight = true;
        this.leasing += want;
        leaseSentAt = now;
        lease = { want, open: true };
      }
      let out: Outcomes | undefined;
      if (hasOutcomes && outcomeTurns < MAX_TURNS) {
        out = {
          completions: this.completions.splice(0),
          failures: this.failures.splice(0),
          reports: this.takeReports(),
        };
        outcomeTurns++;
      }
      const { leased, acked } = lease || out ? this.send(lease, out) : {};
      if (lease && leased)
        leased
          .then((n) => {
            errorMs = 50;
            idle = lease.want > 0 && n === 0; // a call that only told starts says nothing of the queue
            if (n > 0) idleMs = 1;
          })
          .catch(failed)
          .finally(() => {
            this.leaseReplied(lease);
            this.wake();
          });
      if (out && acked)
        acked
          .then(() => {
            errorMs = 50;
          })
          .catch((err) => {
            this.completions.push(...out.completions);
            this.failures.push(...out.failures);
            failed(err);
          })
          .finally(() => {
            outcomeTurns--;
            this.wake();
          });
      const started = lease !== undefined || out !== undefined;
      if (!started) {
        // a lease call in flight wakes the loop when answered: no timer needed
        const holding = host.unstarted() > 0;
        const checkInDue = holding ? leaseSentAt + CHECK_IN_MS - now : Number.POSITIVE_INFINITY;
        await this.sleep(this.leaseInFlight ? Number.POSITIVE_INFINITY : Math.min(this.o.pollMs, checkInDue));
      }
    }
  }
}
