/**
 * Hostile input at the library's entry points, property-based (fast-check), on the suite's Redis.
 *
 * For each entry point — queue add, the DLQ admin reads and mutations, the cache — random and
 * hostile input (huge and deeply nested payloads, lone surrogates, NaN / negative / infinite
 * numbers, unknown fields, Redis glob characters, HTML and script) must either work or be refused
 * with the entry point's documented error (QueueError, DlqError, CacheError), never anything
 * else; and a refused call changes nothing (a snapshot of the queue's or namespace's keys is
 * equal before and after).
 *
 * `it.fails` marks a bug found here in someone else's module (docs/RELIABILITY.md lists them):
 * the test states the correct behaviour and is expected to fail until the bug is fixed — then
 * vitest reports it, and it becomes a plain `it`.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CacheError, createCache } from "../lib/cache/index.ts";
import {
  DlqError,
  deleteDeadLetters,
  getDeadLetter,
  listDeadLetters,
  listGroups,
  requeueDeadLetter,
  requeueDeadLetters,
} from "../lib/dlq/index.ts";
import { createQueue, QueueError } from "../lib/queue/index.ts";
import { globalKeys, queueKeys } from "../lib/redis/keys.ts";
import { seedDeadLetters } from "./harness/dead-letters.ts";
import { until } from "./harness/fixtures.ts";
import { testConfig, testRedis, uniqueName } from "./harness/index.ts";
import { keySnapshot } from "./reliability/snapshot.ts";

const client = testRedis();
afterAll(() => client.quit());
const config = testConfig({ JOB_MAX_PAYLOAD_BYTES: "4096" });
/** A fixed seed keeps `npm test` deterministic; FC_SEED=<n> (or "random") explores further. */
const SEED = process.env.FC_SEED === "random" ? Date.now() : Number(process.env.FC_SEED ?? 20261127);
fc.configureGlobal({ seed: SEED });
const RUNS = { numRuns: 60 };

/** Every key of one queue (they share its hash tag). */
const queueSnapshot = (queue: string) =>
  keySnapshot(client, `${queueKeys(queue).base}*`, queueKeys(queue).ready);

/** Runs `call`; a refusal must be `errorType` with one of `codes`. Returns the error or null. */
async function outcome<E extends Error & { code: string }>(
  call: () => Promise<unknown>,
  errorType: new (...args: never[]) => E,
  codes: string[],
): Promise<E | null> {
  try {
    await call();
    return null;
  } catch (err) {
    if (!(err instanceof errorType)) throw new Error(`unexpected ${String(err)}`, { cause: err });
    expect(codes).toContain(err.code);
    return err;
  }
}

// ---------- generators ----------

const weirdNumber = fc.oneof(
  fc.constantFrom(Number.NaN, -1, -0.5, 0, 0.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53),
  fc.double(),
  fc.integer({ min: -10, max: 10 }),
);
const weirdValue = fc.oneof(
  weirdNumber,
  fc.string(),
  fc.constant(null),
  fc.boolean(),
  fc.constant(undefined),
);
const hostileText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "*",
    "?",
    "[a-z]",
    "\\",
    "*]\\[?",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "\ud800",
    "a\udc00b",
    "%",
    "{}",
    "\u0000",
    "' OR 1=1 --",
  ),
);
/** Deeply nested arrays: `depth` levels. */
const nested = (depth: number): unknown => {
  const root: unknown[] = [];
  let cur = root;
  for (let i = 0; i < depth; i++) {
    const next: unknown[] = [];
    cur.push(next);
    cur = next;
  }
  return root;
};
const payload = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3, withBigInt: true, withMap: true, withSet: true, withTypedArray: true }),
  fc.string({ unit: "binary" }),
  fc.integer({ min: 0, max: 3 }).map((k) => ({ big: "x".repeat(1024 * (k + 3)) })),
  fc.constantFrom(nested(200), nested(100_000), Number.NaN, undefined, () => 1, Symbol("s")),
);
const jobOptions = fc.record(
  {
    jobId: fc.oneof(hostileText, fc.constantFrom("", "123", "x".repeat(300))),
    delayMs: weirdValue,
    maxAttempts: weirdValue,
    backoff: fc.oneof(fc.record({ baseMs: weirdValue }), weirdValue),
    metadata: fc.oneof(
      fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
      weirdValue,
      fc.array(fc.nat()),
    ),
    unknownField: fc.anything({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

// ---------- queue add ----------

describe("queue add under hostile input", () => {
  const queue = createQueue(uniqueName("hostile"), { client, config });

  it("accepts or refuses with a QueueError; a refused add writes nothing; an accepted one is stored as JSON", async () => {
    await queue.add({ warm: true }); // the queue exists: its registration is not part of the comparison
    await fc.assert(
      fc.asyncProperty(payload, jobOptions, async (data, opts) => {
        const before = await queueSnapshot(queue.name);
        let added: { id: string } | undefined;
        const err = await outcome(
          async () => {
            added = await queue.add(data, opts as never);
          },
          QueueError,
          ["PAYLOAD_NOT_JSON", "PAYLOAD_TOO_LARGE", "INVALID_OPTION"],
        );
        if (err) expect(await queueSnapshot(queue.name)).toEqual(before);
        else {
          const stored = await client.hget(queue.ctx.keys.job(added!.id), "payload");
          if (stored !== null) expect(() => JSON.parse(stored)).not.toThrow();
        }
      }),
      RUNS,
    );
  });

  it("refuses a payload over JOB_MAX_PAYLOAD_BYTES (default 512 KB) before writing anything", async () => {
    const q = createQueue(queue.name, { client, config: testConfig() });
    const before = await queueSnapshot(q.name);
    const err = await outcome(() => q.add({ blob: "x".repeat(600 * 1024) }), QueueError, [
      "PAYLOAD_TOO_LARGE",
    ]);
    expect(err).not.toBeNull();
    expect(await queueSnapshot(q.name)).toEqual(before);
  });

  it("delivers a stored payload intact: lone surrogates, HTML, deep nesting, odd numbers", async () => {
    const q = createQueue(uniqueName("roundtrip"), { client, config: testConfig() });
    const samples = [
      { s: "lone \ud800 high and \udc00 low" },
      { html: "<script>alert(1)</script><img src=x onerror=alert(1)>" },
      nested(500),
      { n: -0, big: 1e308, small: 5e-324 },
      { glob: "*?[]\\" },
    ];
    const ids = (await q.addBatch(samples.map((data) => ({ data })))).map((r) => r.id);
    const seen = new Map<string, unknown>();
    const consumer = q.process((job) => void seen.set(job.id, job.data), { concurrency: 4, pollMs: 10 });
    const deadline = Date.now() + 10_000;
    while (seen.size < ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await consumer.close(2000);
    for (const [i, id] of ids.entries()) expect(seen.get(id)).toEqual(JSON.parse(JSON.stringify(samples[i])));
  });

  // Was a bug (register() ran in parallel with the validation): now registered after the add.
  it("a refused add on a new queue does not register the queue", async () => {
    const q = createQueue(uniqueName("refused"), { client, config });
    await outcome(() => q.add(1n), QueueError, ["PAYLOAD_NOT_JSON"]);
    expect(await client.sismember(globalKeys().queues, q.name)).toBe(0);
  });

  // Was a bug: a jobId with a lone surrogate was accepted, and Redis (UTF-8 keys) made "a\ud800"
  // and "a\udc00" one job. Such ids are now refused.
  it("two different job ids never share a job", async () => {
    const q = createQueue(uniqueName("ids"), { client, config });
    const a = await outcome(() => q.add({ n: 1 }, { jobId: "a\ud800" }), QueueError, ["INVALID_OPTION"]);
    const b = await q.add({ n: 2 }, { jobId: "a\udc00" }).catch((e: QueueError) => e);
    expect(a !== null || (b instanceof QueueError ? b.code === "INVALID_OPTION" : b.added)).toBe(true);
  });
});

// ---------- DLQ admin ----------

describe("DLQ admin under hostile input", () => {
  const queue = uniqueName("hostile-dlq");
  const messages = [
    "timeout after 30 s",
    "glob * star",
    "question ? mark",
    "brackets [a-z] here",
    "back\\slash",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "100% done",
    "plain text",
    "UPPER lower",
  ];
  let ids: string[] = [];
  const ready = (async () => {
    ids = await seedDeadLetters(
      client,
      queue,
      messages.map((message, i) => ({ message, fingerprint: `fp-${i % 3}`, payload: { message } })),
    );
  })();

  it("search is literal: glob and pattern characters match only themselves", async () => {
    await ready;
    const alphabet = fc.constantFrom(..."*?[]\\%.a-zA-Z <>/\"'".split(""));
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: alphabet, minLength: 1, maxLength: 4 }), async (search) => {
        const err = await outcome(
          () => listDeadLetters(client, { queue, search }, { limit: 200 }),
          DlqError,
          ["INVALID_INPUT"],
        );
        if (err) {
          expect(search.trim()).toBe(""); // only an all-blank search is refused
          return;
        }
        const page = await listDeadLetters(client, { queue, search }, { limit: 200 });
        const needle = search.trim().toLowerCase();
        const expected = messages.filter((m) => m.toLowerCase().includes(needle)).length;
        expect(page.items.length).toBe(expected);
      }),
      RUNS,
    );
  });

  it("filters, page sizes and cursors: results or INVALID_INPUT, nothing else", async () => {
    await ready;
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            queue: fc.oneof(fc.constant(queue), hostileText),
            group: hostileText,
            from: weirdValue,
            to: weirdValue,
            search: hostileText,
            extra: fc.anything({ maxDepth: 1 }),
          },
          { requiredKeys: [] },
        ),
        fc.record(
          { limit: weirdValue, cursor: fc.oneof(hostileText, fc.base64String()) },
          { requiredKeys: [] },
        ),
        async (filter, page) => {
          await outcome(() => listDeadLetters(client, filter as never, page as never), DlqError, [
            "INVALID_INPUT",
          ]);
        },
      ),
      RUNS,
    );
  });

  it("mutations with hostile ids, payloads and delays change nothing they should not", async () => {
    await ready;
    const before = await queueSnapshot(queue);
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileText, { minLength: 0, maxLength: 5 }),
        fc.record(
          { payload: fc.oneof(hostileText, fc.constant("{bad json")), delayMs: weirdValue, by: weirdValue },
          { requiredKeys: [] },
        ),
        async (hostileIds, opts) => {
          const unknown = hostileIds.filter((id) => !ids.includes(id));
          await outcome(() => requeueDeadLetters(client, queue, unknown, opts as never), DlqError, [
            "INVALID_INPUT",
          ]);
          await outcome(() => deleteDeadLetters(client, queue, unknown), DlqError, ["INVALID_INPUT"]);
          // A valid id with an invalid edit is refused before anything is written.
          if (typeof opts.payload === "string" && !isJson(opts.payload)) {
            const err = await outcome(
              () => requeueDeadLetter(client, queue, ids[0], opts as never),
              DlqError,
              ["INVALID_INPUT"],
            );
            expect(err).not.toBeNull();
          }
          expect(await queueSnapshot(queue)).toEqual(before);
        },
      ),
      RUNS,
    );
  });

  it("HTML and script in messages and payloads are stored and returned as plain text", async () => {
    await ready;
    const i = messages.indexOf("<script>alert(1)</script>");
    const letter = await getDeadLetter(client, queue, ids[i]);
    expect(letter.errors.at(-1)?.message).toBe("<script>alert(1)</script>");
    expect(letter.payload).toEqual({ message: "<script>alert(1)</script>" });
    expect((await listGroups(client, queue)).length).toBe(3);
  });
});

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

// ---------- cache ----------

// The same properties with the near cache (L1) on: hostile keys come back from Redis's
// invalidation messages as bytes and must still find their copy.
describe.each([false, true])("cache under hostile keys and tags (near cache %s)", (near) => {
  const own = near ? testRedis() : client;
  const cache = createCache({
    client: own,
    config: testConfig({ CACHE_NEAR_ENABLED: String(near) }),
    stats: false,
  });
  // connected (before that, calls bypass Redis) and, with L1, tracking confirmed
  beforeAll(async () => {
    await cache.ready(20_000);
    await until(() => !near || cache.near()?.usable, 20_000, "tracking confirmed");
  });
  afterAll(async () => {
    await cache.close();
    if (near) own.disconnect();
  });
  const ns = cache.defineNamespace(uniqueName("hostile").replace(/[^A-Za-z0-9_.-]/g, "_"));
  // String.prototype.isWellFormed exists on Node 20 but not in the project's TS lib.
  const wellFormed = (s: string) => s.length > 0 && !/\p{Surrogate}/u.test(s);

  it("getOrSet with odd keys and tags returns the loader's value, then the cached one", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "binary", minLength: 1, maxLength: 300 }).filter(wellFormed),
        fc.array(fc.string({ unit: "binary", minLength: 1, maxLength: 50 }).filter(wellFormed), {
          maxLength: 3,
        }),
        fc.jsonValue({ maxDepth: 2 }),
        async (key, tags, value) => {
          const expected = JSON.parse(JSON.stringify(value ?? null));
          const k = `${key}:${Math.random()}`;
          expect(await ns.getOrSet(k, () => expected, { tags })).toEqual(expected);
          expect(await ns.getOrSet(k, () => "other", { tags })).toEqual(expected);
          if (!near) return;
          // read until this process keeps it, serve it from L1, then a DEL by another connection
          // reaches the copy: the key comes back in Redis's invalidation message, as bytes
          await until(async () => (await ns.get(k)) !== undefined && ns.inNear(k), 5000, "kept in L1");
          expect(await ns.getOrSet(k, () => "other", { tags })).toEqual(expected);
          await client.del(ns.entryKey(k));
          await until(() => !ns.inNear(k), 5000, "invalidation of a hostile key");
          expect(await ns.get(k)).toBeUndefined();
        },
      ),
      { numRuns: 40 },
    );
  });

  it("invalid namespaces, tags and keys are CacheErrors (an empty key is a TypeError) and write nothing", async () => {
    const base = ns.keys.base;
    const before = await keySnapshot(client, `${base}*`, ns.keys.generation);
    for (const name of ["", "a b", "x".repeat(65), "*", "{tag}", "../etc"]) {
      expect(() => cache.namespace(name)).toThrow(CacheError);
    }
    for (const tags of [[""], ["x".repeat(300)]]) {
      await expect(ns.getOrSet("k-tags", () => 1, { tags })).rejects.toBeInstanceOf(CacheError);
    }
    await expect(ns.getOrSet("", () => 1)).rejects.toBeInstanceOf(TypeError);
    await expect(ns.set("k-secret", { password: "hunter2" })).rejects.toBeInstanceOf(CacheError);
    expect(await keySnapshot(client, `${base}*`, ns.keys.generation)).toEqual(before);
  });

  // Was a bug (lib/cache/wrap.ts entryKeyOf): Redis stores keys as UTF-8, so two keys differing
  // only in a lone surrogate were one entry. Keys that are not well-formed are now hashed.
  it("two different keys never share an entry", async () => {
    const k = `lone-${Math.random()}`;
    expect(await ns.getOrSet(`${k}\ud800`, () => 1)).toBe(1);
    expect(await ns.getOrSet(`${k}\udc00`, () => 2)).toBe(2);
  });

  // Was a bug (encodeURIComponent threw URIError on a lone surrogate): now a CacheError.
  it("a tag or user with a lone surrogate is refused with a CacheError", async () => {
    await expect(ns.getOrSet("k-u", () => 1, { tags: ["\ud800"] })).rejects.toBeInstanceOf(CacheError);
    await expect(cache.namespace("user").getOrSet("k", () => 1, { user: "\ud800" })).rejects.toBeInstanceOf(
      CacheError,
    );
  });
});
