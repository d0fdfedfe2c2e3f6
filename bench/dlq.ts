/**
 * `npm run bench:dlq`: the DLQ admin API against a million dead letters.
 *
 * Starts its own redis-server (pinned to core 1 when taskset exists, this process to core 0),
 * seeds DLQ_BENCH_ENTRIES (default 1,000,000) dead letters across 4 queues and 20 error groups
 * with the lib/dlq fixture, then times: the first page (all queues), a page filtered by group,
 * a text search page, a rare text search (bounded partial page), the group counts, a count by
 * group, and a bulk requeue of 100,000 entries. Reads are the median of several runs (min–max
 * shown); the longest single Redis call comes from SLOWLOG (threshold 100 µs during the timed part). Prints a table, then the JSON summary as the last line.
 */
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { runBulk } from "../lib/dlq/bulk.ts";
import { countDeadLetters, listDeadLetters } from "../lib/dlq/list.ts";
import { listGroups } from "../lib/dlq/read.ts";
import { type SeedEntry, seedDeadLetters } from "../lib/dlq/testing.ts";
import { createRedisFromUrl, type RedisClient } from "../lib/redis/connection.ts";
import { queueKeys } from "../lib/redis/keys.ts";
import { loadScripts } from "../lib/redis/scripts.ts";
import { startRedisServer } from "../test/harness/redis-server.ts";

const TOTAL = Number(process.env.DLQ_BENCH_ENTRIES ?? 1_000_000);
const BULK = Math.min(100_000, Math.floor(TOTAL / 10));
const RUNS = Number(process.env.DLQ_BENCH_RUNS ?? 7);
const QUEUES = ["documents", "audio", "video", "graph"];
const GROUPS_PER_QUEUE = 5;
const MESSAGES = [
  "Request to vector store timed out after 30000 ms",
  "quota exceeded for tenant 4711 (limit 1000/min)",
  "ECONNRESET while fetching https://example.com/file.pdf",
  "TypeError: Cannot read properties of undefined (reading 'pages')",
  "transcoder exited with code 137",
];
const BIG_GROUP = "documents-g0"; // BULK entries: the bulk requeue's scope
const SEED_BATCH = 5000;

function pin(pid: number | undefined, core: number): boolean {
  try {
    execFileSync("taskset", ["-cp", String(core), String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The entries of one queue: group 0 of "documents" holds BULK, the rest is spread evenly. */
function groupOf(queue: string, i: number): number {
  if (queue !== "documents") return i % GROUPS_PER_QUEUE;
  return i < BULK ? 0 : 1 + (i % (GROUPS_PER_QUEUE - 1));
}

async function seedQueue(
  client: RedisClient,
  queue: string,
  perQueue: number,
  t0: number,
  ids?: Set<number>,
) {
  for (let start = 0; start < perQueue; start += SEED_BATCH) {
    const entries: SeedEntry[] = [];
    for (let i = start; i < Math.min(perQueue, start + SEED_BATCH); i++) {
      if (ids && !ids.has(i)) continue;
      const g = groupOf(queue, i);
      entries.push({
        id: `${queue}-${i}`,
        // interleaved in time: entry i of each queue died around t0 - i * 4 ms
        deadAt: t0 - i * QUEUES.length - QUEUES.indexOf(queue),
        fingerprint: `${queue}-g${g}`,
        errorName: "Error",
        message: MESSAGES[g].replace("4711", String(i % 9000)),
        payload: { docId: i, tenant: i % 97, note: "x".repeat(64) },
      });
    }
    if (entries.length) await seedDeadLetters(client, queue, entries);
  }
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

interface Stat {
  median: number;
  min: number;
  max: number;
}

async function repeat(fn: () => Promise<unknown>, runs = RUNS): Promise<Stat> {
  await fn(); // warm-up: script load, connection
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(await time(fn));
  xs.sort((a, b) => a - b);
  return { median: xs[Math.floor(xs.length / 2)], min: xs[0], max: xs[xs.length - 1] };
}

/** The longest command SLOWLOG recorded since its last reset (admin calls only). */
async function slowest(client: RedisClient): Promise<{ us: number; command: string }> {
  const log = (await client.call("SLOWLOG", "GET", "-1")) as [number, number, number, string[]][];
  let worst = { us: 0, command: "" };
  for (const [, , us, args] of log) {
    if (/^(slowlog|config)$/i.test(args[0])) continue;
    const what =
      args[0].toLowerCase() === "evalsha" ? `evalsha ${scriptName(args[1])}` : args.slice(0, 2).join(" ");
    if (us > worst.us) worst = { us, command: what.slice(0, 60) };
  }
  return worst;
}

const SCRIPT_NAMES = new Map(
  Object.values(loadScripts(new URL("../lib/dlq/scripts/", import.meta.url))).map((s) => [s.sha, s.name]),
);
const scriptName = (sha: string) => SCRIPT_NAMES.get(sha) ?? sha.slice(0, 8);

async function bulkRequeue(client: RedisClient, t0: number) {
  await client.slowlog("RESET");
  const t = performance.now();
  const r = await runBulk(client, {
    action: "requeue",
    scope: { filter: { queue: "documents", group: BIG_GROUP } },
  });
  const ms = performance.now() - t;
  const slow = await slowest(client);
  // put them back for the next run: empty ready, seed the same dead letters again
  await client.del(queueKeys("documents").ready);
  await seedQueue(client, "documents", BULK, t0);
  return { ms, done: r.done, slow };
}

async function main() {
  const server = await startRedisServer();
  const pinned = pin(server.pid, 1) && pin(process.pid, 0);
  const client = createRedisFromUrl(server.url);
  try {
    const t0 = Date.now() - 60_000;
    const perQueue = Math.ceil(TOTAL / QUEUES.length);
    const seedStart = performance.now();
    await Promise.all(QUEUES.map((q) => seedQueue(client, q, perQueue, t0)));
    const seedS = (performance.now() - seedStart) / 1000;
    const seeded = (await Promise.all(QUEUES.map((q) => client.zcard(queueKeys(q).dead)))).reduce(
      (a, b) => a + b,
    );

    // SLOWLOG keeps every call over 100 µs: the longest single Redis call of the timed part
    await client.config("SET", "slowlog-log-slower-than", "100");
    await client.config("SET", "slowlog-max-len", "100000");
    await client.slowlog("RESET");

    const search = await listDeadLetters(client, { search: "QUOTA EXCEEDED" }, { limit: 50 });
    const rare = await listDeadLetters(client, { search: "no such text anywhere" }, { limit: 50 });
    const reads = {
      first_page: await repeat(() => listDeadLetters(client, {}, { limit: 50 })),
      group_page: await repeat(() =>
        listDeadLetters(client, { queue: "audio", group: "audio-g3" }, { limit: 50 }),
      ),
      second_page_200: await repeat(async () => {
        const p = await listDeadLetters(client, { queue: "video" }, { limit: 200 });
        return listDeadLetters(client, { queue: "video" }, { limit: 200, cursor: p.nextCursor! });
      }),
      search_page: await repeat(() => listDeadLetters(client, { search: "QUOTA EXCEEDED" }, { limit: 50 })),
      rare_search_page: await repeat(() =>
        listDeadLetters(client, { search: "no such text anywhere" }, { limit: 50 }),
      ),
      groups: await repeat(() => listGroups(client)),
      count_group: await repeat(() => countDeadLetters(client, { queue: "documents", group: BIG_GROUP })),
    };
    const slowReads = await slowest(client);

    const bulkRuns: number[] = [];
    let slowBulk = { us: 0, command: "" };
    for (let i = 0; i < 3; i++) {
      const r = await bulkRequeue(client, t0);
      if (r.done !== BULK) throw new Error(`bulk requeue did ${r.done}, expected ${BULK}`);
      bulkRuns.push(r.ms);
      if (r.slow.us > slowBulk.us) slowBulk = r.slow;
    }
    bulkRuns.sort((a, b) => a - b);
    const bulkMs = bulkRuns[Math.floor(bulkRuns.length / 2)];
    const bulkRate = BULK / (bulkMs / 1000);

    report({ seeded, seedS, pinned, reads, search, rare, slowReads, slowBulk, bulkRuns, bulkMs, bulkRate });
  } finally {
    await client.quit();
    await server.stop();
  }
}

interface Results {
  seeded: number;
  seedS: number;
  pinned: boolean;
  reads: Record<string, Stat>;
  search: { items: unknown[]; scanned: number; complete: boolean };
  rare: { items: unknown[]; scanned: number; complete: boolean };
  slowReads: { us: number; command: string };
  slowBulk: { us: number; command: string };
  bulkRuns: number[];
  bulkMs: number;
  bulkRate: number;
}

function report(r: Results) {
  const f = (x: number) => x.toFixed(2);
  console.log(
    `\nDLQ admin, ${r.seeded.toLocaleString("en")} dead letters in ${QUEUES.length} queues, ` +
      `${QUEUES.length * GROUPS_PER_QUEUE} groups (seeded in ${r.seedS.toFixed(1)} s); ` +
      `${r.pinned ? "redis-server pinned to core 1, node to core 0" : "not pinned (no taskset)"}; median of ${RUNS} runs\n`,
  );
  console.log("| operation | median ms | min–max ms | target |");
  console.log("|---|---:|---:|---|");
  const target: Record<string, string> = {
    first_page: "< 20 ms",
    group_page: "< 20 ms",
    search_page: "< 20 ms",
    rare_search_page: "< 20 ms",
  };
  for (const [name, s] of Object.entries(r.reads)) {
    console.log(`| ${name} | ${f(s.median)} | ${f(s.min)}–${f(s.max)} | ${target[name] ?? ""} |`);
  }
  console.log(
    `| bulk requeue ${BULK.toLocaleString("en")} | ${f(r.bulkMs)} | ${f(r.bulkRuns[0])}–${f(r.bulkRuns.at(-1)!)} | ≥ 50,000/s |`,
  );
  console.log(
    `\nsearch "QUOTA EXCEEDED": ${r.search.items.length} items, ${r.search.scanned} ids read, complete=${r.search.complete}`,
  );
  console.log(
    `rare search: ${r.rare.items.length} items, ${r.rare.scanned} ids read, complete=${r.rare.complete}`,
  );
  console.log(`bulk requeue: ${Math.round(r.bulkRate).toLocaleString("en")} entries/s`);
  console.log(
    `longest Redis call: reads ${r.slowReads.us} µs (${r.slowReads.command}), bulk ${r.slowBulk.us} µs (${r.slowBulk.command})`,
  );
  const pagesMs = Math.max(
    r.reads.first_page.median,
    r.reads.group_page.median,
    r.reads.search_page.median,
    r.reads.rare_search_page.median,
  );
  const maxCallMs = Math.max(r.slowReads.us, r.slowBulk.us) / 1000;
  const summary = {
    bench: "dlq",
    entries: r.seeded,
    pinned: r.pinned,
    ms: Object.fromEntries(Object.entries(r.reads).map(([k, s]) => [k, Number(f(s.median))])),
    bulk_requeue: { entries: BULK, ms: Number(f(r.bulkMs)), per_s: Math.round(r.bulkRate) },
    max_redis_call_ms: Number(maxCallMs.toFixed(3)),
    targets: {
      pages_under_20ms: pagesMs < 20,
      bulk_50k_per_s: r.bulkRate >= 50_000,
      redis_call_under_10ms: maxCallMs < 10,
    },
  };
  console.log(JSON.stringify(summary));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
