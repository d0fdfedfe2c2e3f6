/**
 * Pausing a queue while it runs: a producer adds a job every 100 ms and a real consumer (lib/queue,
 * in this process, on the e2e Redis) runs them. An admin pauses the queue from its page (with a
 * confirmation), sees the "paused" badge there and on the overview, the waiting count grow and no
 * job start; resumes, and every job completes. A viewer sees the badge but no button, and the
 * API answers 403; the API itself is idempotent, audited and 404s an unknown queue.
 */
import { expect, type Page, test } from "@playwright/test";
import { createQueue } from "../lib/queue/index.ts";
import { E2E_BASE_URL, e2eClient } from "./env.ts";
import { apiAs, signIn } from "./helpers/auth.ts";
import { purgeSeeded, uniqueQueue } from "./helpers/seed.ts";

const sameSite = { headers: { origin: E2E_BASE_URL } };

async function open(page: Page, path: string) {
  await page.goto(path);
  await page.locator("html[data-hydrated]").waitFor();
}

async function shots(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `test-results/screenshots/${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** A producer adding a job every 100 ms and a consumer running them, recording each start. */
function traffic(queue: string) {
  const client = e2eClient();
  const q = createQueue(queue, { client });
  const starts: number[] = [];
  const done = new Set<string>();
  const added: string[] = [];
  q.process(
    async (job) => {
      starts.push(Date.now());
      await new Promise((r) => setTimeout(r, 50));
      done.add(job.id);
    },
    { concurrency: 2, onError: () => {} },
  );
  const timer = setInterval(() => {
    void q.add({ at: Date.now() }).then((r) => added.push(r.id));
  }, 100);
  return {
    starts,
    done,
    added,
    stopAdding: () => clearInterval(timer),
    async stop() {
      clearInterval(timer);
      await q.close(2000);
      await client.quit();
    },
  };
}

const sizeOf = async (page: Page, state: string) =>
  Number((await page.getByTestId(`size-${state}`).locator(".value").textContent())?.replace(/\D/g, ""));

test.afterAll(purgeSeeded);

test("an admin pauses a running queue: waiting grows, nothing starts; resume runs every job", async ({
  page,
}) => {
  test.setTimeout(180_000); // traffic before, during and after the pause, on a shared machine
  const queue = uniqueQueue("pause");
  const t = traffic(queue);
  try {
    await expect.poll(() => t.done.size, { timeout: 15_000 }).toBeGreaterThan(5);
    await signIn(page, "admin");
    await open(page, `/queues/${queue}`);
    await expect(page.getByTestId("paused-badge")).toHaveCount(0);

    await page.getByTestId("pause-queue").click();
    await expect(page.getByTestId("confirm-text")).toContainText("Consumers stop starting jobs");
    await page.getByTestId("confirm").click();
    await expect(page.getByTestId("paused-badge")).toBeVisible();
    const pauseSeen = Date.now(); // the pause returned before the page showed it
    await expect(page.getByTestId("resume-queue")).toBeVisible();

    // the waiting count grows while nothing starts
    const waiting = await sizeOf(page, "ready");
    await expect.poll(() => sizeOf(page, "ready"), { timeout: 20_000 }).toBeGreaterThan(waiting + 5);
    await expect.poll(() => sizeOf(page, "active"), { timeout: 10_000 }).toBe(0);
    expect(t.starts.filter((at) => at > pauseSeen + 1000)).toEqual([]);
    await shots(page, "queue-paused");

    await open(page, "/");
    await expect(
      page.locator(`[data-testid="queue-card"][data-queue="${queue}"]`).getByTestId("paused-badge"),
    ).toBeVisible();
    await shots(page, "overview-paused");

    await open(page, `/queues/${queue}`);
    const startsBefore = t.starts.length;
    await page.getByTestId("resume-queue").click(); // resuming asks nothing
    await expect(page.getByTestId("paused-badge")).toHaveCount(0);
    await expect(page.getByTestId("pause-queue")).toBeVisible();
    await expect.poll(() => t.starts.length, { timeout: 10_000 }).toBeGreaterThan(startsBefore);
    t.stopAdding();
    await expect.poll(() => t.added.every((id) => t.done.has(id)), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => sizeOf(page, "ready"), { timeout: 10_000 }).toBe(0);
  } finally {
    await t.stop();
  }
});

test("the API pauses and resumes idempotently; a viewer sees the badge, no button, and gets 403", async ({
  page,
  request,
  playwright,
}) => {
  const queue = uniqueQueue("pause-api");
  const client = e2eClient();
  await createQueue(queue, { client }).add({ n: 1 });
  await client.quit();

  const admin = await apiAs(request, "admin");
  const first = await admin.post(`/api/v1/queues/${queue}/pause`, sameSite);
  expect(first.status()).toBe(200);
  expect(await first.json()).toMatchObject({ queue, paused: true, changed: true });
  const again = await admin.post(`/api/v1/queues/${queue}/pause`, sameSite);
  expect(await again.json()).toMatchObject({ paused: true, changed: false });
  expect(await (await admin.get(`/api/v1/queues/${queue}`)).json()).toMatchObject({ paused: true });
  const listed = (await (await admin.get("/api/v1/queues?series=false")).json()) as {
    queues: { name: string; paused: boolean }[];
  };
  expect(listed.queues.find((q) => q.name === queue)?.paused).toBe(true);
  expect((await admin.post("/api/v1/queues/no-such-queue-x/pause", sameSite)).status()).toBe(404);
  expect((await admin.post("/api/v1/queues/bad%7Bname%7D/pause", sameSite)).status()).toBe(400);
  const metrics = await (await admin.get("/api/metrics")).text();
  expect(metrics).toContain(`requeue_queue_paused{queue="${queue}"} 1`);
  const audit = (await (await admin.get(`/api/v1/audit?action=queue.pause&target=${queue}`)).json()) as {
    entries: { action: string; target: string }[];
  };
  expect(audit.entries.filter((e) => e.action === "queue.pause" && e.target === queue)).toHaveLength(2);

  const viewerContext = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
  const viewer = await apiAs(viewerContext, "viewer");
  expect((await viewer.post(`/api/v1/queues/${queue}/resume`, sameSite)).status()).toBe(403);
  expect((await viewer.post(`/api/v1/queues/${queue}/pause`, sameSite)).status()).toBe(403);
  await viewerContext.dispose();

  await signIn(page, "viewer");
  await open(page, `/queues/${queue}`);
  await expect(page.getByTestId("paused-badge")).toBeVisible();
  await expect(page.getByTestId("size-ready")).toBeVisible();
  await expect(page.getByTestId("pause-queue")).toHaveCount(0);
  await expect(page.getByTestId("resume-queue")).toHaveCount(0);

  const resumed = await admin.post(`/api/v1/queues/${queue}/resume`, sameSite);
  expect(await resumed.json()).toMatchObject({ queue, paused: false, pausedAt: null, changed: true });
  expect(await (await admin.get(`/api/v1/queues/${queue}`)).json()).toMatchObject({ paused: false });
});
