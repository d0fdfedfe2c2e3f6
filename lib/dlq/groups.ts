/**
 * The error groups as the console reads them: at most `scanMax` groups per call (each costs a
 * ZCARD and an HGETALL), so a DLQ with a million distinct fingerprints never makes one request
 * read them all. Queues are read by name, each queue's groups most recently seen first; a call
 * that stops at its bound answers `partial: true` and a cursor to go on from. Each page is sorted
 * largest first. A cursor is an offset in a queue's groups, so groups that appear or empty
 * meanwhile can shift a later page by as many rows.
 */
import type { ErrorGroup } from "../queue/types.ts";
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import { invalidInput } from "./errors.ts";
import { byCount, listQueues, readGroups } from "./read.ts";
import { fingerprintSchema, parseInput, queueNameSchema } from "./schemas.ts";

export interface GroupsPage {
  groups: ErrorGroup[];
  /** true when the read stopped at its bound: more groups exist after `nextCursor` */
  partial: boolean;
  /** groups read */
  scanned: number;
  nextCursor: string | null;
}

export interface GroupsScope {
  queue?: string;
  /** one fingerprint only (read directly, no scan) */
  fingerprint?: string;
}

/** Groups one round reads (one pipelined burst of commands). */
const ROUND = 200;

/**
 * Groups one console request reads at most (or API_SCAN_LIMIT if lower): a group costs two
 * commands and a table row, several times a scanned entry (bench/bounded-reads.ts measures it).
 */
export const GROUPS_PAGE_MAX = 1000;

const encode = (queue: string, offset: number) =>
  Buffer.from(JSON.stringify(["groups", queue, offset])).toString("base64url");

function decode(cursor: string): { queue: string; offset: number } {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(v) &&
      v[0] === "groups" &&
      typeof v[1] === "string" &&
      Number.isSafeInteger(v[2]) &&
      v[2] >= 0
    )
      return { queue: v[1], offset: v[2] };
  } catch {
    // fall through
  }
  throw invalidInput("cursor", "not a cursor returned by a previous groups page");
}

/** A page of error groups, reading at most `scanMax` groups (default: all). */
export async function listGroupsPage(
  client: RedisClient,
  scope: GroupsScope = {},
  opts: { scanMax?: number; cursor?: string } = {},
): Promise<GroupsPage> {
  if (scope.queue !== undefined) parseInput(queueNameSchema, scope.queue, "queue name");
  if (scope.fingerprint !== undefined) parseInput(fingerprintSchema, scope.fingerprint, "fingerprint");
  const queues = scope.queue ? [scope.queue] : await listQueues(client);
  const fp = scope.fingerprint;
  if (fp) {
    const groups = (await Promise.all(queues.map((q) => readGroups(client, q, [fp])))).flat();
    return { groups: byCount(groups), partial: false, scanned: queues.length, nextCursor: null };
  }
  const scanMax = opts.scanMax ?? Number.POSITIVE_INFINITY;
  const from = opts.cursor ? decode(opts.cursor) : null;
  const out: ErrorGroup[] = [];
  let scanned = 0;
  for (const queue of from ? queues.filter((q) => q >= from.queue) : queues) {
    const key = queueKeys(queue).groups;
    let offset = from?.queue === queue ? from.offset : 0;
    const total = await client.zcard(key);
    while (offset < total) {
      if (scanned >= scanMax)
        return { groups: byCount(out), partial: true, scanned, nextCursor: encode(queue, offset) };
      const n = Math.min(ROUND, total - offset, scanMax - scanned);
      const fps = await client.zrevrange(key, offset, offset + n - 1);
      if (fps.length === 0) break;
      out.push(...(await readGroups(client, queue, fps)));
      scanned += fps.length;
      offset += fps.length;
    }
  }
  return { groups: byCount(out), partial: false, scanned, nextCursor: null };
}
