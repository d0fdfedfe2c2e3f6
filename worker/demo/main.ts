/**
 * `npm run demo`'s workload (started by scripts/start.ts with REDIS_URL and the console's URL in
 * its environment; also `npx tsx worker/demo/main.ts` on its own, or the compose `demo` profile).
 *
 * It plays the seed's application: producers and processors for the documents, audio, video and
 * graph queues with realistic failures (the graph processor in Python when python3-redis is there), and users hitting the cached lookups of a slow database
 * with updates that invalidate them. It creates a demo viewer, prints a short tour, logs a status
 * line every 30 s, and stops cleanly on SIGTERM / SIGINT (or after DEMO_DURATION_SECONDS).
 */
import { createCache } from "../../lib/cache/index.ts";
import { getConfig } from "../../lib/config.ts";
import { createRedis } from "../../lib/redis/connection.ts";
import { AppDb } from "./app-db.ts";
import { startJobs } from "./jobs.ts";
import { Lookups } from "./lookups.ts";
import { startPythonGraph } from "./python.ts";
import { applyDemoDefaults, type DemoSettings, demoSettings } from "./settings.ts";
import { startStatus } from "./status.ts";
import { tourText } from "./tour.ts";
import { startTraffic } from "./traffic.ts";
import { ensureViewer, type ViewerCredentials } from "./viewer.ts";

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Errors of the workload are logged, at most one line per kind every 10 s: the demo never dies of them. */
let stopping = false;

function throttledWarn() {
  const last = new Map<string, number>();
  return (what: string, err: unknown) => {
    if (stopping) return; // Redis may be going away with us (Ctrl-C reaches the whole process group)
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const key = `${what}:${msg.slice(0, 60)}`;
    if (Date.now() - (last.get(key) ?? 0) < 10_000) return;
    last.set(key, Date.now());
    log(`warning: ${what}: ${msg}`);
  };
}

async function main() {
  applyDemoDefaults();
  let settings: DemoSettings;
  try {
    settings = demoSettings();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const config = getConfig();
  const warn = throttledWarn();
  const redis = createRedis(config, { name: "requeue-demo" });
  redis.on("error", (err) => warn("redis", err));
  await redis.connect().catch((err) => warn("redis", err));

  let viewer: ViewerCredentials | null = null;
  try {
    viewer = await ensureViewer(redis, settings);
  } catch (err) {
    warn("creating the demo viewer", err);
  }

  const cache = createCache();
  const db = new AppDb(settings.DEMO_ENTITIES, settings.DEMO_DB_LATENCY_MS);
  const lookups = new Lookups(cache, db);
  await lookups.warm(50).catch((err) => warn("warming the cache", err));
  const python = startPythonGraph(settings, log);
  const jobs = await startJobs(redis, settings, lookups, (err) => warn("jobs", err), python ? ["graph"] : []);
  const traffic = startTraffic(lookups, settings, (err) => warn("lookups", err));
  const status = startStatus(redis, jobs.counts, traffic.counts, log);

  const consoleUrl = process.env.NEXTAUTH_URL ?? `http://localhost:${config.PORT}`;
  log(tourText(settings, viewer, consoleUrl));

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log("stopping the demo workload…");
    traffic.stop();
    status.stop();
    await Promise.all([jobs.stop(), python?.stop()]);
    await cache.close().catch(() => undefined);
    await redis.quit().catch(() => redis.disconnect());
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  if (settings.DEMO_DURATION_SECONDS > 0)
    setTimeout(() => void stop(), settings.DEMO_DURATION_SECONDS * 1000);
}

await main();
