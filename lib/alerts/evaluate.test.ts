/**
 * State machine, history and webhook of the evaluation, with the values given directly.
 * (inputs.test.ts drives the same evaluation from real queue and cache statistics.)
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, testConfig, testRedis, uniqueName } from "../../test/harness/index.ts";
import { evaluateAlerts, listAlerts } from "./evaluate.ts";
import { alertHistory, evaluateIfDue, HISTORY_MAX, setThreshold, setWebhook } from "./index.ts";
import type { AlertValues } from "./types.ts";

const client = testRedis();

/** A local webhook receiver: records every body; answers with `status` (or hangs when 0). */
let server: Server;
let base = "";
const received: { path: string; body: Record<string, unknown> }[] = [];
async function readBody(req: IncomingMessage): Promise<string> {
  let s = "";
  for await (const chunk of req) s += chunk;
  return s;
}
beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    received.push({ path: req.url ?? "", body: JSON.parse(body) });
    if (req.url?.startsWith("/hang")) return; // never answers
    res.statusCode = req.url?.startsWith("/fail") ? 500 : 204;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await client.quit();
});

const quiet: AlertValues = {
  dlq_size: 0,
  retry_success_rate: 1,
  avg_retries: 0,
  dlq_oldest_age: 0,
  dlq_near_cap: null,
  cache_hit_rate: 0.95,
  redis_memory: 0.1,
  eviction_rate: 0,
  cache_latency: 0.5,
  queue_latency: 1,
};

function setup(env: Record<string, string> = {}) {
  const config = testConfig({ REDIS_KEY_PREFIX: uniqueName("al"), ...env });
  let values = { ...quiet };
  const run = (now: number, patch: Partial<AlertValues> = {}) => {
    values = { ...values, ...patch };
    return evaluateAlerts(client, { config, now, readInputs: async () => values });
  };
  return { config, run };
}

const stateOf = async (config: ReturnType<typeof testConfig>, id: string) =>
  (await listAlerts(client, config)).find((a) => a.id === id)!;

describe("alert evaluation", () => {
  it("starts ok, fires since the breach, stays firing without a new transition, then resolves", async () => {
    const { config, run } = setup();
    await run(1_000);
    expect((await listAlerts(client, config)).every((a) => a.state === "ok")).toBe(true);

    const fired = await run(2_000, { dlq_size: 51 });
    expect(fired.transitions.map((t) => [t.id, t.from, t.to])).toEqual([["dlq_size", "ok", "firing"]]);
    expect(await stateOf(config, "dlq_size")).toMatchObject({ state: "firing", since: 2_000, value: 51 });

    const again = await run(3_000, { dlq_size: 60 });
    expect(again.transitions).toEqual([]);
    expect(await stateOf(config, "dlq_size")).toMatchObject({ state: "firing", since: 2_000, value: 60 });

    const resolved = await run(4_000, { dlq_size: 50 });
    expect(resolved.transitions.map((t) => [t.id, t.to])).toEqual([["dlq_size", "ok"]]);
    expect(await stateOf(config, "dlq_size")).toMatchObject({ state: "ok", since: 4_000 });

    const history = await alertHistory(client, {}, config);
    expect(history.map((h) => [h.id, h.to, h.at])).toEqual([
      ["dlq_size", "ok", 4_000],
      ["dlq_size", "firing", 2_000],
    ]);
    expect(history[1]).toMatchObject({ valueText: "51", thresholdText: "50", comparator: ">" });
  });

  it("compares below-threshold alerts the other way and treats no data as ok", async () => {
    const { config, run } = setup();
    await run(1_000, { cache_hit_rate: 0.69 });
    expect(await stateOf(config, "cache_hit_rate")).toMatchObject({ state: "firing", value: 0.69 });
    await run(2_000, { cache_hit_rate: null });
    expect(await stateOf(config, "cache_hit_rate")).toMatchObject({ state: "ok", value: null });
  });

  it("uses an admin's threshold at the next evaluation", async () => {
    const { config, run } = setup();
    await run(1_000, { dlq_size: 1 });
    expect((await stateOf(config, "dlq_size")).state).toBe("ok");
    await setThreshold(client, "dlq_size", 0, config);
    await run(2_000);
    expect(await stateOf(config, "dlq_size")).toMatchObject({
      state: "firing",
      threshold: 0,
      overridden: true,
    });
  });

  it("announces a change once when two evaluators see it together", async () => {
    const { config, run } = setup();
    await run(1_000);
    const [a, b] = await Promise.all([run(2_000, { avg_retries: 3 }), run(2_000)]);
    expect(a.transitions.length + b.transitions.length).toBe(1);
    expect(await alertHistory(client, {}, config)).toHaveLength(1);
  });

  it("evaluates at most once per interval across processes when asked 'if due'", async () => {
    const config = testConfig({ REDIS_KEY_PREFIX: uniqueName("al"), ALERT_EVALUATE_INTERVAL_MS: "60000" });
    const first = await evaluateIfDue(client, config);
    expect(first?.values).toHaveProperty("dlq_size");
    expect(await evaluateIfDue(client, config)).toBeNull();
    expect((await listAlerts(client, config))[0].evaluatedAt).toBe(first?.at);
  });

  it("keeps the history bounded", async () => {
    const { config, run } = setup();
    for (let i = 0; i < HISTORY_MAX / 2 + 5; i++) {
      await run(i * 2 + 1, { cache_latency: 9 });
      await run(i * 2 + 2, { cache_latency: 1 });
    }
    const history = await alertHistory(client, { limit: 10_000 }, config);
    expect(history).toHaveLength(HISTORY_MAX);
    expect(history[0]).toMatchObject({ to: "ok" });
  });
});

describe("alert webhook", () => {
  it("is posted on firing and on resolve, and the outcome is kept in the history", async () => {
    const { config, run } = setup();
    const path = `/ok-${uniqueName()}`;
    await setWebhook(client, `${base}${path}`, config);
    await run(1_000);
    await run(2_000, { redis_memory: 0.93 });
    await run(3_000, { redis_memory: 0.5 });
    const mine = received.filter((r) => r.path === path).map((r) => r.body);
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({
      event: "alert.firing",
      alert: "redis_memory",
      state: "firing",
      value: 0.93,
      threshold: 0.8,
      text: "[Requeue] FIRING: Redis memory is 93 % (threshold > 80 %)",
    });
    expect(mine[1]).toMatchObject({ event: "alert.resolved", alert: "redis_memory", state: "ok" });
    const history = await alertHistory(client, {}, config);
    const host = new URL(base).host;
    expect(history.map((h) => h.webhook)).toEqual([
      { host, ok: true, status: 204 },
      { host, ok: true, status: 204 },
    ]);
    expect(JSON.stringify(history)).not.toContain(path);
  });

  it("records an error answer, a refused connection and a timeout without failing the evaluation", async () => {
    const cases = [
      { url: `${base}/fail-${uniqueName()}`, expected: { ok: false, status: 500, error: "HTTP 500" } },
      { url: `http://127.0.0.1:${await freePort()}/refused`, expected: { ok: false, error: "ECONNREFUSED" } },
      { url: `${base}/hang-${uniqueName()}`, expected: { ok: false, error: "no answer within 300 ms" } },
    ];
    for (const c of cases) {
      const { config, run } = setup({ ALERT_WEBHOOK_TIMEOUT_MS: "300" });
      await setWebhook(client, c.url, config);
      const res = await run(1_000, { eviction_rate: 0.2 });
      expect(res.transitions).toHaveLength(1);
      expect(await stateOf(config, "eviction_rate")).toMatchObject({ state: "firing" });
      const [entry] = await alertHistory(client, {}, config);
      expect(entry.webhook).toEqual({ host: new URL(c.url).host, ...c.expected });
    }
  });
});
