/** Export as JSON and CSV, streamed in chunks; real redis-server. */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDeadLetters } from "../../test/harness/dead-letters.ts";
import { privatePrefix } from "../../test/harness/fixtures.ts";
import { testRedis, uniqueName } from "../../test/harness/index.ts";
import type { DeadLetter } from "../queue/types.ts";
import type { RedisClient } from "../redis/connection.ts";
import { exportDeadLetters } from "./export.ts";

privatePrefix("dlq");

let redis: RedisClient;
beforeAll(() => {
  redis = testRedis();
});
afterAll(() => redis.quit());

async function collect(gen: AsyncGenerator<string>) {
  const parts: string[] = [];
  for await (const p of gen) parts.push(p);
  return parts;
}

describe("exportDeadLetters", () => {
  it("streams the filtered set as a JSON array of full dead letters, page by page", async () => {
    const q = uniqueName("q");
    await seedDeadLetters(
      redis,
      q,
      Array.from({ length: 450 }, (_, i) => ({
        id: `j${i}`,
        deadAt: 1000 + i,
        payload: { i },
        message: i % 2 ? "odd" : "even",
      })),
    );
    const parts = await collect(exportDeadLetters(redis, { queue: q, search: "odd" }, "json"));
    expect(parts.length).toBeGreaterThan(3); // "[", two pages, "]"
    const list = JSON.parse(parts.join("")) as DeadLetter[];
    expect(list).toHaveLength(225);
    expect(list[0]).toMatchObject({ id: "j449", payload: { i: 449 } });
    expect(list.at(-1)?.id).toBe("j1");
    expect(
      JSON.parse((await collect(exportDeadLetters(redis, { queue: q, from: 5000 }, "json"))).join("")),
    ).toEqual([]);
  });

  it("writes CSV with quoting and neutralised formulas, corrupt payloads as raw text", async () => {
    const q = uniqueName("q");
    await seedDeadLetters(redis, q, [
      { id: "a", deadAt: 2000, message: '=HYPERLINK("x")', payload: { s: 'say "hi", ok' } },
      { id: "b", deadAt: 1000, rawPayload: "{broken" },
    ]);
    const csv = (await collect(exportDeadLetters(redis, { queue: q }, "csv"))).join("");
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe(
      "queue,id,dead_at,reason,fingerprint,attempts,max_attempts,error_name,error_message,payload",
    );
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[1]).toContain(`"{""s"":""say \\""hi\\"", ok""}"`);
    expect(lines[2]).toContain('"corrupt"');
    expect(lines[2]).toContain('"{broken"');
  });

  it("refuses an unknown format", async () => {
    await expect(collect(exportDeadLetters(redis, {}, "xml" as "csv"))).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
  });
});
