/**
 * `npm start` (and `npm run demo`): one command for the whole product.
 *
 * 1. Finds Redis: REDIS_URL when set; else whatever answers on 127.0.0.1:6379; else starts a
 *    local redis-server from PATH with append-only persistence under .data/redis (the embedded
 *    default); else exits saying how to get one.
 * 2. Builds the console when there is no build yet.
 * 3. Runs the console (`next start`) and the worker service (and with --demo the demo workload)
 *    with prefixed logs; Ctrl-C or SIGTERM stops them all cleanly, Redis last.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Redis } from "ioredis";
import { ConfigError } from "../lib/config.ts";
import { consoleConfig } from "../lib/console-config.ts";

const demo = process.argv.includes("--demo");
const dataDir = resolve(process.env.REQUEUE_DATA_DIR ?? ".data");
const embeddedPort = Number(process.env.REDIS_EMBEDDED_PORT ?? 6379);
const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;

function log(name: string, line: string) {
  const pad = name.padEnd(7);
  process.stdout.write(`[${pad}] ${line}\n`);
}

function prefixed(name: string, proc: ChildProcess) {
  for (const stream of [proc.stdout, proc.stderr]) {
    let rest = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) log(name, line);
    });
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function onPath(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

async function waitFor(url: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await answers(url)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Decides which Redis to use; may start the embedded one. Returns its URL. */
async function findRedis(): Promise<string> {
  if (process.env.REDIS_URL || process.env.REDIS_SENTINELS || process.env.REDIS_CLUSTER_NODES) {
    return process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  }
  const local = `redis://127.0.0.1:${embeddedPort}`;
  if (await answers(local)) {
    log("start", `using the Redis that answers on 127.0.0.1:${embeddedPort}`);
    return local;
  }
  if (process.env.REDIS_EMBEDDED === "false") {
    fail(`nothing answers on 127.0.0.1:${embeddedPort} and REDIS_EMBEDDED=false: set REDIS_URL`);
  }
  if (!onPath("redis-server")) {
    fail(
      [
        `no Redis answers on 127.0.0.1:${embeddedPort} and redis-server is not on PATH. Get one with:`,
        "  Debian/Ubuntu:  sudo apt-get install -y redis-server",
        "  macOS:          brew install redis",
        "  Docker:         docker compose up -d redis   (then REDIS_URL=redis://:$REDIS_PASSWORD@127.0.0.1:6379)",
        "or point Requeue at your own Redis with REDIS_URL=redis://…",
      ].join("\n"),
    );
  }
  const dir = join(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  const args = ["--port", String(embeddedPort), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes"];
  args.push("--appendfsync", "everysec", "--save", "", "--daemonize", "no", "--loglevel", "warning");
  // Its own process group: Ctrl-C in the terminal must not reach it before the apps have drained.
  const proc = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  prefixed("redis", proc);
  children.push({ name: "redis", proc });
  if (!(await waitFor(local, 15_000))) fail("the embedded redis-server did not start; see its log above");
  log("start", `started an embedded redis-server on 127.0.0.1:${embeddedPort} (append-only, data in ${dir})`);
  return local;
}

function fail(message: string): never {
  process.stderr.write(`requeue: ${message}\n`);
  void stopAll(1);
  throw new Error("unreachable");
}

/** A secret for next-auth sessions that survives restarts, kept under .data. */
function sessionSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = join(dataDir, "nextauth-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/** The first admin: from the environment, else generated once and kept under .data. */
function firstAdmin(): { email: string; password: string; fresh: boolean } {
  if (process.env.ADMIN_EMAIL && process.env.ADMIN_PASSWORD) {
    return { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD, fresh: false };
  }
  const file = join(dataDir, "admin-credentials.json");
  const fresh = !existsSync(file);
  if (fresh) {
    mkdirSync(dataDir, { recursive: true });
    const creds = { email: "admin@localhost", password: randomBytes(12).toString("base64url") };
    writeFileSync(file, JSON.stringify(creds), { mode: 0o600 });
  }
  return { ...JSON.parse(readFileSync(file, "utf8")), fresh };
}

function run(name: string, args: string[], env: NodeJS.ProcessEnv) {
  const proc = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  prefixed(name, proc);
  proc.on("exit", (code, signal) => {
    if (stopping) return;
    log(name, `exited (${signal ?? `code ${code}`}); stopping everything`);
    void stopAll(code || 1);
  });
  children.push({ name, proc });
}

async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  // Apps first (they drain), Redis last so they can finish their writes.
  const apps = children.filter((c) => c.name !== "redis");
  const redis = children.filter((c) => c.name === "redis");
  await Promise.all(apps.map((c) => terminate(c.proc, 10_000)));
  await Promise.all(redis.map((c) => terminate(c.proc, 10_000)));
  process.exit(code);
}

function terminate(proc: ChildProcess, graceMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    proc.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    proc.kill("SIGTERM");
  });
}

async function main() {
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  // However this process ends, leave no child (the detached redis-server above all) behind.
  process.on("exit", () => {
    for (const c of children)
      if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGTERM");
  });

  const redisUrl = await findRedis();
  const admin = firstAdmin();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: redisUrl,
    NEXTAUTH_SECRET: sessionSecret(),
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // The demo retries within seconds, not the seed's minute, so a newcomer sees retries at once.
  if (demo) env.RETRY_BACKOFF_BASE_SECONDS ||= "2";
  let config: ReturnType<typeof consoleConfig>;
  try {
    config = consoleConfig(env);
  } catch (err) {
    fail(err instanceof ConfigError ? err.message : String(err));
  }
  env.NEXTAUTH_URL ??= `http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${config.PORT}`;

  const nextBin = join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  if (!existsSync(join(".next", "BUILD_ID"))) {
    log("start", "no build of the console yet: building it (about a minute)…");
    const build = spawnSync(process.execPath, [nextBin, "build"], { env, stdio: "inherit" });
    if (build.status !== 0) fail("the console build failed; see above");
  }

  const tsx = join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");
  run("worker", [tsx, "worker/main.ts"], env);
  run("console", [nextBin, "start", "-H", config.HOST, "-p", String(config.PORT)], env);
  if (demo) run("demo", [tsx, "worker/demo/main.ts"], env);

  log("start", `console: ${env.NEXTAUTH_URL}  (Ctrl-C stops everything)`);
  // A generated password is shown once, on the run that made it; afterwards only where it is kept.
  const where = join(dataDir, "admin-credentials.json");
  const how = admin.fresh ? ` with password ${admin.password} (generated, kept in ${where})` : "";
  log(
    "start",
    `sign in as ${admin.email}${how || (process.env.ADMIN_PASSWORD ? "" : ` (password in ${where})`)}`,
  );
}

void main();
