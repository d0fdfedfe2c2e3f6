/**
 * Prometheus text format for GET /api/metrics, via prom-client: a fresh Registry per scrape,
 * filled from one snapshot (lib/metrics/snapshot.ts), so nothing is kept between scrapes and
 * every replica of the console answers the same.
 *
 * Labels are queue names, cache namespace names, alert ids and fixed words only — never a cache
 * key, a job id or a user id. Lifetime counters are `_total` counters; figures over a recent
 * window carry the window in the metric name (`_5m`), as gauges.
 */
import { Counter, Gauge, Registry } from "prom-client";
import type { MetricsSnapshot } from "./snapshot.ts";

type Labels = Record<string, string>;

function gauge(registry: Registry, name: string, help: string, labelNames: string[] = []) {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

function counter(registry: Registry, name: string, help: string, labelNames: string[] = []) {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

const set = (g: Gauge, labels: Labels, value: number | null | undefined) => {
  if (typeof value === "number" && Number.isFinite(value)) g.set(labels, value);
};

function queueMetrics(r: Registry, s: MetricsSnapshot) {
  const jobs = gauge(r, "requeue_queue_jobs", "Jobs in each state of a queue, now.", ["queue", "state"]);
  const oldest = gauge(r, "requeue_dlq_oldest_age_seconds", "Age of the oldest dead letter of a queue.", [
    "queue",
  ]);
  const dropped = counter(r, "requeue_dlq_dropped_total", "Dead letters dropped by retention or the cap.", [
    "queue",
  ]);
  const events = gauge(
    r,
    "requeue_queue_events_5m",
    "Queue events in the last 5 minutes (added, completed, failed, retried, retry_succeeded, dead_lettered, requeued, deleted).",
    ["queue", "event"],
  );
  const paused = gauge(
    r,
    "requeue_queue_paused",
    "1 while the queue is paused (consumers lease nothing), else 0.",
    ["queue"],
  );
  for (const q of s.queues) {
    for (const [state, n] of Object.entries(q.sizes)) set(jobs, { queue: q.name, state }, n);
    paused.set({ queue: q.name }, q.paused ? 1 : 0);
    set(oldest, { queue: q.name }, q.oldestDeadAgeMs === null ? null : q.oldestDeadAgeMs / 1000);
    if (q.dropped !== null) dropped.inc({ queue: q.name }, q.dropped);
    for (const [event, n] of Object.entries(q.events5m)) set(events, { queue: q.name, event }, n);
  }
  const dlqTotal = gauge(r, "requeue_dlq_size", "Dead letters in every queue together, now.");
  dlqTotal.set(s.queues.reduce((sum, q) => sum + (q.sizes.dead ?? 0), 0));
}

function cacheMetrics(r: Registry, s: MetricsSnapshot) {
  const ops = gauge(
    r,
    "requeue_cache_operations_5m",
    "Cache calls in the last 5 minutes by result (hit, l1_hit, stale_hit, miss, error, bypass); l1_hit: served from a process's near cache.",
    ["namespace", "result"],
  );
  const ratio = gauge(
    r,
    "requeue_cache_hit_ratio_5m",
    "(hits + L1 hits + stale hits) / lookups in the last 5 minutes.",
    ["namespace"],
  );
  const latency = gauge(
    r,
    "requeue_cache_latency_p99_ms_5m",
    "99th percentile of cache call latency against Redis in the last 5 minutes.",
    ["namespace"],
  );
  const keys = gauge(r, "requeue_cache_keys", "Approximate number of keys of a namespace.", ["namespace"]);
  const memory = gauge(r, "requeue_cache_memory_bytes", "Approximate memory of a namespace's keys.", [
    "namespace",
  ]);
  for (const n of s.cache) {
    const labels = { namespace: n.namespace };
    for (const [result, v] of Object.entries(n.counts5m)) set(ops, { ...labels, result }, v);
    const served = (n.counts5m.hit ?? 0) + (n.counts5m.l1_hit ?? 0) + (n.counts5m.stale_hit ?? 0);
    const lookups = served + (n.counts5m.miss ?? 0);
    if (lookups > 0) ratio.set(labels, served / lookups);
    set(latency, labels, n.p99Ms);
    set(keys, labels, n.keys);
    set(memory, labels, n.memoryBytes);
  }
  const breakers = gauge(
    r,
    "requeue_cache_circuit_breakers",
    "Cache instances whose circuit breaker is in each state (closed, open, half-open).",
    ["state"],
  );
  for (const state of ["closed", "open", "half-open"]) breakers.set({ state }, s.breakers[state] ?? 0);
  nearMetrics(r, s);
}

/** The near cache (L1): per namespace summed over processes, and the largest process (labels stay bounded). */
function nearMetrics(r: Registry, s: MetricsSnapshot) {
  const processes = gauge(
    r,
    "requeue_cache_l1_processes",
    "Live processes with the near cache (L1) on, by tracking state (on: serving; off: bypassed until tracking is back).",
    ["tracking"],
  );
  const bytes = gauge(
    r,
    "requeue_cache_l1_memory_bytes",
    "Near cache (L1) memory of a namespace, summed over processes.",
    ["namespace"],
  );
  const largest = gauge(
    r,
    "requeue_cache_l1_process_max_bytes",
    "Near cache (L1) memory of the process that holds the most.",
  );
  const perNamespace = new Map<string, number>();
  for (const p of s.near)
    for (const [ns, n] of Object.entries(p.namespaces))
      perNamespace.set(ns, (perNamespace.get(ns) ?? 0) + n.bytes);
  for (const tracking of ["on", "off"])
    processes.set({ tracking }, s.near.filter((p) => p.usable === (tracking === "on")).length);
  for (const [namespace, n] of perNamespace) bytes.set({ namespace }, n);
  largest.set(Math.max(0, ...s.near.map((p) => p.bytes)));
}

function redisMetrics(r: Registry, s: MetricsSnapshot) {
  const used = gauge(r, "requeue_redis_memory_used_bytes", "Redis used_memory.");
  const max = gauge(r, "requeue_redis_memory_max_bytes", "Redis maxmemory (0: no limit).");
  const evicted = counter(r, "requeue_redis_evicted_keys_total", "Keys Redis evicted since it started.");
  const opsPerSec = gauge(r, "requeue_redis_ops_per_second", "Redis instantaneous_ops_per_sec.");
  const up = gauge(r, "requeue_redis_up", "1 when Redis answered this scrape.");
  up.set(1);
  set(used, {}, s.redis.usedMemory);
  set(max, {}, s.redis.maxMemory);
  if (s.redis.evictedKeys !== null) evicted.inc(s.redis.evictedKeys);
  set(opsPerSec, {}, s.redis.opsPerSec);
}

function alertMetrics(r: Registry, s: MetricsSnapshot) {
  const firing = gauge(r, "requeue_alert_firing", "1 when the alert is firing, 0 when ok.", ["alert"]);
  const value = gauge(r, "requeue_alert_value", "The alert's value at its last evaluation.", ["alert"]);
  const threshold = gauge(r, "requeue_alert_threshold", "The alert's threshold.", ["alert"]);
  for (const a of s.alerts) {
    firing.set({ alert: a.id }, a.state === "firing" ? 1 : 0);
    set(value, { alert: a.id }, a.value);
    threshold.set({ alert: a.id }, a.threshold);
  }
}

/** The snapshot as Prometheus text: `{ contentType, body }`. */
export async function renderPrometheus(s: MetricsSnapshot): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  queueMetrics(registry, s);
  cacheMetrics(registry, s);
  redisMetrics(registry, s);
  alertMetrics(registry, s);
  return { contentType: registry.contentType, body: await registry.metrics() };
}
