/**
 * A small chaos run inside the suite (scripts/chaos.ts with CHAOS_JOBS=2000): consumers
 * SIGKILLed, the worker killed and restarted, redis-server kill -9'd and restarted on its
 * append-only file three times. Nothing may be lost and no id may be in two states. The mixed
 * run (CHAOS_MIX=python) does the same with half the consumers Python processes
 * (scripts/chaos_consumer.py); it needs /usr/bin/python3 with python3-redis (scripts/setup.sh).
 */
import { spawn } from "node:child_process";
import { expect, it } from "vitest";

async function chaos(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/chaos.ts"], {
    env: {
      ...process.env,
      CHAOS_JOBS: "2000",
      CHAOS_KILL_EVERY_MS: "3000",
      CHAOS_TIMEOUT_MS: "80000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  const last = out.trim().split("\n").at(-1) ?? "";
  const result = JSON.parse(last) as Record<string, number> & { runsBy: Record<string, number> };
  expect(result.lost, err).toBe(0);
  expect(result.multiState).toBe(0);
  expect(result.enqueued).toBe(2000);
  expect(result.completed + result.dead).toBe(2000);
  expect(result.dead).toBeGreaterThan(0); // the always-failing jobs
  expect(err).toMatch(/restarted on its AOF \(2\)/);
  expect(code).toBe(0);
  return { result, err };
}

it("loses no job through consumer, worker and Redis crashes", async () => {
  await chaos({ CHAOS_CONSUMERS: "3" });
}, 90_000);

it("loses no job with half the consumers Python (CHAOS_MIX=python)", async () => {
  const { result, err } = await chaos({ CHAOS_CONSUMERS: "4", CHAOS_MIX: "python" });
  expect(err).toMatch(/4 consumers \(2 of them Python\)/);
  expect(err).toMatch(/"pythonKills":[1-9]/); // a Python consumer was SIGKILLed
  expect(result.runsBy.python).toBeGreaterThan(0);
  expect(result.runsBy.typescript).toBeGreaterThan(0);
}, 90_000);
