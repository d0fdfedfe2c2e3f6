/**
 * Reading and writing one entry. A read is one MGET of the entry, the namespace's generation
 * and the versions of the caller's tags (all on the namespace's slot); the header check is
 * done here. Only an entry carrying a tag the caller did not name needs a second MGET.
 */
import type { RedisClient } from "../redis/connection.ts";
import type { CacheKeys } from "../redis/keys.ts";
import { type Encoded, encodeTag, type Header, parseHeader } from "./codec.ts";
import type { CacheScripts } from "./scripts.ts";

export type ReadReply =
  | { hit: true; raw: Buffer; header: Header }
  | { hit: false; generation: string; versions: string[] };

const str = (b: Buffer | null) => (b === null ? "0" : b.toString("latin1"));

/** `tags` are encoded; a miss reports their current versions (captured before loading). */
export function readEntry(
  client: RedisClient,
  keys: CacheKeys,
  entry: string,
  tags: readonly string[],
): Promise<ReadReply> {
  const read =
    tags.length === 0
      ? client.mgetBuffer(entry, keys.generation)
      : client.mgetBuffer(entry, keys.generation, ...tags.map((t) => keys.tag(t)));
  return read.then((reply) => {
    const generation = str(reply[1]);
    const raw = reply[0];
    const miss = (): ReadReply => ({
      hit: false,
      generation,
      versions: tags.map((_, i) => str(reply[2 + i])),
    });
    if (raw === null) return miss();
    let header: Header;
    try {
      header = parseHeader(raw);
    } catch {
      return miss(); // an unreadable entry is a miss (and gets overwritten), not a Redis failure
    }
    if (header.generation !== generation) return miss();
    const check = checkTags(header, tags, reply);
    if (check === true) return { hit: true, raw, header };
    if (check === false) return miss();
    return tagsCurrent(client, keys, check).then((ok) => (ok ? { hit: true, raw, header } : miss()));
  });
}

/** true/false when the caller's tags decide; otherwise the header's tags still to look up. */
function checkTags(header: Header, tags: readonly string[], reply: (Buffer | null)[]) {
  if (header.tags.length === 0) return true;
  const unknown: [string, string][] = [];
  for (const [tag, version] of header.tags) {
    const i = tags.indexOf(tag);
    if (i < 0) unknown.push([tag, version]);
    else if (str(reply[2 + i]) !== version) return false;
  }
  return unknown.length === 0 ? true : unknown;
}

/** The second MGET, only for an entry carrying tags the caller did not name. */
async function tagsCurrent(client: RedisClient, keys: CacheKeys, unknown: [string, string][]) {
  const current = await client.mgetBuffer(...unknown.map(([t]) => keys.tag(t)));
  return unknown.every(([, version], i) => str(current[i]) === version);
}

export interface WriteArgs {
  entry: string;
  encoded: Encoded;
  /** physical lifetime in ms: TTL plus grace */
  lifetimeMs: number;
  tags: readonly string[];
  /** from the read that missed: the write is skipped if the namespace or a tag changed since */
  expected?: { generation: string; versions: string[] };
  /** the lock to release, if this caller holds one */
  token?: string;
}

/** Returns true when written, false when skipped because of a flush or invalidation meanwhile. */
export async function writeEntry(scripts: CacheScripts, keys: CacheKeys, a: WriteArgs): Promise<boolean> {
  const tagKeys = a.tags.map((t) => keys.tag(t));
  const expectedVersions = a.expected ? a.expected.versions : a.tags.map(() => "");
  const written = await scripts.rqCacheWrite(
    4 + tagKeys.length,
    a.entry,
    keys.generation,
    keys.meta,
    keys.lock(a.entry),
    ...tagKeys,
    a.expected?.generation ?? "",
    a.lifetimeMs,
    a.encoded.head,
    a.encoded.payload,
    a.token ?? "",
    ...a.tags,
    ...expectedVersions,
  );
  return written === 1;
}

const NO_TAGS: string[] = [];

/** Tags as stored: encoded, deduplicated. */
export const normalizeTags = (tags: readonly string[] = NO_TAGS): string[] =>
  tags.length === 0 ? NO_TAGS : [...new Set(tags.map(encodeTag))];
