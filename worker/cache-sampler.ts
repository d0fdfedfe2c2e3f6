/**
 * The worker's Redis sampler, registered in the task registry (worker/tasks.ts): every 30 s one
 * replica samples Redis (memory against maxmemory, evictions, keyspace hits and misses, ops/s,
 * each cache namespace's keys and memory from a bounded sample) and stores it as the current
 * minute's sample (lib/cache/redis-sampler.ts). Two runs in one minute keep the later one.
 *
 * worker/main.ts: `import { registerCacheSamplerTask } from "./cache-sampler.ts"; registerCacheSamplerTask();`
 */
import { sampleRedis } from "../lib/cache/redis-sampler.ts";
import { registerTask } from "./tasks.ts";

export const CACHE_SAMPLER_TASK = "cache-sampler";
const CACHE_SAMPLER_INTERVAL_MS = 30_000;

export function registerCacheSamplerTask(): void {
  registerTask(CACHE_SAMPLER_TASK, CACHE_SAMPLER_INTERVAL_MS, async ({ client, config }) => {
    const s = await sampleRedis(client, {
      prefix: config.REDIS_KEY_PREFIX,
      sampleKeys: config.CACHE_SAMPLE_KEYS,
    });
    // a summary for the heartbeat: figures only, never a key
    return {
      usedMemory: s.usedMemory,
      memoryRatio: s.memoryRatio,
      evictedKeys: s.evictedKeys,
      namespaces: Object.keys(s.namespaces).length,
    };
  });
}
