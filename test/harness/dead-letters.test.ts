/** The seeder of test and benchmark dead letters: entries made through the queue's own scripts. */
import { afterAll, describe, expect, it } from "vitest";
import { queueKeys } from "../../lib/redis/keys.ts";
import { seedDeadLetters } from "./dead-letters.ts";
import { privatePrefix } from "./fixtures.ts";
import { testRedis, uniqueName } from "./index.ts";

privatePrefix("seed");
const redis = testRedis();
afterAll(() => redis.quit());

describe("seedDeadLetters", () => {
  it("records a given whole stack in every attempt's error, and the short default otherwise", async () => {
    const queue = uniqueName("seed");
    const stack = `Error: boom 7\n${Array.from({ length: 15 }, (_, f) => `    at f${f} (src/a.ts:${f}:1)`).join("\n")}`;
    const [withStack, plain] = await seedDeadLetters(redis, queue, [
      { message: "boom 7", stack, attempts: 3 },
      { message: "boom 8", topFrame: "at g (b.ts:2:2)", attempts: 2 },
    ]);
    const errorsOf = async (id: string) =>
      JSON.parse((await redis.hget(queueKeys(queue).job(id), "errors")) ?? "[]") as { stack: string }[];
    const a = await errorsOf(withStack);
    expect(a).toHaveLength(3);
    for (const e of a) expect(e.stack).toBe(stack);
    const b = await errorsOf(plain);
    expect(b.map((e) => e.stack)).toEqual([
      "Error: boom 8\n    at g (b.ts:2:2)",
      "Error: boom 8\n    at g (b.ts:2:2)",
    ]);
  });
});
