/**
 * The CLI prints stored error text with control characters escaped (issue 12): a job whose
 * handler throws a message full of terminal escape sequences, a carriage return, a C1 control and
 * a right-to-left override — and whose payload holds more — really fails through lib/queue on
 * the suite's Redis; `bin/requeue.mjs` then lists, groups and shows it, as text and as JSON.
 * Nothing it prints may hold a character a terminal acts on (newline and tab aside); the text
 * shows them as visible escapes instead, and the JSON still parses to the stored text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueue } from "../lib/queue/index.ts";
import { queueSizes } from "../lib/queue/stats.ts";
import type { DeadLetter } from "../lib/queue/types.ts";
import { createRedis, type RedisClient } from "../lib/redis/connection.ts";
import { json, runCli } from "./harness/cli.ts";
import { until } from "./harness/fixtures.ts";
import { testConfig } from "./harness/index.ts";

const prefix = `ce${Math.random().toString(36).slice(2, 8)}`;
const QUEUE = "hostile";
const MESSAGE =
  "clear\x1b[2J\x1b]0;pwned\x07 red\x1b[31m back\rCR c1\x9b31m rtl\u202eevil\u2066iso\x00nul\x7fdel";
const NOTE = "title\x1b]2;owned\x07 \u202etxt.exe";
let client: RedisClient;
let id = "";

/** Characters a terminal acts on, as output.ts escapes them (newline and tab are allowed). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const cli = (args: string[]) =>
  runCli(args, { env: { REDIS_URL: testConfig().REDIS_URL, REDIS_KEY_PREFIX: prefix } });

beforeAll(async () => {
  const config = testConfig({ REDIS_KEY_PREFIX: prefix });
  client = createRedis(config);
  const q = createQueue(QUEUE, { client, config });
  ({ id } = await q.add({ note: NOTE }, { maxAttempts: 1, metadata: { by: NOTE } }));
  q.process(
    async () => {
      throw new Error(MESSAGE);
    },
    { pollMs: 20 },
  );
  await until(async () => (await queueSizes(client, QUEUE, { prefix })).dead >= 1, 15_000, "the job to fail");
  await q.close();
});

afterAll(async () => {
  await client?.quit();
});

describe("stored text reaches the terminal escaped", () => {
  it.each([
    ["dlq", "list"],
    ["dlq", "groups"],
    ["dlq", "show", QUEUE, "<id>"],
  ])("requeue %s %s prints no control character, and shows them as escapes", async (...cmd) => {
    const r = await cli(cmd.map((a) => (a === "<id>" ? id : a)));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(UNSAFE);
    expect(r.stderr).not.toMatch(UNSAFE);
    expect(r.stdout).toContain("clear\\x1b[");
    if (cmd[1] === "show") {
      expect(r.stdout).toContain(
        "clear\\x1b[2J\\x1b]0;pwned\\x07 red\\x1b[31m back\\x0dCR c1\\x9b31m rtl\\u202eevil\\u2066iso\\x00nul\\x7fdel",
      );
      // payload and metadata are printed as JSON, which escapes C0 itself; the override is escaped too
      expect(r.stdout).toContain("title\\u001b]2;owned\\u0007 \\u202etxt.exe");
      // the top stack frame is shown (the stored stack holds frames only)
      const stored = json<DeadLetter>(await cli(["dlq", "show", QUEUE, id, "--json"]));
      expect(r.stdout).toContain(`      ${stored.errors[0].stack?.split("\n")[0]}`);
    }
  });

  it.each([
    ["dlq", "list", "--json"],
    ["dlq", "show", QUEUE, "<id>", "--json"],
  ])("requeue %s %s --json is escaped JSON of the stored text", async (...cmd) => {
    const r = await cli(cmd.map((a) => (a === "<id>" ? id : a)));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(UNSAFE);
    const data = json<{ items?: { lastError: { message: string } }[] } & Partial<DeadLetter>>(r);
    const message = data.items ? data.items[0].lastError.message : data.errors?.[0].message;
    expect(message).toBe(MESSAGE);
    if (!data.items) expect(data.payload).toEqual({ note: NOTE });
  });
});
