import { Redis } from "ioredis";
import { Cache } from "/work/main/lib/cache/cache.ts";
import { parseConfig } from "/work/main/lib/config.ts";
import { startRedisServer } from "/work/main/test/harness/redis-server.ts";
import { execFileSync } from "node:child_process";
const server = await startRedisServer();
execFileSync("taskset", ["-a", "-pc", "1", String(server.pid)]);
execFileSync("taskset", ["-a", "-pc", "0", String(process.pid)]);
const r = new Redis(server.url);
const c2 = new Redis(server.url);
const cache = new Cache({ client: c2, config: parseConfig({ REDIS_URL: server.url, REDIS_KEY_PREFIX: "p" }) });
const ns = cache.namespace("x");
const val = { id: 1, email: "a@b.c", name: "User", teams: ["a", "b"], settings: { theme: "dark" } };
await ns.set("k", val);
await r.set("raw", JSON.stringify(val));
const entry = ns.entryKey("k");
const s = c2 as any;
async function time(name: string, f: () => Promise<unknown>) {
  for (let i = 0; i < 2000; i++) await f();
  const lat: number[] = [];
  for (let i = 0; i < 5000; i++) { const t = process.hrtime.bigint(); await f(); lat.push(Number(process.hrtime.bigint() - t) / 1000); }
  lat.sort((a, b) => a - b);
  console.log(name.padEnd(20), lat[2500].toFixed(1));
}
for (let k = 0; k < 2; k++) {
await time("raw get", () => r.get("raw"));
await time("raw getBuffer", () => r.getBuffer("raw"));
await time("evalsha buffer", () => s.rqCacheReadBuffer(3, entry, ns.keys.meta, ns.keys.meta, ns.keys.tagPrefix, 0, ""));
await time("evalsha string", () => s.rqCacheRead(3, entry, ns.keys.meta, ns.keys.meta, ns.keys.tagPrefix, 0, ""));
await time("getOrSet", () => ns.getOrSet("k", async () => 0));
await time("get", () => ns.get("k"));
}
await cache.close(); r.disconnect(); c2.disconnect(); await server.stop();
