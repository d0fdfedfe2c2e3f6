import { performance } from "node:perf_hooks";
import { seedDeadLetters } from "../lib/dlq/testing.ts";
import { createRedisFromUrl } from "../lib/redis/connection.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";

const server = await startRedisServer();
const c = createRedisFromUrl(server.url);
const t0 = Date.now();
for (let s = 0; s < 20000; s += 5000) {
  await seedDeadLetters(c, "a", Array.from({ length: 5000 }, (_, i) => ({ id: `a${s + i}`, deadAt: t0 - (s + i) * 4, fingerprint: `g${i % 5}`, message: "timed out after 3000 ms", payload: { i, note: "x".repeat(64) } })));
}
const variants: Record<string, string> = {
  range: "local ids = redis.call('ZREVRANGE', KEYS[1], 0, 1999) return #ids",
  hget: "local ids = redis.call('ZREVRANGE', KEYS[1], 0, 1999) local n=0 for _, id in ipairs(ids) do local e = redis.call('HGET', ARGV[1]..id, 'errors') n = n + #e end return n",
  hmget9: "local ids = redis.call('ZREVRANGE', KEYS[1], 0, 1999) local n=0 for _, id in ipairs(ids) do local f = redis.call('HMGET', ARGV[1]..id, 'attempts', 'max', 'fp', 'reason', 'ff', 'lf', 'dt', 'ct', 'errors') n = n + #f[9] end return n",
  lower: "local ids = redis.call('ZREVRANGE', KEYS[1], 0, 1999) local n=0 for _, id in ipairs(ids) do local e = redis.call('HGET', ARGV[1]..id, 'errors') local l = string.lower(e) n = n + #l end return n",
  lowerfind: "local ids = redis.call('ZREVRANGE', KEYS[1], 0, 1999) local n=0 for _, id in ipairs(ids) do local e = redis.call('HGET', ARGV[1]..id, 'errors') if string.find(string.lower(e), 'zzz', 1, true) then n = n + 1 end end return n",
  find: "local ids = redis.call('ZREVRANGE', KEYS[1], 0, 1999) local n=0 for _, id in ipairs(ids) do local e = redis.call('HGET', ARGV[1]..id, 'errors') if string.find(e, 'zzz', 1, true) then n = n + 1 end end return n",
  pattern: "local ids = redis.call('ZREVRANGE', KEYS[1], 0, 1999) local n=0 for _, id in ipairs(ids) do local e = redis.call('HGET', ARGV[1]..id, 'errors') if string.find(e, '[zZ][zZ][zZ]') then n = n + 1 end end return n",
};
for (const [name, lua] of Object.entries(variants)) {
  const xs = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await c.eval(lua, 1, "rq:{a}:dead", "rq:{a}:job:");
    xs.push(performance.now() - t);
  }
  console.log(name, xs.map((x) => x.toFixed(2)).join(" "), "ms per 2000");
}
console.log(await c.hget("rq:{a}:job:a5", "errors").then((e) => e?.length));
await c.quit();
await server.stop();
