/**
 * lib/cache: the cache helper (namespaces, getOrSet, invalidation, stampede protection,
 * graceful degradation) and its statistics. docs/cache.md describes the API.
 */
export { type BreakerSnapshot, type BreakerState, CircuitBreaker } from "./breaker.ts";
export {
  builtinNamespaces,
  Cache,
  type CacheOptions,
  createCache,
  type InvalidationResult,
} from "./cache.ts";
export { CacheError, type CacheErrorCode, isCacheError } from "./errors.ts";
export { CacheNamespace, type CallOptions, type GetOrSetOptions, type WriteOptions } from "./namespace.ts";
export type { NearState } from "./near.ts";
export {
  latestRedisSample,
  type RedisSample,
  type RedisSeriesRow,
  redisSeries,
  sampleRedis,
} from "./redis-sampler.ts";
export type { NamespaceSettings } from "./runtime.ts";
export {
  breakerStates,
  type CacheSeriesRow,
  cacheSeries,
  listNamespaces,
  type NamespaceSummary,
  type NearReport,
  namespaceSummary,
  nearStates,
} from "./stats.ts";
export {
  type JobQueue,
  type WriteBehindJob,
  writeBehind,
  writeBehindHandler,
  writeThrough,
} from "./strategies.ts";
