/**
 * The whole life of a job in the console (issue 14): for each state an admin opens the list from
 * the queue page's tabs, opens a job and performs each action that fits, seeing the result; the
 * top bar's box finds a job by id in each state (and says when no queue has one); a viewer sees
 * masked payloads and no action buttons, and the server refuses the action; the list and job
 * pages at 1280 and 390×844, without horizontal overflow. Jobs are real: added with lib/queue,
 * run (completed, failed into a retry, dead) by lib/queue consumers in this process.
 */
import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { extendKeys, leaseKeys } from "../lib/queue/context.ts";
import { createQueue } from "../lib/queue/index.ts";
import { runScript } from "../lib/queue/scripts.ts";
import { E2E_BASE_URL, e2eClient, e2eConfig } from "./env.ts";
import { apiAs, signIn } from "./helpers/auth.ts";
import { purgeSeeded, seedDeadLetters, uniqueQueue } from "./helpers/seed.ts";

const tag = randomBytes(3).toString("hex");
/** Ids unique to this run, so finding one by id finds it in one queue only. */
const ID = {
  waiting: `w-${tag}`,
  doomed: `w2-${tag}`,
  retry: `r-${tag}`,
  delayed: `d-${tag}`,
  orphan: `a-${tag}`,
  completed: `c-${tag}`,
  dead: `x-${tag}`,
};
const EMAIL = `ann.${tag}@example.com`;
/** The orphan's lease: long enough that the app's worker never reclaims it during the spec. */
const HOUR = 3_600_000;
let queue: string;

test.afterAll(purgeSeeded);

/**
 * In this order, so each consumer only finds the jobs meant for it: a dead letter; a completed
 * job (payload kept); a retry due in 10 minutes; an active job whose consumer beat once and
 * stopped (orphaned); then two waiting and one delayed job.
 */
test.beforeAll(async () => {
  test.setTimeout(120_000);
  queue = uniqueQueue("console-jobs");
  await seedDeadLetters(queue, [{ error: "Printer on fire", id: ID.dead }]);
  const client = e2eClient();
  const q = createQueue(queue, { client, config: e2eConfig({ COMPLETED_KEEP_PAYLOAD: "true" }) });
  const k = q.ctx.keys;
  try {
    await q.add({ n: "done" }, { jobId: ID.completed });
    let c = q.process(async () => {}, { pollMs: 20 });
    await expect.poll(() => client.zscore(k.completed, ID.completed)).not.toBeNull();
    await c.close();

    await q.add(
      { n: "retry" },
      { jobId: ID.retry, maxAttempts: 3, backoff: { type: "fixed", baseMs: 600_000 } },
    );
    c = q.process(
      async () => {
        throw new Error("Upstream answered 502");
      },
      { pollMs: 20, onError: () => {} },
    );
    await expect.poll(() => client.zscore(k.retry, ID.retry)).not.toBeNull();
    await c.close();

    await q.add({ n: "orphan" }, { jobId: ID.orphan });
    const s = q.ctx.settings;
    // leased as lease-11.lua does for a consumer (no handler runs it), then one beat, then silence
    await runScript(client, "lease", leaseKeys(k), ["gone-consumer", 1, HOUR, 0, s.dlqRetentionMs, 0, 1]);
    await runScript(client, "extend", extendKeys(k), [
      "gone-consumer",
      HOUR,
      "1 4242 gone-host",
      ID.orphan,
      1,
    ]);

    await q.add({ email: EMAIL, n: 1 }, { jobId: ID.waiting });
    await q.add({ n: 2 }, { jobId: ID.doomed });
    await q.add({ n: 3 }, { jobId: ID.delayed, delayMs: 600_000 });
  } finally {
    await client.quit();
  }
});

async function open(page: Page, path: string) {
  await page.goto(path);
  await page.locator("html[data-hydrated]").waitFor();
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `test-results/screenshots/jobs-${name}.png`, fullPage: true });

/** No horizontal overflow at this width, and no accessibility violation (contrast included). */
async function fitsAndPasses(page: Page) {
  await expect(page.locator(".spinner")).toHaveCount(0);
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(scroll, "page wider than the viewport").toBeLessThanOrEqual(client);
  const axe = await new AxeBuilder({ page }).analyze();
  const found = axe.violations.map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(found, `${page.url()}: axe violations`).toEqual([]);
}

const row = (page: Page, id: string) => page.locator(`[data-testid="job-row"][data-id="${id}"]`);

/** From the queue page, the state's tab, then the job's row: its page. */
async function openFromList(page: Page, tab: string, id: string) {
  await open(page, `/queues/${queue}`);
  await page.getByTestId(`tab-${tab}`).click();
  await expect(page.getByTestId("jobs-list")).toHaveAttribute("data-state", tab);
  await row(page, id).getByTestId("job-link").click();
  await expect(page.getByTestId("job-detail")).toBeVisible();
}

async function find(page: Page, text: string) {
  const box = page.getByLabel("Find job");
  await box.fill(text);
  await box.press("Enter");
}

test.describe("admin", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, "admin");
  });

  test("finds a job by id from the top bar in each state; an unknown id says so", async ({ page }) => {
    await open(page, "/");
    const where: [string, string][] = [
      [ID.waiting, "waiting"],
      [ID.orphan, "active"],
      [ID.retry, "scheduled"],
      [ID.completed, "completed"],
      [ID.dead, "dead"],
    ];
    for (const [id, state] of where) {
      await find(page, id);
      await expect(page).toHaveURL(`${E2E_BASE_URL}/queues/${queue}/jobs/${id}`);
      await expect(page.getByTestId("job-detail")).toHaveAttribute("data-state", state);
    }
    await find(page, `${queue}/${ID.delayed}`);
    await expect(page).toHaveURL(`${E2E_BASE_URL}/queues/${queue}/jobs/${ID.delayed}`);
    await find(page, `no-such-job-${tag}`);
    await expect(page.getByTestId("find-job-result")).toHaveText(
      `No queue has a job with id "no-such-job-${tag}".`,
    );
  });

  test("lists and job pages at 1280 and 390×844, light and dark: no horizontal overflow, axe finds nothing", async ({
    page,
  }) => {
    test.setTimeout(240_000);
    for (const [w, h, scheme] of [
      [1280, 900, "light"],
      [390, 844, "dark"],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      for (const state of ["waiting", "active", "scheduled", "completed"]) {
        await open(page, `/queues/${queue}/jobs?state=${state}`);
        await expect(page.getByTestId("job-row").first()).toBeVisible();
        await fitsAndPasses(page);
        await shot(page, `list-${state}-${w}-${scheme}`);
      }
      for (const id of [ID.orphan, ID.retry]) {
        await open(page, `/queues/${queue}/jobs/${id}`);
        await expect(page.getByTestId("job-detail")).toBeVisible();
        await fitsAndPasses(page);
        await shot(page, `job-${id.split("-")[0]}-${w}-${scheme}`);
      }
    }
  });

  test("waiting: the list shows the place in line; delete asks first, then the job is gone", async ({
    page,
  }) => {
    await open(page, `/queues/${queue}/jobs?state=waiting`);
    await expect(row(page, ID.waiting).locator("td").nth(1)).toHaveText("1");
    await expect(row(page, ID.doomed).locator("td").nth(1)).toHaveText("2");
    await openFromList(page, "waiting", ID.doomed);
    await expect(page.getByTestId("job-state")).toContainText("waiting");
    await expect(page.getByTestId("payload")).toContainText('"n": 2');
    await page.getByTestId("job-delete").click();
    await expect(page.getByTestId("confirm-dialog")).toBeVisible();
    await page.getByTestId("confirm").click();
    await expect(page.getByTestId("action-outcome")).toHaveText("Deleted");
    await open(page, `/queues/${queue}/jobs?state=waiting`);
    await expect(row(page, ID.waiting)).toBeVisible();
    await expect(row(page, ID.doomed)).toHaveCount(0);
  });

  test("scheduled: a retry shows its last error and runs now; a delayed job is deleted", async ({ page }) => {
    await open(page, `/queues/${queue}/jobs?state=scheduled`);
    await expect(row(page, ID.retry)).toContainText("retry");
    await expect(row(page, ID.retry)).toContainText("Upstream answered 502");
    await expect(row(page, ID.delayed)).toContainText("delayed");
    await openFromList(page, "scheduled", ID.retry);
    await expect(page.getByTestId("attempts-timeline")).toContainText("Upstream answered 502");
    await page.getByTestId("job-promote").click();
    await expect(page.getByTestId("action-outcome")).toContainText("now waiting");
    await expect(page.getByTestId("job-state")).toContainText("waiting");

    await openFromList(page, "scheduled", ID.delayed);
    await page.getByTestId("job-delete").click();
    await page.getByTestId("confirm").click();
    await expect(page.getByTestId("action-outcome")).toHaveText("Deleted");
  });

  test("active: an orphaned lease says so and goes back to waiting after confirmation", async ({ page }) => {
    await open(page, `/queues/${queue}/jobs?state=active`);
    await expect(row(page, ID.orphan)).toContainText("gone-host · pid 4242");
    await expect(row(page, ID.orphan).getByTestId("orphaned")).toContainText("reclaim at");
    await openFromList(page, "active", ID.orphan);
    await page.getByTestId("job-reclaim").click();
    await page.getByTestId("confirm").click();
    await expect(page.getByTestId("action-outcome")).toContainText("now waiting");
    await expect(page.getByTestId("job-state")).toContainText("waiting");
  });

  test("completed: finished, ran for, attempts; requeue runs it again with its payload", async ({ page }) => {
    await open(page, `/queues/${queue}/jobs?state=completed`);
    await expect(row(page, ID.completed)).toContainText("kept");
    await openFromList(page, "completed", ID.completed);
    await expect(page.getByTestId("payload")).toContainText('"n": "done"');
    await page.getByTestId("job-requeue").click();
    await expect(page.getByTestId("action-outcome")).toContainText("now waiting");
    await expect(page.getByTestId("job-state")).toContainText("waiting");
  });

  test("dead: the tab opens the queue's dead letters; the job page links to its dead-letter page", async ({
    page,
  }) => {
    await open(page, `/queues/${queue}`);
    await page.getByTestId("tab-dead").click();
    await expect(page).toHaveURL(`${E2E_BASE_URL}/dead-letters?queue=${queue}`);
    await expect(page.locator(`[data-testid="dead-letter-row"][data-id="${ID.dead}"]`)).toBeVisible();
    await open(page, `/queues/${queue}/jobs/${ID.dead}`);
    await expect(page.getByTestId("job-state")).toContainText("dead");
    await expect(page.getByTestId("job-actions")).toHaveCount(0);
    await page.getByTestId("dead-letter-link").click();
    await expect(page.getByTestId("dead-letter-detail")).toBeVisible();
  });
});

test("a viewer sees masked payloads and no action buttons; the server refuses the action", async ({
  page,
  request,
}) => {
  await signIn(page, "viewer");
  await open(page, `/queues/${queue}/jobs/${ID.waiting}`);
  await expect(page.getByTestId("job-detail")).toBeVisible();
  await expect(page.getByTestId("payload")).toContainText('"n": 1');
  await expect(page.getByTestId("payload")).not.toContainText(EMAIL);
  expect(await page.content()).not.toContain(EMAIL);
  await expect(page.getByTestId("job-actions")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /delete|run now|requeue|move back/i })).toHaveCount(0);
  const api = await apiAs(request, "viewer");
  const res = await api.post(`/api/v1/queues/${queue}/jobs/${ID.waiting}/delete`, {
    headers: { origin: E2E_BASE_URL },
  });
  expect(res.status()).toBe(403);
});
