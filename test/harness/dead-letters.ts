/**
 * Dead letters for tests and benchmarks, made the way production makes them: every entry is added
 * (add-6.lua), then leased (lease-11.lua) and failed (fail-10.lua) once per attempt, so the queue's
 * scripts stay the only writer of the DLQ's storage format. A chosen dead time reaches fail-10.lua
 * as its optional test clock (see the script's header); the earlier attempts of a batch fail a few
 * seconds before its oldest entry. Batched: one pipeline per CHUNK entries.
 */
import { randomUUID } from "node:crypto";
import { addKeys, deadKeys, leaseKeys } from "../../lib/queue/context.ts";
import { pipeScript, scriptPipeline } from "../../lib/queue/scripts.ts";
import type { AttemptError, DeadReason } from "../../lib/queue/types.ts";
import type { RedisClient } from "../../lib/redis/connection.ts";
import { globalKeys, type QueueKeys, queueKeys } from "../../lib/redis/keys.ts";

export interface SeedEntry {
  id?: string;
  payload?: unknown;
  /** stored as is instead of JSON of `payload`, e.g. to seed a corrupt entry */
  rawPayload?: string;
  metadata?: Record<string, unknown>;
  deadAt?: number;
  fingerprint?: string;
  errorName?: string;
  message?: string;
  /** each attempt's message, first attempt first (default: `message` for every attempt) */
  messages?: string[];
  topFrame?: string;
  /** the whole recorded stack of each attempt (default: the error line and `topFrame`) */
  stack?: string;
  attempts?: number;
  reason?: DeadReason;
}

/** An entry with its defaults filled in. */
interface Planned {
  id: string;
  payload: string;
  meta: string;
  deadAt: number;
  attempts: number;
  reason: DeadReason;
  fp: string;
  name: string;
  message: string;
  messages: string[];
  frame: string;
  stack: string;
}

const CONSUMER = "seed";
const CHUNK = 1000;
const LEASE_MS = 10 * 60_000;
const GAP_MS = 1000; // between two attempts of one entry

function plan(e: SeedEntry, i: number, now: number): Planned {
  return {
    id: e.id ?? randomUUID(),
    payload: e.rawPayload ?? JSON.stringify(e.payload ?? { n: i }),
    meta: JSON.stringify(e.metadata ?? { by: "seed" }),
    deadAt: e.deadAt ?? now - i,
    attempts: Math.max(1, e.attempts ?? 3),
    reason: e.reason ?? "failed",
    fp: e.fingerprint ?? "fp-default",
    name: e.errorName ?? "Error",
    message: e.message ?? "something failed",
    messages: e.messages ?? [],
    frame: e.topFrame ?? "at handler (worker.ts:1:1)",
    stack: e.stack ?? "",
  };
}

/** One attempt's error as the consumer records it (first key "attempt", see docs/storage.md). */
function errorRecord(p: Planned, attempt: number, at: number): string {
  const message = p.messages[attempt - 1] ?? p.message;
  const error: AttemptError = {
    attempt,
    name: p.name,
    message,
    stack: p.stack || `${p.name}: ${message}\n    ${p.frame}`,
    at,
    consumer: CONSUMER,
  };
  return JSON.stringify(error);
}

/** fail-10.lua's ARGV for `jobs` at `attempt`, recorded at `clock`. */
function failArgs(k: QueueKeys, jobs: Planned[], attempt: number, clock: number, last: boolean) {
  const args: (string | number)[] = [CONSUMER, 0, 0];
  for (const p of jobs) {
    const dies = last || attempt === p.attempts;
    args.push(p.id, attempt, errorRecord(p, attempt, clock), dies ? -1 : 0, dies ? p.reason : "failed");
    args.push(p.fp, p.name, p.message, p.frame);
  }
  args.push(clock);
  return { keys: deadKeys(k), args };
}

/**
 * Queues one chunk (sorted by dead time, oldest first) on a pipeline: add all; then per attempt,
 * lease the jobs still alive (promoting the retries of the attempt before) and fail them: a retry
 * at a shared clock before the chunk's oldest entry, or, at an entry's last attempt, its death at
 * its own dead time (one fail call per distinct dead time).
 */
function pipeChunk(pipeline: ReturnType<typeof scriptPipeline>, k: QueueKeys, chunk: Planned[]): Expected[] {
  const expected: Expected[] = [{ script: "add", jobs: chunk.length }];
  pipeScript(
    pipeline,
    "add",
    addKeys(k),
    chunk.flatMap((p) => [p.id, p.payload, p.meta, p.attempts, 60_000, 3_600_000, 0]),
  );
  const rounds = Math.max(...chunk.map((p) => p.attempts));
  const oldest = Math.min(chunk[0].deadAt, Date.now());
  for (let attempt = 1; attempt <= rounds; attempt++) {
    const alive = chunk.filter((p) => p.attempts >= attempt);
    pipeScript(pipeline, "lease", leaseKeys(k), [CONSUMER, alive.length, LEASE_MS, alive.length, 0, 0]);
    expected.push({ script: "lease", jobs: alive.length });
    const retried = alive.filter((p) => p.attempts > attempt);
    if (retried.length) {
      const { keys, args } = failArgs(k, retried, attempt, oldest - (rounds - attempt + 1) * GAP_MS, false);
      pipeScript(pipeline, "fail", keys, args);
      expected.push({ script: "fail", jobs: retried.length });
    }
    const dying = alive.filter((p) => p.attempts === attempt);
    for (let i = 0; i < dying.length; ) {
      let j = i + 1;
      while (j < dying.length && dying[j].deadAt === dying[i].deadAt) j++;
      const { keys, args } = failArgs(k, dying.slice(i, j), attempt, dying[i].deadAt, true);
      pipeScript(pipeline, "fail", keys, args);
      expected.push({ script: "fail", jobs: j - i });
      i = j;
    }
  }
  return expected;
}

/** A script call of a chunk and the number of jobs it must have handled. */
interface Expected {
  script: "add" | "lease" | "fail";
  jobs: number;
}

/** How many jobs a reply says were handled: added (code 1), leased (8 fields each, after two header fields), failed (code > 0). */
function handled(script: Expected["script"], reply: unknown[]): number {
  if (script === "lease") return (reply.length - 2) / 8; // next due, paused, then 8 per job
  const codes = script === "add" ? reply.filter((_, i) => i % 2 === 1) : reply;
  return codes.filter((c) => Number(c) > 0).length;
}

/** Every add must have added, every lease leased them all, every fail applied. */
function checkReplies(replies: [Error | null, unknown][] | null, expected: Expected[], queue: string) {
  expected.forEach(({ script, jobs }, i) => {
    const [err, reply] = replies?.[i] ?? [new Error("no reply")];
    if (err) throw err;
    const n = handled(script, reply as unknown[]);
    if (n !== jobs)
      throw new Error(
        `seedDeadLetters(${queue}): ${script} handled ${n} of ${jobs} jobs (an id exists already?)`,
      );
  });
}

/**
 * Makes the entries dead letters of `queue` through the queue's scripts; returns their ids in
 * order. The queue's ready list and retry set must be empty (its leases would take other jobs).
 */
export async function seedDeadLetters(
  client: RedisClient,
  queue: string,
  entries: SeedEntry[],
): Promise<string[]> {
  const k = queueKeys(queue);
  const [ready, retry] = await Promise.all([client.llen(k.ready), client.zcard(k.retry)]);
  if (ready + retry > 0)
    throw new Error(`seedDeadLetters: queue ${queue} has jobs waiting (ready ${ready}, retry ${retry})`);
  const now = Date.now();
  const planned = entries.map((e, i) => plan(e, i, now));
  const byDeadAt = [...planned].sort((a, b) => a.deadAt - b.deadAt);
  for (let start = 0; start < byDeadAt.length; start += CHUNK) {
    const chunk = byDeadAt.slice(start, start + CHUNK);
    const pipeline = scriptPipeline(client);
    const expected = pipeChunk(pipeline, k, chunk);
    checkReplies(await pipeline.exec(), expected, queue);
  }
  await client.sadd(globalKeys().queues, queue);
  return planned.map((p) => p.id);
}
