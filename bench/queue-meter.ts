/**
 * What bench/queue.ts reads around the timed part of a scenario, and only that part: the runner
 * calls `begin()` once its queue is pre-filled and its consumer is connected and ready, and
 * `end()` when the last job is done. Redis commands (INFO commandstats), Redis CPU (INFO cpu)
 * and node CPU (process.cpuUsage) between the two: the pre-fill's cost is not in them.
 */
import type { RedisClient } from "../lib/redis/connection.ts";

const NOT_COUNTED = ["info", "flushall", "memory|usage", "scan", "ping", "client|setname", "client|setinfo"];

export async function commandCount(client: RedisClient): Promise<number> {
  const info = await client.info("commandstats");
  let total = 0;
  for (const m of info.matchAll(/^cmdstat_(\w+(?:\|\w+)?):calls=(\d+)/gm))
    if (!NOT_COUNTED.includes(m[1])) total += Number(m[2]);
  return total;
}

export async function redisCpuSeconds(client: RedisClient): Promise<number> {
  const info = await client.info("cpu");
  const v = (f: string) => Number(new RegExp(`${f}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return v("used_cpu_sys") + v("used_cpu_user");
}

export interface Measured {
  seconds: number;
  commands: number;
  redisCpuUs: number;
  nodeCpuUs: number;
}

export class Meter {
  private at = { t: 0, cmds: 0, cpu: 0, node: process.cpuUsage() };
  result?: Measured;

  constructor(protected readonly client: RedisClient) {}

  async begin(): Promise<void> {
    const [cmds, cpu] = [await commandCount(this.client), await redisCpuSeconds(this.client)];
    this.at = { t: performance.now(), cmds, cpu, node: process.cpuUsage() };
  }

  async end(): Promise<void> {
    const seconds = (performance.now() - this.at.t) / 1000;
    const node = process.cpuUsage(this.at.node);
    const [cmds, cpu] = [await commandCount(this.client), await redisCpuSeconds(this.client)];
    this.result = {
      seconds,
      commands: cmds - this.at.cmds, // INFO itself is not counted
      redisCpuUs: (cpu - this.at.cpu) * 1e6,
      nodeCpuUs: node.user + node.system,
    };
  }
}
