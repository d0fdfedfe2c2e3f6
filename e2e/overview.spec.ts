/**
 * The overview and queues pages on real traffic, and the console through a Redis outage: the
 * banner appears on every page, the last known data stays, and everything recovers by itself.
 */
import { expect, type Page, test } from "@playwright/test";
import { createQueue } from "../lib/queue/index.ts";
import { pauseQueue, resumeQueue } from "../lib/queue/pause.ts";
import { e2eClient } from "./env.ts";
import { signIn } from "./helpers/auth.ts";
import { pauseRedis } from "./helpers/redis.ts";
import { purgeSeeded, seedDeadLetters, startSucceedingConsumer, uniqueQueue } from "./helpers/seed.ts";

async function open(page: Page, path: string) {
  await page.goto(path);
  await page.locator("html[data-hydrated]").waitFor();
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });

/** Some completed jobs so the throughput sparkline has something to draw. */
async function completeJobs(queue: string, n: number) {
  const client = e2eClient();
  const q = createQueue(queue, { client });
  try {
    await q.addBatch(Array.from({ length: n }, (_, i) => ({ data: { i } })));
  } finally {
    await q.close();
    await client.quit();
  }
  const consumer = await startSucceedingConsumer(queue);
  await expect.poll(() => consumer.seen.size, { timeout: 15_000 }).toBe(n);
  await consumer.stop();
}

test.afterAll(purgeSeeded);

test("overview shows each queue's counts, sparklines, the worker and alerts", async ({ page }) => {
  const queue = uniqueQueue("overview");
  await completeJobs(queue, 20);
  await seedDeadLetters(queue, [{ error: "boom" }, { error: "boom" }, { error: "bang" }]);
  await signIn(page, "admin");
  await open(page, "/");
  const card = page.locator(`[data-testid="queue-card"][data-queue="${queue}"]`);
  await expect(card.locator('[data-testid="size-dead"] .value')).toHaveText("3");
  await expect(card.locator('[data-testid="size-ready"] .value')).toHaveText("0");
  await expect(card.getByTestId("spark-throughput").locator("svg")).toBeVisible();
  await expect(page.getByTestId("redis-status")).toHaveAttribute("data-status", "up");
  await expect(page.getByTestId("worker-heartbeat")).toBeVisible();
  await expect(page.getByTestId("alerts-badge")).toBeVisible();
  await expect(page.getByTestId("current-user")).toContainText("admin");
  await shot(page, "overview");

  await open(page, "/queues?sort=dead&dir=desc");
  const row = page.locator(`[data-testid="queue-row"][data-queue="${queue}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator("td").nth(4)).toHaveText("3");
  await shot(page, "queues");

  await row.getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/queues/${queue}$`));
  await expect(page.getByTestId("queue-detail")).toBeVisible();
  await shot(page, "queue-detail");

  const missing = await page.request.get("/api/v1/queues/no-such-queue");
  expect(missing.status()).toBe(404);
});

test("Redis stopped: a banner on every page, last known data, then recovery by itself", async ({ page }) => {
  test.setTimeout(90_000);
  const queue = uniqueQueue("outage");
  await seedDeadLetters(queue, [{ error: "before the outage" }]);
  await signIn(page, "admin");
  await open(page, `/dead-letters?queue=${queue}`);
  await expect(page.getByTestId("dead-letter-row")).toHaveCount(1);
  await expect(page.getByTestId("redis-down-banner")).toHaveCount(0);

  const resume = await pauseRedis();
  try {
    await expect(page.getByTestId("redis-down-banner")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("redis-status")).toHaveAttribute("data-status", "down");
    // The table keeps the last known page.
    await expect(page.getByTestId("dead-letter-row")).toHaveCount(1);
    await shot(page, "redis-down");
    const api = await page.request.get(`/api/v1/dead-letters?queue=${queue}`, { timeout: 15_000 });
    expect(api.status()).toBe(503);
    // Another page, loaded while Redis is down, renders with the banner instead of hanging.
    await page.getByRole("link", { name: "Queues", exact: true }).click();
    await expect(page.getByTestId("redis-down-banner")).toBeVisible({ timeout: 20_000 });
  } finally {
    resume();
  }
  await expect(page.getByTestId("redis-down-banner")).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId("redis-status")).toHaveAttribute("data-status", "up");
  await expect(page.locator(`[data-testid="queue-row"][data-queue="${queue}"]`)).toBeVisible();
});

test("queue cards lay out evenly at 1280 and 390 px, light and dark: same size, rows aligned", async ({
  page,
}) => {
  // cards whose contents differ: one paused with dead letters and a long name, one plain
  const plain = uniqueQueue("even");
  const busy = uniqueQueue(`even-${"long-name".repeat(4)}`);
  await completeJobs(plain, 2);
  await seedDeadLetters(busy, [{ error: "boom" }]);
  const client = e2eClient();
  await pauseQueue(client, busy);
  try {
    await cardsEven(page, busy);
  } finally {
    await resumeQueue(client, busy);
    await client.quit();
  }
});

async function cardsEven(page: Page, busy: string) {
  await signIn(page, "admin");
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 844 });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await open(page, "/");
      await expect(page.locator(`[data-testid="queue-card"][data-queue="${busy}"]`)).toBeVisible();
      const cards = await page.getByTestId("queue-card").evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          const spark = e.querySelector(".sparks")?.getBoundingClientRect();
          return {
            top: r.top,
            height: r.height,
            width: r.width,
            sparkBottomGap: spark ? r.bottom - spark.bottom : -1,
          };
        }),
      );
      expect(cards.length).toBeGreaterThanOrEqual(2);
      const name = `${width} px ${scheme}: ${JSON.stringify(cards)}`;
      for (const c of cards) {
        expect(Math.abs(c.height - cards[0].height), name).toBeLessThanOrEqual(1);
        expect(Math.abs(c.width - cards[0].width), name).toBeLessThanOrEqual(1);
        // the sparklines end at the same distance from every card's bottom
        expect(Math.abs(c.sparkBottomGap - cards[0].sparkBottomGap), name).toBeLessThanOrEqual(1);
      }
      await shot(page, `overview-cards-${width}-${scheme}`);
    }
  }
}
