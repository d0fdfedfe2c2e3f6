/**
 * /api/metrics's body from real data: jobs that dead-letter, cache traffic (including a
 * user-scoped entry), an alert that fires. The text must parse as Prometheus exposition format,
 * carry the expected series, and never a cache key or a user id.
 */
import { afterAll, describe, expect, it } from "vitest";
import { until } from "../../test/harness/fixtures.ts";
import { testConfig, testRedis, uniqueName } from "../../test/harness/index.ts";
import { settleStats } from "../../test/harness/settle-stats.ts";
import { evaluateAlerts } from "../alerts/evaluate.ts";
import { setThreshold } from "../alerts/settings.ts";
import { createCache } from "../cache/index.ts";
import { createQueue } from "../queue/index.ts";
import { pauseQueue, resumeQueue } from "../queue/pause.ts";
import { queueSizes } from "../queue/stats.ts";
import { renderPrometheus } from "./prometheus.ts";
import { collectSnapshot } from "./snapshot.ts";

/** A loaded test machine may take over the 50 ms default: a timed-out lookup counts as an error, not a miss. */
const SLOW_OK = { CACHE_TIMEOUT_MS: "10000" };

const client = testRedis();
afterAll(() => client.quit());

/** name{labels} value — the exposition format's sample line (no timestamps are written). */
const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*)?\})? (-?[0-9.]+(e[+-]?[0-9]+)?|NaN|[+-]Inf)$/;

function parse(text: string) {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    if (line.startsWith("# HELP ")) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    samples.set(`${m[1]}${m[2] ?? ""}`, Number(m[5]));
  }
  return { samples, types };
}

describe("Prometheus metrics", () => {
  it("parse, and report queues, dead letters, cache, Redis and alerts without keys or user ids", async () => {
    const prefix = uniqueName("pm");
    const config = testConfig({ REDIS_KEY_PREFIX: prefix, RETRY_BACKOFF_BASE_SECONDS: "0", ...SLOW_OK });
    const queue = uniqueName("q");
    const q = createQueue(queue, { client, config });
    await q.addBatch([
      { data: { ok: false }, opts: { maxAttempts: 1 } },
      { data: { ok: false }, opts: { maxAttempts: 1 } },
      { data: { ok: true } },
    ]);
    const consumer = q.process<{ ok: boolean }>(
      async (job) => {
        if (!job.data.ok) throw new Error("boom");
      },
      { pollMs: 10, onError: () => {} },
    );
    await until(async () => {
      const s = await queueSizes(client, queue, { prefix });
      return s.dead === 2 && s.completed === 1;
    }, 25_000);
    await consumer.close();

    const cache = createCache({ client, config });
    expect(await cache.ready()).toBe(true); // calls before the first connection bypass Redis
    await cache.namespace("user").getOrSet("profile", () => ({ name: "x" }), { user: "secret-user-42" });
    await cache.namespace("user").getOrSet("profile", () => ({ name: "x" }), { user: "secret-user-42" });
    await cache.namespace("document").getOrSet("summary:private-doc-7", () => "text");
    await settleStats(cache);
    await cache.close();

    await setThreshold(client, "dlq_size", 1, config);
    await evaluateAlerts(client, { config });

    const { contentType, body } = await renderPrometheus(await collectSnapshot(client, config));
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const { samples, types } = parse(body);

    expect(samples.get(`requeue_queue_jobs{queue="${queue}",state="dead"}`)).toBe(2);
    expect(samples.get(`requeue_queue_jobs{queue="${queue}",state="ready"}`)).toBe(0);
    expect(samples.get(`requeue_queue_events_5m{queue="${queue}",event="dead_lettered"}`)).toBe(2);
    expect(samples.get(`requeue_queue_events_5m{queue="${queue}",event="completed"}`)).toBe(1);
    expect(samples.get(`requeue_dlq_dropped_total{queue="${queue}"}`)).toBe(0);
    expect(samples.get(`requeue_dlq_oldest_age_seconds{queue="${queue}"}`)).toBeGreaterThanOrEqual(0);
    expect(samples.get("requeue_dlq_size")).toBe(2);
    expect(samples.get('requeue_cache_operations_5m{namespace="user",result="hit"}')).toBe(1);
    expect(samples.get('requeue_cache_operations_5m{namespace="user",result="miss"}')).toBe(1);
    expect(samples.get('requeue_cache_operations_5m{namespace="document",result="miss"}')).toBe(1);
    expect(samples.get('requeue_cache_hit_ratio_5m{namespace="user"}')).toBe(0.5);
    expect(samples.get('requeue_cache_latency_p99_ms_5m{namespace="user"}')).toBeGreaterThan(0);
    expect(samples.get("requeue_redis_memory_used_bytes")).toBeGreaterThan(0);
    expect(samples.has("requeue_redis_evicted_keys_total")).toBe(true);
    expect(samples.get("requeue_redis_up")).toBe(1);
    expect(samples.get('requeue_alert_firing{alert="dlq_size"}')).toBe(1);
    expect(samples.get('requeue_alert_firing{alert="redis_memory"}')).toBe(0); // no maxmemory: no value
    expect(samples.get('requeue_alert_threshold{alert="dlq_size"}')).toBe(1);
    expect(samples.get('requeue_alert_value{alert="dlq_size"}')).toBe(2);
    expect(types.get("requeue_dlq_dropped_total")).toBe("counter");
    expect(types.get("requeue_queue_jobs")).toBe("gauge");
    for (const state of ["closed", "open", "half-open"]) {
      expect(samples.has(`requeue_cache_circuit_breakers{state="${state}"}`)).toBe(true);
    }

    expect(body).not.toContain("secret-user-42");
    expect(body).not.toContain("private-doc-7");
    expect(body).not.toContain("profile");
  });

  it("export a paused gauge per queue: 1 while paused, 0 once resumed", async () => {
    const prefix = uniqueName("pm");
    const config = testConfig({ REDIS_KEY_PREFIX: prefix });
    const queue = uniqueName("q");
    await createQueue(queue, { client, config }).add({});
    const paused = async () => {
      const { body } = await renderPrometheus(await collectSnapshot(client, config));
      return parse(body).samples.get(`requeue_queue_paused{queue="${queue}"}`);
    };
    expect(await paused()).toBe(0);
    await pauseQueue(client, queue, { prefix });
    expect(await paused()).toBe(1);
    await resumeQueue(client, queue, { prefix });
    expect(await paused()).toBe(0);
  });

  it("report the near cache: L1 hits apart, L1 memory per namespace, processes by tracking state", async () => {
    const prefix = uniqueName("pmn");
    const config = testConfig({ REDIS_KEY_PREFIX: prefix, CACHE_NEAR_ENABLED: "true", ...SLOW_OK });
    const own = testRedis();
    const cache = createCache({ client: own, config });
    try {
      expect(await cache.ready()).toBe(true);
      await until(() => cache.near()?.usable, 20_000, "tracking confirmed");
      const doc = cache.namespace("document");
      await doc.set("summary:private-doc-8", "text");
      await until(
        async () => (await doc.get("summary:private-doc-8")) && doc.inNear("summary:private-doc-8"),
      );
      expect(await doc.get("summary:private-doc-8")).toBe("text"); // from L1
      await settleStats(cache);
      const { samples } = parse((await renderPrometheus(await collectSnapshot(client, config))).body);
      expect(
        samples.get('requeue_cache_operations_5m{namespace="document",result="l1_hit"}'),
      ).toBeGreaterThan(0);
      expect(samples.get('requeue_cache_l1_processes{tracking="on"}')).toBe(1);
      expect(samples.get('requeue_cache_l1_memory_bytes{namespace="document"}')).toBeGreaterThan(0);
      expect(samples.get("requeue_cache_l1_process_max_bytes")).toBeGreaterThan(0);
    } finally {
      await cache.close();
      own.disconnect();
    }
  });
});
