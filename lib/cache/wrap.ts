/**
 * Keys built from values: a stable text of a function's arguments (the seed's decorator), and
 * the cap that turns a very long key into a hash so keys stay small.
 */
import { createHash } from "node:crypto";

const MAX_KEY_LENGTH = 200;

/** A lone UTF-16 surrogate: Redis stores keys as UTF-8, where every one of them becomes U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const native = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;

/** On every call (keys, users): the native check where the runtime has one, it is the faster. */
export const isWellFormed: (text: string) => boolean = native
  ? (text) => native.call(text)
  : (text) => !LONE_SURROGATE.test(text);

/**
 * A caller's key as it appears in Redis: itself, or `#<sha256>` when longer than 200 characters
 * or not well-formed UTF-16 (hashed from its UTF-16 code units, so "k\ud800" and "k\udc00"
 * stay two entries instead of both becoming "k\uFFFD").
 */
export function entryKeyOf(key: string): string {
  if (typeof key !== "string" || key.length === 0)
    throw new TypeError("a cache key must be a non-empty string");
  if (!isWellFormed(key)) return `#${createHash("sha256").update(Buffer.from(key, "utf16le")).digest("hex")}`;
  return key.length <= MAX_KEY_LENGTH ? key : `#${createHash("sha256").update(key).digest("hex")}`;
}

/** JSON with object keys sorted, so {a,b} and {b,a} give one key. */
function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v === undefined) return null;
    if (typeof v === "bigint") return v.toString();
    if (v && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** The key of one call of a wrapped function: `<name>:<stable JSON of the arguments>`. */
export const callKey = (name: string, args: readonly unknown[]) => `${name}:${stableStringify(args)}`;
