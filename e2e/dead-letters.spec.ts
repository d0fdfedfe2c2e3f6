/**
 * Dead letters end to end, on real failures: jobs fail in a lib/queue consumer in this process,
 * the console (built, with the worker) shows them; an admin filters, searches, groups, requeues
 * (one, and all matching with live progress), deletes, edits & requeues, and exports.
 */
import { readFile } from "node:fs/promises";
import { expect, type Page, test } from "@playwright/test";
import { signIn } from "./helpers/auth.ts";
import {
  purgeSeeded,
  seedDeadLetters,
  sizesOf,
  startSucceedingConsumer,
  uniqueQueue,
} from "./helpers/seed.ts";

const TIMEOUT = "Timeout talking to converter after 3000 ms";
const BAD_FORMAT = "Invalid document format: missing header";

async function open(page: Page, path: string) {
  await page.goto(path);
  await page.locator("html[data-hydrated]").waitFor();
}

const rows = (page: Page) => page.getByTestId("dead-letter-row");
const shot = (page: Page, name: string) =>
  page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });

test.afterAll(purgeSeeded);

test.beforeEach(async ({ page }) => {
  await signIn(page, "admin");
});

test("filter, search and group dead letters; every filter lives in the URL", async ({ page }) => {
  const queue = uniqueQueue("docs");
  await seedDeadLetters(queue, [
    { error: TIMEOUT, name: "TimeoutError" },
    { error: TIMEOUT.replace("3000", "4500"), name: "TimeoutError" },
    { error: TIMEOUT.replace("3000", "1200"), name: "TimeoutError" },
    { error: BAD_FORMAT, name: "FormatError" },
    { error: `${BAD_FORMAT} <script>alert(1)</script>`, name: "FormatError" },
  ]);

  await open(page, `/dead-letters?queue=${queue}`);
  await expect(rows(page)).toHaveCount(5);
  // Job text is text: the script tag shows as characters, never as markup.
  await expect(page.getByText("<script>alert(1)</script>", { exact: false })).toBeVisible();
  await shot(page, "dead-letters");

  await page.getByTestId("filter-search").fill("invalid document");
  await expect(page).toHaveURL(/q=invalid\+document|q=invalid%20document/);
  await expect(rows(page)).toHaveCount(2);

  // A pasted link restores the same view.
  await open(page, page.url());
  await expect(page.getByTestId("filter-search")).toHaveValue("invalid document");
  await expect(rows(page)).toHaveCount(2);

  await page.getByTestId("filter-search").fill("");
  await expect(page).not.toHaveURL(/q=/);
  await page.getByTestId("tab-groups").click();
  await expect(page).toHaveURL(/tab=groups/);
  const groups = page.getByTestId("group-row");
  // Timeouts differ only in numbers: one group. The two format errors differ in text: two groups.
  await expect(groups).toHaveCount(3);
  const timeouts = groups.filter({ hasText: "TimeoutError" });
  await expect(timeouts.locator("td.num")).toHaveText("3");
  await shot(page, "dead-letters-groups");

  await timeouts.getByRole("link").first().click();
  await expect(page).toHaveURL(/group=/);
  await expect(rows(page)).toHaveCount(3);
  await expect(page.getByTestId("filter-group")).toBeVisible();
});

test("the first page of rows comes in the server's HTML; paging, empty and error states still work", async ({
  page,
}) => {
  const queue = uniqueQueue("html");
  // one more than a page of 25 and one: the second page has two rows
  await seedDeadLetters(
    queue,
    Array.from({ length: 27 }, (_, i) => ({ error: `entry ${i} of the html test failed` })),
  );
  const html = async (path: string) => (await page.request.get(path)).text();
  const rowsIn = (body: string) => body.split('data-testid="dead-letter-row"').length - 1;
  // Rows in the HTML the server sends, before any client code runs: the page size asked for.
  const body = await html(`/dead-letters?queue=${queue}&limit=25`);
  expect(rowsIn(body)).toBe(25);
  expect(body).toContain("of the html test failed");
  // The first paint waits for the whole list ((list)/layout.tsx): the wait is in <head>, and no
  // element ends it early, before the script that reveals the rows.
  const head = body.slice(0, body.indexOf("</head>"));
  expect(head).toContain('<link rel="expect" href="#dead-letters-end" blocking="render"/>');
  expect(body).not.toContain('id="dead-letters-end"');
  // The rows' text reports its first paint (Element Timing, read by bench/console-browser.ts).
  expect(body.split('elementtiming="dead-letter-rows"').length - 1).toBe(25);
  // The groups tab is not the list: no rows read for it.
  expect(rowsIn(await html(`/dead-letters?queue=${queue}&tab=groups`))).toBe(0);

  await open(page, `/dead-letters?queue=${queue}&limit=25`);
  await expect(rows(page)).toHaveCount(25);
  // Paging goes on from the server's page.
  await page.getByTestId("next-page").click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(rows(page)).toHaveCount(2);
  await page.getByRole("button", { name: "« First page" }).click();
  await expect(rows(page)).toHaveCount(25);
  await page.getByRole("combobox", { name: "Per page" }).selectOption("50");
  await expect(rows(page)).toHaveCount(27);

  // Nothing matches: the empty state, from the server's read as from the client's.
  await open(page, `/dead-letters?queue=${queue}&q=${encodeURIComponent("no such words anywhere")}`);
  await expect(page.getByTestId("empty")).toContainText("No dead letters");
  await expect(rows(page)).toHaveCount(0);
  // A queue that does not exist: the server's read fails, the client asks the API and says why.
  await open(page, "/dead-letters?queue=no-such-queue-html");
  await expect(page.getByTestId("error-state")).toContainText('No queue named "no-such-queue-html"');
});

test("requeue one: the job is processed and leaves the DLQ", async ({ page, request }) => {
  const queue = uniqueQueue("one");
  const [id, other] = await seedDeadLetters(queue, [
    { error: "flaky upstream" },
    { error: "flaky upstream" },
  ]);
  const consumer = await startSucceedingConsumer(queue);
  try {
    await open(page, `/dead-letters?queue=${queue}`);
    await expect(rows(page)).toHaveCount(2);
    await rows(page)
      .and(page.locator(`[data-id="${id}"]`))
      .getByTestId("requeue")
      .click();
    await expect(page.getByTestId("confirm-text")).toHaveText(
      `Requeue dead letter ${id} of \`${queue}\`: it goes back to its queue to run again, with a fresh attempt budget.`,
    );
    await page.getByTestId("confirm").click();
    await expect(page.getByTestId("action-outcome")).toHaveText("1 requeued");
    await expect.poll(() => consumer.seen.has(id), { timeout: 15_000 }).toBe(true);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toHaveAttribute("data-id", other);
    expect((await sizesOf(queue)).dead).toBe(1);
    expect(consumer.seen.has(other)).toBe(false);
    void request;
  } finally {
    await consumer.stop();
  }
});

test("requeue all matching: exact count, rate limit, live progress, what happened", async ({ page }) => {
  const queue = uniqueQueue("bulk");
  const n = 700; // above the inline limit (500): runs as a bulk operation
  await seedDeadLetters(
    queue,
    Array.from({ length: n }, (_, i) => ({ error: `render failed on page ${i}` })),
    1,
  );
  await open(page, `/dead-letters?queue=${queue}`);
  await expect(rows(page)).toHaveCount(50);
  // Server-side pages: the cursor goes into the URL, Back returns to the first page.
  const firstId = await rows(page).first().getAttribute("data-id");
  await page.getByTestId("next-page").click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(rows(page).first()).not.toHaveAttribute("data-id", firstId as string);
  await expect(rows(page)).toHaveCount(50);
  await page.goBack();
  await expect(rows(page).first()).toHaveAttribute("data-id", firstId as string);
  await page.getByTestId("requeue-all").click();
  await expect(page.getByTestId("confirm-text")).toHaveText(`Requeue 700 dead letters of \`${queue}\`?`);
  await page.getByTestId("bulk-rate").fill("250");
  await page.getByTestId("confirm-bulk-go").click();
  const progress = page.getByTestId("bulk-progress");
  await expect(progress).toHaveAttribute("data-state", "running");
  await expect(page.getByTestId("bulk-counts")).toContainText(/\d+ of 700 processed/);
  await shot(page, "dead-letters-bulk-progress");
  await expect(progress).toHaveAttribute("data-state", "done", { timeout: 30_000 });
  await expect(page.getByTestId("bulk-outcome")).toHaveText("700 requeued");
  const sizes = await sizesOf(queue);
  expect(sizes.dead).toBe(0);
  expect(sizes.ready).toBe(n);
});

test("a bulk delete can be cancelled; what was done stays done", async ({ page }) => {
  const queue = uniqueQueue("cancel");
  const n = 800;
  await seedDeadLetters(
    queue,
    Array.from({ length: n }, (_, i) => ({ error: `bad row ${i}` })),
    1,
  );
  await open(page, `/dead-letters?queue=${queue}`);
  await page.getByTestId("delete-all").click();
  await expect(page.getByTestId("confirm-text")).toContainText(`Delete 800 dead letters of \`${queue}\``);
  await page.getByTestId("bulk-rate").fill("100");
  await page.getByTestId("confirm-bulk-go").click();
  await expect(page.getByTestId("bulk-progress")).toHaveAttribute("data-state", "running");
  await page.getByTestId("bulk-cancel").click();
  await expect(page.getByTestId("bulk-progress")).toHaveAttribute("data-state", "cancelled", {
    timeout: 15_000,
  });
  await expect(page.getByTestId("bulk-outcome")).toContainText(
    /^Cancelled after [\d,]+ of 800: [\d,]+ deleted/,
  );
  const left = (await sizesOf(queue)).dead;
  expect(left).toBeGreaterThan(0);
  expect(left).toBeLessThan(n);
});

test("delete the selection", async ({ page }) => {
  const queue = uniqueQueue("del");
  await seedDeadLetters(queue, [{ error: "a" }, { error: "b" }, { error: "c" }]);
  await open(page, `/dead-letters?queue=${queue}`);
  await expect(rows(page)).toHaveCount(3);
  await rows(page).nth(0).getByRole("checkbox").check();
  await rows(page).nth(1).getByRole("checkbox").check();
  await page.getByTestId("selection-bar").getByTestId("delete").click();
  await expect(page.getByTestId("confirm-text")).toHaveText(
    `Delete 2 selected dead letters of \`${queue}\`. They cannot be recovered.`,
  );
  await page.getByTestId("confirm").click();
  await expect(page.getByTestId("action-outcome")).toHaveText("2 deleted");
  await expect(rows(page)).toHaveCount(1);
  expect((await sizesOf(queue)).dead).toBe(1);
});

test("detail, then edit & requeue with a payload that validates as you type", async ({ page }) => {
  const queue = uniqueQueue("edit");
  const [id] = await seedDeadLetters(queue, [{ error: "missing field title", data: { title: null } }]);
  const consumer = await startSucceedingConsumer(queue);
  try {
    await open(page, `/dead-letters/${queue}/${id}`);
    const detail = page.getByTestId("dead-letter-detail");
    await expect(detail).toBeVisible();
    await expect(page.getByTestId("attempts-timeline").locator("li")).toHaveCount(2);
    await expect(page.getByTestId("payload")).toContainText('"title": null');
    await shot(page, "dead-letter-detail");

    await page.getByTestId("edit-requeue").click();
    const input = page.getByTestId("payload-input");
    await input.fill('{"title": "fixed",');
    await expect(page.getByTestId("payload-status")).toContainText("Not valid JSON");
    await expect(page.getByTestId("edit-requeue-submit")).toBeDisabled();
    await input.fill('{"title": "fixed", "n": 0}');
    await expect(page.getByTestId("payload-status")).toHaveText("✓ Valid JSON");
    await page.getByTestId("edit-requeue-submit").click();
    await expect(page.getByTestId("action-outcome")).toContainText("edited payload");
    await expect.poll(() => consumer.seen.get(id), { timeout: 15_000 }).toEqual({ title: "fixed", n: 0 });
    // the page says where the job went: its own page in the queue, in whatever state it is now
    await page.getByTestId("went-to-job").click();
    await expect(page).toHaveURL(new RegExp(`/queues/${queue}/jobs/${encodeURIComponent(id)}$`));
    await expect(page.getByText(id).first()).toBeVisible();
  } finally {
    await consumer.stop();
  }
});

test("export the filtered set as CSV and JSON", async ({ page }) => {
  const queue = uniqueQueue("export");
  const ids = await seedDeadLetters(queue, [{ error: 'quote " and, comma' }, { error: "plain" }]);
  await open(page, `/dead-letters?queue=${queue}`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-csv").click(),
  ]);
  const csv = await readFile((await download.path()) as string, "utf8");
  const lines = csv.trim().split("\n");
  expect(lines[0]).toContain("queue,id,dead_at");
  expect(lines).toHaveLength(3);
  for (const id of ids) expect(csv).toContain(id);
  expect(csv).toContain('"quote "" and, comma"');

  const json = await page.request.get(`/api/v1/dead-letters/export?format=json&queue=${queue}`);
  expect(json.status()).toBe(200);
  const entries = (await json.json()) as { id: string; queue: string }[];
  expect(entries.map((e) => e.id).sort()).toEqual([...ids].sort());
});

test("a viewer sees dead letters but no mutation controls", async ({ browser }) => {
  const queue = uniqueQueue("viewer");
  const [id] = await seedDeadLetters(queue, [
    { error: "viewer sees this", data: { email: "jane@example.com", doc: 7 } },
  ]);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "viewer");
  await open(page, `/dead-letters?queue=${queue}`);
  await expect(rows(page)).toHaveCount(1);
  for (const testId of ["requeue", "delete", "requeue-all", "delete-all", "export-csv"])
    await expect(page.getByTestId(testId)).toHaveCount(0);
  await open(page, `/dead-letters/${queue}/${id}`);
  await expect(page.getByTestId("dead-letter-detail")).toBeVisible();
  // Payload fields named in MASK_FIELDS are masked for viewers, on the server.
  await expect(page.getByTestId("payload")).toContainText('"email": "•••"');
  await expect(page.getByTestId("payload")).not.toContainText("jane@example.com");
  await expect(page.getByTestId("payload")).toContainText('"doc": 7');
  for (const testId of ["requeue", "delete", "edit-requeue"])
    await expect(page.getByTestId(testId)).toHaveCount(0);
  await context.close();
});
