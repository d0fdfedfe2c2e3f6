/**
 * The system under test for Playwright: an isolated redis-server on a free port, the worker
 * service, the built console (`next start`) and an OpenID Provider it trusts for single sign-on
 * (e2e/helpers/oidc-idp.ts, in this process), all on loopback. Playwright starts this as its
 * webServer and stops it at the end; the tests read .data/e2e/state.json to seed data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { startCluster, startRedisServer } from "../test/harness/redis-server.ts";
import { E2E_ADMIN, E2E_BASE_URL, E2E_OIDC, E2E_PORT, E2E_SECRET, E2E_STATE_FILE } from "./env.ts";
import { startOidcIdp } from "./helpers/oidc-idp.ts";

// E2E_CLUSTER=1: the same suite against a 3-master Redis Cluster.
const cluster = process.env.E2E_CLUSTER === "1" ? await startCluster(3) : undefined;
const redis = cluster ? cluster.masters[0] : await startRedisServer({ appendonly: true });
const servers = cluster ? [...cluster.masters, ...cluster.replicas] : [redis];
const clusterNodes = cluster?.nodes.map((n) => `${n.host}:${n.port}`).join(",");
const idp = await startOidcIdp(`${E2E_BASE_URL}/api/auth/callback/oidc`);
const env = {
  ...process.env,
  REDIS_URL: redis.url,
  ...(clusterNodes ? { REDIS_CLUSTER_NODES: clusterNodes } : {}),
  REDIS_EMBEDDED: "false",
  NEXTAUTH_URL: E2E_BASE_URL,
  NEXTAUTH_SECRET: E2E_SECRET,
  ADMIN_EMAIL: E2E_ADMIN.email,
  ADMIN_PASSWORD: E2E_ADMIN.password,
  OIDC_ISSUER: idp.issuer,
  OIDC_CLIENT_ID: E2E_OIDC.clientId,
  OIDC_CLIENT_SECRET: E2E_OIDC.clientSecret,
  NEXT_TELEMETRY_DISABLED: "1",
  WORKER_INTERVAL_MS: "200",
  RETRY_BACKOFF_BASE_SECONDS: "0.05",
  // a cap far above any spec's queue, so the near-cap alert has a value (e2e/safer-redrives.spec.ts)
  DLQ_MAX_ENTRIES: "100000",
  PORT: String(E2E_PORT),
};

const children: ChildProcess[] = [];
function launch(name: string, cmd: string, args: string[]) {
  const child = spawn(cmd, args, { env, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code, signal) => {
    if (!stopping) console.error(`[e2e] ${name} exited (${code ?? signal})`);
  });
  children.push(child);
  return child;
}

const worker = existsSync("worker/main.ts") ? launch("worker", "npx", ["tsx", "worker/main.ts"]) : undefined;
launch("console", "npx", ["next", "start", "-H", "127.0.0.1", "-p", String(E2E_PORT)]);

mkdirSync(dirname(E2E_STATE_FILE), { recursive: true });
writeFileSync(
  E2E_STATE_FILE,
  JSON.stringify({
    redisUrl: redis.url,
    redisPort: redis.port,
    redisDir: redis.dir,
    redisPids: servers.map((s) => s.pid),
    clusterNodes,
    workerPid: worker?.pid,
    oidcIssuer: idp.issuer,
  }),
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 1500));
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await idp.close();
  await (cluster ? cluster.stop() : redis.stop());
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
