/**
 * What bounds a queue row: the timed part of a scenario split into what each side spent per job.
 * Node: CPU (user / system, process.resourceUsage), its share of the wall time (busy: near 100 %
 * means node's CPU is the bound), socket read and write calls (`syscr` / `syscw` of
 * /proc/self/io, Linux only) and the times it waited (voluntary context switches). Redis: CPU
 * (user / system, INFO cpu) and the reads and writes of its event loop (INFO stats
 * total_reads_processed / total_writes_processed): a read is a batch of requests it woke up for,
 * so reads per job are round trips per job as Redis saw them. Counted between the meter's
 * begin and end (after the pre-fill, bench/queue-meter.ts), so it is the consumer's alone.
 */
import { readFileSync } from "node:fs";
import type { RedisClient } from "../lib/redis/connection.ts";
import { Meter } from "./queue-meter.ts";

export interface Bounds {
  wallUs: number;
  nodeUserUs: number;
  nodeSysUs: number;
  /** node CPU ÷ wall time */
  nodeBusy: number;
  nodeReads: number;
  nodeWrites: number;
  nodeWaits: number;
  redisUserUs: number;
  redisSysUs: number;
  redisReads: number;
  redisWrites: number;
}

interface Counters {
  node: NodeJS.ResourceUsage;
  io: { reads: number; writes: number };
  redis: { user: number; sys: number; reads: number; writes: number };
}

/** read and write syscalls of this process so far (NaN where /proc is missing). */
function syscalls(): { reads: number; writes: number } {
  try {
    const io = readFileSync("/proc/self/io", "utf8");
    const n = (f: string) => Number(new RegExp(`^${f}: (\\d+)`, "m").exec(io)?.[1] ?? Number.NaN);
    return { reads: n("syscr"), writes: n("syscw") };
  } catch {
    return { reads: Number.NaN, writes: Number.NaN };
  }
}

async function redisSide(client: RedisClient): Promise<Counters["redis"]> {
  const info = await client.info("all");
  const n = (f: string) => Number(new RegExp(`^${f}:([\\d.]+)`, "m").exec(info)?.[1] ?? Number.NaN);
  return {
    user: n("used_cpu_user") * 1e6,
    sys: n("used_cpu_sys") * 1e6,
    reads: n("total_reads_processed"),
    writes: n("total_writes_processed"),
  };
}

/** A Meter that also takes the counters above; `bounds(jobs)` divides them per job. */
export class BoundsMeter extends Meter {
  private from?: Counters;
  private delta?: Counters;

  override async begin(): Promise<void> {
    const redis = await redisSide(this.client);
    await super.begin();
    this.from = { node: process.resourceUsage(), io: syscalls(), redis };
  }

  override async end(): Promise<void> {
    const node = process.resourceUsage();
    const io = syscalls();
    await super.end();
    const redis = await redisSide(this.client);
    const at = this.from!;
    const d = (a: number, b: number) => a - b;
    this.delta = {
      node: {
        ...node,
        userCPUTime: d(node.userCPUTime, at.node.userCPUTime),
        systemCPUTime: d(node.systemCPUTime, at.node.systemCPUTime),
        voluntaryContextSwitches: d(node.voluntaryContextSwitches, at.node.voluntaryContextSwitches),
      },
      io: { reads: d(io.reads, at.io.reads), writes: d(io.writes, at.io.writes) },
      redis: {
        user: d(redis.user, at.redis.user),
        sys: d(redis.sys, at.redis.sys),
        reads: d(redis.reads, at.redis.reads),
        writes: d(redis.writes, at.redis.writes),
      },
    };
  }

  bounds(jobs: number): Bounds | undefined {
    const { delta, result } = this;
    if (!delta || !result) return undefined;
    const per = (x: number) => x / jobs;
    const wallUs = (result.seconds * 1e6) / jobs;
    const nodeUserUs = per(delta.node.userCPUTime);
    const nodeSysUs = per(delta.node.systemCPUTime);
    return {
      wallUs,
      nodeUserUs,
      nodeSysUs,
      nodeBusy: (nodeUserUs + nodeSysUs) / wallUs,
      nodeReads: per(delta.io.reads),
      nodeWrites: per(delta.io.writes),
      nodeWaits: per(delta.node.voluntaryContextSwitches),
      redisUserUs: per(delta.redis.user),
      redisSysUs: per(delta.redis.sys),
      redisReads: per(delta.redis.reads),
      redisWrites: per(delta.redis.writes),
    };
  }
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(x >= 100 ? 0 : 1) : "?");
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "?");

/** One line of figures per job: what the reader needs to see what bounds the row. */
export function describeBounds(b: Bounds): string {
  return (
    `wall ${f1(b.wallUs)} µs; node ${f1(b.nodeUserUs + b.nodeSysUs)} µs ` +
    `(user ${f1(b.nodeUserUs)}, sys ${f1(b.nodeSysUs)}; busy ${Math.round(b.nodeBusy * 100)}% of wall), ` +
    `${f2(b.nodeWrites)} writes, ${f2(b.nodeReads)} reads, ${f2(b.nodeWaits)} waits; ` +
    `redis ${f1(b.redisUserUs + b.redisSysUs)} µs (user ${f1(b.redisUserUs)}, sys ${f1(b.redisSysUs)}), ` +
    `${f2(b.redisReads)} reads (round trips), ${f2(b.redisWrites)} writes`
  );
}

/** The median of each figure over rounds (each figure on its own). */
export function medianBounds(all: Bounds[], median: (xs: number[]) => number): Bounds {
  const keys = Object.keys(all[0]) as (keyof Bounds)[];
  return Object.fromEntries(keys.map((k) => [k, median(all.map((b) => b[k]))])) as unknown as Bounds;
}

/** The bounds as the JSON line carries them: two decimals. */
export const boundsJson = (b: Bounds) =>
  Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Number(v.toFixed(2))]));

/**
 * Prints the bounds of every row for each library (median over rounds) and returns them for the
 * JSON line: { requeue: { c1: {...}, … }, bullmq: { … } }.
 */
export function boundsReport(
  keys: string[],
  results: Record<string, Record<string, { bounds?: Bounds }[]>>,
  median: (xs: number[]) => number,
): Record<string, Record<string, Record<string, number>>> {
  console.log(
    "what bounds each row, per job (median over rounds): node busy near 100% = node's CPU is the bound; " +
      "redis reads = round trips as Redis saw them",
  );
  const out: Record<string, Record<string, Record<string, number>>> = {};
  for (const key of keys)
    for (const [lib, rows] of Object.entries(results)) {
      const all = (rows[key] ?? []).flatMap((s) => (s.bounds ? [s.bounds] : []));
      if (all.length === 0) continue;
      const b = medianBounds(all, median);
      console.log(`  ${key} ${lib}: ${describeBounds(b)}`);
      out[lib] ??= {};
      out[lib][key] = boundsJson(b);
    }
  return out;
}
