/**
 * How a cached value is stored: one Redis string, a header line, then the payload.
 *
 *   <format><freshUntilMs>|<generation>|<tag>=<version>,<tag>=<version>\n<payload>
 *
 * format is `j` (JSON text) or `z` (gzip of the JSON text, for values over the compression
 * threshold), so compressed and plain entries both read back. The generation and tag versions
 * are filled in by the write script (lib/cache/scripts.ts) and checked by the read script, so a
 * flushed namespace or an invalidated tag costs no extra round trip on a hit.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { CacheError } from "./errors.ts";

const NEWLINE = 0x0a;

export interface Decoded<T> {
  value: T;
  /** ms since the epoch after which the entry is stale (served only within a grace period) */
  freshUntil: number;
  compressed: boolean;
}

/** The payload and the head of the header for the write script (which appends gen and tags). */
export interface Encoded {
  head: string;
  payload: Buffer | string;
  compressed: boolean;
  bytes: number;
}

export function encode(value: unknown, freshUntil: number, compressThreshold: number): Encoded {
  const json = JSON.stringify(value);
  if (json === undefined) throw new CacheError("CACHE_INVALID_ARGUMENT", "undefined cannot be cached");
  const bytes = Buffer.byteLength(json);
  if (compressThreshold > 0 && bytes > compressThreshold) {
    const payload = gzipSync(json);
    return { head: `z${freshUntil}`, payload, compressed: true, bytes: payload.length };
  }
  return { head: `j${freshUntil}`, payload: json, compressed: false, bytes };
}

/** Decodes a stored entry (as returned by the read script, header included). */
export function decode<T>(raw: Buffer): Decoded<T> {
  const nl = raw.indexOf(NEWLINE);
  const format = raw[0];
  const bar = raw.indexOf(0x7c); // "|"
  if (nl < 0 || bar < 0 || bar > nl) throw corrupt();
  const freshUntil = Number(raw.toString("latin1", 1, bar));
  const body = raw.subarray(nl + 1);
  if (format === 0x6a /* j */)
    return { value: JSON.parse(body.toString("utf8")), freshUntil, compressed: false };
  if (format === 0x7a /* z */) {
    return { value: JSON.parse(gunzipSync(body).toString("utf8")), freshUntil, compressed: true };
  }
  throw corrupt();
}

function corrupt() {
  return new CacheError("CACHE_CORRUPT_VALUE", "cached entry has an unknown format");
}

/** Tags appear in keys and in the header: percent-encode what would break either. */
export function encodeTag(tag: string): string {
  if (typeof tag !== "string" || tag.length === 0 || tag.length > 256) {
    throw new CacheError("CACHE_INVALID_ARGUMENT", "a tag must be a string of 1-256 characters");
  }
  return encodeURIComponent(tag);
}

/**
 * Field names that look like secrets, anywhere in the value (depth-bounded). Names are compared
 * case-insensitively, ignoring "_" and "-", so `api_key`, `apiKey` and `API-KEY` all match.
 */
export function findSecretFields(value: unknown, fields: readonly string[], maxDepth = 8): string[] {
  const wanted = new Set(fields.map(normalizeField));
  const found = new Set<string>();
  const visit = (v: unknown, depth: number) => {
    if (depth > maxDepth || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      for (const item of v.slice(0, 1000)) visit(item, depth + 1);
      return;
    }
    for (const [k, child] of Object.entries(v)) {
      if (wanted.has(normalizeField(k)) && child !== null && child !== undefined && child !== "")
        found.add(k);
      visit(child, depth + 1);
    }
  };
  visit(value, 0);
  return [...found];
}

const normalizeField = (name: string) => name.toLowerCase().replace(/[_-]/g, "");
