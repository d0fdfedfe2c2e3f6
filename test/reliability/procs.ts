/**
 * Process plumbing shared by the reliability scripts (scripts/outage.ts, scripts/soak.ts,
 * bench/load.ts): child processes (tsx scripts, the worker, the built console), an API token for
 * the console, the whole stack a run under load drives (startConsoleRun), memory of a process
 * tree, percentiles and small waits (also until a queue settles).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Redis } from "ioredis";
import { createToken } from "../../lib/auth/index.ts";
import { type QueueSizes, queueSizes } from "../../lib/queue/stats.ts";
import { createRedisFromUrl, type RedisClient } from "../../lib/redis/connection.ts";
import { queueKeys } from "../../lib/redis/keys.ts";
import { freePort, type RedisServer, startRedisServer } from "../harness/redis-server.ts";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every id in each state of a queue: the end of a reliability run (O(n), not for live use). */
export interface StateMembers {
  ready: string[];
  active: string[];
  retry: string[];
  dead: string[];
  completed: string[];
}

export async function stateMembers(
  client: RedisClient,
  queue: string,
  prefix?: string,
): Promise<StateMembers> {
  const k = queueKeys(queue, prefix);
  const [ready, active, retry, dead, completed] = await Promise.all([
    client.lrange(k.ready, 0, -1),
    client.zrange(k.active, "0", "-1"),
    client.zrange(k.retry, "0", "-1"),
    client.zrange(k.dead, "0", "-1"),
    client.zrange(k.completed, "0", "-1"),
  ]);
  return { ready, active, retry, dead, completed };
}

/** Of the acknowledged `ids`: those in no state at all (lost), and how many are in two or more. */
export function accountFor(ids: string[], members: StateMembers): { lost: string[]; multiState: number } {
  const seen = new Map<string, number>();
  for (const list of Object.values(members)) for (const id of list) seen.set(id, (seen.get(id) ?? 0) + 1);
  return {
    lost: ids.filter((id) => !seen.has(id)),
    multiState: ids.filter((id) => (seen.get(id) ?? 0) > 1).length,
  };
}

/**
 * Waits until a queue has nothing ready, leased or waiting to retry — every job completed or
 * dead — or `timeoutMs` passed. Returns whether it settled and the last sizes read.
 */
export async function untilSettled(
  client: RedisClient,
  queue: string,
  { timeoutMs, pollMs = 200, prefix }: { timeoutMs: number; pollMs?: number; prefix?: string },
): Promise<{ settled: boolean; sizes: QueueSizes }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sizes = await queueSizes(client, queue, { prefix });
    if (sizes.ready + sizes.active + sizes.retry === 0) return { settled: true, sizes };
    if (Date.now() > deadline) return { settled: false, sizes };
    await sleep(pollMs);
  }
}

const TSX = "node_modules/.bin/tsx";
const NEXT = "node_modules/.bin/next";

export interface Child {
  name: string;
  proc: ChildProcess;
  /** true once it exited (by itself or killed) */
  exited: boolean;
}

/** Starts `tsx <args>` with `env`; stderr is passed through with a prefix, stdout kept if asked. */
export function spawnTsx(name: string, args: string[], env: NodeJS.ProcessEnv, keepStdout = false): Child {
  return track(name, spawn(TSX, args, { env, stdio: ["ignore", keepStdout ? "pipe" : "ignore", "pipe"] }));
}

function track(name: string, proc: ChildProcess): Child {
  const child: Child = { name, proc, exited: false };
  proc.on("error", () => {});
  proc.on("exit", () => {
    child.exited = true;
  });
  proc.stderr?.on("data", (d: Buffer) => {
    const text = d.toString().trimEnd();
    if (text && process.env.RELIABILITY_VERBOSE === "1") process.stderr.write(`[${name}] ${text}\n`);
  });
  return child;
}

/** Kills a child (SIGTERM, then SIGKILL after `graceMs`) and its process group's leftovers. */
export async function stopChild(c: Child, graceMs = 3000): Promise<void> {
  if (c.exited) return;
  c.proc.kill("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (!c.exited && Date.now() < deadline) await sleep(50);
  for (const pid of descendants(c.proc.pid ?? -1)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  if (!c.exited) c.proc.kill("SIGKILL");
}

export const consoleBuilt = () => existsSync(".next/BUILD_ID");

export const CONSOLE_SECRET = "reliability-nextauth-secret-0123456789abcdef";

/**
 * A private copy of the built console (.next, lib for its Lua files, config, package.json;
 * node_modules linked), so a
 * long run is not disturbed by someone rebuilding .next meanwhile. Returns its directory and a
 * function that removes it. Take it while no build runs (e.g. under the e2e lock).
 */
export function snapshotBuild(): { dir: string; remove: () => void } {
  if (!consoleBuilt()) throw new Error("no .next/BUILD_ID: run `npx next build` first");
  const dir = mkdtempSync(join(tmpdir(), "requeue-console-"));
  cpSync(".next", join(dir, ".next"), { recursive: true });
  for (const f of ["package.json", "next.config.ts", "tsconfig.json"]) cpSync(f, join(dir, f));
  if (existsSync("public")) cpSync("public", join(dir, "public"), { recursive: true });
  // The Lua scripts are read from lib/**/scripts at run time, relative to the working directory.
  cpSync("lib", join(dir, "lib"), { recursive: true });
  symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The built console (`next start`) on 127.0.0.1:`port` against `redisUrl`. Needs `next build`
 * first; `cwd` may be a directory from `snapshotBuild()`.
 */
export function startConsole(
  redisUrl: string,
  port: number,
  extraEnv: Record<string, string | undefined> = {},
  cwd = ".",
): Child {
  if (!existsSync(join(cwd, ".next/BUILD_ID")))
    throw new Error("no .next/BUILD_ID: run `npx next build` first");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extraEnv,
    REDIS_URL: redisUrl,
    REDIS_EMBEDDED: "false",
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: CONSOLE_SECRET,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
  };
  return track(
    "console",
    spawn(resolve(NEXT), ["start", "-H", "127.0.0.1", "-p", String(port)], {
      env,
      cwd,
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
}

/** Waits until `url` answers with `status` (default 200). */
export async function waitForHttp(url: string, timeoutMs = 60_000, status = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === status) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms`);
    await sleep(250);
  }
}

/** An admin API token written straight into `redisUrl`'s Redis (lib/auth createToken). */
export async function adminToken(redisUrl: string, name = "reliability"): Promise<string> {
  const redis = createRedisFromUrl(redisUrl);
  try {
    return (await createToken(redis, { name, role: "admin", createdBy: "reliability" })).token;
  } finally {
    await redis.quit();
  }
}

/** What startConsoleRun started; `children` may grow (stop() stops what it holds then). */
export interface ConsoleRun {
  redis: RedisServer;
  /** every child's environment: this redis-server, no embedded one, no telemetry, the run's settings */
  env: NodeJS.ProcessEnv;
  /** the run's own client of that redis-server */
  client: Redis;
  /** an admin API token for the console */
  token: string;
  /** the console's address, http://127.0.0.1:<port>; it answers /api/health */
  base: string;
  children: Child[];
  /** Stops every child, then the client and redis-server, and removes the console's copy. */
  stop(): Promise<void>;
}

/**
 * The stack of a run under load (bench/load.ts, scripts/soak.ts): an isolated redis-server
 * (`seed` writes into it first, if given), the worker service, the `tsx` processes asked for,
 * and the built console on a private copy of .next, ready once /api/health answers.
 */
export async function startConsoleRun(opts: {
  tokenName: string;
  /** settings for every child, beside REDIS_URL */
  env?: Record<string, string>;
  seed?: (client: Redis, redisUrl: string) => Promise<void>;
  tsx?: { name: string; args: string[] }[];
}): Promise<ConsoleRun> {
  const redis = await startRedisServer();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: redis.url,
    REDIS_EMBEDDED: "false",
    NEXT_TELEMETRY_DISABLED: "1",
    ...opts.env,
  };
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  await opts.seed?.(client, redis.url);
  const token = await adminToken(redis.url, opts.tokenName);
  const build = snapshotBuild(); // a private copy: a rebuild of .next meanwhile cannot disturb the run
  process.on("exit", build.remove);
  const port = await freePort();
  const children: Child[] = [
    spawnTsx("worker", ["worker/main.ts"], env),
    ...(opts.tsx ?? []).map((c) => spawnTsx(c.name, c.args, env)),
    startConsole(redis.url, port, env as Record<string, string>, build.dir),
  ];
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/api/health`, 120_000);
  return {
    redis,
    env,
    client,
    token,
    base,
    children,
    async stop() {
      for (const c of children) await stopChild(c);
      client.disconnect();
      await redis.stop();
      build.remove();
    },
  };
}

/** Pids of every process below `pid` (children, grandchildren…), from /proc. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(entry), Number(fields[1]));
    } catch {}
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [child, pp] of parent) {
      if (pp === p) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/** Resident memory (bytes) of a process and all its descendants (tsx and next start fork). */
export function treeRss(pid: number | undefined): number {
  if (!pid) return 0;
  let total = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      if (m) total += Number(m[1]) * 1024;
    } catch {}
  }
  return total;
}

/** The q-th percentile (0..100) of `values` (nearest rank); NaN when empty. */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);

export function summary(values: number[]) {
  return {
    n: values.length,
    p50: round(percentile(values, 50), 2),
    p99: round(percentile(values, 99), 2),
    max: round(
      values.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY),
      2,
    ),
  };
}

/**
 * On a fatal error or Ctrl-C, SIGKILLs every process this one started (children, their
 * children, redis-servers), so a failed run leaves nothing behind. Call once from main().
 */
export function killDescendantsOnExit(): void {
  const killAll = () => {
    for (const pid of descendants(process.pid).reverse()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
  };
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}
