import { performance } from "node:perf_hooks";
import { listDeadLetters } from "../lib/dlq/list.ts";
import { seedDeadLetters } from "../lib/dlq/testing.ts";
import { createRedisFromUrl } from "../lib/redis/connection.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";

const server = await startRedisServer();
const c = createRedisFromUrl(server.url);
const t0 = Date.now();
let t = performance.now();
for (const q of ["a", "b", "c", "d"]) {
  for (let s = 0; s < 25000; s += 5000) {
    await seedDeadLetters(c, q, Array.from({ length: 5000 }, (_, i) => ({ id: `${q}${s + i}`, deadAt: t0 - (s + i) * 4, fingerprint: `g${i % 5}`, message: i % 20 === 0 ? "quota exceeded 12" : "timed out after 3000 ms", payload: { i, note: "x".repeat(64) } })));
  }
}
console.log("seed ms", performance.now() - t);
await c.config("SET", "slowlog-log-slower-than", "500");
await c.config("SET", "slowlog-max-len", "100000");
for (const [name, f] of [["first", {}], ["oneq", { queue: "a" }], ["search", { search: "QUOTA" }], ["rare", { search: "zzz" }]] as const) {
  await listDeadLetters(c, f, { limit: 50 });
  await c.slowlog("RESET");
  const xs = [];
  let p;
  for (let i = 0; i < 5; i++) {
  t = performance.now();
  p = await listDeadLetters(c, f, { limit: 50 });
  xs.push((performance.now() - t).toFixed(2));
  }
  const ms = xs.join(" ");
  const log = (await c.call("SLOWLOG", "GET", "-1")) as [number, number, number, string[]][];
  const calls = log.filter((e) => e[3][0] !== "SLOWLOG").map((e) => e[2]);
  console.log(name, ms, "ms; items", p.items.length, "scanned", p.scanned, "redis calls µs", calls.join(","));
}
await c.quit();
await server.stop();
