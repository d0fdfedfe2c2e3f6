/**
 * Reading and writing one entry: the argument layout of the read and write scripts, kept in
 * one place. Both are single round trips on the namespace's slot.
 */
import type { CacheKeys } from "../redis/keys.ts";
import { type Encoded, encodeTag } from "./codec.ts";
import type { CacheScripts } from "./scripts.ts";

export type ReadReply =
  | { hit: true; raw: Buffer }
  | { hit: false; generation: string; versions: string[]; locked: boolean };

export interface ReadArgs {
  entry: string;
  /** encoded tags whose current versions a miss should report (captured before loading) */
  tags: readonly string[];
  /** lock lifetime in ms; 0 = no lock */
  lockMs: number;
  token: string;
}

export async function readEntry(scripts: CacheScripts, keys: CacheKeys, a: ReadArgs): Promise<ReadReply> {
  const tagKeys = a.tags.map((t) => keys.tag(t));
  const lock = a.lockMs > 0 ? keys.lock(a.entry) : keys.meta;
  const reply = (await scripts.rqCacheReadBuffer(
    3 + tagKeys.length,
    a.entry,
    keys.meta,
    lock,
    ...tagKeys,
    keys.tagPrefix,
    a.lockMs,
    a.token,
  )) as [number, Buffer, ...(Buffer | number)[]];
  if (reply[0] === 1) return { hit: true, raw: reply[1] };
  const versions = reply.slice(2, 2 + tagKeys.length).map(String);
  return { hit: false, generation: String(reply[1]), versions, locked: reply[reply.length - 1] === 1 };
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
    3 + tagKeys.length,
    a.entry,
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

/** Tags as stored: encoded, deduplicated. */
export const normalizeTags = (tags: readonly string[] = []): string[] => [...new Set(tags.map(encodeTag))];
