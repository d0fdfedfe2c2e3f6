/**
 * The second process of the near cache's staleness bench (bench/cache.ts): writes a new value
 * of one key `CHANGES` times through its own cache (L1 off), a few ms apart, and prints, as one
 * JSON line, the time (ms of process.hrtime: CLOCK_MONOTONIC, the reader's clock too) at which
 * each write's acknowledgement reached this process.
 *   tsx bench/near-writer.ts <redis url> <prefix> <namespace> <key> <changes>
 */
import { Cache } from "../lib/cache/cache.ts";
import { parseConfig } from "../lib/config.ts";

const [url, prefix, namespace, key, changes] = process.argv.slice(2);
const config = parseConfig({ REDIS_URL: url, REDIS_KEY_PREFIX: prefix, CACHE_TIMEOUT_MS: "1000" });
const cache = new Cache({ config, stats: false });
await cache.ready();
const ns = cache.namespace(namespace);
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const acked: number[] = [];
for (let n = 1; n <= Number(changes); n++) {
  if (!(await ns.set(key, { n }))) throw new Error(`write ${n} failed`);
  acked.push(nowMs());
  await new Promise((r) => setTimeout(r, 2 + Math.random() * 3));
}
console.log(JSON.stringify({ acked }));
await cache.close();
