/**
 * Pages that read well (issue 15): the one confirmation dialog (Escape cancels, focus trapped and
 * returned), rows' buttons named for their row, dead-letter errors as text with relative stack
 * paths, times with the exact local time on hover, export disabled when nothing matches, the
 * configuration in effect without secrets, and charts that share one range, name their units and
 * leave empty series out of the legend.
 */
import { expect, type Page, test } from "@playwright/test";
import { E2E_ADMIN, E2E_SECRET } from "./env.ts";
import { e2eRedis, signIn } from "./helpers/auth.ts";
import { purgeSeeded, seedDeadLetters, sizesOf, uniqueQueue } from "./helpers/seed.ts";

async function open(page: Page, path: string) {
  await page.goto(path);
  await page.locator("html[data-hydrated]").waitFor();
}

const rows = (page: Page) => page.getByTestId("dead-letter-row");
const shot = (page: Page, name: string) =>
  page.screenshot({ path: `test-results/screenshots/present-${name}.png`, fullPage: true });
/** The data-testid of the element that has focus (or of its closest ancestor that has one). */
const focusedTestId = (page: Page) =>
  page.evaluate(() => document.activeElement?.closest("[data-testid]")?.getAttribute("data-testid") ?? null);

test.use({ timezoneId: "Asia/Tokyo", locale: "en-US" });
test.afterAll(purgeSeeded);
test.beforeEach(async ({ page }) => {
  await signIn(page, "admin");
});

test("a row's requeue asks first in an accessible dialog; Escape cancels and focus returns", async ({
  page,
}) => {
  const queue = uniqueQueue("confirm");
  const [id, other] = await seedDeadLetters(queue, [
    { error: "upstream said no" },
    { error: "upstream said no" },
  ]);
  await open(page, `/dead-letters?queue=${queue}`);
  await expect(rows(page)).toHaveCount(2);

  // The row's buttons are named for the row.
  const requeue = page.getByRole("button", { name: `Requeue ${id}`, exact: true });
  await expect(requeue).toBeVisible();
  await expect(page.getByRole("button", { name: `Delete ${other}`, exact: true })).toBeVisible();

  await requeue.click();
  const dialog = page.getByRole("alertdialog", { name: "Requeue dead letters?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute("aria-modal", "true");
  await expect(dialog).toHaveAccessibleDescription(
    `Requeue dead letter ${id} of \`${queue}\`: it goes back to its queue to run again, with a fresh attempt budget.`,
  );
  // Focus starts on Cancel and stays inside while tabbing.
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => !!document.activeElement?.closest("dialog"))).toBe(true);
  }
  await shot(page, "dialog-row");

  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(requeue).toBeFocused();
  expect((await sizesOf(queue)).dead).toBe(2);

  await requeue.click();
  await page.getByTestId("confirm").click();
  await expect(page.getByTestId("action-outcome")).toHaveText("1 requeued");
  await expect(rows(page)).toHaveCount(1);
  // the row is gone: focus lands on what happened, not on the page's top
  await expect.poll(() => focusedTestId(page)).toBe("action-outcome");
  expect((await sizesOf(queue)).dead).toBe(1);
});

test("a group's requeue names count, queue and group in full; the dialog of every bulk action is the same", async ({
  page,
}) => {
  const queue = uniqueQueue("group");
  await seedDeadLetters(queue, [
    { error: "Timeout talking to converter after 3000 ms", name: "TimeoutError" },
    { error: "Timeout talking to converter after 4500 ms", name: "TimeoutError" },
  ]);
  await open(page, `/dead-letters?queue=${queue}&tab=groups`);
  const group = page.getByTestId("group-row");
  await expect(group).toHaveCount(1);
  const fp = (await group.getAttribute("data-fingerprint")) ?? "";
  // The normalised message's placeholder reads as a word, not as "<n>".
  await expect(group.locator(".placeholder-token")).toHaveText("number");
  await expect(group).not.toContainText("<n>");

  await group.getByRole("button", { name: `Requeue group ${fp.slice(0, 10)}` }).click();
  const dialog = page.getByRole("alertdialog", { name: "Requeue this error group?" });
  await expect(dialog.getByTestId("confirm-text")).toHaveText(
    `Requeue 2 dead letters of ${queue} in error group ${fp.slice(0, 8)}…: TimeoutError: Timeout talking to converter after number ms.`,
  );
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  expect((await sizesOf(queue)).dead).toBe(2);

  // "Requeue all matching" uses the same dialog.
  await open(page, `/dead-letters?queue=${queue}`);
  await page.getByTestId("requeue-all").click();
  const bulk = page.getByRole("alertdialog", { name: "Requeue all matching dead letters?" });
  await expect(bulk.getByTestId("confirm-text")).toHaveText(`Requeue 2 dead letters of \`${queue}\`?`);
  await page.keyboard.press("Escape");
  await expect(bulk).toHaveCount(0);
  await expect(page.getByTestId("requeue-all")).toBeFocused();
  expect((await sizesOf(queue)).dead).toBe(2);
});

test("the error column is text with the class emphasised; stacks show paths relative to the app", async ({
  page,
}) => {
  const queue = uniqueQueue("paths");
  const [id] = await seedDeadLetters(queue, [{ error: "no such file", name: "FileError" }]);
  await open(page, `/dead-letters?queue=${queue}`);
  const cell = rows(page).first().getByTestId("dead-letter-link");
  await expect(cell.locator(".error-class")).toHaveText("FileError");
  // the message is in the page's text colour: only the class is red
  const colours = await cell.evaluate((el) => ({
    message: getComputedStyle(el).color,
    text: getComputedStyle(document.body).color,
  }));
  expect(colours.message).toBe(colours.text);

  await open(page, `/dead-letters/${queue}/${encodeURIComponent(id)}`);
  const stack = page.locator("pre.stack").first();
  await expect(stack).toContainText("e2e/helpers/seed.ts");
  expect(await stack.textContent()).not.toContain(process.cwd());
  expect(await page.content()).not.toContain(`${process.cwd()}/e2e`);
});

test("times are relative with the exact time, in the reader's time zone, on hover", async ({ page }) => {
  const queue = uniqueQueue("times");
  await seedDeadLetters(queue, [{ error: "a" }, { error: "b" }]);
  await open(page, `/dead-letters?queue=${queue}`);
  const times = page.locator("main time");
  await expect(times).toHaveCount(2);
  for (const t of await times.all()) {
    await expect(t).toHaveText(/ago$|^just now$/);
    // Asia/Tokyo, as the browser of this test is set: GMT+9
    await expect(t).toHaveAttribute("title", /GMT\+9/);
  }
  await open(page, "/audit");
  await expect(page.locator("main time").first()).toHaveAttribute("title", /GMT\+9/);
});

test("export is disabled when nothing matches", async ({ page }) => {
  const queue = uniqueQueue("export");
  await seedDeadLetters(queue, [{ error: "x" }]);
  await open(page, `/dead-letters?queue=${queue}&q=${encodeURIComponent("no such text anywhere")}`);
  await expect(page.getByText("No dead letters")).toBeVisible();
  await expect(page.getByTestId("export-json")).toBeDisabled();
  await expect(page.getByTestId("export-csv")).toBeDisabled();

  await open(page, `/dead-letters?queue=${queue}`);
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByTestId("export-json")).toHaveAttribute("href", /export/);
});

test("settings show the configuration in effect, secrets hidden", async ({ page }) => {
  await open(page, "/settings");
  const config = page.getByTestId("config-in-effect");
  await expect(config).toBeVisible();
  await expect(config.locator('[data-name="NEXTAUTH_SECRET"]')).toContainText("not shown");
  await expect(config.locator('[data-name="MAX_RETRY_ATTEMPTS"]')).toBeVisible();
  await expect(config.locator('[data-name="REDIS_URL"]')).toContainText("redis");
  const html = await page.content();
  expect(html).not.toContain(E2E_SECRET);
  expect(html).not.toContain(E2E_ADMIN.password);
  await shot(page, "settings");
});

test("the cache page's charts span one range, name their units, and leave empty series out", async ({
  page,
}) => {
  const redis = e2eRedis();
  const maxmemory = Number(((await redis.call("CONFIG", "GET", "maxmemory")) as string[])[1]);
  await redis.quit();
  await open(page, "/cache");
  const figures = page.locator("figure[data-testid^='chart-']");
  await expect(figures.first()).toBeVisible();
  const spans = await figures.evaluateAll((els) =>
    els.map((el) => ({
      id: el.getAttribute("data-testid"),
      from: el.getAttribute("data-from"),
      to: el.getAttribute("data-to"),
      unit: el.querySelector("figcaption")?.textContent ?? "",
    })),
  );
  expect(spans.length).toBeGreaterThan(0);
  const traffic = spans.filter((s) =>
    ["chart-hit-rate", "chart-hits-misses", "chart-latency"].includes(s.id ?? ""),
  );
  // every chart, Redis samples included, spans the page's range
  for (const s of spans)
    expect({ id: s.id, from: s.from, to: s.to }).toEqual({ id: s.id, from: spans[0].from, to: spans[0].to });
  for (const s of spans) expect(s.unit.trim(), `${s.id} has a unit`).not.toBe("");
  // the step in progress is marked, never drawn as a drop
  if (traffic.length)
    await expect(page.getByTestId("chart-hit-rate")).toHaveAttribute("data-partial-from", /\d+/);
  const memory = page.getByTestId("chart-memory");
  if (maxmemory === 0 && (await memory.count()))
    await expect(memory).not.toHaveAttribute("data-series", /maxmemory/);
  await shot(page, "cache");
});

test("screenshots at desktop and phone size: overview, dead letters with the dialog, settings", async ({
  page,
}) => {
  const queue = uniqueQueue("shots");
  await seedDeadLetters(queue, [
    { error: "Order 1234 not found for customer 9f3c2a1e-0000-4000-8000-000000000000" },
  ]);
  for (const [w, h] of [
    [1280, 900],
    [390, 844],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await open(page, "/");
    await shot(page, `overview-${w}`);
    await open(page, `/dead-letters?queue=${queue}&tab=groups`);
    await shot(page, `groups-${w}`);
    await open(page, `/dead-letters?queue=${queue}`);
    await rows(page).first().getByTestId("requeue").click();
    await expect(page.getByRole("alertdialog")).toBeVisible();
    await shot(page, `dialog-${w}`);
    await page.keyboard.press("Escape");
    await open(page, "/alerts");
    await shot(page, `alerts-${w}`);
    await open(page, `/queues/${queue}`);
    await shot(page, `queue-${w}`);
  }
});
