/**
 * Bounded work for every request (issue 12), against the built console on its shipped defaults
 * (API_SCAN_LIMIT 10,000, API_BODY_MAX_BYTES 1 MiB, BULK_MAX_RUNNING 4):
 * - a count with text over 12,000 dead letters stops at the bound, says `partial`, and its cursor
 *   counts on to the exact total; the console's bulk confirmation says "≥"; the groups list stops
 *   at 1,000 groups the same way, and the groups tab says more exist;
 * - a body over the limit answers 413 with a JSON error, whether Content-Length announces it or
 *   it arrives chunked, and nothing is created;
 * - adding a user who exists answers 409 in the API and a clear message in Settings;
 * - a fifth background bulk operation answers 429 until one of the four running ends.
 * Many entries are written with lib/dlq's pipelined fixture (a producer would take minutes).
 */
import { expect, test } from "@playwright/test";
import { seedDeadLetters as seedFast } from "../test/harness/dead-letters.ts";
import { E2E_BASE_URL, e2eClient } from "./env.ts";
import { apiAs, bearer, bearerFor, signIn, uniqueEmail } from "./helpers/auth.ts";
import { purgeSeeded, uniqueQueue } from "./helpers/seed.ts";

const SCAN_LIMIT = 10_000; // API_SCAN_LIMIT's default
const BODY_MAX = 1024 * 1024; // API_BODY_MAX_BYTES's default
const BULK_MAX = 4; // BULK_MAX_RUNNING's default
const GROUPS_MAX = 1000; // GROUPS_PAGE_MAX

async function seedMany(queue: string, n: number, message: (i: number) => string) {
  const client = e2eClient();
  try {
    await seedFast(
      client,
      queue,
      Array.from({ length: n }, (_, i) => ({ id: `b${i}`, message: message(i), payload: { n: i } })),
    );
  } finally {
    await client.quit();
  }
}

test.afterAll(() => purgeSeeded());

test("a count with text stops at API_SCAN_LIMIT, says partial, and its cursor goes on", async ({
  request,
  page,
}) => {
  test.setTimeout(120_000);
  const queue = uniqueQueue("bounds");
  const N = 12_000;
  await seedMany(queue, N, (i) => (i % 4 === 0 ? "disk quota exceeded" : "connection refused"));
  const viewer = bearer(await bearerFor("viewer", "e2e-bounds"));

  const first = await request.get(`/api/v1/dead-letters/count?queue=${queue}&q=disk%20quota`, viewer);
  expect(first.status()).toBe(200);
  const body = await first.json();
  expect(body).toMatchObject({ partial: true, nextCursor: expect.any(String) });
  expect(body.scanned).toBeLessThanOrEqual(SCAN_LIMIT);
  let total = body.count;
  let cursor = body.nextCursor;
  for (let i = 0; cursor && i < 10; i++) {
    const next = await (
      await request.get(`/api/v1/dead-letters/count?queue=${queue}&q=disk%20quota&cursor=${cursor}`, viewer)
    ).json();
    expect(next.scanned).toBeLessThanOrEqual(SCAN_LIMIT);
    total += next.count;
    cursor = next.nextCursor;
  }
  expect(cursor).toBeNull();
  expect(total).toBe(N / 4);
  // without text the count comes from the index: exact, nothing scanned
  expect(await (await request.get(`/api/v1/dead-letters/count?queue=${queue}`, viewer)).json()).toEqual({
    count: N,
    partial: false,
    scanned: 0,
    nextCursor: null,
    total: N,
  });

  // The console's bulk confirmation counts on, call after call (each within the bound), showing
  // how far it got, and ends at the exact number — never a wrong exact number on the way.
  await signIn(page, "admin");
  await page.goto(`/dead-letters?queue=${queue}&q=disk%20quota`);
  await page.locator("html[data-hydrated]").waitFor();
  await page.getByTestId("requeue-all").click();
  await expect(page.getByTestId("confirm-text")).toContainText(
    `Requeue ${(N / 4).toLocaleString("en-US")} dead letters`,
  );
  await expect(page.getByTestId("confirm-text")).not.toContainText("≥");
  await expect(page.getByTestId("count-progress")).toHaveCount(0);
});

test("the groups list reads at most 1,000 groups, says partial, and its cursor goes on", async ({
  request,
  page,
}) => {
  const queue = uniqueQueue("groups");
  const N = GROUPS_MAX + 200;
  const client = e2eClient();
  try {
    await seedFast(
      client,
      queue,
      Array.from({ length: N }, (_, i) => ({ id: `g${i}`, fingerprint: `fp-${i}`, message: `error ${i}` })),
    );
  } finally {
    await client.quit();
  }
  const viewer = bearer(await bearerFor("viewer", "e2e-bounds-groups"));
  const first = await (await request.get(`/api/v1/dead-letters/groups?queue=${queue}`, viewer)).json();
  expect(first).toMatchObject({ partial: true, scanned: GROUPS_MAX, nextCursor: expect.any(String) });
  expect(first.groups).toHaveLength(GROUPS_MAX);
  const rest = await (
    await request.get(`/api/v1/dead-letters/groups?queue=${queue}&cursor=${first.nextCursor}`, viewer)
  ).json();
  expect(rest).toMatchObject({ partial: false, nextCursor: null });
  const all = new Set([...first.groups, ...rest.groups].map((g: { fingerprint: string }) => g.fingerprint));
  expect(all.size).toBe(N);

  await signIn(page, "viewer");
  await page.goto(`/dead-letters?tab=groups&queue=${queue}`);
  await expect(page.getByTestId("groups-partial")).toContainText("more exist");
});

test("a body over API_BODY_MAX_BYTES answers 413 with a JSON error, announced or chunked", async ({
  request,
}) => {
  const token = await bearerFor("admin", "e2e-bounds-admin");
  const email = uniqueEmail("huge");
  const huge = JSON.stringify({ email, role: "viewer", name: "x".repeat(BODY_MAX + 10) });

  const announced = await request.post("/api/v1/users", {
    ...bearer(token),
    headers: { ...bearer(token).headers, "content-type": "application/json" },
    data: huge,
  });
  expect(announced.status()).toBe(413);
  expect((await announced.json()).error.message).toMatch(/larger than 1048576 bytes \(API_BODY_MAX_BYTES\)/);

  // No Content-Length: the handler counts what it reads and stops past the limit.
  const bytes = new TextEncoder().encode(huge);
  const chunked = await fetch(`${E2E_BASE_URL}/api/v1/users`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: new ReadableStream({
      start(c) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) c.enqueue(bytes.slice(i, i + 64 * 1024));
        c.close();
      },
    }),
    duplex: "half",
  } as RequestInit);
  expect(chunked.status).toBe(413);
  expect((await chunked.json()).error.status).toBe(413);

  const users = await (await request.get("/api/v1/users", bearer(token))).json();
  expect(users.users.map((u: { email: string }) => u.email)).not.toContain(email);
});

test("adding a user who exists answers 409 in the API and a clear message in Settings", async ({
  request,
  page,
}) => {
  const token = await bearerFor("admin", "e2e-bounds-users");
  const email = uniqueEmail("twice");
  const add = () => request.post("/api/v1/users", { ...bearer(token), data: { email, role: "viewer" } });
  expect((await add()).status()).toBe(201);
  const again = await add();
  expect(again.status()).toBe(409);
  expect((await again.json()).error.message).toContain(`${email} already exists`);

  await signIn(page, "admin");
  await page.goto("/settings");
  await page.locator("html[data-hydrated]").waitFor();
  const form = page.getByTestId("user-add-form");
  await form.getByLabel("Email").fill(email);
  await page.getByTestId("user-add").click();
  await expect(page.getByTestId("users-message")).toContainText(`${email} already exists`);
  await expect(page.getByTestId("users-message")).not.toContainText("Something went wrong");
});

test("a bulk operation beyond BULK_MAX_RUNNING answers 429 until one ends", async ({ request }) => {
  test.setTimeout(90_000);
  const api = await apiAs(request, "admin");
  const queues = Array.from({ length: BULK_MAX + 2 }, () => uniqueQueue("bulkcap"));
  for (const q of queues) await seedMany(q, 50, () => "boom");
  const start = (queue: string) =>
    api.post("/api/v1/dead-letters/delete", {
      // 1 per second: each keeps running until cancelled
      data: { scope: "all", queue, rateLimit: 1 },
      headers: { origin: E2E_BASE_URL },
    });
  const started: string[] = [];
  let refused: { status: number; message: string; retryAfter?: string } | null = null;
  for (const q of queues) {
    const res = await start(q);
    if (res.status() === 200) started.push((await res.json()).bulkId);
    else {
      refused = {
        status: res.status(),
        message: (await res.json()).error.message,
        retryAfter: res.headers()["retry-after"],
      };
      break;
    }
  }
  expect(started.length).toBeLessThanOrEqual(BULK_MAX);
  expect(refused).toMatchObject({ status: 429, retryAfter: expect.any(String) });
  expect(refused?.message).toMatch(/already running \(at most 4, BULK_MAX_RUNNING\)/);

  for (const id of started) {
    const res = await api.post(`/api/v1/bulk/${id}/cancel`, { headers: { origin: E2E_BASE_URL } });
    expect([200, 409]).toContain(res.status());
  }
  // a cancelled operation gives its slot back when it stops
  let again: string | undefined;
  await expect
    .poll(
      async () => {
        const res = await start(queues.at(-1) as string);
        if (res.status() === 200) again = (await res.json()).bulkId;
        return res.status();
      },
      { timeout: 20_000 },
    )
    .toBe(200);
  await api.post(`/api/v1/bulk/${again}/cancel`, { headers: { origin: E2E_BASE_URL } });
});
