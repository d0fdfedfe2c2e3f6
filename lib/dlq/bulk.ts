/**
 * Bulk requeue and delete: by ids, by group, by filter, or all. They run in chunks of at most
 * BATCH_MAX entries (one script call each, a few ms), optionally paced to `rate` entries per
 * second, check a cancel flag between chunks, and record progress at globalKeys().bulk(opId) so
 * another process (the console) can poll it. `runBulk` runs to the end (the CLI); `startBulk`
 * runs in the background of this process and returns the operation id at once.
 *
 * Filters without text walk each queue's index newest first, removing as they go, so each chunk
 * simply takes the newest remaining ids up to the time the operation started (dead letters that
 * arrive later are not touched). Filters with text walk the list with a cursor.
 *
 * A requeue with `canary` first requeues that many of the newest matches, watches them
 * (canary.ts) and goes on with the rest only if enough of them succeeded; otherwise it ends in
 * state "stopped" with the canary's report, and the rest is left in the DLQ untouched. The
 * canary's jobs come back to the DLQ (if they fail again) with a new dead time, after the
 * operation's start, so the rest never takes them a second time.
 */
import { randomUUID } from "node:crypto";
import { getConfig } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { globalKeys } from "../redis/keys.ts";
import { releaseSlot, renewSlot, takeSlot } from "./bulk-slots.ts";
import { type CanaryReport, type JobRef, watchCanary } from "./canary.ts";
import { countDeadLetters } from "./count.ts";
import type { Position } from "./cursor.ts";
import { nextMatches, sourcesOf } from "./list.ts";
import { type BulkOp, type BulkOpInput, bulkOpSchema, type DlqFilter, parseInput } from "./schemas.ts";
import { BATCH_MAX, type BatchResult, type BatchTarget, deleteBatch, requeueBatch } from "./scripts.ts";

/** "stopped": a canary did not pass, and the rest was left alone. */
export type BulkState = "running" | "done" | "cancelled" | "failed" | "stopped";

/** Where a canary redrive is: requeueing the canary, waiting for its outcome, then the rest. */
export type BulkPhase = "canary" | "waiting" | "rest";

export interface BulkProgress {
  opId: string;
  action: BulkOp["action"];
  state: BulkState;
  /** entries the scope covered when the operation started (null until counted) */
  total: number | null;
  /** done + gone */
  processed: number;
  /** requeued or deleted */
  done: number;
  /** already gone: requeued, deleted or expired by someone else meanwhile */
  gone: number;
  startedAt: number;
  updatedAt: number;
  error?: string;
  /** canary redrives only */
  phase?: BulkPhase;
  canary?: CanaryReport;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RunOptions {
  onProgress?: (p: BulkProgress) => void;
  /** the id progress is stored under (startBulk passes its own) */
  opId?: string;
  clock?: Clock;
  /** how often a canary's jobs are checked (ms) */
  canaryPollMs?: number;
}

/** Progress records outlive the operation by a day, for the console's "what happened". */
const PROGRESS_TTL_SECONDS = 24 * 3600;

async function save(client: RedisClient, p: BulkProgress): Promise<boolean> {
  const key = globalKeys().bulk(p.opId);
  // `beat` is wall-clock time whatever clock paces the chunks: it tells a live operation from a stalled one.
  const fields = {
    ...p,
    total: p.total ?? "",
    error: p.error ?? "",
    phase: p.phase ?? "",
    canary: p.canary ? JSON.stringify(p.canary) : "",
    beat: Date.now(),
  };
  const [, , cancel] = await Promise.all([
    client.hset(key, fields),
    client.expire(key, PROGRESS_TTL_SECONDS),
    client.hget(key, "cancel"),
    renewSlot(client, p.opId),
  ]);
  return cancel === "1";
}

/** How long a running operation may go without reporting before it counts as stalled. */
export const STALLED_AFTER_MS = 60_000;

/** The progress of an operation, from any process; null when unknown or expired. */
export async function bulkProgress(client: RedisClient, opId: string): Promise<BulkProgress | null> {
  const h = await client.hgetall(globalKeys().bulk(opId));
  if (!h.opId) return null;
  const n = (v: string | undefined) => Number(v ?? 0);
  // A running operation reports after every chunk (at least once a second, rate limit included);
  // one silent for a minute lost the process that ran it (a console restart): say so.
  const stalled = h.state === "running" && Date.now() - n(h.beat) > STALLED_AFTER_MS;
  if (stalled) h.error = "stalled: the process running it stopped; what it reports was done";
  return {
    opId: h.opId,
    action: h.action as BulkOp["action"],
    state: stalled ? "failed" : (h.state as BulkState),
    total: h.total === "" ? null : n(h.total),
    processed: n(h.processed),
    done: n(h.done),
    gone: n(h.gone),
    startedAt: n(h.startedAt),
    updatedAt: n(h.updatedAt),
    ...(h.error ? { error: h.error } : {}),
    ...(h.phase ? { phase: h.phase as BulkPhase } : {}),
    ...(h.canary ? { canary: JSON.parse(h.canary) as CanaryReport } : {}),
  };
}

/** Asks a running operation to stop after its current chunk; false when it is not running. */
export async function cancelBulk(client: RedisClient, opId: string): Promise<boolean> {
  const p = await bulkProgress(client, opId);
  if (p?.state !== "running") return false;
  await client.hset(globalKeys().bulk(opId), "cancel", "1");
  return true;
}

/** Ids of recent operations, newest first. */
export async function listBulkOps(client: RedisClient, limit = 20): Promise<string[]> {
  return client.zrevrange(globalKeys().bulkIndex, 0, limit - 1);
}

type Apply = (queue: string, target: BatchTarget) => Promise<BatchResult>;

function applier(client: RedisClient, op: BulkOp): Apply {
  if (op.action === "delete") return (queue, t) => deleteBatch(client, queue, t);
  const opts = { payload: op.payload, delayMs: op.delayMs, by: op.by };
  return (queue, t) => requeueBatch(client, queue, t, opts);
}

/** The chunks of an operation, lazily: each yields the outcome of one script call. */
async function* chunks(
  client: RedisClient,
  op: BulkOp,
  filter: DlqFilter | null,
  size: number,
  skip: ReadonlySet<string>,
) {
  const apply = applier(client, op);
  if ("ids" in op.scope) {
    const ids = [...new Set(op.scope.ids)].filter((id) => !skip.has(id));
    for (let i = 0; i < ids.length; i += size) yield apply(op.scope.queue, { ids: ids.slice(i, i + size) });
    return;
  }
  if (!filter) return;
  if (filter.search) {
    let after: Position | null = null;
    for (;;) {
      const { matches, next } = await nextMatches(client, filter, after, size);
      const byQueue = new Map<string, string[]>();
      for (const m of matches) byQueue.set(m.queue, [...(byQueue.get(m.queue) ?? []), m.id]);
      for (const [queue, ids] of byQueue) yield apply(queue, { ids });
      if (!next) return;
      after = next;
    }
  }
  for (const s of await sourcesOf(client, filter)) {
    const t = { index: s.index, max: String(filter.to), min: String(filter.from ?? "-inf"), count: size };
    for (;;) {
      const r = await apply(s.queue, t);
      if (r.done + r.gone === 0) break;
      yield r;
      if (r.done + r.gone < size) break;
    }
  }
}

/** Runs a bulk operation to its end (or cancellation) and returns its final progress. */
export async function runBulk(
  client: RedisClient,
  input: BulkOpInput,
  options: RunOptions = {},
): Promise<BulkProgress> {
  const op = parseInput(bulkOpSchema(), input, "bulk operation");
  const clock = options.clock ?? realClock;
  const startedAt = clock.now();
  const p: BulkProgress = {
    opId: options.opId ?? randomUUID(),
    action: op.action,
    state: "running",
    total: null,
    processed: 0,
    done: 0,
    gone: 0,
    startedAt,
    updatedAt: startedAt,
  };
  const report = async () => {
    p.updatedAt = clock.now();
    const cancel = await save(client, p);
    options.onProgress?.({ ...p });
    return cancel;
  };
  const index = globalKeys().bulkIndex;
  // the index keeps the operations whose progress records have not expired yet
  await client.zremrangebyscore(index, "-inf", Date.now() - PROGRESS_TTL_SECONDS * 1000);
  await client.zadd(index, Date.now(), p.opId);
  await report();
  try {
    // Only what is dead when the operation starts: later dead letters are left alone.
    const cutoff = Date.now(); // real time, whatever clock paces the chunks
    const filter =
      "filter" in op.scope
        ? { ...op.scope.filter, to: Math.min(op.scope.filter.to ?? cutoff, cutoff) }
        : null;
    p.total = filter
      ? await countDeadLetters(client, filter)
      : new Set((op.scope as { ids: string[] }).ids).size;
    if (await report()) return await finish(p, "cancelled", report);
    let canaryIds: ReadonlySet<string> = new Set();
    if (op.canary) {
      const outcome = await runCanary(client, op, filter, p, report, { ...options, clock });
      if (outcome.end) return await finish(p, outcome.end, report);
      canaryIds = outcome.ids;
    }
    const size = Math.min(BATCH_MAX, op.rate ?? BATCH_MAX);
    for await (const r of chunks(client, op, filter, size, canaryIds)) {
      p.done += r.done;
      p.gone += r.gone;
      p.processed += r.done + r.gone;
      if (await report()) return await finish(p, "cancelled", report);
      if (op.rate) await pace(clock, startedAt, p.processed, op.rate);
    }
    // Entries counted at the start that someone else removed meanwhile were never read: gone too.
    // (Canary jobs that failed again count once, as requeued: they are dead again after the cutoff.)
    const unseen = filter && p.total !== null ? Math.max(0, p.total - p.processed) : 0;
    p.gone += unseen;
    p.processed += unseen;
    return await finish(p, "done", report);
  } catch (err) {
    p.error = err instanceof Error ? err.message : String(err);
    await finish(p, "failed", report).catch(() => {});
    throw err;
  }
}

/** The first `count` entries of the scope, newest first (what a canary requeues). */
async function canaryPicks(
  client: RedisClient,
  op: BulkOp,
  filter: DlqFilter | null,
  count: number,
): Promise<JobRef[]> {
  if ("ids" in op.scope) {
    const queue = op.scope.queue;
    return [...new Set(op.scope.ids)].slice(0, count).map((id) => ({ queue, id }));
  }
  if (!filter) return [];
  const picks: JobRef[] = [];
  let after: Position | null = null;
  // a text search may stop at its read budget with fewer matches: read on until enough or none left
  for (;;) {
    const { matches, next } = await nextMatches(client, filter, after, count - picks.length);
    picks.push(...matches.map((m) => ({ queue: m.queue, id: m.id })));
    if (picks.length >= count || !next) return picks;
    after = next;
  }
}

/**
 * The canary phase: requeue the first `count`, watch them, and say how the operation goes on:
 * `end` when it must stop (a failed or undecided canary, a cancel), else the canary's ids.
 */
async function runCanary(
  client: RedisClient,
  op: BulkOp,
  filter: DlqFilter | null,
  p: BulkProgress,
  report: () => Promise<boolean>,
  options: RunOptions & { clock: Clock },
): Promise<{ end?: BulkState; ids: ReadonlySet<string> }> {
  const c = op.canary!;
  const timeoutMs = (c.timeoutSeconds ?? getConfig().DLQ_CANARY_TIMEOUT_SECONDS) * 1000;
  p.phase = "canary";
  const jobs = await canaryPicks(client, op, filter, c.count);
  const apply = applier(client, op);
  const byQueue = new Map<string, string[]>();
  for (const j of jobs) byQueue.set(j.queue, [...(byQueue.get(j.queue) ?? []), j.id]);
  for (const [queue, ids] of byQueue) {
    const r = await apply(queue, { ids });
    p.done += r.done;
    p.gone += r.gone;
    p.processed += r.done + r.gone;
  }
  p.canary = {
    count: c.count,
    minSuccess: c.minSuccess,
    watched: jobs.length,
    succeeded: 0,
    failed: [],
    pending: jobs,
    verdict: null,
    timeoutMs,
  };
  if (await report()) return { end: "cancelled", ids: new Set() };
  p.phase = "waiting";
  const verdict = await watchCanary(client, jobs, p.canary, {
    now: () => options.clock.now(),
    sleep: (ms) => options.clock.sleep(ms),
    report,
    pollMs: options.canaryPollMs ?? 500,
  });
  if (verdict === null) return { end: "cancelled", ids: new Set() };
  if (verdict !== "pass") {
    p.error =
      verdict === "fail"
        ? `canary failed: ${p.canary.succeeded} of ${jobs.length} succeeded, ${Math.round(c.minSuccess * 1000) / 10} % needed; the rest was left in the DLQ`
        : `canary undecided: ${p.canary.pending.length} of ${jobs.length} still pending after ${timeoutMs / 1000} s; the rest was left in the DLQ`;
    return { end: "stopped", ids: new Set() };
  }
  p.phase = "rest";
  return { ids: new Set(jobs.map((j) => j.id)) };
}

async function finish(
  p: BulkProgress,
  state: BulkState,
  report: () => Promise<boolean>,
): Promise<BulkProgress> {
  p.state = state;
  await report();
  return { ...p };
}

/** Sleeps until `processed` entries are within `rate` per second since the start. */
async function pace(clock: Clock, startedAt: number, processed: number, rate: number) {
  const due = startedAt + (processed / rate) * 1000;
  const wait = due - clock.now();
  if (wait > 0) await clock.sleep(wait);
}

/**
 * Starts a bulk operation in the background of this process and returns its id at once;
 * poll it with bulkProgress (from any process) and stop it with cancelBulk.
 * Invalid input is refused here, before anything starts, and so is an operation beyond
 * BULK_MAX_RUNNING (`maxRunning`) running at once: DlqError BUSY (bulk-slots.ts).
 */
export async function startBulk(
  client: RedisClient,
  input: BulkOpInput,
  options: Omit<RunOptions, "opId"> & { maxRunning?: number } = {},
) {
  parseInput(bulkOpSchema(), input, "bulk operation");
  const opId = randomUUID();
  await takeSlot(client, opId, options.maxRunning);
  const running = runBulk(client, input, { ...options, opId });
  running
    .catch(() => {
      // recorded as state "failed" with its error in the progress record
    })
    .finally(() => releaseSlot(client, opId).catch(() => {}));
  await waitForRecord(client, opId, running);
  return opId;
}

/** Returns once the progress record exists, so a poll right after startBulk finds it. */
async function waitForRecord(client: RedisClient, opId: string, running: Promise<unknown>) {
  for (let i = 0; i < 100; i++) {
    if (await client.exists(globalKeys().bulk(opId))) return;
    const settled = await Promise.race([
      running.then(
        () => true,
        () => true,
      ),
      realClock.sleep(5).then(() => false),
    ]);
    if (settled) return;
  }
}

/** Deletes a queue's whole DLQ, in chunks. */
export function purgeQueue(client: RedisClient, queue: string, options: RunOptions = {}) {
  return runBulk(client, { action: "delete", scope: { filter: { queue } } }, options);
}
