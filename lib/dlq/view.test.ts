/**
 * What a viewer may see of dead letters (lib/dlq/view.ts): one entry, a page of rows and the
 * error groups, against a real redis-server. Admins see entries as stored.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDeadLetters } from "../../test/harness/dead-letters.ts";
import { privatePrefix } from "../../test/harness/fixtures.ts";
import { testRedis, uniqueName } from "../../test/harness/index.ts";
import { MASK, MASK_TEXT_HIDDEN } from "../auth/mask.ts";
import type { DeadLetter } from "../queue/types.ts";
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import { exportDeadLetters } from "./export.ts";
import { listDeadLetters } from "./list.ts";
import { getDeadLetter, listGroups } from "./read.ts";
import { viewDeadLetter, viewGroups, viewPage } from "./view.ts";

privatePrefix("dlqview");

const FIELDS = ["email", "token"];
const OLD = "old.customer@example.org";
const NEW = "new.customer@example.org";

let redis: RedisClient;
beforeAll(() => {
  redis = testRedis();
});
afterAll(() => redis.quit());

/** A dead letter edited once by an admin (OLD → NEW) that failed before and after. */
function edited(): DeadLetter {
  const error = (attempt: number, who: string) => ({
    attempt,
    name: "MailboxError",
    message: `Mailbox ${who} rejected (token tok-12345678)`,
    stack: `at send (mail.ts:1:1) ${who}\nat run (worker.ts:2:2)`,
    at: attempt,
    consumer: "c1",
  });
  return {
    queue: "mail",
    id: "j1",
    payload: { customerEmail: NEW, recipients: [{ EMAIL: "cc.one@example.org" }], n: 1 },
    metadata: { "reply-to-email": "reply.to@example.org", source: "web" },
    attempts: 2,
    maxAttempts: 2,
    errors: [error(1, OLD), error(2, "cc.one@example.org"), error(1, NEW), error(2, "reply.to@example.org")],
    fingerprint: "fp",
    reason: "failed",
    firstFailedAt: 1,
    lastFailedAt: 2,
    deadAt: 2,
    createdAt: 0,
    history: [
      {
        at: 1,
        action: "payload-edited",
        by: "admin@x.io",
        originalPayload: JSON.stringify({ customer_email: OLD, auth: { token: "tok-12345678" }, n: 1 }),
      },
      { at: 1, action: "requeued", by: "admin@x.io" },
    ],
  };
}

describe("viewDeadLetter", () => {
  it("gives an admin the entry as stored", () => {
    const d = edited();
    expect(viewDeadLetter(d, "admin", FIELDS)).toBe(d);
  });

  it("masks payload, metadata and every original payload in the history for a viewer", () => {
    const v = viewDeadLetter(edited(), "viewer", FIELDS);
    expect(v.payload).toEqual({ customerEmail: MASK, recipients: [{ EMAIL: MASK }], n: 1 });
    expect(v.metadata).toEqual({ "reply-to-email": MASK, source: "web" });
    expect(JSON.parse(v.history[0].originalPayload as string)).toEqual({
      customer_email: MASK,
      auth: { token: MASK },
      n: 1,
    });
    expect(v.history[1]).toEqual({ at: 1, action: "requeued", by: "admin@x.io" });
  });

  it("cuts every masked value (payload, metadata, history, arrays) out of each attempt's error", () => {
    const v = viewDeadLetter(edited(), "viewer", FIELDS);
    expect(v.errors.map((e) => e.message)).toEqual(Array(4).fill(`Mailbox ${MASK} rejected (token ${MASK})`));
    for (const e of v.errors) expect(e.stack).toMatch(/^at send \(mail\.ts:1:1\) •••\nat run/);
    const text = JSON.stringify(v);
    for (const secret of [OLD, NEW, "cc.one@example.org", "reply.to@example.org", "tok-12345678"])
      expect(text).not.toContain(secret);
  });

  it("hides a corrupt payload whole: it cannot be read field by field", () => {
    const d = { ...edited(), reason: "corrupt" as const, payload: `{"email":"${OLD}"` };
    expect(viewDeadLetter(d, "viewer", FIELDS).payload).toBe(MASK);
    expect(viewDeadLetter(d, "viewer", []).payload).toBe(d.payload);
  });
});

describe("viewPage and viewGroups", () => {
  /** A dead letter whose errors quote OLD, which only its history still holds (payload has NEW). */
  async function seedEdited(queue: string, fp: string) {
    const [id] = await seedDeadLetters(redis, queue, [
      {
        payload: { customer_email: NEW },
        message: `Mailbox ${OLD} rejected`,
        fingerprint: fp,
        errorName: "MailboxError",
      },
    ]);
    const hist = [{ at: 1, action: "payload-edited", originalPayload: JSON.stringify({ email: OLD }) }];
    await redis.hset(queueKeys(queue).job(id), "hist", JSON.stringify(hist));
    return id;
  }

  it("masks each row's last error with its entry's values; an admin reads it as stored", async () => {
    const q = uniqueName("q");
    await seedEdited(q, "fp-a");
    await seedDeadLetters(redis, q, [
      { payload: { n: 1 }, message: `Mailbox ${OLD} rejected`, fingerprint: "fp-b" },
    ]);
    const page = await listDeadLetters(redis, { queue: q });
    const viewed = await viewPage(redis, page, "viewer", FIELDS);
    // the entry that holds OLD is masked; the other one never had it in a masked field
    expect(viewed.items.map((s) => s.lastError?.message).sort()).toEqual(
      [`Mailbox ${MASK} rejected`, `Mailbox ${OLD} rejected`].sort(),
    );
    expect(viewed.nextCursor).toBe(page.nextCursor);
    expect(await viewPage(redis, page, "admin", FIELDS)).toBe(page);
  });

  it("leaves out a row whose entry went away between the list and its view", async () => {
    const q = uniqueName("q");
    const id = await seedEdited(q, "fp-a");
    const page = await listDeadLetters(redis, { queue: q });
    await redis.del(queueKeys(q).job(id));
    expect((await viewPage(redis, page, "viewer", FIELDS)).items).toEqual([]);
  });

  it("shows a viewer each group's sample from its newest entry, masked and normalised", async () => {
    const q = uniqueName("q");
    const id = await seedEdited(q, "fp-a");
    const groups = await listGroups(redis, q);
    expect(groups[0].sampleMessage).toBe(`Mailbox ${OLD} rejected`);
    const [g] = await viewGroups(redis, groups, "viewer", FIELDS);
    expect(g).toMatchObject({ fingerprint: "fp-a", count: 1, name: "MailboxError" });
    expect(g.sampleMessage).toBe(`Mailbox ${MASK} rejected`);
    expect(await viewGroups(redis, groups, "admin", FIELDS)).toBe(groups);
    // the full entry agrees
    const d = await getDeadLetter(redis, q, id);
    expect(viewDeadLetter(d, "viewer", FIELDS).errors.at(-1)?.message).toBe(`Mailbox ${MASK} rejected`);
  });

  it("an export passes each entry through the view it is given (JSON and CSV)", async () => {
    const q = uniqueName("q");
    await seedEdited(q, "fp-a");
    const asViewer = (d: DeadLetter) => viewDeadLetter(d, "viewer", FIELDS);
    for (const format of ["json", "csv"] as const) {
      let text = "";
      for await (const chunk of exportDeadLetters(redis, { queue: q }, format, asViewer)) text += chunk;
      expect(text).toContain(MASK);
      expect(text).not.toContain(OLD);
      expect(text).not.toContain(NEW);
    }
  });

  it("hides text whole when an entry has more masked values than are checked", async () => {
    const q = uniqueName("q");
    const emails = Array.from({ length: 300 }, (_, i) => `user${i}@example.org`);
    await seedDeadLetters(redis, q, [{ payload: { emails }, message: "Mailbox user7@example.org rejected" }]);
    const page = await viewPage(redis, await listDeadLetters(redis, { queue: q }), "viewer", FIELDS);
    expect(page.items[0].lastError?.message).toBe(MASK_TEXT_HIDDEN);
  });
});
