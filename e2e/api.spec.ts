/**
 * Route tests for every /api/v1 route of the queues and dead letters: 200 on good input, 400 on
 * bad input (with a message that names the field), 404 on unknown queues, entries and bulk
 * operations, 401/403 without the right session. Against the built app and real dead letters.
 */
import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { E2E_BASE_URL } from "./env.ts";
import { apiAs } from "./helpers/auth.ts";
import { purgeSeeded, seedDeadLetters, uniqueQueue } from "./helpers/seed.ts";

const sameSite = { origin: E2E_BASE_URL };
let queue: string;
let ids: string[];

test.afterAll(purgeSeeded);

test.beforeAll(async () => {
  queue = uniqueQueue("api");
  ids = await seedDeadLetters(queue, [
    { error: "Timeout after 100 ms", name: "TimeoutError" },
    { error: "Timeout after 200 ms", name: "TimeoutError" },
    { error: "bad input", name: "ValidationError" },
    { error: "bad input", name: "ValidationError" },
  ]);
});

async function expectStatus(api: APIRequestContext, path: string, status: number, message?: RegExp) {
  const res = await api.get(path);
  expect(res.status(), `GET ${path}`).toBe(status);
  if (message) expect((await res.json()).error.message, `GET ${path}`).toMatch(message);
  return res;
}

async function post(api: APIRequestContext, path: string, data: unknown) {
  return api.post(path, { data, headers: sameSite });
}

test("queues: list, one, unknown, invalid", async ({ request }) => {
  const api = await apiAs(request, "admin");
  const all = await (await expectStatus(api, "/api/v1/queues", 200)).json();
  const mine = all.queues.find((q: { name: string }) => q.name === queue);
  expect(mine.sizes.dead).toBe(4);
  expect(Array.isArray(all.workers)).toBe(true);
  const one = await (await expectStatus(api, `/api/v1/queues/${queue}`, 200)).json();
  expect(one).toMatchObject({ name: queue, sizes: { dead: 4 } });
  const light = await (await expectStatus(api, "/api/v1/queues?series=false", 200)).json();
  expect(light.queues.find((q: { name: string }) => q.name === queue).series).toEqual([]);
  await expectStatus(api, "/api/v1/queues?series=maybe", 400, /series/);
  await expectStatus(api, "/api/v1/queues/no-such-queue", 404, /no-such-queue/);
  await expectStatus(api, `/api/v1/queues/${encodeURIComponent("bad name!")}`, 400, /queue/);
});

test("dead letters: list, filters, cursor, page sizes", async ({ request }) => {
  const api = await apiAs(request, "admin");
  const page1 = await (await expectStatus(api, `/api/v1/dead-letters?queue=${queue}&limit=3`, 200)).json();
  expect(page1.items).toHaveLength(3);
  expect(page1.nextCursor).toBeTruthy();
  const page2 = await (
    await expectStatus(api, `/api/v1/dead-letters?queue=${queue}&limit=3&cursor=${page1.nextCursor}`, 200)
  ).json();
  expect(page2.items).toHaveLength(1);
  expect(page2.nextCursor).toBeNull();
  const search = await (await expectStatus(api, `/api/v1/dead-letters?queue=${queue}&q=TIMEOUT`, 200)).json();
  expect(search.items).toHaveLength(2);
  await expectStatus(api, `/api/v1/dead-letters?queue=${queue}&range=24h`, 200);
  await expectStatus(api, `/api/v1/dead-letters?queue=${queue}&from=0&to=${Date.now()}`, 200);

  await expectStatus(api, `/api/v1/dead-letters?limit=0`, 400, /limit/);
  await expectStatus(api, `/api/v1/dead-letters?limit=201`, 400, /limit/);
  await expectStatus(api, `/api/v1/dead-letters?limit=ten`, 400, /limit/);
  await expectStatus(api, `/api/v1/dead-letters?cursor=not-a-cursor`, 400, /cursor/);
  await expectStatus(api, `/api/v1/dead-letters?range=2y`, 400, /range/);
  await expectStatus(api, `/api/v1/dead-letters?from=20&to=10`, 400, /from/);
  await expectStatus(api, `/api/v1/dead-letters?queu=${queue}`, 400, /queu/);
  await expectStatus(api, `/api/v1/dead-letters?queue=${encodeURIComponent("{x}")}`, 400, /queue/);
  await expectStatus(api, `/api/v1/dead-letters?queue=no-such-queue`, 404, /no-such-queue/);
});

test("dead letters: count, groups, one entry", async ({ request }) => {
  const api = await apiAs(request, "admin");
  expect(await (await expectStatus(api, `/api/v1/dead-letters/count?queue=${queue}`, 200)).json()).toEqual({
    count: 4,
    total: 4,
    partial: false,
    scanned: 0,
    nextCursor: null,
  });
  await expectStatus(api, `/api/v1/dead-letters/count?queue=no-such-queue`, 404);
  await expectStatus(api, `/api/v1/dead-letters/count?range=forever`, 400, /range/);

  const { groups } = await (
    await expectStatus(api, `/api/v1/dead-letters/groups?queue=${queue}`, 200)
  ).json();
  expect(groups.map((g: { count: number }) => g.count)).toEqual([2, 2]);
  const one = await (
    await expectStatus(api, `/api/v1/dead-letters/groups?queue=${queue}&group=${groups[0].fingerprint}`, 200)
  ).json();
  expect(one.groups).toHaveLength(1);
  await expectStatus(api, `/api/v1/dead-letters/groups?queue=no-such-queue`, 404);
  await expectStatus(
    api,
    `/api/v1/dead-letters/groups?group=${encodeURIComponent("has space")}`,
    400,
    /group/,
  );

  const entry = await (await expectStatus(api, `/api/v1/dead-letters/${queue}/${ids[0]}`, 200)).json();
  expect(entry).toMatchObject({ queue, id: ids[0], attempts: 2 });
  expect(entry.errors).toHaveLength(2);
  await expectStatus(api, `/api/v1/dead-letters/${queue}/no-such-id`, 404, /no-such-id/);
  await expectStatus(api, `/api/v1/dead-letters/no-such-queue/${ids[0]}`, 404);
  await expectStatus(api, `/api/v1/dead-letters/${queue}/${encodeURIComponent("bad\u0001id")}`, 400, /id/);
});

test("dead letters: requeue and delete by scope, idempotent, validated", async ({ request }) => {
  const api = await apiAs(request, "admin");
  const q = uniqueQueue("api-mut");
  const [a, b, c] = await seedDeadLetters(q, [{ error: "x" }, { error: "x" }, { error: "y" }]);

  let res = await api.post("/api/v1/dead-letters/requeue", {
    data: Buffer.from("{not json"),
    headers: { ...sameSite, "content-type": "application/json" },
  });
  expect(res.status()).toBe(400);
  expect((await res.json()).error.message).toMatch(/JSON/);
  res = await post(api, "/api/v1/dead-letters/requeue", { scope: "some" });
  expect(res.status()).toBe(400);
  res = await post(api, "/api/v1/dead-letters/requeue", { scope: "ids", queue: q, ids: [] });
  expect(res.status()).toBe(400);
  expect((await res.json()).error.message).toMatch(/ids/);
  res = await post(api, "/api/v1/dead-letters/requeue", { scope: "ids", queue: "no-such-queue", ids: ["1"] });
  expect(res.status()).toBe(404);

  res = await post(api, "/api/v1/dead-letters/requeue", { scope: "ids", queue: q, ids: [a] });
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ mode: "inline", action: "requeue", done: 1, gone: 0 });
  res = await post(api, "/api/v1/dead-letters/requeue", { scope: "ids", queue: q, ids: [a] });
  expect(await res.json()).toEqual({ mode: "inline", action: "requeue", done: 0, gone: 1 });

  res = await post(api, "/api/v1/dead-letters/delete", { scope: "filter", filters: { queue: q, q: "y" } });
  expect(res.status()).toBe(200);
  const del = await res.json();
  expect(del.action).toBe("delete");
  res = await post(api, "/api/v1/dead-letters/delete", {
    scope: "filter",
    filters: { queue: q, range: "1y" },
  });
  expect(res.status()).toBe(400);

  res = await post(api, `/api/v1/dead-letters/${q}/${b}/requeue`, { notPayload: 1 });
  expect(res.status()).toBe(400);
  res = await post(api, `/api/v1/dead-letters/${q}/no-such-id/requeue`, { payload: { x: 1 } });
  expect(res.status()).toBe(404);
  res = await post(api, `/api/v1/dead-letters/${q}/${b}/requeue`, { payload: { fixed: true } });
  expect(res.status()).toBe(200);
  void c;
});

test("export: JSON and CSV of a filter; bad format and unknown queue", async ({ request }) => {
  const api = await apiAs(request, "admin");
  const csv = await api.get(`/api/v1/dead-letters/export?format=csv&queue=${queue}`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.text()).trim().split("\n")).toHaveLength(5);
  const json = await api.get(`/api/v1/dead-letters/export?queue=${queue}&q=bad`);
  expect(json.status()).toBe(200);
  expect(await json.json()).toHaveLength(2);
  await expectStatus(api, `/api/v1/dead-letters/export?format=xml`, 400, /format/);
  await expectStatus(api, `/api/v1/dead-letters/export?queue=no-such-queue`, 404);
});

test("bulk: progress, cancel, unknown and invalid ids", async ({ request }) => {
  const api = await apiAs(request, "admin");
  const q = uniqueQueue("api-bulk");
  await seedDeadLetters(
    q,
    Array.from({ length: 6 }, (_, i) => ({ error: `e${i}` })),
    1,
  );
  // A rate limit always makes a bulk operation: 1 per second keeps it running for a while.
  const res = await post(api, "/api/v1/dead-letters/requeue", { scope: "all", queue: q, rateLimit: 1 });
  expect(res.status()).toBe(200);
  const started = await res.json();
  expect(started).toMatchObject({ mode: "bulk", action: "requeue" });
  const progress = await (await expectStatus(api, `/api/v1/bulk/${started.bulkId}`, 200)).json();
  expect(progress).toMatchObject({ opId: started.bulkId, action: "requeue", state: "running" });

  const cancel = await post(api, `/api/v1/bulk/${started.bulkId}/cancel`, {});
  expect(cancel.status()).toBe(200);
  await expect
    .poll(async () => (await (await api.get(`/api/v1/bulk/${started.bulkId}`)).json()).state, {
      timeout: 10_000,
    })
    .toBe("cancelled");
  expect((await post(api, `/api/v1/bulk/${started.bulkId}/cancel`, {})).status()).toBe(409);

  await expectStatus(api, `/api/v1/bulk/${randomUUID()}`, 404);
  await expectStatus(api, `/api/v1/bulk/not-an-id`, 400, /id/);
  expect((await post(api, `/api/v1/bulk/${randomUUID()}/cancel`, {})).status()).toBe(404);
  expect((await post(api, `/api/v1/bulk/not-an-id/cancel`, {})).status()).toBe(400);
});

test("roles: anonymous gets 401, a viewer reads but gets 403 on every mutation", async ({ playwright }) => {
  const anonymous = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
  expect((await anonymous.get("/api/v1/dead-letters")).status()).toBe(401);
  expect((await anonymous.get("/api/v1/queues")).status()).toBe(401);
  await anonymous.dispose();

  const ctx = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
  const viewer = await apiAs(ctx, "viewer");
  await expectStatus(viewer, `/api/v1/dead-letters?queue=${queue}`, 200);
  for (const [path, body] of [
    ["/api/v1/dead-letters/requeue", { scope: "ids", queue, ids: [ids[0]] }],
    ["/api/v1/dead-letters/delete", { scope: "ids", queue, ids: [ids[0]] }],
    [`/api/v1/dead-letters/${queue}/${ids[0]}/requeue`, { payload: {} }],
    [`/api/v1/bulk/${randomUUID()}/cancel`, {}],
  ] as const) {
    expect((await post(viewer, path, body)).status(), path).toBe(403);
  }
  // Exports carry unmasked payloads: admins only.
  expect((await viewer.get(`/api/v1/dead-letters/export?queue=${queue}`)).status()).toBe(403);
  // Nothing changed.
  expect(await (await viewer.get(`/api/v1/dead-letters/count?queue=${queue}`)).json()).toMatchObject({
    count: 4,
  });
  await ctx.dispose();
});
