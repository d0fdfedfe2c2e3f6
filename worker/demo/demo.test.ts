/**
 * The demo workload, run for real for a short while against the suite's redis-server: its jobs
 * fail the ways the seed describes and land in distinct error groups (ids and numbers normalised
 * away), its lookups give the cache hits and misses, it creates the viewer it prints, and it stops
 * cleanly when its time is up. Its graph queue is consumed by the Python processor
 * (worker/demo/graph_processor.py; the suite has /usr/bin/python3 with python3-redis).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../lib/auth/users.ts";
import { namespaceSummary } from "../../lib/cache/stats.ts";
import { resetConfig, setConfig } from "../../lib/config.ts";
import { listGroups } from "../../lib/dlq/read.ts";
import type { ErrorGroup } from "../../lib/queue/types.ts";
import { createRedis, type RedisClient } from "../../lib/redis/connection.ts";
import { testConfig } from "../../test/harness/index.ts";

const prefix = `demo${Math.random().toString(36).slice(2, 8)}`;
const dataDir = mkdtempSync(join(tmpdir(), "requeue-demo-"));
let client: RedisClient;
let output = "";
let exitCode: number | null = null;
let groups: ErrorGroup[] = [];

beforeAll(async () => {
  const config = testConfig({ REDIS_KEY_PREFIX: prefix });
  setConfig(config); // lib/dlq's reads take the prefix from the configuration
  client = createRedis(config);
  const child = spawn(process.execPath, ["--import", "tsx", "worker/demo/main.ts"], {
    env: {
      ...process.env,
      REDIS_URL: config.REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      REQUEUE_DATA_DIR: dataDir,
      RETRY_BACKOFF_BASE_SECONDS: "0.2",
      DEMO_DURATION_SECONDS: "15",
      DEMO_JOBS_PER_SECOND: "12",
      DEMO_BURST: "80",
      DEMO_CACHE_RPS: "40",
      // At the default 20 % a transient failure outlasts all its attempts in a few jobs of a
      // 15 s run: sometimes none (a flaky test). At 80 % several do, so the DLQ has them.
      DEMO_TRANSIENT_RATE: "0.8",
      // enough cyclic graphs (the Python processor refuses them) that some are always there
      DEMO_INVALID_RATE: "0.2",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  exitCode = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  groups = await listGroups(client);
}, 90_000);

afterAll(async () => {
  await client?.quit();
  rmSync(dataDir, { recursive: true, force: true });
  resetConfig();
});

describe("the demo workload", () => {
  it("prints the tour and stops cleanly when its time is up", () => {
    expect(output).toContain("A short tour");
    expect(output).toContain("stopping the demo workload");
    expect(exitCode, output).toBe(0);
  });

  it("fills the DLQ with the seed's failures, grouped whatever their ids and numbers", () => {
    const names = new Set(groups.map((g) => g.name));
    expect(names).toContain("UnrecoverableError");
    expect([...names].some((n) => n === "NetworkTimeoutError" || n === "ServiceUnavailableError")).toBe(true);
    expect([...names].some((n) => ["TypeError", "RangeError", "SyntaxError"].includes(n))).toBe(true);
    // Invalid documents vary in id but are one group: normalisation works on the demo's messages.
    const invalidDocs = groups.filter((g) => g.queue === "documents" && g.name === "UnrecoverableError");
    expect(invalidDocs).toHaveLength(1);
    expect(invalidDocs[0].count).toBeGreaterThan(1);
    expect(new Set(groups.map((g) => g.queue)).size).toBeGreaterThanOrEqual(3);
  });

  it("runs the graph queue in Python: its dead letters carry Python frames", () => {
    expect(output).toContain("[python] python graph processor: consuming the graph queue");
    const cyclic = groups.find((g) => g.queue === "graph" && g.name === "UnrecoverableError");
    // normalised like the TypeScript processors' messages: one group whatever the ids
    expect(cyclic?.sampleMessage).toBe("invalid graph for job <n>: cycle from n<n> back to n<n>");
    expect(cyclic?.topFrame).toMatch(/graph_processor\.py/);
    expect(cyclic?.count).toBeGreaterThan(1);
    expect(groups.filter((g) => g.queue === "graph" && g.name === "UnrecoverableError")).toHaveLength(1);
  });

  it("caches from Python too: the graph processor's ontology entries are in the graph namespace", async () => {
    // Only worker/demo/graph_processor.py writes `ontology:` keys (lib/cache's key layout).
    const [, keys] = await client.scan(
      0,
      "MATCH",
      `${prefix}:cache:{c:graph}:k:ontology:*`,
      "COUNT",
      100_000,
    );
    expect(keys.length).toBeGreaterThan(0);
  });

  it("serves every seed namespace, with hits and misses at a realistic rate", async () => {
    const rows = await namespaceSummary(client, { windowMs: 10 * 60_000, prefix });
    const by = new Map(rows.map((r) => [r.namespace, r]));
    // hits from Redis and from the demo's near cache (L1) alike
    const hitsOf = (ns: string) => (by.get(ns)?.hits ?? 0) + (by.get(ns)?.l1Hits ?? 0);
    for (const ns of ["user", "job_status", "document", "vector_search", "graph"]) {
      expect(hitsOf(ns) + (by.get(ns)?.misses ?? 0), ns).toBeGreaterThan(0);
    }
    // The warmed, long-lived namespaces hit; the long tail misses.
    for (const ns of ["user", "document", "graph"]) {
      expect(hitsOf(ns), ns).toBeGreaterThan(0);
      expect(by.get(ns)?.misses, ns).toBeGreaterThan(0);
    }
    // The demo runs with the near cache on; job_status (5 s TTL) stays out of it.
    expect(rows.reduce((n, r) => n + r.l1Hits, 0)).toBeGreaterThan(0);
    expect(by.get("job_status")?.l1Hits).toBe(0);
    const hits = rows.reduce((n, r) => n + r.hits + r.l1Hits + r.staleHits, 0);
    const misses = rows.reduce((n, r) => n + r.misses, 0);
    const rate = hits / (hits + misses);
    expect(rate).toBeGreaterThan(0.5);
    expect(rate).toBeLessThan(0.98);
  });

  it("creates the viewer it prints, with the printed password", async () => {
    const m = output.match(/viewer: sign in as (\S+) with password (\S+)/);
    expect(m, output).not.toBeNull();
    const user = await verifyPassword(client, m![1], m![2], { prefix });
    expect(user?.role).toBe("viewer");
  });
});
