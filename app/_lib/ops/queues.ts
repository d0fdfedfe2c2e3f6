/**
 * What the console shows of a queue: its sizes, the last WINDOW_MINUTES complete minutes of
 * per-minute counters (the minute in progress is left out: it would read as a drop), throughput
 * and failure rate over that window, jobs/s over the last complete minute, the latency (how long
 * the job next in line has waited), and the oldest dead letter's age — all read with
 * lib/queue/stats — and whether it is paused (lib/queue/pause). Plus pausing and resuming it, and
 * the worker heartbeats the top bar shows (worker/heartbeat.ts).
 */
import type { AuditNote } from "#app/_lib/audited.ts";
import { notFound, route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { queueParam } from "#app/_lib/ops/schemas.ts";
import type { Role } from "#app/_lib/principal.ts";
import type { PauseResponse, QueueSummary, WorkerBeat } from "#components/api-types.ts";
import { pauseQueue, pauseState, resumeQueue } from "#lib/queue/pause.ts";
import { listQueues, oldestDeadAge, oldestWaitingAge, queueSeries, queueSizes } from "#lib/queue/stats.ts";
import type { RedisClient } from "#lib/redis/connection.ts";
import { readHeartbeats } from "#worker/heartbeat.ts";

export const WINDOW_MINUTES = 30;

export async function queueExists(client: RedisClient, queue: string): Promise<boolean> {
  return (await listQueues(client)).includes(queue);
}

export async function summarize(
  client: RedisClient,
  queue: string,
  now = Date.now(),
  withSeries = true,
): Promise<QueueSummary> {
  const [sizes, rows, oldest, latency, pause] = await Promise.all([
    queueSizes(client, queue),
    withSeries ? queueSeries(client, queue, now - WINDOW_MINUTES * 60_000, now - 60_000) : [],
    oldestDeadAge(client, queue, now),
    oldestWaitingAge(client, queue, now),
    pauseState(client, queue),
  ]);
  const series = rows.map((r) => ({
    t: r.at,
    added: r.added,
    completed: r.completed,
    failed: r.failed,
    dead: r.dead,
  }));
  const completed = series.reduce((n, p) => n + p.completed, 0);
  const failed = series.reduce((n, p) => n + p.failed, 0);
  return {
    name: queue,
    sizes: { ready: sizes.ready, active: sizes.active, retry: sizes.retry, dead: sizes.dead },
    paused: pause.paused,
    pausedAt: pause.pausedAt,
    throughput: withSeries ? completed / WINDOW_MINUTES : null,
    failureRate: completed + failed ? failed / (completed + failed) : null,
    oldestDeadAgeMs: oldest,
    jobsPerSecond: withSeries ? (series.at(-1)?.completed ?? 0) / 60 : null,
    latencyMs: latency,
    series,
  };
}

/**
 * Pauses or resumes a known queue (404 otherwise: a typo must not pause a queue nobody uses).
 * Idempotent: `changed` says whether it was in the other state.
 */
export async function setPaused(queue: string, paused: boolean, note: AuditNote): Promise<PauseResponse> {
  const client = consoleRedis();
  if (!(await queueExists(client, queue))) throw notFound(`No queue named "${queue}"`);
  const r = paused ? await pauseQueue(client, queue) : await resumeQueue(client, queue);
  if (!r.changed) note({ detail: paused ? "already paused" : "was not paused" });
  return { queue, ...r };
}

/**
 * POST /api/v1/queues/{queue}/pause and /resume: one route, audited as `queue.pause` or
 * `queue.resume`, idempotent. The route file states its role — `pauseRoute({ role: "admin", … })`
 * — where the access matrix (e2e/helpers/auth-routes.ts) reads it.
 */
export function pauseRoute({ role, paused }: { role: Role; paused: boolean }) {
  return route(
    {
      role,
      params: queueParam,
      audit: { action: paused ? "queue.pause" : "queue.resume", target: ({ params }) => params.queue },
    },
    ({ params, note }) => setPaused(params.queue, paused, note),
  );
}

/** Every queue; without series (sizes only) it costs a handful of commands per queue. */
export async function summarizeAll(client: RedisClient, withSeries = true): Promise<QueueSummary[]> {
  const now = Date.now();
  return Promise.all((await listQueues(client)).map((q) => summarize(client, q, now, withSeries)));
}

/** The worker replicas' last beats, newest first (worker/heartbeat.ts writes and reads them). */
export async function readWorkerBeats(client: RedisClient): Promise<WorkerBeat[]> {
  return (await readHeartbeats(client)).map((h) => ({
    id: h.id,
    host: h.host,
    pid: h.pid,
    lastBeatAt: h.beatAt,
    intervalMs: h.intervalMs,
    alive: h.alive,
  }));
}
