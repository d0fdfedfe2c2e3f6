/**
 * Alerts end to end: a real dead letter (a job that fails through lib/queue), then an admin
 * lowers the DLQ size threshold to 0 on the alerts page → the alert fires, shows in the table,
 * the history and the top bar badge on the overview. Inline validation refuses bad thresholds;
 * a viewer sees thresholds without controls.
 */

import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { ALERT_IDS } from "../lib/alerts/definitions.ts";
import { pushHistory } from "../lib/alerts/state.ts";
import type { AlertHistoryEntry } from "../lib/alerts/types.ts";
import { createQueue } from "../lib/queue/index.ts";
import { queueSizes } from "../lib/queue/stats.ts";
import { globalKeys } from "../lib/redis/keys.ts";
import { E2E_BASE_URL, e2eClient, e2eConfig } from "./env.ts";
import { apiAs, signIn } from "./helpers/auth.ts";

test.beforeAll(async () => {
  const client = e2eClient();
  const config = e2eConfig();
  const name = `e2e-alerts-${randomUUID().slice(0, 6)}`;
  const queue = createQueue(name, { client, config });
  await queue.add({ doc: 1 }, { maxAttempts: 1 });
  const consumer = queue.process(
    async () => {
      throw new Error("planned failure for the alerts spec");
    },
    { pollMs: 20, onError: () => {} },
  );
  while ((await queueSizes(client, name, { prefix: config.REDIS_KEY_PREFIX })).dead < 1) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await consumer.close();
  await client.quit();
});

test.afterAll(async ({ request }) => {
  // Leave the thresholds as the other specs expect them.
  const api = await apiAs(request, "admin");
  const res = await api.delete("/api/v1/alerts/thresholds/dlq_size", { headers: { origin: E2E_BASE_URL } });
  expect(res.status()).toBe(200);
});

test("lowering the DLQ size threshold makes the alert fire, on the page, in the history and in the top bar", async ({
  page,
}) => {
  await signIn(page, "admin", "/alerts");
  await page.waitForLoadState("networkidle");
  const row = page.getByTestId("alert-row-dlq_size");
  await expect(row).toBeVisible();
  await expect(page.getByTestId("alerts-table").locator("tbody tr")).toHaveCount(ALERT_IDS.length);

  const input = page.getByTestId("threshold-input-dlq_size");
  await input.fill("0");
  await page.getByTestId("thresholds-save").click();
  await expect(page.getByTestId("thresholds-saved")).toHaveText("Saved 1 threshold");
  await expect(row).toHaveAttribute("data-state", "firing");
  await expect(row.getByTestId("alert-state")).toContainText("Firing since");
  await expect(page.getByTestId("alert-history")).toContainText("DLQ size");
  await expect(page.getByTestId("alerts-badge")).not.toHaveAttribute("data-count", "0");
  await page.screenshot({ path: "test-results/screenshots/alerts.png", fullPage: true });

  await page.goto("/");
  await expect(page.getByTestId("alerts-badge")).toContainText("firing");
  await page.screenshot({ path: "test-results/screenshots/overview-alert-firing.png", fullPage: true });
});

test("thresholds are validated inline before anything is sent", async ({ page }) => {
  await signIn(page, "admin", "/alerts");
  await page.waitForLoadState("networkidle");
  await page.getByTestId("threshold-input-cache_hit_rate").fill("150");
  await expect(page.getByTestId("threshold-error-cache_hit_rate")).toContainText("between 0 and 100");
  await expect(page.getByTestId("thresholds-save")).toBeDisabled();
  await page.getByTestId("threshold-input-dlq_size").fill("2.5");
  await expect(page.getByTestId("threshold-error-dlq_size")).toContainText("whole number");
  await page.getByTestId("threshold-input-dlq_size").fill("abc");
  await expect(page.getByTestId("threshold-error-dlq_size")).toContainText("Enter a number");
  await page.getByTestId("webhook-input").fill("ftp://example.com/hook");
  await expect(page.getByTestId("webhook-error")).toContainText("http:// or https://");
  await expect(page.getByTestId("webhook-save")).toBeDisabled();
});

test("a viewer sees the alerts without any control", async ({ page }) => {
  await signIn(page, "viewer", "/alerts");
  await expect(page.getByTestId("alerts-table")).toBeVisible();
  await expect(page.getByTestId("alert-row-cache_hit_rate")).toContainText("70 %");
  await expect(page.locator("[data-testid^=threshold-input-]")).toHaveCount(0);
  await expect(page.getByTestId("webhook-input")).toHaveCount(0);
});

/**
 * Two evaluations racing (the worker's and the one after a Save) push their transitions in the
 * order they finish, not the order they measured: the history must read newest first anyway, and
 * stay so when a refresh brings in more rows.
 */
test("the alert history stays sorted by time when rows arrive out of order, before and after a refresh", async ({
  page,
}) => {
  const client = e2eClient();
  const key = globalKeys(e2eConfig().REDIS_KEY_PREFIX).alertHistory;
  const now = Date.now();
  const entry = (at: number, to: "firing" | "ok"): AlertHistoryEntry => ({
    id: "avg_retries",
    label: "Average retries",
    from: to === "firing" ? "ok" : "firing",
    to,
    at,
    value: 3,
    threshold: 2,
    comparator: ">",
    valueText: "3",
    thresholdText: "2",
  });
  const times = async () =>
    (
      await page
        .getByTestId("alert-history-row")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-at")))
    )
      .map(Number)
      .filter((t) => t >= now - 120_000);
  try {
    // the later measurement lands first, the earlier one on top of it
    await pushHistory(client, key, [entry(now - 1_000, "firing")]);
    await pushHistory(client, key, [entry(now - 60_000, "ok")]);
    await signIn(page, "viewer", "/alerts");
    await expect.poll(async () => (await times()).length).toBeGreaterThanOrEqual(2);
    let seen = await times();
    expect(seen).toEqual([...seen].sort((a, b) => b - a));

    // while the page is open, an entry older than the newest arrives at the list's head
    await pushHistory(client, key, [entry(now - 30_000, "firing")]);
    await expect.poll(async () => (await times()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    seen = await times();
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  } finally {
    await client.quit();
  }
});
