/**
 * `npm run worker`: the retry worker service. Registers the queue housekeeping (and any other
 * periodic tasks: import a module that calls registerTask here), runs them, and on SIGTERM or
 * SIGINT drains within WORKER_SHUTDOWN_MS (default 10 s) and exits.
 *
 * Its settings: the environment, then the .env files, as every Requeue process reads them
 * (lib/env-files.ts); with no Redis configured, the one a running `npm start` chose (lib/redis/local.ts).
 */
import { bootstrapAdmin } from "../lib/auth/users.ts";
import { getConfig } from "../lib/config.ts";
import { loadEnvFiles } from "../lib/env-files.ts";
import { createRedis } from "../lib/redis/connection.ts";
import { followStartedRedis } from "../lib/redis/local.ts";
import { registerAlertsTask } from "./alerts-task.ts";
import { registerCacheSamplerTask } from "./cache-sampler.ts";
import { registerHousekeeping } from "./housekeeping.ts";
import { startWorker } from "./runner.ts";

const envFiles = loadEnvFiles(process.env);
const startedRedis = followStartedRedis(process.env);
const config = getConfig();
const client = createRedis(config, { name: "requeue-worker" });
client.on("error", () => {
  // reconnects by itself; task failures are logged by the runner
});

registerHousekeeping();
registerAlertsTask();
registerCacheSamplerTask();

// The first admin exists from start-up (the console also creates it on the first sign-in).
bootstrapAdmin(client, config.ADMIN_EMAIL, config.ADMIN_PASSWORD)
  .then(
    (outcome) =>
      outcome === "created" && console.log(`[worker] created the first admin ${config.ADMIN_EMAIL}`),
  )
  .catch((err) => console.error(`[worker] could not create the first admin: ${(err as Error).message}`));

const worker = startWorker({ client, config });
console.log(`[worker] ${worker.id} started (interval ${config.WORKER_INTERVAL_MS} ms)`);
if (envFiles.files.length) console.log(`[worker] settings from ${envFiles.files.join(", ")} too`);
if (startedRedis) console.log(`[worker] Redis: ${startedRedis.url}, the one npm start is using`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  const bound = Number(process.env.WORKER_SHUTDOWN_MS ?? 10_000);
  const hardStop = setTimeout(() => process.exit(1), bound + 2000);
  hardStop.unref();
  const drained = await worker.stop(bound);
  await client.quit().catch(() => client.disconnect());
  console.log(`[worker] ${signal}: stopped${drained ? "" : " (tasks still running at the bound)"}`);
  process.exit(drained ? 0 : 1);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
