/**
 * The cache page end to end: traffic driven through lib/cache against the e2e Redis shows on the
 * charts and in the namespace table; an admin flushes a namespace and invalidates a tag through
 * confirmations that name what they touch, and the entries are gone; a viewer gets no controls.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import type { Cache } from "../lib/cache/index.ts";
import { signIn } from "./helpers/auth.ts";
import { e2eCache, settle } from "./helpers/cache.ts";
import { pauseRedis } from "./helpers/redis.ts";

let cache: Cache;
let closeCache: () => Promise<void>;
let nearCache: Cache;
let closeNearCache: () => Promise<void>;
const suffix = randomUUID().slice(0, 6);
const flushNs = `e2e_flush_${suffix}`;
const tagNs = `e2e_tags_${suffix}`;
const savedNs = `e2e_saved_${suffix}`;
const nearNs = `e2e_near_${suffix}`;

test.beforeAll(async () => {
  ({ cache, close: closeCache } = await e2eCache());
  // document: 5 misses, then 15 hits (75 %). Plain get/set, so every call counts and every write lands.
  const doc = cache.namespace("document");
  for (let i = 0; i < 5; i++) expect(await doc.get(`summary:${i}`)).toBeUndefined();
  for (let i = 0; i < 5; i++) expect(await doc.set(`summary:${i}`, `text ${i}`)).toBe(true);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 5; i++) expect(await doc.get(`summary:${i}`)).toBe(`text ${i}`);
  }
  for (let i = 0; i < 3; i++) expect(await cache.namespace(flushNs).set(`k${i}`, i)).toBe(true);
  expect(await cache.namespace(flushNs).get("k0")).toBe(0);
  expect(await cache.namespace(tagNs).set("tagged", "v", { tags: [`doc:${suffix}`] })).toBe(true);
  expect(await cache.namespace(tagNs).set("untagged", "v")).toBe(true);
  expect(await cache.namespace(tagNs).get("untagged")).toBe("v");
  // a slow source (>= 30 ms a load): 1 load, then 4 hits that each spared it
  const slow = async () => {
    await new Promise((r) => setTimeout(r, 30));
    return "from the source";
  };
  for (let i = 0; i < 5; i++)
    expect(await cache.namespace(savedNs).getOrSet("q", slow)).toBe("from the source");
  await settle(cache);

  // a second process-like instance with the near cache on: 1 Redis hit fills L1, then 3 L1 hits
  ({ cache: nearCache, close: closeNearCache } = await e2eCache({ env: { CACHE_NEAR_ENABLED: "true" } }));
  await expect.poll(() => nearCache.near()?.usable, { timeout: 20_000 }).toBe(true);
  const near = nearCache.namespace(nearNs);
  expect(await near.set("hot", { v: 1 })).toBe(true);
  await expect.poll(async () => (await near.get("hot")) !== undefined && near.inNear("hot")).toBe(true);
  for (let i = 0; i < 3; i++) expect(await near.get("hot")).toEqual({ v: 1 });
  await settle(nearCache);
});

test.afterAll(async () => {
  await closeCache();
  await closeNearCache?.();
});

test("the near cache shows: its share of a namespace's hits and its memory per process", async ({ page }) => {
  await signIn(page, "viewer", "/cache");
  await expect(page.getByTestId(`namespace-row-${nearNs}`).getByTestId("l1-share")).toHaveText(
    /^[1-9]\d*(\.\d+)?\s?%$/,
  );
  await expect(page.getByTestId(`namespace-row-document`).getByTestId("l1-share")).toHaveText(
    /^0(\.0+)?\s?%$|^—$/,
  );
  const processes = page.getByTestId("near-processes");
  await expect(processes.getByRole("heading", { name: "Near cache (L1) per process" })).toBeVisible();
  const row = processes.locator('[data-testid^="near-row-"]', { hasText: "serving" }).first();
  await expect(row.getByTestId("near-bytes")).toHaveText(/^[1-9][\d.]*\s?(B|KB|MB|kB|KiB|MiB)$/);
  await page.screenshot({ path: "test-results/screenshots/cache-near.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/screenshots/cache-near-mobile.png", fullPage: true });
});

test("cache charts and the namespace table show the traffic", async ({ page }) => {
  await signIn(page, "admin", "/cache");
  await expect(page.getByRole("heading", { name: "Cache" })).toBeVisible();
  const hitRate = page.getByTestId("chart-hit-rate");
  await expect(hitRate).toBeVisible();
  await expect(hitRate).not.toHaveAttribute("data-points", "0");
  // A single minute of data is one point: recharts draws it as a dot, not a line.
  await expect(hitRate.locator(".recharts-line-dot").first()).toBeVisible();
  await expect(page.getByTestId("chart-hits-misses")).toBeVisible();
  await expect(page.getByTestId("chart-latency")).toBeVisible();
  await expect(page.getByTestId("chart-memory")).toBeVisible();
  await expect(page.getByTestId("namespace-row-document")).toContainText("%");
  await expect(page.getByTestId(`namespace-row-${flushNs}`)).toBeVisible();
  // what the cache spared the source: 4 hits × a >= 30 ms load
  await expect(page.getByTestId(`namespace-row-${savedNs}`).getByTestId("saved")).toHaveText(/^\d+ (ms|s)$/);
  await expect(page.getByTestId(`namespace-row-${flushNs}`).getByTestId("saved")).toHaveText("—");
  await expect(page.getByTestId("headline-saved")).toContainText("of loader time");

  // The range lives in the URL.
  await page.getByRole("link", { name: "24h" }).click();
  await expect(page).toHaveURL(/range=24h/);
  await expect(page.getByTestId("chart-hit-rate")).toBeVisible();
  await page.getByRole("link", { name: "1h" }).click();
  await expect(page).toHaveURL(/range=1h/);
  await page.screenshot({ path: "test-results/screenshots/cache.png", fullPage: true });
});

test("an admin flushes one namespace after a confirmation that names it", async ({ page }) => {
  expect(await cache.namespace(flushNs).get("k0")).toBe(0);
  await signIn(page, "admin", "/cache");
  await page.waitForLoadState("networkidle");
  await page.getByTestId(`namespace-row-${flushNs}`).getByTestId("flush").click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId("confirm-text")).toContainText(`Every entry of the namespace ${flushNs}`);
  await expect(page.getByTestId("confirm-text")).toContainText("Other namespaces are not touched");
  await page.getByTestId("confirm").click();
  await expect(page.getByTestId("cache-outcome")).toContainText(`Flushed ${flushNs}`);
  await expect(dialog).toBeHidden();
  // Gone: every entry of the namespace is a miss now; other namespaces keep theirs.
  for (let i = 0; i < 3; i++) expect(await cache.namespace(flushNs).get(`k${i}`)).toBeUndefined();
  expect(await cache.namespace("document").get("summary:0")).toBe("text 0");
});

test("an admin invalidates a tag: tagged entries become misses, others stay", async ({ page }) => {
  expect(await cache.namespace(tagNs).get("tagged")).toBe("v");
  await signIn(page, "admin", "/cache");
  await page.waitForLoadState("networkidle");
  await page.getByTestId("invalidate-tag-input").fill(`doc:${suffix}`);
  await page.getByTestId("invalidate-tag").click();
  await expect(page.getByTestId("confirm-text")).toContainText(`Every entry tagged doc:${suffix}`);
  await page.getByTestId("confirm").click();
  await expect(page.getByTestId("cache-outcome")).toContainText(`Invalidated doc:${suffix}`);
  expect(await cache.namespace(tagNs).get("tagged")).toBeUndefined();
  expect(await cache.namespace(tagNs).get("untagged")).toBe("v");
});

test("a viewer sees the charts but no flush or invalidate control", async ({ page }) => {
  await signIn(page, "viewer", "/cache");
  await expect(page.getByTestId("namespace-table")).toBeVisible();
  await expect(page.getByTestId("chart-hit-rate")).toBeVisible();
  await expect(page.getByTestId("flush")).toHaveCount(0);
  await expect(page.getByTestId("invalidate-tag")).toHaveCount(0);
});

test("with Redis unreachable the page keeps its last data and the API answers 503, then recovers", async ({
  page,
}) => {
  await signIn(page, "admin", "/cache");
  await expect(page.getByTestId("chart-hit-rate")).toBeVisible();
  const resume = await pauseRedis();
  try {
    for (const path of [
      "/api/v1/cache/stats",
      "/api/v1/cache/namespaces",
      "/api/v1/alerts",
      "/api/metrics",
    ]) {
      const res = await page.request.get(path, { timeout: 20_000 });
      expect(res.status(), path).toBe(503);
    }
    // The charts stay, marked stale, instead of a spinner or an error page.
    await expect(page.getByText("Showing the last known data").first()).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("chart-hit-rate")).toBeVisible();
  } finally {
    resume();
  }
  await expect
    .poll(async () => (await page.request.get("/api/v1/cache/stats")).status(), { timeout: 30_000 })
    .toBe(200);
  await expect(page.getByText("Showing the last known data")).toHaveCount(0, { timeout: 30_000 });
});
