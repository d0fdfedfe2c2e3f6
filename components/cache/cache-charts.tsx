"use client";
import { ChartCard, ChartGrid, SmallMultiplesCard } from "#components/charts/chart-card.tsx";
import { meaningSeries } from "#components/charts/palette.ts";
import type { ChartRow } from "#components/charts/time-series-chart.tsx";
import { formatCount } from "#components/format.ts";
/**
 * The cache dashboard's charts, each answering one question: is the hit rate falling (per
 * namespace, with the alert threshold drawn)? hits vs misses? is Redis slow (p50 / p99)? is
 * memory near the limit? is Redis evicting? how busy is it? Every chart spans the page's range;
 * the step in progress is drawn dashed (it is not over, so it is not a drop).
 */
import type { CacheStatsResponse } from "#lib/metrics/cache-dashboard-types.ts";

const pct = (v: number) => `${Math.round(v * 100)} %`;
const ms = (v: number) => `${Number(v.toFixed(2))} ms`;
/** Counts and small rates: below 10 a decimal, so low traffic gets distinct ticks. */
const countOrRate = (v: number) =>
  Math.abs(v) < 10 ? String(Number(v.toFixed(1))) : formatCount(Math.round(v));

/** "per minute", "per 15 minutes", "per 2 hours": what one step of the range counts. */
export function perStep(stepMs: number): string {
  const minutes = Math.round(stepMs / 60_000);
  if (minutes === 1) return "per minute";
  return minutes % 60 === 0
    ? `per ${minutes / 60} hour${minutes === 60 ? "" : "s"}`
    : `per ${minutes} minutes`;
}

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
  // the range ends with the step in progress: drawn dashed, never as a drop
  const partialFrom = data.to - data.stepMs;
  const step = perStep(data.stepMs);
  // one range for every chart of the page, Redis samples included
  const xDomain: [number, number] = [data.from, data.to - data.stepMs];
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

  return (
    <ChartGrid>
      <HitRateByNamespace data={data} xDomain={xDomain} partialFrom={partialFrom} />
      <ChartCard
        title="Hits and misses"
        question="How many lookups were served from the cache, per step?"
        empty="cache lookups"
        testId="chart-hits-misses"
        ariaLabel="Cache hits and misses over time"
        data={traffic}
        series={meaningSeries([
          ["hits", "hits"],
          ["misses", "misses"],
        ])}
        yFormat={(v) => formatCount(v)}
        yUnit={`lookups ${step}`}
        partialFrom={partialFrom}
        yDomain={[0, "auto"]}
        xDomain={xDomain}
      />
      <ChartCard
        title="Call latency"
        question="Is Redis answering the cache quickly? p50 and p99 of each call."
        empty="cache calls"
        testId="chart-latency"
        ariaLabel="Cache call latency p50 and p99 over time"
        data={traffic}
        series={meaningSeries([
          ["p50", "median", "p50"],
          ["p99", "tail", "p99"],
        ])}
        yFormat={ms}
        yUnit="milliseconds per call"
        partialFrom={partialFrom}
        yDomain={[0, "auto"]}
        xDomain={xDomain}
      />
      <ChartCard
        title="Redis memory"
        question={`How close is Redis to maxmemory?${nowOnly}`}
        empty={REDIS_SAMPLES}
        testId="chart-memory"
        ariaLabel="Redis memory used and maxmemory over time"
        data={redis}
        series={meaningSeries([
          ["used", "memory", "used"],
          ["max", "limit", "maxmemory"],
        ])}
        yFormat={(v) => formatBytes(v)}
        yUnit="bytes"
        yDomain={[0, "auto"]}
        xDomain={xDomain}
      />
      <ChartCard
        title="Evictions"
        question={`Is Redis evicting keys to stay under maxmemory?${nowOnly}`}
        empty={REDIS_SAMPLES}
        testId="chart-evictions"
        ariaLabel="Redis evicted keys per step over time"
        data={redis}
        series={meaningSeries([["evicted", "evicted", "evicted keys"]])}
        yFormat={countOrRate}
        yUnit={`keys evicted ${step}`}
        yDomain={[0, "auto"]}
        xDomain={xDomain}
        partialFrom={sampled ? partialFrom : undefined}
      />
      <ChartCard
        title="Operations"
        question={`How busy is Redis?${nowOnly}`}
        empty={REDIS_SAMPLES}
        testId="chart-operations"
        ariaLabel="Redis operations per second over time"
        data={redis}
        series={meaningSeries([["ops", "operations", "ops/s"]])}
        yFormat={countOrRate}
        yUnit="operations per second"
        yDomain={[0, "auto"]}
        xDomain={xDomain}
      />
    </ChartGrid>
  );
}

/** At most this many namespaces get a chart (the busiest); the table below lists every one. */
const MULTIPLES_MAX = 12;

/**
 * Hit rate per namespace as small multiples: one small chart per namespace, every line in the
 * colour of "hits" (a hit rate is the share of hits), on the same 0–100 % axis and range, each
 * with the alert threshold. Why not one line per namespace in categorical colours: those colours
 * would reuse the meaning colours (a namespace drawn in "misses" pink or "dead" red reads as a
 * problem), and dash patterns per namespace would clash with the dashed step in progress and
 * the dashed threshold. Small multiples keep one colour one meaning and scale to many namespaces.
 */
function HitRateByNamespace({
  data,
  xDomain,
  partialFrom,
}: {
  data: CacheStatsResponse;
  xDomain: [number, number];
  partialFrom: number;
}) {
  const threshold = data.hitRateThreshold;
  const lookups = (ns: CacheStatsResponse["namespaces"][number]) =>
    ns.points.reduce((n, p) => n + p.hits + p.l1Hits + p.staleHits + p.misses, 0);
  // a namespace without a lookup in the range has no chart (as a series without points has no legend entry)
  const busiest = data.namespaces
    .map((ns) => ({ ns, lookups: lookups(ns) }))
    .filter((x) => x.lookups > 0 && x.ns.points.some((p) => p.hitRate !== null))
    .sort((a, b) => b.lookups - a.lookups || a.ns.name.localeCompare(b.ns.name));
  const shown = busiest.slice(0, MULTIPLES_MAX).map(({ ns }) => ({
    name: ns.name,
    rows: ns.points.map((p) => ({ t: p.t, rate: p.hitRate })) as ChartRow[],
  }));
  const more = busiest.length - shown.length;
  return (
    <SmallMultiplesCard
      title="Hit rate by namespace"
      question={`Is the hit rate falling? One chart per namespace${more > 0 ? `, the ${MULTIPLES_MAX} busiest (${more} more in the table below)` : ""}; the grey dashed line is the alert threshold.`}
      empty="cache lookups"
      testId="chart-hit-rate"
      ariaLabel="Cache hit rate over time, one chart per namespace"
      yUnit="hit rate, % of lookups"
      reference={{ y: threshold, label: `alert < ${pct(threshold)}` }}
      xDomain={xDomain}
      partialFrom={partialFrom}
      charts={shown.map((x) => ({
        title: x.name,
        data: x.rows,
        series: meaningSeries([["rate", "hits", "hit rate"]]),
      }))}
      yFormat={pct}
      yDomain={[0, 1]}
    />
  );
}
