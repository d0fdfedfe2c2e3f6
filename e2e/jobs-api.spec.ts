/**
 * The jobs-by-state API against the built app and real jobs (added with lib/queue, completed by
 * a real consumer): each state's page, one job in any state, find by id across queues, and the
 * four actions with their edge cases — a job in another state answers 409 with `state`, an
 * unknown id 404, bad input 400 naming the field; a viewer reads masked payloads and may not act.
 */
import { type APIRequestContext, expect, test } from "@playwright/test";
import { deadKeys, extendKeys } from "../lib/queue/context.ts";
import { createQueue } from "../lib/queue/index.ts";
import { runScript } from "../lib/queue/scripts.ts";
import { E2E_BASE_URL, e2eClient, e2eConfig } from "./env.ts";
import { apiAs } from "./helpers/auth.ts";
import { purgeSeeded, uniqueQueue } from "./helpers/seed.ts";

const sameSite = { origin: E2E_BASE_URL };
let queue: string;

test.afterAll(purgeSeeded);

/** waiting w1 w2 · scheduled d1 · completed c-kept (payload kept), c-bare · active orphan. */
test.beforeAll(async () => {
  queue = uniqueQueue("jobs");
  const client = e2eClient();
  const kept = createQueue(queue, { client, config: e2eConfig({ COMPLETED_KEEP_PAYLOAD: "true" }) });
  const bare = createQueue(queue, { client, config: e2eConfig() });
  try {
    await kept.add({ n: "kept" }, { jobId: "c-kept" });
    let c = kept.process(async () => {}, { pollMs: 20 });
    await expect.poll(() => client.zscore(kept.ctx.keys.completed, "c-kept")).not.toBeNull();
    await c.close();
    await bare.add({ n: "bare" }, { jobId: "c-bare" });
    c = bare.process(async () => {}, { pollMs: 20 });
    await expect.poll(() => client.zscore(bare.ctx.keys.completed, "c-bare")).not.toBeNull();
    await c.close();
    await bare.add({ n: "orphan" }, { jobId: "orphan" });
    const s = bare.ctx.settings;
    // a consumer that leased it, beat once (every 1 ms) and stopped: orphaned long before its
    // 60 s lease runs out, so the app's worker does not reclaim it first
    const lease = ["gone-consumer", 1, 60_000, 0, s.dlqRetentionMs, 0];
    await runScript(client, "lease", deadKeys(bare.ctx.keys), lease);
    const beat = ["gone-consumer", 60_000, "1 4242 gone-host", "orphan", 1];
    await runScript(client, "extend", extendKeys(bare.ctx.keys), beat);
    await bare.add({ email: "ann@example.com", n: 1 }, { jobId: "w1" });
    await bare.add({ n: 2 }, { jobId: "w2" });
    await bare.add({ n: 3 }, { jobId: "d1", delayMs: 600_000 });
  } finally {
    await client.quit();
  }
});

async function get(api: APIRequestContext, path: string, status: number) {
  const res = await api.get(path);
  expect(res.status(), `GET ${path}`).toBe(status);
  return res.json();
}

async function post(api: APIRequestContext, path: string, status: number) {
  const res = await api.post(path, { headers: sameSite });
  expect(res.status(), `POST ${path}`).toBe(status);
  return res.json();
}

test("each state's page; bad state, limit and cursor are 400 naming the field; unknown queue 404", async ({
  request,
}) => {
  const api = await apiAs(request, "admin");
  const base = `/api/v1/queues/${queue}/jobs`;
  const waiting = await get(api, `${base}?state=waiting&limit=1`, 200);
  expect(waiting).toMatchObject({ state: "waiting", total: 2, items: [{ id: "w1", position: 0 }] });
  const next = await get(api, `${base}?state=waiting&limit=1&cursor=${waiting.nextCursor}`, 200);
  expect(next.items.map((i: { id: string }) => i.id)).toEqual(["w2"]);
  const active = await get(api, `${base}?state=active`, 200);
  expect(active.items[0]).toMatchObject({
    id: "orphan",
    consumer: { id: "gone-consumer", host: "gone-host", pid: 4242 },
    lease: "orphaned",
  });
  const scheduled = await get(api, `${base}?state=scheduled`, 200);
  expect(scheduled.items[0]).toMatchObject({ id: "d1", kind: "delayed" });
  const completed = await get(api, `${base}?state=completed`, 200);
  expect(completed.items.map((i: { id: string }) => i.id)).toEqual(["c-bare", "c-kept"]);
  expect(completed.items[1]).toMatchObject({ payloadKept: true, attempts: 1 });

  expect((await get(api, `${base}?state=sleeping`, 400)).error.message).toMatch(/state/);
  expect((await get(api, `${base}?state=waiting&limit=101`, 400)).error.message).toMatch(/limit/);
  expect((await get(api, `${base}?state=active&cursor=nonsense`, 400)).error.message).toMatch(/cursor/);
  await get(api, "/api/v1/queues/no-such-queue/jobs?state=waiting", 404);
});

test("one job in any state; find by id across queues; 404 when no state has it", async ({ request }) => {
  const api = await apiAs(request, "admin");
  expect(await get(api, `/api/v1/queues/${queue}/jobs/w1`, 200)).toMatchObject({
    state: "waiting",
    payload: { email: "ann@example.com" },
    waiting: { position: 0 },
  });
  expect(await get(api, `/api/v1/queues/${queue}/jobs/c-bare`, 200)).toMatchObject({
    state: "completed",
    completed: { payloadKept: false },
  });
  await get(api, `/api/v1/queues/${queue}/jobs/nobody`, 404);
  const found = await get(api, "/api/v1/jobs/d1", 200);
  expect(found.matches).toContainEqual({ queue, state: "scheduled" });
  await get(api, "/api/v1/jobs/no-such-job-in-any-queue", 404);
});

test("a viewer reads payloads masked and may not act", async ({ request }) => {
  const api = await apiAs(request, "viewer");
  const job = await get(api, `/api/v1/queues/${queue}/jobs/w1`, 200);
  expect(job.payload.email).not.toBe("ann@example.com");
  expect(job.payload.n).toBe(1);
  await post(api, `/api/v1/queues/${queue}/jobs/d1/promote`, 403);
});

test("actions: idempotent, 409 with the current state, 404 for an unknown id", async ({ request }) => {
  const api = await apiAs(request, "admin");
  const at = (id: string, action: string) => `/api/v1/queues/${queue}/jobs/${id}/${action}`;
  expect(await post(api, at("d1", "promote"), 200)).toMatchObject({ changed: true, state: "waiting" });
  expect(await post(api, at("d1", "promote"), 200)).toMatchObject({ changed: false, state: "waiting" });
  const moved = await post(api, at("c-kept", "promote"), 409);
  expect(moved.error.details).toEqual({ state: "completed" });

  expect(await post(api, at("w2", "delete"), 200)).toMatchObject({ changed: true, state: "deleted" });
  await post(api, at("w2", "delete"), 404);

  expect(await post(api, at("orphan", "reclaim"), 200)).toMatchObject({ changed: true, state: "waiting" });

  expect(await post(api, at("c-kept", "requeue"), 200)).toMatchObject({ changed: true, state: "waiting" });
  expect(await get(api, `/api/v1/queues/${queue}/jobs/c-kept`, 200)).toMatchObject({
    payload: { n: "kept" },
  });
  const bare = await post(api, at("c-bare", "requeue"), 409);
  expect(bare.error).toMatchObject({
    details: { state: "completed" },
    message: expect.stringMatching(/COMPLETED_KEEP_PAYLOAD/),
  });
  await post(api, at("nobody", "requeue"), 404);
});
