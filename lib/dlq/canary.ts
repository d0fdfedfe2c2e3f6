/**
 * Canary redrive: before a bulk requeue floods the queue with jobs a fix may not have fixed, it
 * requeues `count` of them first and watches each by id until it is decided:
 *   succeeded — it completed (its id is in the completed zset, or its hash is gone: the hash is
 *               deleted only when a job completes or a dead letter is deleted);
 *   failed    — it came back to the DLQ, or it is waiting for a retry after a failed attempt
 *               (its newest error is reported with it);
 *   pending   — still ready, running, or delayed.
 * The canary passes once at least `minSuccess` of the jobs watched succeeded, and fails once so
 * many failed that it cannot pass any more; the bulk operation goes on with the rest only on a
 * pass. If neither is reached by the timeout the redrive stops "undecided": what was requeued
 * stays requeued, the rest stays in the DLQ untouched, and the report says which were pending.
 * Watching is reads only (ZSCORE/HMGET in one pipeline per poll), at most CANARY_COUNT_MAX ids.
 */

import { JOB_FIELDS } from "../queue/types.ts";
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";

export type CanaryVerdict = "pass" | "fail" | "undecided";

export interface JobRef {
  queue: string;
  id: string;
}

export interface CanaryFailure extends JobRef {
  /** where it is now: back in the DLQ, or waiting for a retry after a failed attempt */
  state: "dead" | "retry";
  /** its newest error, if it has one */
  error: { name: string; message: string } | null;
}

export interface CanaryReport {
  count: number;
  minSuccess: number;
  /** jobs requeued as the canary and watched */
  watched: number;
  succeeded: number;
  failed: CanaryFailure[];
  /** watched jobs not decided yet (at the end: still pending when the timeout came) */
  pending: JobRef[];
  /** null while waiting */
  verdict: CanaryVerdict | null;
  timeoutMs: number;
}

type Outcome = { kind: "succeeded" } | { kind: "pending" } | ({ kind: "failed" } & CanaryFailure);

/** The newest error of a job's errors array (JSON text), or null. */
function newestError(json: string | null): CanaryFailure["error"] {
  if (!json) return null;
  try {
    const errors = JSON.parse(json) as { name?: unknown; message?: unknown }[];
    const e = errors.at(-1);
    return e ? { name: String(e.name ?? "Error"), message: String(e.message ?? "") } : null;
  } catch {
    return null;
  }
}

/** Where each job is now (one pipelined read for all of them). */
export async function outcomesOf(client: RedisClient, jobs: JobRef[]): Promise<Outcome[]> {
  const pipe = client.pipeline();
  for (const j of jobs) {
    const k = queueKeys(j.queue);
    pipe.zscore(k.completed, j.id);
    pipe.zscore(k.dead, j.id);
    pipe.zscore(k.retry, j.id);
    pipe.hmget(k.job(j.id), JOB_FIELDS.attempts, JOB_FIELDS.errors);
  }
  const replies = ((await pipe.exec()) ?? []).map(([err, v]) => {
    if (err) throw err;
    return v;
  });
  return jobs.map((j, i) => {
    const [completed, dead, retry, fields] = replies.slice(i * 4, i * 4 + 4) as [
      string | null,
      string | null,
      string | null,
      (string | null)[],
    ];
    const [attempts, errors] = fields;
    if (completed !== null) return { kind: "succeeded" };
    if (dead !== null) return { kind: "failed", ...j, state: "dead", error: newestError(errors) };
    // a requeue without delay never puts a job in retry: there only after a failed attempt
    if (retry !== null && Number(attempts ?? 0) > 0)
      return { kind: "failed", ...j, state: "retry", error: newestError(errors) };
    if (attempts === null && errors === null) return { kind: "succeeded" };
    return { kind: "pending" };
  });
}

/** pass / fail as soon as the outcome cannot change any more; null while it still can. */
export function verdictOf(r: Pick<CanaryReport, "minSuccess" | "watched" | "succeeded" | "failed">) {
  // the number of successes needed, robust to 0.9 * 10 = 8.999…
  const needed = Math.ceil(r.minSuccess * r.watched - 1e-9);
  if (r.succeeded >= needed) return "pass" as const;
  if (r.failed.length > r.watched - needed) return "fail" as const;
  return null;
}

export interface WatchOptions {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** saves the report (progress); true when the operation was cancelled */
  report(): Promise<boolean>;
  pollMs: number;
}

/**
 * Watches the canary's jobs until a verdict, the timeout ("undecided") or a cancel (returns
 * null). `report` is updated in place and saved after every poll.
 */
export async function watchCanary(
  client: RedisClient,
  jobs: JobRef[],
  report: CanaryReport,
  o: WatchOptions,
): Promise<CanaryVerdict | null> {
  const deadline = o.now() + report.timeoutMs;
  let undecided = jobs;
  for (;;) {
    const outcomes = await outcomesOf(client, undecided);
    const pending: JobRef[] = [];
    outcomes.forEach((out, i) => {
      if (out.kind === "succeeded") report.succeeded++;
      else if (out.kind === "failed") {
        const { kind: _, ...failure } = out;
        report.failed.push(failure);
      } else pending.push(undecided[i]);
    });
    undecided = pending;
    report.pending = pending;
    report.verdict = verdictOf(report) ?? (o.now() >= deadline ? "undecided" : null);
    if (await o.report()) return null;
    if (report.verdict) return report.verdict;
    await o.sleep(o.pollMs);
  }
}
