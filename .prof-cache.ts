import { Redis } from "ioredis";
import { startRedisServer } from "./test/harness/redis-server.ts";
import { execFileSync } from "node:child_process";
const server = await startRedisServer();
execFileSync("taskset", ["-a", "-pc", "1", String(server.pid)]);
execFileSync("taskset", ["-a", "-pc", "0", String(process.pid)]);
const raw = new Redis(server.url);
const val = { id: 1, email: "a@b.c", name: "User Number 1", role: "viewer", teams: ["a", "b", "c"], settings: { theme: "dark", locale: "en-GB", n: { email: true, push: false } }, updatedAt: 1764000000000 };
await raw.set("raw", JSON.stringify(val));
const fns: Record<string, () => Promise<unknown>> = {
  raw: () => raw.get("raw"),
  rawParse: async () => JSON.parse((await raw.get("raw"))!),
  rawHop: async () => { const v = await raw.get("raw"); await null; await null; return v; },
  rawMget: () => raw.mgetBuffer("raw", "gen"),
};
const lat: Record<string, number[]> = {}; for (const n in fns) lat[n] = [];
for (let i = 0; i < 20000; i++) for (const n in fns) { const t = process.hrtime.bigint(); await fns[n](); lat[n].push(Number(process.hrtime.bigint() - t) / 1000); }
for (const n in fns) { const l = lat[n].sort((x, y) => x - y); console.log(n.padEnd(8), "p50", l[l.length >> 1].toFixed(1), "p90", l[Math.floor(l.length * 0.9)].toFixed(1)); }
raw.disconnect(); await server.stop(); process.exit(0);
