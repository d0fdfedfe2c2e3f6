/**
 * Reading dead letters: one in full, the error groups, the queues that have a DLQ, and the
 * summary rows the list returns. Stored text that cannot be parsed is shown, never thrown:
 * a corrupt payload comes back as its raw text with reason "corrupt".
 */
import { numberedLines, parseProgress } from "../queue/logs.ts";
import type { AttemptError, DeadLetter, DeadReason, ErrorGroup, HistoryEntry } from "../queue/types.ts";
import { JOB_FIELDS as F, GROUP_INFO_FIELDS as G } from "../queue/types.ts";
import type { RedisClient } from "../redis/connection.ts";
import { globalKeys, queueKeys } from "../redis/keys.ts";
import { notFound } from "./errors.ts";
import { jobIdSchema, parseInput, queueNameSchema } from "./schemas.ts";

/** One row of the list: what a table shows, without the payload (which may be 512 KB). */
export interface DeadLetterSummary {
  queue: string;
  id: string;
  fingerprint: string;
  reason: DeadReason;
  attempts: number;
  maxAttempts: number;
  deadAt: number;
  firstFailedAt: number;
  lastFailedAt: number;
  createdAt: number;
  errorCount: number;
  lastError: { name: string; message: string } | null;
  payloadBytes: number;
}

const num = (v: string | undefined | null) => (v ? Number(v) || 0 : 0);

function parseJson<T>(text: string | undefined | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const reasonOf = (v: string | undefined): DeadReason =>
  v === "unrecoverable" || v === "corrupt" ? v : "failed";

/**
 * A row of the page script: id, score, attempts, max, fp, reason, ff, lf, dt, ct, last error, bytes.
 * The last error is the job's `le` ({n, name, message}: n counts the errors); a dead letter written
 * before `le` existed sends its whole errors array there instead, counted here (docs/storage.md).
 */
export function summaryFromRow(queue: string, r: string[]): DeadLetterSummary {
  const stored = parseJson<unknown>(r[10], null);
  const whole = Array.isArray(stored);
  const last = (whole ? stored.at(-1) : stored) as
    | (Partial<AttemptError> & { n?: unknown })
    | null
    | undefined;
  return {
    queue,
    id: r[0],
    deadAt: num(r[8]) || Number(r[1]),
    attempts: num(r[2]),
    maxAttempts: num(r[3]),
    fingerprint: r[4],
    reason: reasonOf(r[5]),
    firstFailedAt: num(r[6]),
    lastFailedAt: num(r[7]),
    createdAt: num(r[9]),
    errorCount: whole ? stored.length : Number(last?.n) || 0,
    lastError:
      last && typeof last === "object"
        ? { name: String(last.name ?? ""), message: String(last.message ?? "") }
        : null,
    payloadBytes: num(r[11]),
  };
}

export function deadLetterFromHash(
  queue: string,
  id: string,
  h: Record<string, string>,
  deadAt: number,
): DeadLetter {
  let payload: unknown;
  let corrupt = false;
  try {
    payload = JSON.parse(h[F.payload]);
  } catch {
    payload = h[F.payload] ?? "";
    corrupt = true;
  }
  const errors = parseJson<AttemptError[]>(h[F.errors], []);
  const history = parseJson<HistoryEntry[]>(h[F.history], []);
  const meta = parseJson<Record<string, unknown>>(h[F.meta], {});
  return {
    queue,
    id,
    payload,
    metadata: meta && typeof meta === "object" && !Array.isArray(meta) ? meta : {},
    attempts: num(h[F.attempts]),
    maxAttempts: num(h[F.maxAttempts]),
    errors: Array.isArray(errors) ? errors : [],
    fingerprint: h[F.fingerprint] ?? "",
    reason: corrupt ? "corrupt" : reasonOf(h[F.reason]),
    firstFailedAt: num(h[F.firstFailedAt]),
    lastFailedAt: num(h[F.lastFailedAt]),
    deadAt: num(h[F.deadAt]) || deadAt,
    createdAt: num(h[F.createdAt]),
    history: Array.isArray(history) ? history : [],
  };
}

/**
 * One dead letter in full, with what its handler reported (progress, the kept log lines: at most
 * JOB_LOG_MAX_LINES). Throws NOT_FOUND when the id is not in the queue's DLQ.
 */
export async function getDeadLetter(client: RedisClient, queue: string, id: string): Promise<DeadLetter> {
  parseInput(queueNameSchema, queue, "queue name");
  parseInput(jobIdSchema, id, "job id");
  const k = queueKeys(queue);
  const [score, hash, logs] = await Promise.all([
    client.zscore(k.dead, id),
    client.hgetall(k.job(id)),
    client.lrange(k.logs(id), 0, -1),
  ]);
  if (score === null || Object.keys(hash).length === 0) throw notFound(queue, id);
  const total = Math.max(num(hash[F.logLines]), logs.length);
  return {
    ...deadLetterFromHash(queue, id, hash, Number(score)),
    report: { progress: parseProgress(hash[F.progress]), lines: numberedLines(logs, total), total },
  };
}

/** Several dead letters in full, in the order asked; missing ones are left out. */
export async function getDeadLetters(
  client: RedisClient,
  queue: string,
  ids: string[],
): Promise<DeadLetter[]> {
  const k = queueKeys(queue);
  const found = await Promise.all(
    ids.map(async (id) => {
      const [score, hash] = await Promise.all([client.zscore(k.dead, id), client.hgetall(k.job(id))]);
      return score === null || Object.keys(hash).length === 0
        ? null
        : deadLetterFromHash(queue, id, hash, Number(score));
    }),
  );
  return found.filter((d): d is DeadLetter => d !== null);
}

/** Every queue name ever added to, sorted. */
export async function listQueues(client: RedisClient): Promise<string[]> {
  const names = await client.smembers(globalKeys().queues);
  return names.filter((n) => queueNameSchema.safeParse(n).success).sort();
}

async function groupsOf(client: RedisClient, queue: string): Promise<ErrorGroup[]> {
  const fps = await client.zrevrange(queueKeys(queue).groups, 0, -1);
  const out: ErrorGroup[] = [];
  for (let i = 0; i < fps.length; i += 200)
    out.push(...(await readGroups(client, queue, fps.slice(i, i + 200))));
  return out;
}

/** The groups of some fingerprints of a queue, in that order; empty groups are left out. */
export async function readGroups(client: RedisClient, queue: string, fps: string[]): Promise<ErrorGroup[]> {
  const k = queueKeys(queue);
  const rows = await Promise.all(
    fps.map(async (fp) => {
      const [count, info] = await Promise.all([client.zcard(k.group(fp)), client.hgetall(k.groupInfo(fp))]);
      return groupFrom(queue, fp, count, info);
    }),
  );
  return rows.filter((g) => g.count > 0);
}

function groupFrom(queue: string, fp: string, count: number, info: Record<string, string>): ErrorGroup {
  return {
    queue,
    fingerprint: fp,
    count,
    name: info[G.name] ?? "",
    sampleMessage: info[G.message] ?? "",
    topFrame: info[G.topFrame] || undefined,
    firstSeen: num(info[G.firstSeen]),
    lastSeen: num(info[G.lastSeen]),
  };
}

/** The error groups of one queue's DLQ, or of every queue's; largest first. */
export async function listGroups(client: RedisClient, queue?: string): Promise<ErrorGroup[]> {
  if (queue !== undefined) parseInput(queueNameSchema, queue, "queue name");
  const queues = queue ? [queue] : await listQueues(client);
  return byCount((await Promise.all(queues.map((q) => groupsOf(client, q)))).flat());
}

/** Largest first, then the most recently seen. */
export const byCount = (groups: ErrorGroup[]) =>
  groups.sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen);
