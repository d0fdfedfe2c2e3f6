import { afterAll, describe, expect, it } from "vitest";
import { getThresholds, listAlerts } from "#lib/alerts/index.ts";
import type { AuditDetails } from "#lib/auth/audit.ts";
import { testConfig, testRedis, uniqueName } from "../../../test/harness/index.ts";
import {
  resetThresholdNow,
  saveThresholds,
  saveThresholdsSchema,
  type ThresholdDeps,
} from "./alert-thresholds.ts";

const client = testRedis();
afterAll(() => client.quit());

/** Deps that hold the deferred work until the test runs it, and keep the audit entries. */
function held() {
  const work: (() => Promise<unknown>)[] = [];
  const audited: [string, AuditDetails][] = [];
  const config = testConfig({ REDIS_KEY_PREFIX: uniqueName("thr") });
  const deps: ThresholdDeps = {
    config,
    record: async (action, details) => audited.push([action, details]),
    later: (w) => work.push(w),
  };
  return { work, audited, config, deps };
}

const evaluated = async (config: ReturnType<typeof testConfig>) =>
  (await listAlerts(client, config)).filter((a) => a.evaluatedAt !== null).length;

describe("saving the alerts page's thresholds", () => {
  it("stores and audits every change, answers before evaluating, then evaluates once", async () => {
    const { work, audited, config, deps } = held();
    const res = await saveThresholds(
      client,
      {
        changes: [
          { id: "dlq_size", value: 7 },
          { id: "cache_hit_rate", value: 0.5 },
        ],
      },
      deps,
    );
    expect(res.saved.map((s) => [s.id, s.value])).toEqual([
      ["dlq_size", 7],
      ["cache_hit_rate", 0.5],
    ]);
    expect(res.failed).toEqual([]);
    const stored = await getThresholds(client, config);
    expect([stored.values.dlq_size, stored.values.cache_hit_rate]).toEqual([7, 0.5]);
    expect(audited.map(([a, d]) => `${a} ${d.target} ${d.detail}`)).toEqual([
      "alerts.threshold.set dlq_size 50 -> 7",
      "alerts.threshold.set cache_hit_rate 0.7 -> 0.5",
    ]);
    // the answer came before any evaluation: one is queued for two changes, none has run
    expect(work).toHaveLength(1);
    expect(await evaluated(config)).toBe(0);
    await work[0]();
    expect(await evaluated(config)).toBeGreaterThan(0);
  });

  it("names a refused threshold and saves the others", async () => {
    const { work, config, deps } = held();
    const res = await saveThresholds(
      client,
      {
        changes: [
          { id: "dlq_size", value: 2.5 },
          { id: "avg_retries", value: 3 },
          { id: "no_such_alert", value: 1 },
        ],
      },
      deps,
    );
    expect(res.saved.map((s) => s.id)).toEqual(["avg_retries"]);
    expect(res.failed.map((f) => f.id)).toEqual(["dlq_size", "no_such_alert"]);
    expect(res.failed[0].error).toMatch(/whole number/);
    const stored = await getThresholds(client, config);
    expect(stored.overridden.dlq_size).toBe(false);
    expect(stored.values.avg_retries).toBe(3);
    expect(work).toHaveLength(1);
  });

  it("evaluates nothing when nothing was saved", async () => {
    const { work, deps } = held();
    const res = await saveThresholds(client, { changes: [{ id: "dlq_size", value: -1 }] }, deps);
    expect(res.saved).toEqual([]);
    expect(work).toHaveLength(0);
  });

  it("a reset answers before its evaluation too", async () => {
    const { work, audited, config, deps } = held();
    await saveThresholds(client, { changes: [{ id: "dlq_size", value: 3 }] }, deps);
    await resetThresholdNow(client, "dlq_size", deps);
    expect((await getThresholds(client, config)).overridden.dlq_size).toBe(false);
    expect(audited.at(-1)?.[0]).toBe("alerts.threshold.reset");
    expect(work).toHaveLength(2);
  });

  it("the action's schema refuses an empty or malformed save", () => {
    expect(saveThresholdsSchema.safeParse({ changes: [] }).success).toBe(false);
    expect(saveThresholdsSchema.safeParse({ changes: [{ id: "dlq_size", value: "7" }] }).success).toBe(false);
    expect(saveThresholdsSchema.safeParse({ changes: [{ id: "dlq_size", value: 7 }] }).success).toBe(true);
  });
});
