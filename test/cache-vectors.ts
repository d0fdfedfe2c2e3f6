/**
 * The cache's shared test vectors (test/vectors/cache-*.json, checked by test/vectors.test.ts and
 * clients/python/tests/test_vectors.py): key building (namespace, user scoping, key escaping and
 * hashing, tags, locks, the decorator's call keys) and the entry header with its compression
 * marker, both ways — what lib/cache writes, and what it reads back from a stored entry.
 */
import { decodeBody, encode, encodeTag, parseHeader } from "../lib/cache/codec.ts";
import { CacheNamespace } from "../lib/cache/namespace.ts";
import type { NamespaceSettings, Runtime } from "../lib/cache/runtime.ts";
import { callKey } from "../lib/cache/wrap.ts";

const PREFIX = "rq";

/** A namespace for key building only: entryKey reads its settings and keys, never Redis. */
function keysOnly(name: string, userScoped = false): CacheNamespace {
  const settings: NamespaceSettings = {
    ttl: 60,
    grace: 0,
    lock: false,
    userScoped,
    near: false,
    frozen: false,
  };
  return new CacheNamespace(name, settings, { prefix: PREFIX, near: undefined } as unknown as Runtime);
}

/** The error a call threw, as both languages name it: a CacheError's code, else the class. */
function outcome(fn: () => unknown): unknown {
  try {
    return { value: fn() };
  } catch (e) {
    const err = e as Error & { code?: string };
    return { error: err.code ?? err.name, message: err.message };
  }
}

const entryInputs: { namespace: string; key: string; user?: string; userScoped?: boolean }[] = [
  { namespace: "document", key: "summary:42" },
  { namespace: "graph", key: "a key with spaces, {braces} and | pipes" },
  { namespace: "vector_search", key: "ünïcödé €, astral 😀" },
  { namespace: "default", key: "k".repeat(200) },
  { namespace: "default", key: "k".repeat(201) },
  { namespace: "default", key: `${"😀".repeat(100)}` },
  { namespace: "default", key: `${"😀".repeat(100)}x` },
  { namespace: "default", key: "lone \ud800 high" },
  { namespace: "default", key: "lone \udc00 low" },
  { namespace: "user", key: "profile", user: "alice@example.com", userScoped: true },
  { namespace: "user", key: "profile", user: "a b/é:{x}", userScoped: true },
  { namespace: "user", key: "profile", userScoped: true },
  { namespace: "document", key: "" },
  { namespace: "document", key: "k", user: "" },
  { namespace: "document", key: "k", user: "bad \ud800" },
];

const tagInputs = [
  "document:42",
  "user:alice@example.com",
  "ü/ x,y=z|w",
  "t".repeat(256),
  "t".repeat(257),
  "",
  "\udc00",
];

const callInputs: [string, unknown[]][] = [
  ["summary", [42]],
  ["search", ["query", { limit: 10, filters: { b: 2, a: 1 } }]],
  ["numbers", [1.5, 1e21, 1e-7, 0.000001, 123456789012345680000, -2.5e-8, 0.1]],
  ["text", ['quote " backslash \\ newline \n tab \t ctrl \u0001 sep \u2028', null, true, false]],
  ["order", [{ é: 1, e: 2, Z: 3, "😀": 4, "\uffff": 5 }]],
  ["lone", ["\ud800"]],
  ["nested", [[{ z: [1, { y: 2, x: 1 }] }], []]],
];

export function cacheKeyVectors(): unknown {
  return {
    prefix: PREFIX,
    entries: entryInputs.map((i) => {
      const ns = keysOnly(i.namespace, i.userScoped);
      const r = outcome(() => ns.entryKey(i.key, i.user)) as { value?: string };
      return { ...i, ...r, lock: r.value === undefined ? undefined : ns.keys.lock(r.value) };
    }),
    tags: tagInputs.map((tag) => {
      const r = outcome(() => encodeTag(tag)) as { value?: string };
      return { tag, ...r, key: r.value === undefined ? undefined : keysOnly("document").keys.tag(r.value) };
    }),
    calls: callInputs.map(([name, args]) => ({ name, args, key: callKey(name, args) })),
  };
}

const encodeInputs: [unknown, number, number][] = [
  [{ a: 1, b: [true, null, "ü €"] }, 1_700_000_000_000, 1024],
  ["plain text", 1_700_000_000_123.7, 1024],
  [42, 1, 0],
  [null, 5, 1024],
  [{ text: "x".repeat(2000), n: 1.5 }, 1_700_000_000_000, 1024],
  [{ text: "x".repeat(2000) }, 1_700_000_000_000, 0],
  [["😀", "ctrl \u0001 \n", "\u2028"], 9, 1024],
  ["é".repeat(600), 9, 1024],
];

/** A stored entry: the head, then what the write script appends (generation, tags), then the payload. */
const stored = (head: string, rest: string, payload: Buffer | string) =>
  Buffer.concat([
    Buffer.from(`${head}${rest}\n`, "latin1"),
    typeof payload === "string" ? Buffer.from(payload) : payload,
  ]);

export function cacheEntryVectors(): unknown {
  const encoded = encodeInputs.map(([value, freshUntil, threshold]) => {
    const e = encode(value, freshUntil, threshold);
    return {
      value,
      freshUntil,
      threshold,
      head: e.head,
      compressed: e.compressed,
      // gzip output differs between zlib builds: compare the text it holds
      text: e.compressed ? undefined : e.payload.toString(),
      bytes: e.compressed ? undefined : e.bytes,
    };
  });
  const raws: Buffer[] = [];
  for (const [value, freshUntil, threshold] of encodeInputs) {
    const e = encode(value, freshUntil, threshold);
    raws.push(stored(e.head, "|0|", e.payload));
    raws.push(stored(e.head, "|7|document%3A42=3,user%3Aalice=1", e.payload));
  }
  raws.push(Buffer.from("j1.5|0|\n1"));
  raws.push(Buffer.from('j12|gen|t=1=2,u\n"x"'));
  raws.push(Buffer.from("j12|0\n1"));
  raws.push(Buffer.from("x12|0|\n1"));
  raws.push(Buffer.from("j12|0|"));
  const decoded = raws.map((raw) => {
    const r = outcome(() => {
      const h = parseHeader(raw);
      return {
        format: h.format,
        freshUntil: h.freshUntil,
        generation: h.generation,
        tags: h.tags.map(([tag, version]) => [tag, version ?? null]),
        value: decodeBody(raw, h),
      };
    });
    return { raw: raw.toString("base64"), ...(r as object) };
  });
  return { encoded, decoded };
}
