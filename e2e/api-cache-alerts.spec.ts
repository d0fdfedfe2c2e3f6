/**
 * Route tests of the cache and alerts JSON API and /api/metrics against the built app:
 * 400 on bad input (with a message that says what to send), 404 on unknown names, 401/403 by
 * role, 200 on good input.
 */
import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { E2E_BASE_URL } from "./env.ts";
import { apiAs, bearer, bearerFor } from "./helpers/auth.ts";
import { e2eCache, settle } from "./helpers/cache.ts";

const sameSite = { origin: E2E_BASE_URL };
const ns = `e2e_api_${randomUUID().slice(0, 6)}`;

test.beforeAll(async () => {
  const { cache, close } = await e2eCache();
  expect(await cache.namespace(ns).get("k")).toBeUndefined(); // one miss, which the metrics test looks for
  expect(await cache.namespace(ns).set("k", 1)).toBe(true);
  await settle(cache);
  await close();
});

async function status(res: Promise<{ status(): number; json(): Promise<unknown> }>, expected: number) {
  const r = await res;
  const body = (await r.json().catch(() => null)) as { error?: { message?: string } } | null;
  expect(r.status(), JSON.stringify(body)).toBe(expected);
  return body;
}

test.describe("cache API", () => {
  let api: APIRequestContext;
  test.beforeEach(async ({ request }) => {
    api = await apiAs(request, "admin");
  });

  test("GET /api/v1/cache/stats", async () => {
    const ok = (await status(api.get("/api/v1/cache/stats?range=24h"), 200)) as Record<string, unknown>;
    expect(ok).toMatchObject({ range: "24h", stepMs: 900_000, hitRateThreshold: 0.7 });
    expect((ok.total as unknown[]).length).toBe(96);
    await status(api.get(`/api/v1/cache/stats?namespace=${ns}`), 200);
    const bad = await status(api.get("/api/v1/cache/stats?range=2h"), 400);
    expect(bad?.error?.message).toContain("range must be one of 1h, 24h, 7d");
    await status(api.get("/api/v1/cache/stats?namespace=no%20such"), 400);
    const unknown = await status(api.get("/api/v1/cache/stats?namespace=never_used_ns"), 404);
    expect(unknown?.error?.message).toContain('No cache namespace "never_used_ns"');
  });

  test("GET /api/v1/cache/namespaces", async () => {
    const body = (await status(api.get("/api/v1/cache/namespaces"), 200)) as {
      namespaces: { name: string }[];
    };
    expect(body.namespaces.map((n) => n.name)).toContain(ns);
  });

  test("POST /api/v1/cache/flush", async () => {
    const missing = await status(api.post("/api/v1/cache/flush", { data: {}, headers: sameSite }), 400);
    expect(missing?.error?.message).toContain("namespace");
    await status(api.post("/api/v1/cache/flush", { data: "not json", headers: sameSite }), 400);
    await status(
      api.post("/api/v1/cache/flush", { data: { namespace: "never_used_ns" }, headers: sameSite }),
      404,
    );
    expect(
      await status(api.post("/api/v1/cache/flush", { data: { namespace: ns }, headers: sameSite }), 200),
    ).toEqual({
      namespace: ns,
    });
  });

  test("POST /api/v1/cache/invalidate", async () => {
    await status(api.post("/api/v1/cache/invalidate", { data: { tag: "" }, headers: sameSite }), 400);
    await status(
      api.post("/api/v1/cache/invalidate", { data: { tag: "has space" }, headers: sameSite }),
      400,
    );
    const ok = (await status(
      api.post("/api/v1/cache/invalidate", { data: { tag: "document:42" }, headers: sameSite }),
      200,
    )) as { tag: string; namespaces: number };
    expect(ok.tag).toBe("document:42");
    expect(ok.namespaces).toBeGreaterThan(0);
  });
});

test.describe("alerts API", () => {
  let api: APIRequestContext;
  test.beforeEach(async ({ request }) => {
    api = await apiAs(request, "admin");
  });

  test("GET /api/v1/alerts", async () => {
    const all = (await status(api.get("/api/v1/alerts"), 200)) as { alerts: { id: string }[] };
    expect(all.alerts.map((a) => a.id)).toEqual([
      "dlq_size",
      "retry_success_rate",
      "avg_retries",
      "dlq_oldest_age",
      "dlq_near_cap",
      "cache_hit_rate",
      "redis_memory",
      "eviction_rate",
      "cache_latency",
      "queue_latency",
    ]);
    await status(api.get("/api/v1/alerts?state=firing"), 200);
    await status(api.get("/api/v1/alerts?state=burning"), 400);
  });

  test("PUT and DELETE /api/v1/alerts/thresholds/{id}", async () => {
    const put = (id: string, data: unknown) =>
      api.put(`/api/v1/alerts/thresholds/${id}`, { data: data as object, headers: sameSite });
    await status(put("disk_full", { value: 1 }), 404);
    const range = await status(put("cache_hit_rate", { value: 70 }), 400);
    expect(range?.error?.message).toContain("ratio between 0 and 1");
    await status(put("cache_hit_rate", {}), 400);
    await status(put("dlq_size", { value: "ten" }), 400);
    const ok = (await status(put("cache_hit_rate", { value: 0.65 }), 200)) as {
      alert: Record<string, unknown>;
    };
    expect(ok.alert).toMatchObject({ id: "cache_hit_rate", threshold: 0.65, overridden: true });
    const reset = (await status(
      api.delete("/api/v1/alerts/thresholds/cache_hit_rate", { headers: sameSite }),
      200,
    )) as { alert: Record<string, unknown> };
    expect(reset.alert).toMatchObject({ threshold: 0.7, overridden: false });
    await status(api.delete("/api/v1/alerts/thresholds/disk_full", { headers: sameSite }), 404);
  });

  test("GET /api/v1/alerts/history", async () => {
    await status(api.get("/api/v1/alerts/history?limit=0"), 400);
    await status(api.get("/api/v1/alerts/history?id=disk_full"), 400);
    const ok = (await status(api.get("/api/v1/alerts/history?limit=5"), 200)) as { history: unknown[] };
    expect(ok.history.length).toBeLessThanOrEqual(5);
  });

  test("GET and PUT /api/v1/alerts/webhook", async () => {
    const put = (data: unknown) =>
      api.put("/api/v1/alerts/webhook", { data: data as object, headers: sameSite });
    const bad = await status(put({ url: "ftp://example.com/hook" }), 400);
    expect(bad?.error?.message).toContain("http:// or https://");
    await status(put({}), 400);
    expect(await status(put({ url: "https://hooks.example.com/requeue" }), 200)).toEqual({
      url: "https://hooks.example.com/requeue",
      source: "stored",
    });
    expect(await status(api.get("/api/v1/alerts/webhook"), 200)).toMatchObject({ source: "stored" });
    expect(await status(put({ url: null }), 200)).toEqual({ url: null, source: "none" });
  });
});

test.describe("roles", () => {
  test("a viewer token reads but cannot change anything; anonymous gets 401", async ({ request }) => {
    const token = await bearerFor("viewer");
    const auth = bearer(token);
    expect((await request.get("/api/v1/cache/stats", auth)).status()).toBe(200);
    expect((await request.get("/api/v1/alerts", auth)).status()).toBe(200);
    expect((await request.post("/api/v1/cache/flush", { ...auth, data: { namespace: ns } })).status()).toBe(
      403,
    );
    expect((await request.post("/api/v1/cache/invalidate", { ...auth, data: { tag: "x" } })).status()).toBe(
      403,
    );
    expect(
      (await request.put("/api/v1/alerts/thresholds/dlq_size", { ...auth, data: { value: 1 } })).status(),
    ).toBe(403);
    expect((await request.put("/api/v1/alerts/webhook", { ...auth, data: { url: null } })).status()).toBe(
      403,
    );
    expect((await request.get("/api/v1/alerts/webhook", auth)).status()).toBe(403);
    expect((await request.get("/api/v1/alerts")).status()).toBe(401);
    expect((await request.get("/api/metrics")).status()).toBe(401);
  });

  test("GET /api/metrics answers Prometheus text to a viewer token", async ({ request }) => {
    const res = await request.get("/api/metrics", bearer(await bearerFor("viewer")));
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("text/plain");
    const text = await res.text();
    expect(text).toMatch(/^requeue_alert_firing\{alert="dlq_size"\} [01]$/m);
    expect(text).toMatch(/^requeue_redis_up 1$/m);
    expect(text).toMatch(
      new RegExp(`^requeue_cache_operations_5m\\{namespace="${ns}",result="miss"\\} \\d+$`, "m"),
    );
  });
});
