/**
 * The Zipf section of bench/cache.ts: a cold cache, 50 callers drawing keys from 100,000 with a
 * Zipf distribution (s = 1, as request popularity tends to be), values of ~1 KB and ~10 KB of
 * JSON (Requeue gzips from 8 KB; from 1 KB before session 5). The first draw of a key misses
 * and takes the whole miss → load → set path; later draws hit. Each contestant starts from an
 * empty redis-server (FLUSHALL), in rotating order per round. Its own redis-server, pinned like
 * the hits section.
 */
import { cachified } from "@epic-web/cachified";
import KeyvRedis from "@keyv/redis";
import { createCache as createCacheManager } from "cache-manager";
import { Redis } from "ioredis";
import { Keyv } from "keyv";
import { Cache } from "../lib/cache/cache.ts";
import { parseConfig } from "../lib/config.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";
import { cachifiedRedisAdapter } from "./cache-contestants.ts";
import { median, pin, redisCounters } from "./measure.ts";

const KEYS = 100_000;
const OPS = Number(process.env.BENCH_ZIPF_OPS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ZIPF_ROUNDS ?? 3);
const CALLERS = 50;
const TTL_MS = 3_600_000;

/** A deterministic 32-bit generator (mulberry32), so every contestant draws the same keys. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` key numbers drawn from a Zipf(1) distribution over KEYS (rank 0 the most popular). */
function zipfDraws(n: number, seed: number): Uint32Array {
  const cdf = new Float64Array(KEYS);
  let sum = 0;
  for (let k = 0; k < KEYS; k++) cdf[k] = sum += 1 / (k + 1);
  const rand = prng(seed);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rand() * sum;
    let lo = 0;
    let hi = KEYS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return out;
}

/** A record of about `bytes` of JSON: line items with ids, words and prices (compressible as real JSON is). */
function value(key: number, bytes: number) {
  const rand = prng(key + 1);
  const words = ["alpha", "bravo", "cable", "delta", "ember", "frost", "grain", "harbor", "ivory", "jade"];
  const items: unknown[] = [];
  let size = 60;
  while (size < bytes) {
    const item = {
      sku: Math.floor(rand() * 0xffffffff).toString(16),
      name: `${words[Math.floor(rand() * 10)]} ${words[Math.floor(rand() * 10)]}`,
      qty: Math.floor(rand() * 20),
      price: Math.round(rand() * 100_000) / 100,
    };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return { id: key, customer: `c-${Math.floor(rand() * 1e6)}`, items };
}

type Op = (key: number) => Promise<unknown>;
interface Contestant {
  op: Op;
  close: () => Promise<void> | void;
}

function contestants(
  url: string,
  bytes: number,
  loads: { n: number },
): Record<string, () => Contestant | Promise<Contestant>> {
  const load = (key: number) => {
    loads.n++;
    return value(key, bytes);
  };
  return {
    raw_autopipelined: () => {
      // the floor: a hand-written read-through (GET, and on a miss JSON + SET PX), no library
      const r = new Redis(url, { enableAutoPipelining: true });
      return {
        op: async (k) => {
          const json = await r.get(`raw:${k}`);
          if (json) return JSON.parse(json);
          const v = load(k);
          await r.set(`raw:${k}`, JSON.stringify(v), "PX", TTL_MS);
          return v;
        },
        close: () => r.disconnect(),
      };
    },
    requeue: async () => {
      const client = new Redis(url);
      const config = parseConfig({ REDIS_URL: url, REDIS_KEY_PREFIX: "bench", CACHE_TIMEOUT_MS: "1000" });
      const cache = new Cache({ client, config });
      await cache.ready();
      const ns = cache.namespace("zipf");
      return {
        op: (k) => ns.getOrSet(`k:${k}`, () => load(k), { ttl: TTL_MS / 1000 }),
        close: async () => {
          await cache.close();
          client.disconnect();
        },
      };
    },
    "cache-manager": () => {
      const cm = createCacheManager({ stores: [new Keyv({ store: new KeyvRedis(url), namespace: "cm" })] });
      return {
        op: (k) => cm.wrap(`k:${k}`, async () => load(k), TTL_MS),
        close: async () => {
          await cm.disconnect().catch(() => {});
        },
      };
    },
    cachified_autopipelined: () => {
      const r = new Redis(url, { enableAutoPipelining: true });
      const cache = cachifiedRedisAdapter(r);
      return {
        op: (k) => cachified({ key: `cf:${k}`, cache, ttl: TTL_MS, getFreshValue: () => load(k) }),
        close: () => r.disconnect(),
      };
    },
  };
}

async function runOne(make: () => Contestant | Promise<Contestant>, draws: Uint32Array, admin: Redis) {
  const c = await make();
  let next = 0;
  const redis0 = (await redisCounters(admin)).cpuUs;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next < draws.length) await c.op(draws[next++]);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const redisUs = (await redisCounters(admin)).cpuUs - redis0;
  await c.close();
  return {
    opsPerSec: draws.length / seconds,
    nodeUs: (cpu.user + cpu.system) / draws.length,
    redisUs: redisUs / draws.length,
  };
}

/** Runs the section; returns its figures for the JSON line (and prints a table). */
export async function zipfSection() {
  const server = await startRedisServer();
  const pinned = pin(server.pid!, 1) && pin(process.pid, 0);
  const admin = new Redis(server.url);
  const draws = zipfDraws(OPS, 42);
  const distinct = new Set(draws).size;
  console.log(
    `Zipf(1) over ${KEYS.toLocaleString("en-US")} keys, cold start: ${OPS} draws by ${CALLERS} callers ` +
      `(${distinct} distinct keys, so ${distinct} misses → load → set), ${ROUNDS} rounds in rotating order`,
  );
  const out: Record<string, Record<string, unknown>> = {};
  try {
    for (const bytes of [1024, 10_240]) {
      const loads = { n: 0 };
      const makers = contestants(server.url, bytes, loads);
      const names = Object.keys(makers);
      const rates: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
      const cpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
      const redisCpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
      const misses: Record<string, number> = {};
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < names.length; k++) {
          const name = names[(round + k) % names.length];
          await admin.flushall();
          loads.n = 0;
          const r = await runOne(makers[name], draws, admin);
          rates[name].push(r.opsPerSec);
          cpu[name].push(r.nodeUs);
          redisCpu[name].push(r.redisUs);
          misses[name] = loads.n;
        }
      }
      const size = `${bytes / 1024}KB`;
      out[size] = Object.fromEntries(
        names.map((n) => [
          n,
          {
            ops_per_s: Math.round(median(rates[n])),
            min: Math.round(Math.min(...rates[n])),
            max: Math.round(Math.max(...rates[n])),
            node_us_per_op: Number(median(cpu[n]).toFixed(1)),
            redis_us_per_op: Number(median(redisCpu[n]).toFixed(1)),
            loader_calls: misses[n],
          },
        ]),
      );
      for (const n of names) {
        const r = out[size][n] as {
          ops_per_s: number;
          min: number;
          max: number;
          node_us_per_op: number;
          redis_us_per_op: number;
          loader_calls: number;
        };
        console.log(
          `zipf ${size} ${n.padEnd(24)} ${String(r.ops_per_s).padStart(7)} ops/s (${r.min}–${r.max}), ` +
            `${r.node_us_per_op} node µs/op, ${r.redis_us_per_op} Redis µs/op, ${r.loader_calls} loader calls`,
        );
      }
      const ops = (n: string) => (out[size][n] as { ops_per_s: number }).ops_per_s;
      out[size].ratios = {
        vs_cache_manager: Number((ops("requeue") / ops("cache-manager")).toFixed(3)),
        vs_cachified_autopipelined: Number((ops("requeue") / ops("cachified_autopipelined")).toFixed(3)),
        vs_raw_autopipelined: Number((ops("requeue") / ops("raw_autopipelined")).toFixed(3)),
      };
    }
  } finally {
    admin.disconnect();
    await server.stop();
  }
  return {
    keys: KEYS,
    draws: OPS,
    distinct_keys: distinct,
    callers: CALLERS,
    rounds: ROUNDS,
    pinned,
    ...out,
  };
}
