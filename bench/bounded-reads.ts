/**
 * `npx tsx bench/bounded-reads.ts`: what one console request costs with and without the bounds
 * of issue 12 — a count with a text found nowhere over 1,000,000 dead letters (API_SCAN_LIMIT,
 * 10,000) and the groups list of 20,000 fingerprints (GROUPS_PAGE_MAX, 1,000). Starts its own
 * redis-server; prints the median of 5 runs, wall time (includes the round trips, on a shared
 * machine an upper bound of the Redis work).
 */
import { performance } from "node:perf_hooks";
import { countMatches } from "../lib/dlq/count.ts";
import { GROUPS_PAGE_MAX, listGroupsPage } from "../lib/dlq/groups.ts";
import { createRedisFromUrl } from "../lib/redis/connection.ts";
import { seedDeadLetters } from "../test/harness/dead-letters.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";

const server = await startRedisServer();
const c = createRedisFromUrl(server.url);
const N = 1_000_000;
const seed = (queue: string, n: number, entry: (i: number) => object) =>
  seedDeadLetters(
    c,
    queue,
    Array.from({ length: n }, (_, i) => ({ id: `j${i}`, deadAt: 1e6 + i, ...entry(i) })),
  );
for (let i = 0; i < N; i += 50_000) await seed(`big${i}`, 50_000, () => ({ message: "connection refused" }));
await seed("many", 20_000, (i) => ({ fingerprint: `fp-${i}` }));

async function time(what: string, fn: () => Promise<{ scanned: number; partial: boolean }>) {
  const ms: number[] = [];
  let last = { scanned: 0, partial: false };
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    last = await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${what}: median ${ms[2].toFixed(0)} ms, scanned ${last.scanned}, partial ${last.partial}`);
}

await time("count q=nowhere, 1,000,000 entries, bounded 10,000", () =>
  countMatches(c, { search: "nowhere" }, { scanMax: 10_000 }),
);
await time("count q=nowhere, 1,000,000 entries, unbounded (before)", () =>
  countMatches(c, { search: "nowhere" }),
);
await time(`groups, 20,000 fingerprints, bounded ${GROUPS_PAGE_MAX}`, () =>
  listGroupsPage(c, { queue: "many" }, { scanMax: GROUPS_PAGE_MAX }),
);
await time("groups, 20,000 fingerprints, unbounded (before)", () => listGroupsPage(c, { queue: "many" }));
await c.quit();
await server.stop();
