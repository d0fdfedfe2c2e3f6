/**
 * `requeue jobs …` against real jobs on the suite's redis-server: the real `bin/requeue.mjs`
 * lists each state, shows a job wherever it is, promotes and deletes, with exit code 3 for an
 * unknown id, 1 (and the current state) for a job in another state, 2 for bad arguments, and
 * an audit entry for each action.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../lib/auth/audit.ts";
import { createQueue, type Queue } from "../lib/queue/index.ts";
import { createRedis, type RedisClient } from "../lib/redis/connection.ts";
import { json, runCli } from "./harness/cli.ts";
import { until } from "./harness/fixtures.ts";
import { testConfig } from "./harness/index.ts";

const prefix = `cj${Math.random().toString(36).slice(2, 8)}`;
let config: ReturnType<typeof testConfig>;
let client: RedisClient;
let q: Queue;
const env = () => ({ REDIS_URL: config.REDIS_URL, REDIS_KEY_PREFIX: prefix });
const cli = (args: string[]) => runCli(args, { env: env() });

beforeAll(async () => {
  config = testConfig({ REDIS_KEY_PREFIX: prefix });
  client = createRedis(config);
  q = createQueue("mail", { client, config });
  await q.add({ to: "a" }, { jobId: "done-1" });
  const c = q.process(async () => {}, { pollMs: 20 });
  await until(async () => (await client.zcard(q.ctx.keys.completed)) === 1);
  await c.close();
  await q.add({ to: "b" }, { jobId: "w-1" });
  await q.add({ to: "c" }, { jobId: "w-2" });
  await q.add({ to: "d" }, { jobId: "later", delayMs: 600_000 });
});

afterAll(async () => {
  await client?.quit();
});

describe("jobs list", () => {
  it("lists waiting jobs oldest first and pages with a cursor", async () => {
    const r = await cli(["jobs", "list", "mail", "--limit", "1", "--json"]);
    expect(r.code).toBe(0);
    const page = json<{ items: { id: string; position: number }[]; nextCursor: string; total: number }>(r);
    expect(page.items).toMatchObject([{ id: "w-1", position: 0 }]);
    expect(page.total).toBe(2);
    const next = json<{ items: { id: string }[] }>(
      await cli(["jobs", "list", "mail", "--limit", "1", "--cursor", page.nextCursor, "--json"]),
    );
    expect(next.items.map((i) => i.id)).toEqual(["w-2"]);
  });

  it("shows scheduled and completed as tables", async () => {
    const s = await cli(["jobs", "list", "mail", "--state", "scheduled"]);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/later\s+delayed/);
    const c = await cli(["jobs", "list", "mail", "--state", "completed"]);
    expect(c.stdout).toContain("done-1");
  });

  it("refuses an unknown state with exit 2, naming the option", async () => {
    const r = await cli(["jobs", "list", "mail", "--state", "sleeping"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--state");
  });
});

describe("jobs show", () => {
  it("finds a job in any queue and state; exit 3 when none has it", async () => {
    const r = await cli(["jobs", "show", "later", "--json"]);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ queue: "mail", state: "scheduled", payload: { to: "d" } });
    const text = await cli(["jobs", "show", "w-2"]);
    expect(text.stdout).toContain("mail / w-2  waiting");
    expect((await cli(["jobs", "show", "nobody"])).code).toBe(3);
  });
});

describe("jobs promote and delete", () => {
  it("promotes a delayed job, then says a second promote changed nothing; audited", async () => {
    const r = await cli(["jobs", "promote", "mail", "later"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("promoted: mail/later");
    expect((await cli(["jobs", "promote", "mail", "later"])).stdout).toContain("nothing changed");
    const { entries } = await listAudit(client, {}, { prefix });
    expect(entries.some((e) => e.action === "job.promote" && e.target === "mail/later")).toBe(true);
  });

  it("deletes a waiting job; a completed one exits 1 and names its state; an unknown id exits 3", async () => {
    expect((await cli(["jobs", "delete", "mail", "w-1"])).code).toBe(0);
    const wrong = await cli(["jobs", "delete", "mail", "done-1"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("is completed");
    expect((await cli(["jobs", "delete", "mail", "w-1"])).code).toBe(3);
  });
});
