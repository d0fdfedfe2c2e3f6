/**
 * A Python service's failure, handled through the console's API (issue 18): a job added over
 * HTTP is consumed by a Python consumer (clients/python/tests/xlang.py on Debian's python3 with
 * python3-redis, which scripts/setup.sh installs), fails into the DLQ with Python frames and a
 * redacted message, is edited and requeued with `POST /api/v1/dead-letters/{queue}/{id}/requeue`,
 * and then completes in Python.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_BASE_URL, e2eState } from "./env.ts";
import { apiAs } from "./helpers/auth.ts";
import { purgeSeeded, uniqueQueue } from "./helpers/seed.ts";

const sameSite = { origin: E2E_BASE_URL };
let consumer: ChildProcess | undefined;

test.afterAll(async () => {
  consumer?.kill("SIGKILL");
  await purgeSeeded();
});

/** The Python consumer of `queue`, started on the app's Redis; resolves once it consumes. */
async function pythonConsumer(queue: string): Promise<() => string> {
  const { redisUrl, clusterNodes } = e2eState();
  const child = spawn(
    "/usr/bin/python3",
    [join(process.cwd(), "clients/python/tests/xlang.py"), "consume", queue],
    {
      env: {
        ...process.env,
        REDIS_URL: redisUrl,
        ...(clusterNodes ? { REDIS_CLUSTER_NODES: clusterNodes } : {}),
        RETRY_BACKOFF_BASE_SECONDS: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  consumer = child;
  let out = "";
  child.stdout?.on("data", (b) => (out += b));
  child.stderr?.on("data", (b) => (out += b));
  await expect
    .poll(() => out.includes("consuming") || child.exitCode !== null, { timeout: 30_000 })
    .toBe(true);
  expect(child.exitCode, out).toBeNull();
  return () => out;
}

test("a Python job's dead letter is edited and requeued through the API, then completes in Python", async ({
  request,
}) => {
  const api = await apiAs(request, "admin");
  const queue = uniqueQueue("python");
  const output = await pythonConsumer(queue);

  const added = await api.post(`/api/v1/queues/${queue}/jobs`, {
    headers: sameSite,
    data: { data: { fail: true }, jobId: "scan-9", maxAttempts: 2, backoff: { type: "fixed", baseMs: 0 } },
  });
  expect(added.status(), await added.text()).toBe(201);

  const entryPath = `/api/v1/dead-letters/${queue}/scan-9`;
  await expect
    .poll(async () => (await api.get(entryPath)).status(), { timeout: 30_000, message: output() })
    .toBe(200);
  const dead = await (await api.get(entryPath)).json();
  expect(dead.errors.map((e: { attempt: number }) => e.attempt)).toEqual([1, 2]);
  expect(dead.errors[1].name).toBe("RuntimeError");
  expect(dead.errors[1].message).toBe("cannot convert document scan-9: password=[REDACTED] rejected");
  expect(dead.errors[1].stack.split("\n")[0]).toMatch(/^at convert \(.*xlang\.py:\d+:\d+\)$/);
  expect(JSON.stringify(dead)).not.toContain("hunter2");

  const requeued = await api.post(`${entryPath}/requeue`, {
    headers: sameSite,
    data: { payload: { fixed: true } },
  });
  expect(requeued.status(), await requeued.text()).toBeLessThan(300);

  const jobPath = `/api/v1/queues/${queue}/jobs/scan-9`;
  await expect
    .poll(async () => (await (await api.get(jobPath)).json()).state, { timeout: 30_000, message: output() })
    .toBe("completed");
  expect((await api.get(entryPath)).status()).toBe(404);
});
