import { Redis } from "ioredis";
import { Cache } from "./lib/cache/cache.ts";
import { parseConfig } from "./lib/config.ts";
import { startRedisServer } from "./test/harness/redis-server.ts";
import { execFileSync } from "node:child_process";
const server = await startRedisServer();
execFileSync("taskset", ["-a", "-pc", "1", String(server.pid)]);
execFileSync("taskset", ["-a", "-pc", "0", String(process.pid)]);
const c2 = new Redis(server.url);
const raw = new Redis(server.url);
const cache = new Cache({ client: c2, config: parseConfig({ REDIS_URL: server.url, REDIS_KEY_PREFIX: "p" }) });
const ns = cache.namespace("x");
const val = { id: 1, email: "a@b.c", name: "User Number 1", role: "viewer", teams: ["a", "b", "c"], settings: { theme: "dark", locale: "en-GB", n: { email: true, push: false } }, updatedAt: 1764000000000 };
await ns.set("k", val);
await raw.set("raw", JSON.stringify(val));
const entry = ns.entryKey("k");
const N = 20000;
async function seq(f: () => Promise<unknown>) {
  const c0 = process.cpuUsage(); const lat: number[] = [];
  for (let i = 0; i < N; i++) { const t = process.hrtime.bigint(); await f(); lat.push(Number(process.hrtime.bigint() - t) / 1000); }
  const c = process.cpuUsage(c0); lat.sort((a, b) => a - b);
  return `cpu/op ${((c.user + c.system) / N).toFixed(1)}µs p50 ${lat[N >> 1].toFixed(1)}µs`;
}
import { withTimeout } from "./lib/cache/breaker.ts";
import { readEntry } from "./lib/cache/entry-io.ts";
import { guarded } from "./lib/cache/runtime.ts";
const rt = (cache as any).rt;
const fns: Record<string, () => Promise<unknown>> = {
  "timeout(mget)": () => withTimeout(raw.mgetBuffer(entry, ns.keys.generation), 1000),
  "readEntry": () => readEntry(c2, ns.keys, entry, []),
  "guarded(readEntry)": () => guarded(rt, "x", () => readEntry(c2, ns.keys, entry, [])),
  "raw get": () => raw.get("raw"),
  "raw mgetBuffer": () => raw.mgetBuffer(entry, ns.keys.generation),
  "getOrSet": () => ns.getOrSet("k", async () => 0),
  "get": () => ns.get("k"),
};
for (let r = 0; r < 2; r++) for (const n in fns) console.log(n.padEnd(16), await seq(fns[n]));
await cache.close(); c2.disconnect(); raw.disconnect(); await server.stop();
