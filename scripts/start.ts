/**
 * `npm start` (and `npm run demo`): one command for the whole product.
 *
 * 1. Reads the .env files like every Requeue process (lib/env-files.ts) and checks the settings.
 * 2. Checks the console's port is free, then chooses Redis and says which and why, and whose it
 *    looks like (scripts/start/redis.ts); records it for the CLI (lib/redis/local.ts).
 * 3. Builds the console when there is no build yet.
 * 4. Runs the console (`next start`) and the worker service (and with --demo the demo workload)
 *    with prefixed logs, and once the console answers prints how to sign in, in one box.
 *    Ctrl-C or SIGTERM stops them all cleanly, Redis last.
 *
 * Flags: --demo, --embedded-redis (use the embedded Redis even when one answers on 6379).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Config, ConfigError } from "#lib/config.ts";
import { consoleConfig } from "#lib/console-config.ts";
import { loadEnvFiles } from "#lib/env-files.ts";
import { dataDir, forgetRedis, recordRedis } from "#lib/redis/local.ts";
import { claimPort } from "./start/ports.ts";
import { beforeExit, log, StartError, spawnChild, stopAll, stopChildrenOnExit } from "./start/processes.ts";
import { chooseRedis, describeRedis } from "./start/redis.ts";
import { boxed, consoleAnswers, firstAdmin, sessionSecret, signInLines } from "./start/sign-in.ts";

const demo = process.argv.includes("--demo");

function checkedConfig(env: NodeJS.ProcessEnv): Config {
  try {
    return consoleConfig(env);
  } catch (err) {
    throw err instanceof ConfigError ? new StartError(err.message) : err;
  }
}

async function main() {
  stopChildrenOnExit();
  const loaded = loadEnvFiles(process.env);
  if (loaded.files.length)
    log("start", `settings from ${loaded.files.join(", ")} (the environment wins over them)`);
  const data = dataDir(process.env);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXTAUTH_SECRET: sessionSecret(process.env, data),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // The demo retries within seconds, not the seed's minute, so a newcomer sees retries at once.
  if (demo) env.RETRY_BACKOFF_BASE_SECONDS ||= "2";
  const config = checkedConfig(env);
  await claimPort(config.HOST, config.PORT, "the console's port", "PORT");

  const redis = await chooseRedis(config, process.env, process.argv);
  await describeRedis(config, redis);
  // A URL is all the record holds: Sentinel and Cluster settings must reach the CLI themselves.
  if (!config.REDIS_SENTINELS && !config.REDIS_CLUSTER_NODES) {
    recordRedis(data, redis.url, redis.reason);
    beforeExit(() => forgetRedis(data));
  }
  env.REDIS_URL = redis.url;
  const admin = firstAdmin(process.env, data);
  Object.assign(env, { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  const host = config.HOST === "0.0.0.0" ? "localhost" : config.HOST;
  env.NEXTAUTH_URL ??= `http://${host}:${config.PORT}`;

  const nextBin = join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  if (!existsSync(join(".next", "BUILD_ID"))) {
    log("start", "no build of the console yet: building it (about a minute)…");
    const build = spawnSync(process.execPath, [nextBin, "build"], { env, stdio: "inherit" });
    if (build.status !== 0) throw new StartError("the console build failed; see above");
  }

  const tsx = join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");
  const app = { env, stopAllOnExit: true };
  spawnChild("worker", process.execPath, [tsx, "worker/main.ts"], app);
  spawnChild(
    "console",
    process.execPath,
    [nextBin, "start", "-H", config.HOST, "-p", String(config.PORT)],
    app,
  );
  if (demo) spawnChild("demo", process.execPath, [tsx, "worker/demo/main.ts"], app);

  const probeHost = config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST;
  await consoleAnswers(`http://${probeHost}:${config.PORT}/api/health`, 120_000);
  for (const line of boxed(signInLines(env.NEXTAUTH_URL, admin, data))) log("start", line);
}

main().catch((err) => {
  process.stderr.write(`requeue: ${err instanceof StartError ? err.message : (err as Error).stack}\n`);
  void stopAll(1);
});
