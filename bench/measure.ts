/** What every bench needs: CPU placement, the median of its rounds, Redis's own counters. */
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import type { Redis } from "ioredis";

/** Pins a process and all its threads to one core (`taskset -a`); false where taskset is missing. */
export function pin(pid: number, core: number): boolean {
  try {
    execFileSync("taskset", ["-a", "-pc", String(core), String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The queue benches' knobs: BENCH_ROUNDS measured rounds (after a warm-up), BENCH_SCALE × jobs. */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
export const SCALE = Number(process.env.BENCH_SCALE ?? 1);
export const scaled = (base: number) => Math.max(100, Math.round(base * SCALE));
export const PAYLOAD_1KB = { text: "x".repeat(1000) };

/** Figures as the benches print them: whole numbers with separators from 100, else one decimal. */
export const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(1));
export const r2 = (x: number) => Number(x.toFixed(2));
export const load = () => loadavg().map(r2);

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Redis commands processed and CPU used so far (INFO stats / cpu), read on a side connection. */
export async function redisCounters(admin: Redis) {
  const info = await admin.info();
  const n = (f: string) => Number(new RegExp(`${f}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return { commands: n("total_commands_processed"), cpuUs: (n("used_cpu_user") + n("used_cpu_sys")) * 1e6 };
}
