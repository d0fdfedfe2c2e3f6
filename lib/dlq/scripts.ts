/**
 * The DLQ's Lua scripts (lib/redis/lua/dlq/<name>-<numkeys>.lua) behind typed calls. Each call
 * touches one queue's keys only (one hash tag, one Cluster slot); failures become DlqErrors here.
 */

import type { RedisClient } from "../redis/connection.ts";
import { keyPrefixes, minuteOf, type QueueKeys, queueKeys } from "../redis/keys.ts";
import { scriptSet } from "../redis/scripts.ts";
import { scriptError } from "./errors.ts";

const scripts = scriptSet<DlqScript>("dlq", { commandPrefix: "rqdlq_" });

type DlqScript = "page" | "rows" | "requeue" | "delete";

/** The DLQ scripts (benchmarks map SLOWLOG's EVALSHA digests back to names with it). */
export const dlqScripts = scripts.all;

/** The ids one batch call handles at most: keeps each call around a few ms. */
export const BATCH_MAX = 250;

/** Where a scan resumes in one index: ids scored `hi`, with how ties at `hi` are treated. */
export interface ScanBounds {
  hi: string;
  lo: string;
  ties: "all" | "none" | "after";
  afterId: string;
}

export interface ScanResult {
  more: boolean;
  last: { score: number; id: string } | null;
  scanned: number;
  found: number;
  rows: string[][];
}

export interface ScanRequest {
  /** matches wanted */
  want: number;
  /** ids read at most (>= want) */
  budget: number;
  /** text to find in an attempt's error message, "" = none */
  needle: string;
  /** rows: the list's fields; pos: id and score only (no text); count: the number found only */
  mode?: "rows" | "pos" | "count";
}

/**
 * Columns of a row: id, score, 8 job fields, the last error with the error count (the job's `le`,
 * not its errors array: lib/redis/lua/includes/row.lua), the payload's length in bytes.
 */
export const ROW_WIDTH = 12;

async function run(
  client: RedisClient,
  name: DlqScript,
  queue: string,
  keys: string[],
  args: (string | number)[],
) {
  try {
    return await scripts.run(client, name, keys, args);
  } catch (err) {
    throw scriptError(err, { command: name, queue });
  }
}

/**
 * The text when JSON writes it unescaped inside a string, else "" (the script then decodes each
 * message to match it). cjson, which writes the scripts' own errors, escapes "/" and DEL too.
 */
function jsonForm(lower: string): string {
  const same = JSON.stringify(lower).slice(1, -1) === lower && !/[/\x7f]/.test(lower);
  return same ? lower : "";
}

export async function scanIndex(
  client: RedisClient,
  queue: string,
  index: string,
  b: ScanBounds,
  r: ScanRequest,
): Promise<ScanResult> {
  const k = queueKeys(queue);
  // ASCII case folding only, as Lua's string.lower does on the server.
  const lower = r.needle.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const mode = r.mode ?? "rows";
  const text = [lower, r.budget, jsonForm(lower), mode === "rows" ? "" : mode];
  const args = [b.hi, b.lo, b.ties, b.afterId, r.want, ...text];
  const reply = (await run(client, "page", queue, [index, k.job("")], args)) as (string | number)[];
  const rows: string[][] = [];
  const width = mode === "pos" ? 2 : ROW_WIDTH;
  for (let i = 5; i < reply.length; i += width) rows.push(reply.slice(i, i + width).map(String));
  return {
    more: reply[0] === 1,
    last: reply[2] ? { score: Number(reply[1]), id: String(reply[2]) } : null,
    scanned: Number(reply[3]),
    found: Number(reply[4]),
    rows,
  };
}

/** Which ids a batch covers: a list, or the newest `count` of an index within a score range. */
export type BatchTarget = { ids: string[] } | { index: string; max: string; min: string; count: number };

function targetArgs(k: QueueKeys, t: BatchTarget): { index: string; args: (string | number)[] } {
  if ("ids" in t) return { index: k.dead, args: ["ids", ...t.ids] };
  return { index: t.index, args: ["range", t.max, t.min, t.count] };
}

export interface BatchResult {
  done: number;
  gone: number;
}

/** The list's fields of some ids of a queue, as page-script rows; ids no longer dead are left out. */
export async function readRows(client: RedisClient, queue: string, ids: string[]): Promise<string[][]> {
  if (ids.length === 0) return [];
  const k = queueKeys(queue);
  const reply = (await run(client, "rows", queue, [k.dead, k.job("")], ids)) as (string | number)[];
  const rows: string[][] = [];
  for (let i = 0; i < reply.length; i += ROW_WIDTH) rows.push(reply.slice(i, i + ROW_WIDTH).map(String));
  return rows;
}

export async function requeueBatch(
  client: RedisClient,
  queue: string,
  target: BatchTarget,
  opts: { payload?: string; delayMs?: number; by?: string; now?: number },
): Promise<BatchResult> {
  const k = queueKeys(queue);
  const now = opts.now ?? Date.now();
  const due = opts.delayMs ? now + opts.delayMs : 0;
  const { index, args } = targetArgs(k, target);
  const keys = [k.dead, index, k.ready, k.retry, k.groups, k.stats(minuteOf(now)), ...keyPrefixes(k)];
  const head = [now, due, opts.payload ?? "", opts.by ?? ""];
  const [done, gone] = (await run(client, "requeue", queue, keys, [...head, ...args])) as number[];
  return { done, gone };
}

export async function deleteBatch(
  client: RedisClient,
  queue: string,
  target: BatchTarget,
): Promise<BatchResult> {
  const k = queueKeys(queue);
  const { index, args } = targetArgs(k, target);
  const keys = [k.dead, index, k.groups, k.stats(minuteOf(Date.now())), ...keyPrefixes(k)];
  const [done, gone] = (await run(client, "delete", queue, keys, args)) as number[];
  return { done, gone };
}
