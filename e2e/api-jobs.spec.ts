/**
 * Jobs added over HTTP (POST /api/v1/queues/{queue}/jobs) and what handlers report
 * (GET /api/v1/queues/{queue}/jobs/{id}/logs, the dead-letter page): one job, a batch, the
 * library's refusals as 400 naming the field and 413, who may call it (admin and producer
 * tokens; viewers get 403), and a producer token that can do nothing else. Jobs are checked in
 * the e2e Redis with lib/queue; the reporting handler is a real lib/queue consumer.
 */
import { type APIRequestContext, expect, request as playwrightRequest, test } from "@playwright/test";
import { getDeadLetter } from "../lib/dlq/index.ts";
import { createQueue } from "../lib/queue/index.ts";
import { queueSizes } from "../lib/queue/stats.ts";
import { queueKeys } from "../lib/redis/keys.ts";
import { E2E_BASE_URL, e2eClient } from "./env.ts";
import { apiAs, bearer, bearerFor, signIn } from "./helpers/auth.ts";
import { purgeSeeded, uniqueQueue } from "./helpers/seed.ts";

const sameSite = { origin: E2E_BASE_URL };
test.afterAll(purgeSeeded);

const jobsOf = (queue: string) => `/api/v1/queues/${queue}/jobs`;
const add = (api: APIRequestContext, queue: string, data: unknown, headers: Record<string, string> = {}) =>
  api.post(jobsOf(queue), { data, headers: { ...sameSite, ...headers } });

async function stored(queue: string, id: string) {
  const client = e2eClient();
  try {
    return await client.hgetall(queueKeys(queue).job(id));
  } finally {
    await client.quit();
  }
}

async function sizes(queue: string) {
  const client = e2eClient();
  try {
    return await queueSizes(client, queue);
  } finally {
    await client.quit();
  }
}

test("an admin adds one job, then a batch; an existing id is not added twice", async ({ request }) => {
  const api = await apiAs(request, "admin");
  const queue = uniqueQueue("http-add");
  const one = await add(api, queue, { data: { invoice: 7 }, jobId: "inv-7", metadata: { by: "billing" } });
  expect(one.status()).toBe(201);
  expect(await one.json()).toEqual({ id: "inv-7", added: true });
  const hash = await stored(queue, "inv-7");
  expect(JSON.parse(hash.payload)).toEqual({ invoice: 7 });
  expect(JSON.parse(hash.meta)).toEqual({ by: "billing" });

  const again = await add(api, queue, { data: { invoice: 8 }, jobId: "inv-7" });
  expect(await again.json()).toEqual({ id: "inv-7", added: false });
  expect(JSON.parse((await stored(queue, "inv-7")).payload)).toEqual({ invoice: 7 });

  const batch = await add(api, queue, {
    jobs: [{ data: 1 }, { data: "two", maxAttempts: 5 }, { data: [3], delayMs: 60_000 }],
  });
  expect(batch.status()).toBe(201);
  const { jobs } = await batch.json();
  expect(jobs).toHaveLength(3);
  expect(jobs.every((j: { added: boolean }) => j.added)).toBe(true);
  expect((await stored(queue, jobs[1].id)).max).toBe("5");
  expect(await sizes(queue)).toMatchObject({ ready: 3, retry: 1 });

  // audited: who added, to which queue, how many
  const audit = await (await api.get(`/api/v1/audit?action=jobs.add&target=${queue}`)).json();
  expect(audit.entries.map((e: { count: number; actor: string }) => [e.count, e.actor])).toEqual([
    [3, "admin@e2e.test"],
    [0, "admin@e2e.test"],
    [1, "admin@e2e.test"],
  ]);
});

test("bad jobs answer 400 naming the field (nothing is added), a large payload 413", async ({ request }) => {
  const api = await apiAs(request, "admin");
  const queue = uniqueQueue("http-bad");
  const refused = async (body: unknown, status: number, message: RegExp) => {
    const res = await add(api, queue, body);
    expect(res.status(), JSON.stringify(body).slice(0, 80)).toBe(status);
    expect((await res.json()).error.message).toMatch(message);
  };
  await refused({ data: 1, jobId: "123" }, 400, /^body: jobId must not be all digits/);
  await refused({ jobs: [{ data: 1 }, { data: 2, maxAttempts: 0 }] }, 400, /^body\.jobs\.1: maxAttempts/);
  await refused({ data: 1, delayMs: -5 }, 400, /delayMs must be a number >= 0/);
  await refused({ data: 1, maxAttempts: "3" }, 400, /maxAttempts/);
  await refused({ data: 1, colour: "red" }, 400, /colour/);
  await refused({ jobId: "no-data" }, 400, /data/);
  await refused({ jobs: [] }, 400, /jobs/);
  await refused({ jobs: Array.from({ length: 1001 }, () => ({ data: 0 })) }, 400, /jobs/);
  await refused(
    { data: "x".repeat(600 * 1024) },
    413,
    /^body: payload is \d+ bytes, over the limit of 524288/,
  );
  await refused({ jobs: [{ data: 1 }, { data: "x".repeat(600 * 1024) }] }, 413, /^body\.jobs\.1: payload/);
  expect(await sizes(queue)).toMatchObject({ ready: 0, retry: 0 });
});

test("viewers may not add jobs; a producer token adds them and may do nothing else", async ({
  request,
  page,
}) => {
  const queue = uniqueQueue("http-producer");
  const viewer = await apiAs(request, "viewer");
  expect((await add(viewer, queue, { data: 1 })).status()).toBe(403);
  const viewerToken = await bearerFor("viewer", "jobs-viewer");
  expect((await add(request, queue, { data: 1 }, bearer(viewerToken).headers)).status()).toBe(403);

  const producer = bearer(await bearerFor("producer", "jobs-producer")).headers;
  const res = await add(request, queue, { data: { from: "a service" } }, producer);
  expect(res.status()).toBe(201);
  expect((await sizes(queue)).ready).toBe(1);
  for (const path of [
    "/api/v1/queues",
    `/api/v1/queues/${queue}`,
    "/api/v1/dead-letters",
    `/api/v1/queues/${queue}/jobs/${(await res.json()).id}/logs`,
    "/api/v1/tokens",
  ]) {
    expect((await request.get(path, { headers: producer })).status(), path).toBe(403);
  }
  const requeue = await request.post("/api/v1/dead-letters/requeue", {
    data: { scope: "all" },
    headers: { ...sameSite, ...producer },
  });
  expect(requeue.status()).toBe(403);
  // pages need a signed-in session: a token is none (a context without the viewer's cookie)
  const fresh = await playwrightRequest.newContext({ baseURL: E2E_BASE_URL });
  const home = await fresh.get("/", { headers: producer, maxRedirects: 0 });
  expect(home.status()).toBe(307);
  expect(home.headers().location).toMatch(/\/login/);
  await fresh.dispose();

  // Settings offers the role
  await signIn(page, "admin", "/settings");
  await expect(page.getByLabel("Token role").locator("option[value=producer]")).toHaveCount(1);
});

test("a handler's progress and logs: live over the API, kept with its dead letter, shown on its page", async ({
  request,
  page,
}) => {
  const queue = uniqueQueue("http-logs");
  const client = e2eClient();
  const q = createQueue(queue, { client });
  let release = false;
  q.process(
    async (job) => {
      job.progress({ step: "render", page: 3 });
      job.log("fetched the template");
      job.log("rendering with api_key=sk_live_0123456789abcdefghij");
      while (!release) await new Promise((r) => setTimeout(r, 20));
      job.progress(60);
      job.log("mailer refused the message");
      throw new Error("mailer down");
    },
    { pollMs: 20, onError: () => {} },
  );
  try {
    const { id } = await q.add({ to: "someone" }, { maxAttempts: 1 });
    const viewer = await apiAs(request, "viewer");
    const logs = `/api/v1/queues/${queue}/jobs/${id}/logs`;
    await expect
      .poll(async () => (await (await viewer.get(logs)).json()).lines?.length ?? 0, { timeout: 15_000 })
      .toBe(2);
    const live = await (await viewer.get(logs)).json();
    expect(live.progress).toEqual({ step: "render", page: 3 });
    expect(live.lines[1].text).toContain("[REDACTED]");
    expect(live.lines[1].text).not.toContain("sk_live");
    expect(live).toMatchObject({ total: 2, next: "3", more: false });
    const next = await (await viewer.get(`${logs}?cursor=2&limit=1`)).json();
    expect(next.lines.map((l: { n: number }) => l.n)).toEqual([2]);
    expect((await viewer.get(`${logs}?limit=0`)).status()).toBe(400);
    expect((await viewer.get(`/api/v1/queues/${queue}/jobs/nope/logs`)).status()).toBe(404);

    release = true;
    await expect
      .poll(async () => (await getDeadLetter(client, queue, id).catch(() => null))?.report?.total ?? 0, {
        timeout: 15_000,
      })
      .toBe(3);

    for (const width of [1280, 390]) {
      await page.setViewportSize(width === 390 ? { width: 390, height: 844 } : { width: 1280, height: 900 });
      if (width === 1280) await signIn(page, "admin", `/dead-letters/${queue}/${id}`);
      else await page.goto(`/dead-letters/${queue}/${id}`);
      const report = page.getByTestId("handler-report");
      await expect(report.getByTestId("job-log").locator("li")).toHaveCount(3);
      await expect(report.getByTestId("job-log")).toContainText("mailer refused the message");
      await expect(report.getByLabel("Progress")).toHaveAttribute("value", "60");
      await report.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `.data/screens/handler-report-${width}.png`, fullPage: true });
    }
  } finally {
    await q.close(2000);
    await client.quit();
  }
});
