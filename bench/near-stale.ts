/**
 * The near cache's staleness (issue 17): another process (bench/near-writer.ts, on Redis's core)
 * writes a key `changes` times while this one reads it in a loop through L1, yielding to the event
 * loop between reads as a server does between requests. Both processes stamp times with
 * process.hrtime (CLOCK_MONOTONIC: one clock for every process of the machine).
 *
 * For change k, acknowledged to the writer at ack(k):
 * - stale window: how long after ack(k) this process still returned an older value — the start
 *   of its last read that returned a value older than k, minus ack(k) (0 if none started after
 *   the ack). This is the window the near cache leaves (docs/cache.md): a read that starts later
 *   never returns the old value. It is bounded by the invalidation message's trip (sent by Redis
 *   with the writer's reply) plus this process's event-loop delay before it reads that message.
 * - seen: the end of this process's first read returning k or newer, minus ack(k); it adds the
 *   Redis round trip of the read that fetched the new value (after the invalidation, L1 misses).
 *
 * Long windows, explained: the loop reads the invalidation socket between any two reads, so an
 * old value is read after the ack only if the message had not arrived, or if this process stopped
 * between reading its sockets and starting the next read (a GC pause, or its core given to
 * another thread). Each window over 1 ms is checked against this process's stalls (a gap over
 * 0.5 ms between the end of one read and the start of the next) and its GC pauses.
 */
import { spawn } from "node:child_process";
import { PerformanceObserver, performance } from "node:perf_hooks";
import type { Cache } from "../lib/cache/cache.ts";
import { pin } from "./measure.ts";

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

const quantiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(s.length * p))];
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { p50: r(q(0.5)), p99: r(q(0.99)), max: r(s[s.length - 1]) };
};

const LONG_MS = 1;
const STALL_MS = 0.5;

type Span = [from: number, to: number];
const overlap = (a: Span, b: Span) => Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));

export async function staleness(url: string, near: Cache, changes: number) {
  const ns = near.namespace("stale-probe");
  await ns.set("k", { n: 0 });
  const writer = spawn(
    "node_modules/.bin/tsx",
    ["bench/near-writer.ts", url, "bench", "stale-probe", "k", String(changes)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  pin(writer.pid!, 1);
  let out = "";
  writer.stdout.on("data", (d) => {
    out += d;
  });
  let exited = false;
  const done = new Promise<number | null>((resolve) => writer.on("exit", (code) => resolve(code)));
  void done.then(() => {
    exited = true;
  });
  /** per value v: the latest start of a read that returned v */
  const lastStartOf = new Float64Array(changes + 1).fill(Number.NEGATIVE_INFINITY);
  /** per change k: the end of the first read that returned k or newer */
  const seenAt = new Float64Array(changes + 1);
  let seen = 0;
  let fromL1 = 0;
  let reads = 0;
  let giveUpAt = Number.POSITIVE_INFINITY;
  const stalls: Span[] = [];
  const gcs: Span[] = [];
  const clockOffset = nowMs() - performance.now();
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcs.push([e.startTime + clockOffset, e.startTime + clockOffset + e.duration]);
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  let lastEnd = Number.POSITIVE_INFINITY;
  while (!exited || (seen < changes && Date.now() < giveUpAt)) {
    if (exited && giveUpAt === Number.POSITIVE_INFINITY) giveUpAt = Date.now() + 5000;
    const start = nowMs();
    if (start - lastEnd > STALL_MS) stalls.push([lastEnd, start]);
    const v = await ns.get<{ n: number }>("k");
    const end = nowMs();
    lastEnd = end;
    reads++;
    if (ns.inNear("k")) fromL1++;
    const n = v?.n;
    if (n !== undefined && n <= changes) {
      lastStartOf[n] = start;
      for (let k = seen + 1; k <= n; k++) seenAt[k] = end;
      seen = Math.max(seen, n);
    }
    await new Promise((r) => setImmediate(r));
  }
  for (const e of gcObserver.takeRecords())
    gcs.push([e.startTime + clockOffset, e.startTime + clockOffset + e.duration]);
  gcObserver.disconnect();
  if (seen < changes) throw new Error(`the last change was never seen (${seen} of ${changes})`);
  if ((await done) !== 0) throw new Error("the staleness writer failed");
  const { acked } = JSON.parse(out.trim().split("\n").pop()!) as { acked: number[] };
  const window: number[] = [];
  const seenAfter: number[] = [];
  let lastOld = Number.NEGATIVE_INFINITY; // the latest start of a read returning a value below k
  for (let k = 1; k <= changes; k++) {
    lastOld = Math.max(lastOld, lastStartOf[k - 1]);
    window.push(Math.max(0, lastOld - acked[k - 1]));
    seenAfter.push(Math.max(0, seenAt[k] - acked[k - 1]));
  }
  const long = longWindows(window, acked, stalls, gcs);
  return {
    changes,
    window: quantiles(window),
    seen: quantiles(seenAfter),
    readsFromL1: fromL1 / reads,
    long,
  };
}

/**
 * The windows over 1 ms and over 5 ms, and what each over 1 ms overlapped: a stall of this
 * process's read loop covering at least half of it, a GC pause; the longest with its stall and GC ms.
 */
function longWindows(window: number[], acked: number[], stalls: Span[], gcs: Span[]) {
  const r = (x: number) => Math.round(x * 1000) / 1000;
  let overLong = 0;
  let over5 = 0;
  let stalled = 0;
  let withGc = 0;
  let longest = { ms: 0, stallMs: 0, gcMs: 0 };
  window.forEach((w, k) => {
    if (w <= LONG_MS) return;
    const span: Span = [acked[k], acked[k] + w];
    const stallMs = Math.max(0, ...stalls.map((s) => overlap(s, span)));
    const gcMs = gcs.reduce((sum, g) => sum + overlap(g, span), 0);
    overLong++;
    if (w > 5) over5++;
    if (stallMs >= w / 2) stalled++;
    if (gcMs > 0) withGc++;
    if (w > longest.ms) longest = { ms: r(w), stallMs: r(stallMs), gcMs: r(gcMs) };
  });
  return {
    over_1ms: overLong,
    over_5ms: over5,
    over_1ms_loop_stalled: stalled,
    over_1ms_with_gc: withGc,
    longest,
  };
}
