"use client";
import { ChartCard, ChartGrid } from "#components/charts/chart-card.tsx";
import type { ChartRow } from "#components/charts/time-series-chart.tsx";
import { formatCount } from "#components/format.ts";
/**
 * The cache dashboard's charts, each answering one question: is the hit rate falling (per
 * namespace, with the alert threshold drawn)? hits vs misses? is Redis slow (p50 / p99)? is
 * memory near the limit? is Redis evicting? how busy is it?
 */
import type { CacheStatsResponse } from "#lib/metrics/cache-dashboard-types.ts";

const pct = (v: number) => `${Math.round(v * 100)} %`;
const ms = (v: number) => `${Number(v.toFixed(2))} ms`;
/** Counts and small rates on one axis: below 10 a decimal, so low traffic gets distinct ticks. */
const countOrRate = (v: number) =>
  Math.abs(v) < 10 ? String(Number(v.toFixed(1))) : formatCount(Math.round(v));

export function formatBytes(n: number | null | undefined): string {
  if (typeof n !== "number" || !Number.isFinite(n)) return "—";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

const REDIS_SAMPLES = "Redis samples (the worker writes them)";

export function CacheCharts({ data }: { data: CacheStatsResponse }) {
  const hitRows: ChartRow[] = data.total.map((p, i) => {
    const row: ChartRow = { t: p.t };
    for (const ns of data.namespaces) row[`ns${ns.name}`] = ns.points[i]?.hitRate ?? null;
    return row;
  });
  const hitSeries = data.namespaces.map((ns) => ({ key: `ns${ns.name}`, label: ns.name }));
  const traffic: ChartRow[] = data.total.map((p) => ({
    t: p.t,
    hits: p.hits || p.misses ? p.hits : null,
    misses: p.hits || p.misses ? p.misses : null,
    p50: p.p50Ms,
    p99: p.p99Ms,
  }));
  // Without the worker's samples, the figures read now are one point (evictions need two samples).
  const sampled = data.redis.length > 0;
  const redis: ChartRow[] = sampled
    ? data.redis.map((p) => ({
        t: p.t,
        used: p.usedMemory,
        max: p.maxMemory || null,
        evicted: p.evicted,
        ops: p.opsPerSec,
      }))
    : [
        {
          t: data.to - data.stepMs,
          used: data.redisNow.usedMemory,
          max: data.redisNow.maxMemory || null,
          evicted: null,
          ops: data.redisNow.opsPerSec,
        },
      ];
  const nowOnly = sampled ? "" : " Only the current figures: the worker's samples chart the history.";
  const threshold = data.hitRateThreshold;

  return (
    <ChartGrid>
      <ChartCard
        title="Hit rate by namespace"
        question="Is the hit rate falling? The dashed line is the alert threshold."
        empty="cache lookups"
        testId="chart-hit-rate"
        ariaLabel="Cache hit rate over time by namespace"
        data={hitRows}
        series={hitSeries}
        yFormat={pct}
        yDomain={[0, 1]}
        reference={{ y: threshold, label: `alert < ${pct(threshold)}` }}
      />
      <ChartCard
        title="Hits and misses"
        question="How many lookups were served from the cache, per step?"
        empty="cache lookups"
        testId="chart-hits-misses"
        ariaLabel="Cache hits and misses over time"
        data={traffic}
        series={[
          { key: "hits", label: "hits", color: "#1b7a3a" },
          { key: "misses", label: "misses", color: "#a15c00" },
        ]}
        yFormat={(v) => formatCount(v)}
        yDomain={[0, "auto"]}
      />
      <ChartCard
        title="Call latency"
        question="Is Redis answering the cache quickly? p50 and p99 of each call."
        empty="cache calls"
        testId="chart-latency"
        ariaLabel="Cache call latency p50 and p99 over time"
        data={traffic}
        series={[
          { key: "p50", label: "p50", color: "#2457d6" },
          { key: "p99", label: "p99", color: "#7b3fb5" },
        ]}
        yFormat={ms}
        yDomain={[0, "auto"]}
      />
      <ChartCard
        title="Redis memory"
        question={`How close is Redis to maxmemory?${nowOnly}`}
        empty={REDIS_SAMPLES}
        testId="chart-memory"
        ariaLabel="Redis memory used and maxmemory over time"
        data={redis}
        series={[
          { key: "used", label: "used", color: "#2457d6" },
          { key: "max", label: "maxmemory", color: "#b3261e" },
        ]}
        yFormat={(v) => formatBytes(v)}
        yDomain={[0, "auto"]}
      />
      <ChartCard
        title="Evictions and operations"
        question={`Is Redis evicting keys, and how busy is it?${nowOnly}`}
        empty={REDIS_SAMPLES}
        testId="chart-evictions"
        ariaLabel="Redis evictions per step and operations per second over time"
        data={redis}
        series={[
          { key: "evicted", label: "evicted keys", color: "#b3261e" },
          { key: "ops", label: "ops/s", color: "#00838f" },
        ]}
        yFormat={countOrRate}
        yDomain={[0, "auto"]}
      />
    </ChartGrid>
  );
}
