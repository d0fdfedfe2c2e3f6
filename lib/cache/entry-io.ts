/**
 * Reading and writing one entry. A read is one MGET of the entry, the namespace's generation
 * and the versions of the caller's tags (all on the namespace's slot); the header check is
 * done here, synchronously, so a hit resolves in the same step as its reply. Only an entry
 * carrying a tag the caller did not name needs a second MGET.
 */
import type { RedisClient } from "../redis/connection.ts";
import type { CacheKeys } from "../redis/keys.ts";
import { type Encoded, encodeTag, type Header, parseHeader } from "./codec.ts";
import type { CacheScripts } from "./scripts.ts";

/** Set by a read the near cache may keep: its ticket and entry key (see near.ts). */
export interface NearTicket {
  ticket: number;
  entry: string;
}

export interface HitReply {
  hit: true;
  raw: Buffer;
  header: Header;
  near?: NearTicket;
}

export type ReadReply = HitReply | { hit: false; generation: string; versions: string[] };

/** An entry carrying tags the caller did not name: their versions need a second MGET. */
export interface UncheckedTags {
  hit: "unchecked";
  raw: Buffer;
  header: Header;
  unknown: [string, string][];
  miss: ReadReply;
  near?: NearTicket;
}

export type EntryReply = (Buffer | null)[];

const str = (b: Buffer | null) => (b === null ? "0" : b.toString("latin1"));

/** `tags` are encoded. The reply goes to `interpretEntry`. */
export function requestEntry(
  client: RedisClient,
  keys: CacheKeys,
  entry: string,
  tags: readonly string[],
): Promise<EntryReply> {
  return tags.length === 0
    ? client.mgetBuffer(entry, keys.generation)
    : client.mgetBuffer(entry, keys.generation, ...tags.map((t) => keys.tag(t)));
}

/** What the MGET says. A miss reports the current versions of `tags` (captured before loading). */
export function interpretEntry(reply: EntryReply, tags: readonly string[]): ReadReply | UncheckedTags {
  const raw = reply[0];
  if (raw === null) return missOf(reply, tags);
  let header: Header;
  try {
    header = parseHeader(raw);
  } catch {
    return missOf(reply, tags); // an unreadable entry is a miss (and gets overwritten), not a Redis failure
  }
  if (!sameGeneration(header.generation, reply[1])) return missOf(reply, tags);
  if (header.tags.length === 0) return { hit: true, raw, header };
  const unknown: [string, string][] = [];
  for (const [tag, version] of header.tags) {
    const i = tags.indexOf(tag);
    if (i < 0) unknown.push([tag, version]);
    else if (str(reply[2 + i]) !== version) return missOf(reply, tags);
  }
  if (unknown.length === 0) return { hit: true, raw, header };
  return { hit: "unchecked", raw, header, unknown, miss: missOf(reply, tags) };
}

const missOf = (reply: EntryReply, tags: readonly string[]): ReadReply => ({
  hit: false,
  generation: str(reply[1]),
  versions: tags.map((_, i) => str(reply[2 + i])),
});

/** The generation an entry was written under against the current one (missing = "0"). */
function sameGeneration(written: string, current: Buffer | null): boolean {
  if (current === null) return written === "0";
  if (written.length !== current.length) return false;
  for (let i = 0; i < written.length; i++) if (written.charCodeAt(i) !== current[i]) return false;
  return true;
}

/** The second MGET, only for an entry carrying tags the caller did not name. */
export function requestTags(client: RedisClient, keys: CacheKeys, u: UncheckedTags): Promise<EntryReply> {
  return client.mgetBuffer(...u.unknown.map(([t]) => keys.tag(t)));
}

export function interpretTags(u: UncheckedTags, current: EntryReply): ReadReply {
  const ok = u.unknown.every(([, version], i) => str(current[i]) === version);
  return ok ? { hit: true, raw: u.raw, header: u.header } : u.miss;
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
  const written = await scripts.write(
    [a.entry, keys.generation, keys.meta, keys.lock(a.entry), ...tagKeys],
    [
      a.expected?.generation ?? "",
      a.lifetimeMs,
      a.encoded.head,
      a.encoded.payload,
      a.token ?? "",
      ...a.tags,
      ...expectedVersions,
    ],
  );
  return written === 1;
}

const NO_TAGS: string[] = [];

/** Tags as stored: encoded, deduplicated. */
export const normalizeTags = (tags: readonly string[] = NO_TAGS): string[] =>
  tags.length === 0 ? NO_TAGS : [...new Set(tags.map(encodeTag))];
