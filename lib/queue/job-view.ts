/**
 * One job in any state, read in one script call (show-8.lua): where it is, its data, attempts
 * with their errors, history, and what its state adds (place in line, lease and consumer, due
 * time, completion record, dead-letter fields). `findJob` looks for an id in every queue.
 * What a viewer may see is decided by lib/dlq/view.ts, the same masking as dead letters.
 */
import { MASK } from "../auth/mask.ts";
import { deadLetterFromHash } from "../dlq/read.ts";
import { forViewer, type ViewerRole } from "../dlq/view.ts";
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import { type ActiveRow, activeRow, type JobsPage, type ListState } from "./browse.ts";
import { parseCompletedRecord } from "./completed.ts";
import { type JobState, jobNotFound } from "./job-errors.ts";
import { runJobsScript, showKeys } from "./jobs-scripts.ts";
import { listQueues } from "./stats.ts";
import type { AttemptError, DeadLetter, DeadReason, HistoryEntry } from "./types.ts";
import { JOB_FIELDS as F } from "./types.ts";

/** How far into the ready list a waiting job's place in line is looked for (LPOS MAXLEN). */
export const POSITION_SCAN_MAX = 100_000;
/** Queues findJob looks in at most (the registry is small; this bounds one request's work). */
export const FIND_QUEUES_MAX = 1000;

export interface JobDetail {
  queue: string;
  id: string;
  state: JobState;
  /** the parsed payload; the raw text when it is not JSON; undefined for a completed job whose record kept none */
  payload: unknown;
  metadata: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  createdAt: number | null;
  errors: AttemptError[];
  history: HistoryEntry[];
  waiting?: { position: number | null; waitedMs: number | null };
  active?: Omit<ActiveRow, "id" | "maxAttempts" | "createdAt" | "payloadBytes">;
  scheduled?: { kind: "retry" | "delayed"; dueAt: number };
  completed?: { finishedAt: number; durationMs: number | null; payloadKept: boolean };
  dead?: {
    reason: DeadReason;
    fingerprint: string;
    deadAt: number;
    firstFailedAt: number;
    lastFailedAt: number;
  };
}

function hashOf(flat: string[]): Record<string, string> {
  const h: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) h[flat[i]] = flat[i + 1];
  return h;
}

/** One job of a queue wherever it is; null when no state has it. */
export async function getJob(
  client: RedisClient,
  queue: string,
  id: string,
  now = Date.now(),
): Promise<JobDetail | null> {
  const k = queueKeys(queue);
  const r = (
    await runJobsScript<string[] | (string | number)[]>(client, "show", queue, showKeys(k), [
      id,
      POSITION_SCAN_MAX,
      "",
    ])
  ).map(String);
  if (r.length === 0) return null;
  const [state, score, position, orphaned, beat, record] = r as [
    JobState,
    string,
    string,
    string,
    string,
    string,
  ];
  const h = hashOf(r.slice(6));
  const d = deadLetterFromHash(queue, id, h, Number(score) || 0);
  const createdAt = d.createdAt || null;
  const job: JobDetail = {
    queue,
    id,
    state,
    payload: d.payload,
    metadata: d.metadata,
    attempts: d.attempts,
    maxAttempts: d.maxAttempts,
    createdAt,
    errors: d.errors,
    history: d.history,
  };
  if (state === "waiting") {
    const pos = Number(position);
    job.waiting = {
      position: pos >= 0 ? pos : null,
      waitedMs: createdAt === null ? null : Math.max(0, now - createdAt),
    };
  } else if (state === "active") {
    const row = activeRow([
      id,
      score,
      h[F.lease] ?? "",
      h[F.startedAt] ?? "",
      h[F.attempts] ?? "",
      "",
      "",
      h[F.prefetched] ?? "",
      orphaned,
      beat,
      "0",
    ]);
    const { id: _i, maxAttempts: _m, createdAt: _c, payloadBytes: _p, ...lease } = row;
    job.active = lease;
  } else if (state === "scheduled") {
    job.scheduled = { kind: d.attempts > 0 ? "retry" : "delayed", dueAt: Number(score) };
  } else if (state === "dead") {
    const { reason, fingerprint, deadAt, firstFailedAt, lastFailedAt } = d;
    job.dead = { reason, fingerprint, deadAt, firstFailedAt, lastFailedAt };
  } else {
    fromRecord(job, record, Number(score));
  }
  return job;
}

/** A completed job has no hash: its record says what is left of it. */
function fromRecord(job: JobDetail, record: string, finishedAt: number) {
  const rec = parseCompletedRecord(record);
  job.completed = {
    finishedAt: rec?.finishedAt ?? finishedAt,
    durationMs: rec?.durationMs ?? null,
    payloadKept: !!rec?.kept,
  };
  job.attempts = rec?.attempts ?? 0;
  job.createdAt = rec?.createdAt ?? null;
  job.payload = undefined;
  if (rec?.kept) {
    const d = deadLetterFromHash(
      job.queue,
      job.id,
      { [F.payload]: rec.kept.payload, [F.meta]: rec.kept.meta },
      0,
    );
    job.payload = d.payload;
    job.metadata = d.metadata;
  }
}

/** One job of a queue wherever it is; NOT_FOUND (404) when no state has it. */
export async function requireJob(client: RedisClient, queue: string, id: string): Promise<JobDetail> {
  const job = await getJob(client, queue, id);
  if (!job) throw jobNotFound(queue, id);
  return job;
}

export interface JobLocation {
  queue: string;
  state: JobState;
}

/**
 * Where a job id is, in every queue that has it (ids are per queue: a generated id such as "42"
 * may be in several). Looks in at most FIND_QUEUES_MAX queues, one small call each, 50 at once.
 */
export async function findJob(client: RedisClient, id: string): Promise<JobLocation[]> {
  const queues = (await listQueues(client)).slice(0, FIND_QUEUES_MAX);
  const found: JobLocation[] = [];
  for (let i = 0; i < queues.length; i += 50) {
    const chunk = queues.slice(i, i + 50);
    const states = await Promise.all(
      chunk.map((q) => runJobsScript<string[]>(client, "show", q, showKeys(queueKeys(q)), [id, 0, "1"])),
    );
    states.forEach((s, j) => {
      if (s.length > 0) found.push({ queue: chunk[j], state: s[0] as JobState });
    });
  }
  return found;
}

/** A job as `role` may see it: payload, metadata, history and error text masked for non-admins. */
export function viewJob(job: JobDetail, role: ViewerRole, fields?: readonly string[]): JobDetail {
  if (role === "admin") return job;
  const { entry } = forViewer(asDeadLetter(job), fields);
  return {
    ...job,
    payload: entry.payload,
    metadata: entry.metadata,
    history: entry.history,
    errors: entry.errors,
  };
}

function asDeadLetter(job: JobDetail): DeadLetter {
  return {
    queue: job.queue,
    id: job.id,
    payload: job.payload,
    metadata: job.metadata,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    errors: job.errors,
    fingerprint: job.dead?.fingerprint ?? "",
    reason: job.dead?.reason ?? "failed",
    firstFailedAt: 0,
    lastFailedAt: 0,
    deadAt: 0,
    createdAt: job.createdAt ?? 0,
    history: job.history,
  };
}

/**
 * A page as `role` may see it. Only scheduled rows carry text (the last error), which may quote
 * the job's data: a viewer's copy reads each row's job (one call each) and masks it like the job.
 */
export async function viewJobsPage<S extends ListState>(
  client: RedisClient,
  page: JobsPage<S>,
  role: ViewerRole,
  fields?: readonly string[],
): Promise<JobsPage<S>> {
  if (role === "admin" || page.state !== "scheduled") return page;
  const rows = page.items as JobsPage<"scheduled">["items"];
  const jobs = await Promise.all(rows.map((r) => (r.lastError ? getJob(client, page.queue, r.id) : null)));
  const items = rows.map((r, i) => {
    const job = jobs[i];
    if (!r.lastError) return r;
    const last = job ? viewJob(job, role, fields).errors.at(-1) : undefined;
    return {
      ...r,
      lastError:
        last && last.attempt === r.lastError.attempt
          ? last
          : {
              attempt: r.lastError.attempt,
              at: r.lastError.at,
              consumer: r.lastError.consumer,
              name: MASK,
              message: MASK,
            },
    };
  });
  return { ...page, items } as JobsPage<S>;
}
