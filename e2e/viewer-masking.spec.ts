/**
 * A viewer sees no masked value, anywhere (issue 12). A job whose payload and metadata hold a
 * customer's email fails with an error that quotes it; an admin edits the payload (a new email)
 * and requeues it; it fails again, quoting the new one. Then every page a viewer may open (HTML,
 * the RSC payload inside it, every network response it makes) and every GET route a viewer may
 * call (list, search, get, groups, count, export, …, found on disk like the access matrix does)
 * must hold neither email — while the admin, on the same entry, sees both.
 */
import { randomBytes } from "node:crypto";
import { expect, type Page, type Response, test } from "@playwright/test";
import { bearer, bearerFor, signIn } from "./helpers/auth.ts";
import { discoverPages, discoverRoutes, PARAMS } from "./helpers/auth-routes.ts";
import { purgeSeeded, startFailingConsumer, uniqueQueue } from "./helpers/seed.ts";

test.afterAll(purgeSeeded);

// Letters only: the stored group sample is normalised (digits and hex runs become <n>, <hex>),
// and the group view must be shown to hide the email itself.
const tag = [...randomBytes(8)].map((b) => "ghijklmnopqrstuvwxyz"[b % 20]).join("");
const OLD = `old.customer.${tag}@mask.example`;
const NEW = `new.customer.${tag}@mask.example`;
const quoted = (data: Record<string, unknown>) =>
  `Mailbox ${String(data.customer_email)} rejected the message`;

/** Where a secret must not be: the text, also with its "@" percent-encoded (URLs, forms). */
function leaks(text: string): string[] {
  return [OLD, NEW].flatMap((v) => [v, encodeURIComponent(v)]).filter((v) => text.includes(v));
}

async function open(page: Page, path: string) {
  await page.goto(path);
  await page.locator("html[data-hydrated]").waitFor();
  await page.waitForLoadState("networkidle");
}

/** A path with its dynamic segments filled: this test's queue and entry, else the samples. */
function fill(pattern: string, queue: string, id: string): string {
  const values: Record<string, string> = { ...PARAMS[pattern], queue, id };
  return pattern.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? ""),
  );
}

test("after an admin's edit & requeue, a viewer sees neither the old nor the new email", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const queue = uniqueQueue("mask");
  const consumer = await startFailingConsumer(queue, quoted);
  try {
    const id = await consumer.add(
      { orderId: 7, customer_email: OLD, contact: { "CUSTOMER-EMAIL": OLD }, note: "keep" },
      { customerEmail: OLD, source: "e2e" },
    );
    await consumer.untilDead(id, 2);

    // The admin edits the payload (a new address) and requeues; the job fails twice more.
    await signIn(page, "admin");
    await open(page, `/dead-letters/${queue}/${id}`);
    await page.getByTestId("edit-requeue").click();
    const edited = { orderId: 7, customer_email: NEW, contact: { "CUSTOMER-EMAIL": NEW }, note: "keep" };
    await page.getByTestId("payload-input").fill(JSON.stringify(edited));
    await page.getByTestId("edit-requeue-submit").click();
    await expect(page.getByTestId("action-outcome")).toContainText("edited payload");
    await consumer.untilDead(id, 4);

    // The admin sees everything: the data the viewer must not see is really there.
    const asAdmin = await (await page.request.get(`/api/v1/dead-letters/${queue}/${id}`)).text();
    expect(asAdmin).toContain(OLD); // the history's originalPayload, the first errors
    expect(asAdmin).toContain(NEW); // the payload, the last errors
    await open(page, `/dead-letters/${queue}/${id}`);
    expect(await page.content()).toContain(OLD);

    const context = await browser.newContext();
    const viewer = await context.newPage();
    const responses: { url: string; leaks: string[] }[] = [];
    const pending: Promise<void>[] = [];
    viewer.on("response", (r: Response) => {
      pending.push(
        r.text().then(
          (body) => void responses.push({ url: r.url(), leaks: leaks(body) }),
          () => undefined, // a redirect or an aborted request has no body
        ),
      );
    });
    await signIn(viewer, "viewer");

    // Every page a viewer may open, with this entry's queue and id where a page takes them.
    const paths = discoverPages()
      .filter((p) => p.access === "viewer")
      .map((p) => fill(p.pattern, queue, id));
    paths.push(`/dead-letters?queue=${queue}`, `/dead-letters?queue=${queue}&tab=groups`);
    paths.push(`/dead-letters?queue=${queue}&q=Mailbox`);
    const pages: { path: string; leaks: string[] }[] = [];
    for (const path of paths) {
      await open(viewer, path);
      pages.push({ path, leaks: leaks(await viewer.content()) });
    }
    // Every GET route a viewer may call, by session and by token, with the queue's filters.
    const token = bearer(await bearerFor("viewer"));
    const routes = discoverRoutes()
      .filter((r) => r.method === "GET" && r.access !== "admin" && !r.pattern.startsWith("/api/auth"))
      .map((r) => fill(r.pattern, queue, id));
    const dl = "/api/v1/dead-letters";
    routes.push(`${dl}?queue=${queue}`, `${dl}?q=Mailbox`, `${dl}?queue=${queue}&q=rejected`);
    routes.push(`${dl}/groups?queue=${queue}`, `${dl}/count?q=Mailbox`, `${dl}/export?queue=${queue}`);
    routes.push(`${dl}/export?format=csv`, "/api/auth/session");
    const apis: { path: string; status: number; leaks: string[] }[] = [];
    for (const path of routes) {
      for (const options of [{}, token]) {
        const res = await viewer.request.get(path, options);
        apis.push({ path, status: res.status(), leaks: leaks(await res.text()) });
      }
    }
    const list = await viewer.request.get(`${dl}?queue=${queue}`);
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(1);

    await Promise.all(pending);
    expect.soft(pages.filter((p) => p.leaks.length)).toEqual([]);
    expect.soft(apis.filter((a) => a.leaks.length)).toEqual([]);
    expect.soft(responses.filter((r) => r.leaks.length)).toEqual([]);
    expect(pages.length).toBeGreaterThan(5);
    expect(apis.length).toBeGreaterThan(20);

    // The entry is on screen, masked: the checks above did not pass on an empty page.
    await open(viewer, `/dead-letters/${queue}/${id}`);
    await expect(viewer.getByTestId("payload")).toContainText('"customer_email": "•••"');
    await expect(viewer.getByTestId("attempts-timeline")).toContainText("Mailbox ••• rejected");
    await open(viewer, `/dead-letters?queue=${queue}`);
    await expect(viewer.getByTestId("dead-letter-row")).toContainText("Mailbox ••• rejected");
    // The list's rows are in the server's HTML (app/(console)/dead-letters/(list)/page.tsx), masked there.
    const html = await (await viewer.request.get(`/dead-letters?queue=${queue}`)).text();
    expect(html).toContain('data-testid="dead-letter-row"');
    expect(html).toContain("Mailbox ••• rejected");
    expect(leaks(html)).toEqual([]);
    await context.close();
  } finally {
    await consumer.stop();
  }
});
