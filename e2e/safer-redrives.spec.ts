/**
 * Safer redrives (issue 15), against the built console with real consumers in this process:
 * - a canary redrive whose jobs fail again stops, says so, and lists them (linked), leaving the
 *   rest of the DLQ untouched;
 * - a canary redrive whose jobs complete shows it waiting, then passes and requeues the rest;
 * - a text search that stops at its read budget says "searched N of M" with a Continue button,
 *   never "Nothing matches these filters" with a Next button, and Continue finds the match;
 * - the near-cap alert (DLQ_MAX_ENTRIES is set by e2e/serve.ts) fires on the alerts page when its
 *   threshold is set below the fullest DLQ's share of the cap.
 */
import { expect, type Page, test } from "@playwright/test";
import { seedDeadLetters as seedFast } from "../test/harness/dead-letters.ts";
import { E2E_BASE_URL, e2eClient } from "./env.ts";
import { apiAs, signIn } from "./helpers/auth.ts";
import {
  purgeSeeded,
  seedDeadLetters,
  sizesOf,
  startFailingConsumer,
  startSucceedingConsumer,
  uniqueQueue,
} from "./helpers/seed.ts";

async function open(page: Page, path: string) {
  await page.goto(path);
  await page.locator("html[data-hydrated]").waitFor();
}

const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `test-results/screenshots/${name}-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
};

/** "Requeue all matching" on the queue's 12 dead letters, with a canary of 4 needing 75 %. */
async function askCanaryOf12(page: Page, queue: string) {
  await open(page, `/dead-letters?queue=${queue}`);
  await page.getByTestId("requeue-all").click();
  await expect(page.getByTestId("confirm-text")).toContainText(`Requeue 12 dead letters of \`${queue}\``);
  await page.getByTestId("canary-on").check();
  await page.getByTestId("canary-count").fill("4");
  await page.getByTestId("canary-min-success").fill("75");
}

test.afterAll(async ({ request }) => {
  await purgeSeeded();
  const api = await apiAs(request, "admin");
  const res = await api.delete("/api/v1/alerts/thresholds/dlq_near_cap", {
    headers: { origin: E2E_BASE_URL },
  });
  expect(res.status()).toBe(200);
});

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "admin");
});

test("a canary redrive whose jobs fail again stops, lists them with links, and leaves the rest", async ({
  page,
}) => {
  const queue = uniqueQueue("canary");
  await seedDeadLetters(
    queue,
    Array.from({ length: 12 }, (_, i) => ({ error: `report ${i} has no rows` })),
    1,
  );
  // the fix did not work: every requeued job fails again
  const consumer = await startFailingConsumer(queue, (d) => `report ${d.n} still has no rows`, 1);
  try {
    await askCanaryOf12(page, queue);
    await expect(page.getByTestId("confirm-text")).toContainText(
      "First 4 as a canary; the rest only if at least 3 of them (75 %) complete.",
    );
    await shot(page, "canary-confirm");
    await page.getByTestId("confirm-bulk-go").click();

    const progress = page.getByTestId("bulk-progress");
    await expect(progress).toHaveAttribute("data-state", "stopped", { timeout: 30_000 });
    const status = page.getByTestId("canary-status");
    await expect(status).toHaveAttribute("data-verdict", "fail");
    await expect(status).toContainText("Canary failed");
    await expect(status).toContainText("the rest was left in the DLQ");
    const failed = page.getByTestId("canary-failed").locator("li");
    // two failures of four already rule out 75 %
    expect(await failed.count()).toBeGreaterThanOrEqual(2);
    await expect(failed.first()).toContainText(/still has no rows/);
    const href = await failed.first().getByRole("link").getAttribute("href");
    expect(href).toMatch(new RegExp(`^/dead-letters/${queue}/`));
    await expect(page.getByTestId("bulk-outcome")).toContainText(
      "Stopped by the canary after 4 of 12: 4 requeued",
    );
    await shot(page, "canary-stopped");

    // the 8 outside the canary were never requeued; the canary's 4 come back as they fail
    await expect.poll(async () => (await sizesOf(queue)).dead, { timeout: 15_000 }).toBe(12);
    // "Requeue group" offers the same canary in its confirmation, which names the group in full
    await page.getByTestId("bulk-progress").getByRole("button", { name: "Close" }).click();
    await page.getByTestId("tab-groups").click();
    const group = page.getByTestId("group-row").filter({ hasText: "still has no rows" }).first();
    await group.getByTestId("requeue").click();
    const confirm = page.getByTestId("confirm-group");
    await expect(confirm.getByTestId("confirm-text")).toContainText(`of ${queue} in error group`);
    await confirm.getByTestId("canary-on").check();
    // the group holds the 4 that failed again: a canary of 10 is those 4
    await expect(confirm.getByTestId("confirm-text")).toContainText(
      "First 4 as a canary; the rest only if at least 4 of them (90 %) complete.",
    );
    await expect(page.getByTestId("confirm-group-go")).toHaveText("Requeue 4 first (canary)");
    await shot(page, "canary-group-confirm");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(confirm).toHaveCount(0);

    // each failed-again entry links to its dead letter
    await page.goto(href!);
    await expect(page.getByTestId("dead-letter-detail")).toBeVisible();
  } finally {
    await consumer.stop();
  }
});

test("a canary redrive whose jobs complete shows its progress, passes, and requeues the rest", async ({
  page,
}) => {
  const queue = uniqueQueue("canarypass");
  const ids = await seedDeadLetters(
    queue,
    Array.from({ length: 12 }, (_, i) => ({ error: `invoice ${i} could not be rendered` })),
    1,
  );
  await askCanaryOf12(page, queue);
  await page.getByTestId("confirm-bulk-go").click();

  // No consumer yet: the canary's 4 wait in the queue, and the page says so.
  const progress = page.getByTestId("bulk-progress");
  const status = page.getByTestId("canary-status");
  await expect(status).toHaveAttribute("data-phase", "waiting", { timeout: 30_000 });
  await expect(status).toHaveAttribute("data-verdict", "waiting");
  await expect(status).toContainText("Phase: waiting for the canary");
  await expect(status).toContainText("Canary: 4 requeued first, waiting for their outcome (0 of 4 succeeded");
  await expect(page.getByTestId("bulk-counts")).toContainText("4 of 12 processed");
  await expect.poll(async () => (await sizesOf(queue)).dead).toBe(8);
  await shot(page, "canary-waiting");

  // The fix works: a real consumer (lib/queue, in this process) completes every job it is given.
  const consumer = await startSucceedingConsumer(queue);
  try {
    await expect(progress).toHaveAttribute("data-state", "done", { timeout: 60_000 });
    await expect(status).toHaveAttribute("data-verdict", "pass");
    await expect(status).toContainText(
      "Canary passed (4 of 4 succeeded, 75 % needed): the rest was requeued",
    );
    await expect(page.getByTestId("bulk-counts")).toContainText("12 of 12 processed");
    await expect(page.getByTestId("bulk-outcome")).toHaveText("12 requeued");
    await expect(page.getByTestId("canary-failed")).toHaveCount(0);
    await shot(page, "canary-passed");
    // every job ran once more and completed: the DLQ of the queue is empty
    await expect.poll(() => consumer.seen.size, { timeout: 30_000 }).toBe(12);
    expect([...consumer.seen.keys()].sort()).toEqual([...ids].sort());
    const sizes = await sizesOf(queue);
    expect(sizes.dead).toBe(0);
  } finally {
    await consumer.stop();
  }
});

test("a text search that stops at its read budget says how far it got and continues, never 'nothing matches'", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const queue = uniqueQueue("search");
  const client = e2eClient();
  try {
    // the only match is the oldest entry, behind 2,500 that do not match
    const now = Date.now();
    await seedFast(client, queue, [
      { id: "needle", message: "rare needle in the stack", deadAt: now - 10_000_000 },
      ...Array.from({ length: 2500 }, (_, i) => ({
        id: `hay${i}`,
        message: "plain hay",
        deadAt: now - i * 10,
      })),
    ]);
  } finally {
    await client.quit();
  }
  await open(page, `/dead-letters?queue=${queue}&q=needle`);
  const stopped = page.getByTestId("search-stopped");
  await expect(stopped).toBeVisible();
  await expect(page.getByTestId("search-total")).toHaveText("2,501");
  await expect(stopped).toContainText("no match yet");
  await expect(page.getByText("Nothing matches these filters")).toHaveCount(0);
  await expect(page.getByTestId("next-page")).toHaveCount(0);
  await shot(page, "search-stopped");

  // Continue until the match shows; each continue must search further (a page's budget is partly
  // time, so how far one page gets varies with the machine's load)
  const rows = page.getByTestId("dead-letter-row");
  const searchedNow = async () => {
    // allTextContents does not wait: the note may be gone by now (the match was found)
    const [text] = await page.getByTestId("search-searched").allTextContents();
    return text === undefined ? null : Number(text.replace(/,/g, ""));
  };
  const searched: number[] = [];
  for (let i = 0; i < 60 && (await rows.count()) === 0; i++) {
    const before = (await searchedNow()) ?? 0;
    searched.push(before);
    await page.getByTestId("search-continue").click();
    await expect
      .poll(async () => (await rows.count()) > 0 || ((await searchedNow()) ?? 0) > before, {
        timeout: 30_000,
      })
      .toBe(true);
    await expect(page.getByText("Nothing matches these filters")).toHaveCount(0);
  }
  await expect(page.getByTestId("dead-letter-row")).toHaveCount(1);
  await expect(page.getByTestId("dead-letter-row")).toContainText("rare needle");
  // each continue searched further
  expect(searched.length).toBeGreaterThan(0);
  expect(searched).toEqual([...searched].sort((a, b) => a - b));
});

test("the near-cap alert fires in the console when the fullest DLQ is over its share of DLQ_MAX_ENTRIES", async ({
  page,
}) => {
  const queue = uniqueQueue("nearcap");
  await seedDeadLetters(queue, [{ error: "one for the cap" }], 1);
  await open(page, "/alerts");
  const row = page.getByTestId("alert-row-dlq_near_cap");
  await expect(row).toBeVisible();
  await expect(row).toContainText("DLQ near its cap");
  await expect(row).toHaveAttribute("data-state", "ok");
  // a share of the cap any DLQ is over (1 of 100,000 is 0.001 %)
  await page.getByTestId("threshold-input-dlq_near_cap").fill("0");
  await page.getByTestId("thresholds-save").click();
  await expect(row).toHaveAttribute("data-state", "firing");
  await expect(page.getByTestId("alert-history")).toContainText("DLQ near its cap");
  await shot(page, "alerts-near-cap");
  expect((await sizesOf(queue)).dead).toBeGreaterThanOrEqual(1);
});

test("the API validates the canary with zod: refused on delete, out of range named, nothing changes", async ({
  request,
}) => {
  const queue = uniqueQueue("canaryapi");
  await seedDeadLetters(queue, [{ error: "a" }, { error: "b" }], 1);
  const api = await apiAs(request, "admin");
  const headers = { origin: E2E_BASE_URL };
  const del = await api.post("/api/v1/dead-letters/delete", {
    data: { scope: "all", queue, canary: { count: 1 } },
    headers,
  });
  expect(del.status()).toBe(400);
  expect(JSON.stringify(await del.json())).toContain("canary");
  const bad = await api.post("/api/v1/dead-letters/requeue", {
    data: { scope: "group", queue, fingerprint: "abc", canary: { count: 0, minSuccess: 2 } },
    headers,
  });
  expect(bad.status()).toBe(400);
  const body = JSON.stringify(await bad.json());
  expect(body).toContain("canary.count");
  expect(body).toContain("canary.minSuccess");
  expect((await sizesOf(queue)).dead).toBe(2);
  // a valid canary always runs in the background, even for two entries
  const ok = await api.post("/api/v1/dead-letters/requeue", {
    data: { scope: "all", queue, canary: { count: 1, minSuccess: 1, timeoutSeconds: 1 } },
    headers,
  });
  expect(ok.status()).toBe(200);
  const started = await ok.json();
  expect(started).toMatchObject({ mode: "bulk", action: "requeue" });
  // nothing runs the jobs here: the canary is undecided after its timeout and the rest stays
  await expect
    .poll(async () => (await (await api.get(`/api/v1/bulk/${started.bulkId}`)).json()).state, {
      timeout: 20_000,
    })
    .toBe("stopped");
  const p = await (await api.get(`/api/v1/bulk/${started.bulkId}`)).json();
  expect(p.canary).toMatchObject({ verdict: "undecided", watched: 1 });
  expect((await sizesOf(queue)).dead).toBe(1);
});
