/**
 * Real redis-server processes for tests: each on a free loopback port with its own temporary
 * directory, stopped afterwards. Tests never touch a Redis they did not start.
 *
 * Fault tests use `kill9()` + `restart()` (same port, same append-only file), and cluster tests
 * use `startCluster()` (3 masters, optional replicas, on loopback ports).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";

const run = promisify(execFile);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export interface RedisServerOptions {
  /** Append-only persistence (fault tests). Default: off. */
  appendonly?: boolean;
  /** With `appendonly`: when redis-server fsyncs the file. Default "always" (every write). */
  appendfsync?: "always" | "everysec";
  port?: number;
  dir?: string;
  password?: string;
  /** Extra redis-server arguments, e.g. ["--cluster-enabled", "yes"]. */
  args?: string[];
  /** Serve TLS only (no plain port), with a CA and certificate generated for 127.0.0.1. */
  tls?: boolean;
}

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  /** With `tls`: the CA certificate that signed the server's certificate. */
  caFile?: string;
  readonly pid: number | undefined;
  /** SIGKILL: no shutdown save, the append-only file is all that survives. */
  kill9(): Promise<void>;
  /** Start again on the same port and directory (and so the same append-only file). */
  restart(): Promise<void>;
  /** Stop and remove the directory. */
  stop(): Promise<void>;
}

/** A throwaway CA and a server certificate for 127.0.0.1, made with openssl. */
async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const f = (name: string) => join(dir, name);
  await run(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=requeue-test-ca"].concat([
      "-keyout",
      f("ca.key"),
      "-out",
      f("ca.pem"),
    ]),
  );
  await run(
    "openssl",
    ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", f("server.key")].concat([
      "-out",
      f("server.csr"),
    ]),
  );
  writeFileSync(f("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await run(
    "openssl",
    ["x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key")].concat([
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      f("ext.cnf"),
      "-out",
      f("server.pem"),
    ]),
  );
  return { ca: f("ca.pem"), cert: f("server.pem"), key: f("server.key") };
}

async function waitForPing(
  port: number,
  password?: string,
  caFile?: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis({
      port,
      host: "127.0.0.1",
      password,
      tls: caFile ? { ca: readFileSync(caFile) } : undefined,
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    client.on("error", () => {});
    try {
      await client.connect();
      // LOADING replies while the AOF is read back: keep waiting.
      if ((await client.ping()) === "PONG") return;
    } catch {
      // not up yet
    } finally {
      client.disconnect();
    }
    if (Date.now() > deadline)
      throw new Error(`redis-server on port ${port} did not answer PING in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once("exit", () => resolve()));
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "requeue-redis-"));
  const certs = options.tls ? await makeCertificates(dir) : undefined;
  const listen = certs
    ? [
        "--port",
        "0",
        "--tls-port",
        String(port),
        "--tls-cert-file",
        certs.cert,
        "--tls-key-file",
        certs.key,
      ].concat(["--tls-ca-cert-file", certs.ca, "--tls-auth-clients", "no"])
    : ["--port", String(port)];
  const args = [
    ...listen,
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    "--daemonize",
    "no",
    "--loglevel",
    "warning",
    "--logfile",
    join(dir, "redis.log"),
    "--appendonly",
    options.appendonly ? "yes" : "no",
    ...(options.appendonly ? ["--appendfsync", options.appendfsync ?? "always"] : []),
    ...(options.password ? ["--requirepass", options.password] : []),
    ...(options.args ?? []),
  ];
  let proc: ChildProcess;
  const launch = async () => {
    proc = spawn("redis-server", args, { stdio: "ignore" });
    proc.on("error", () => {});
    await waitForPing(port, options.password, certs?.ca);
  };
  await launch();

  const scheme = certs ? "rediss" : "redis";
  const server: RedisServer = {
    port,
    dir,
    caFile: certs?.ca,
    url: options.password
      ? `${scheme}://:${encodeURIComponent(options.password)}@127.0.0.1:${port}`
      : `${scheme}://127.0.0.1:${port}`,
    get pid() {
      return proc.pid;
    },
    async kill9() {
      proc.kill("SIGKILL");
      await exited(proc);
    },
    async restart() {
      await launch();
    },
    async stop() {
      proc.kill("SIGKILL");
      await exited(proc);
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

export interface RedisCluster {
  masters: RedisServer[];
  replicas: RedisServer[];
  /** host:port of every node, for REDIS_CLUSTER_NODES or `new Cluster(...)`. */
  nodes: { host: string; port: number }[];
  stop(): Promise<void>;
}

/** Starts `masters` masters (default 3), each with `replicasPerMaster` replicas, as one cluster. */
export async function startCluster(masters = 3, replicasPerMaster = 0): Promise<RedisCluster> {
  const total = masters * (1 + replicasPerMaster);
  const servers: RedisServer[] = [];
  for (let i = 0; i < total; i++) {
    servers.push(
      await startRedisServer({
        appendonly: true,
        args: [
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          "nodes.conf",
          "--cluster-node-timeout",
          "2000",
        ],
      }),
    );
  }
  const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
  await run("redis-cli", [
    "--cluster",
    "create",
    ...addresses,
    "--cluster-replicas",
    String(replicasPerMaster),
    "--cluster-yes",
  ]);
  // Wait until every node agrees the cluster is ok.
  const deadline = Date.now() + 20_000;
  for (const s of servers) {
    for (;;) {
      const { stdout } = await run("redis-cli", ["-p", String(s.port), "cluster", "info"]);
      if (stdout.includes("cluster_state:ok")) break;
      if (Date.now() > deadline) throw new Error("cluster did not reach cluster_state:ok");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const roles = await Promise.all(
    servers.map(async (s) => (await run("redis-cli", ["-p", String(s.port), "role"])).stdout.split("\n")[0]),
  );
  return {
    masters: servers.filter((_, i) => roles[i] === "master"),
    replicas: servers.filter((_, i) => roles[i] !== "master"),
    nodes: servers.map((s) => ({ host: "127.0.0.1", port: s.port })),
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}
