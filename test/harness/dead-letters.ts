/**
 * A test and benchmark fixture: writes dead letters exactly as docs/storage.md describes them
 * (job hash with JOB_FIELDS, dead zset, groups zset, group:<fp> zset, groupinfo:<fp> hash), so
 * lib/dlq can be tested without the producer. Pipelined: a million entries seed in seconds.
 */
import { randomUUID } from "node:crypto";
import type { AttemptError, DeadReason } from "../../lib/queue/types.ts";
import { JOB_FIELDS as F, GROUP_INFO_FIELDS as G } from "../../lib/queue/types.ts";
import type { RedisClient } from "../../lib/redis/connection.ts";
import { globalKeys, queueKeys } from "../../lib/redis/keys.ts";

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
  topFrame?: string;
  attempts?: number;
  reason?: DeadReason;
}

function errorsOf(e: SeedEntry, deadAt: number, attempts: number): AttemptError[] {
  const name = e.errorName ?? "Error";
  const message = e.message ?? "something failed";
  const frame = e.topFrame ?? "at handler (worker.ts:1:1)";
  return Array.from({ length: attempts }, (_, i) => ({
    attempt: i + 1,
    name,
    message,
    stack: `${name}: ${message}\n    ${frame}`,
    at: deadAt - (attempts - 1 - i) * 1000,
    consumer: "seed",
  }));
}

/** Writes the entries as dead letters of `queue`; returns their ids in order. */
export async function seedDeadLetters(
  client: RedisClient,
  queue: string,
  entries: SeedEntry[],
): Promise<string[]> {
  const k = queueKeys(queue);
  const now = Date.now();
  const ids: string[] = [];
  const groups = new Map<string, { first: number; last: number; e: SeedEntry }>();
  const p = client.pipeline();
  entries.forEach((e, i) => {
    const id = e.id ?? randomUUID();
    const deadAt = e.deadAt ?? now - i;
    const attempts = e.attempts ?? 3;
    const fp = e.fingerprint ?? "fp-default";
    const errors = errorsOf(e, deadAt, attempts);
    ids.push(id);
    p.hset(k.job(id), {
      [F.payload]: e.rawPayload ?? JSON.stringify(e.payload ?? { n: i }),
      [F.meta]: JSON.stringify(e.metadata ?? { by: "seed" }),
      [F.attempts]: attempts,
      [F.maxAttempts]: attempts,
      [F.backoffBase]: 60_000,
      [F.backoffMax]: 3_600_000,
      [F.createdAt]: deadAt - attempts * 1000,
      [F.errors]: JSON.stringify(errors),
      [F.fingerprint]: fp,
      [F.reason]: e.reason ?? "failed",
      [F.firstFailedAt]: errors[0]?.at ?? deadAt,
      [F.lastFailedAt]: deadAt,
      [F.deadAt]: deadAt,
    });
    p.zadd(k.dead, deadAt, id);
    p.zadd(k.group(fp), deadAt, id);
    const g = groups.get(fp);
    if (!g) groups.set(fp, { first: deadAt, last: deadAt, e });
    else {
      g.first = Math.min(g.first, deadAt);
      g.last = Math.max(g.last, deadAt);
    }
  });
  await writeGroups(client, queue, groups, p);
  await client.sadd(globalKeys().queues, queue);
  return ids;
}

async function writeGroups(
  client: RedisClient,
  queue: string,
  groups: Map<string, { first: number; last: number; e: SeedEntry }>,
  p: ReturnType<RedisClient["pipeline"]>,
) {
  const k = queueKeys(queue);
  const fps = [...groups.keys()];
  const seen = await Promise.all(fps.map((fp) => client.hmget(k.groupInfo(fp), G.firstSeen, G.lastSeen)));
  fps.forEach((fp, i) => {
    const g = groups.get(fp)!;
    const [first, last] = seen[i];
    p.hset(k.groupInfo(fp), {
      [G.name]: g.e.errorName ?? "Error",
      [G.message]: g.e.message ?? "something failed",
      [G.topFrame]: g.e.topFrame ?? "at handler (worker.ts:1:1)",
      [G.firstSeen]: first ? Math.min(Number(first), g.first) : g.first,
      [G.lastSeen]: last ? Math.max(Number(last), g.last) : g.last,
    });
    p.zadd(k.groups, "GT", g.last, fp);
  });
  const replies = await p.exec();
  const failed = replies?.find(([err]) => err);
  if (failed) throw failed[0];
}
