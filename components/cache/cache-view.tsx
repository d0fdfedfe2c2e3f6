"use client";
/**
 * The cache dashboard: range (1 h / 24 h / 7 d) and namespace in the URL, headline figures,
 * the charts, the namespace table and — for admins — Flush and Invalidate tag. Data refreshes
 * live; when a refresh fails the last data stays with a note.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "#app/_lib/action.ts";
import { ApiError } from "#components/api-client.ts";
import { RangePicker, useRangeParam } from "#components/charts/range-picker.tsx";
import { formatCount, formatDuration, formatPercent } from "#components/format.ts";
import { ErrorState, Loading, StaleNote } from "#components/ui/states.tsx";
import {
  CACHE_RANGES,
  type CacheRange,
  type CacheStatsResponse,
  type NamespaceRow,
} from "#lib/metrics/cache-dashboard-types.ts";
import s from "./cache.module.css";
import { cacheApi, cacheKeys } from "./cache-api.ts";
import { CacheCharts, formatBytes } from "./cache-charts.tsx";
import { InvalidateTagForm } from "./invalidate-tag-form.tsx";
import { NamespaceTable } from "./namespace-table.tsx";
import { NearProcesses } from "./near-processes.tsx";

export interface CacheAdminActions {
  flush: (input: { namespace: string }) => Promise<ActionResult<{ namespace: string }>>;
  invalidate: (input: { tag: string }) => Promise<ActionResult<{ tag: string; namespaces: number }>>;
}

function Headline({ data, rows }: { data: CacheStatsResponse; rows: NamespaceRow[] | undefined }) {
  const hits = data.total.reduce((n, p) => n + p.hits + p.l1Hits, 0);
  const misses = data.total.reduce((n, p) => n + p.misses, 0);
  const r = data.redisNow;
  const memShare = r.usedMemory !== null && r.maxMemory ? r.usedMemory / r.maxMemory : null;
  return (
    <dl className={s.tiles} data-testid="cache-headline">
      <div className={s.tile}>
        <dt>Hit rate ({data.range})</dt>
        <dd data-testid="headline-hit-rate">
          {formatPercent(hits + misses ? hits / (hits + misses) : null)}
        </dd>
        <small>alert below {formatPercent(data.hitRateThreshold, 0)}</small>
      </div>
      <div className={s.tile}>
        <dt>Hits / misses ({data.range})</dt>
        <dd>
          {formatCount(hits)} / {formatCount(misses)}
        </dd>
      </div>
      <SavedTile rows={rows} />
      <div className={s.tile}>
        <dt>Redis memory</dt>
        <dd>{formatBytes(r.usedMemory)}</dd>
        <small>
          {r.maxMemory ? `of ${formatBytes(r.maxMemory)} (${formatPercent(memShare)})` : "no maxmemory set"}
        </small>
      </div>
      <div className={s.tile}>
        <dt>Evicted keys (since start)</dt>
        <dd>{formatCount(r.evictedKeys)}</dd>
      </div>
      <div className={s.tile}>
        <dt>Operations</dt>
        <dd>{r.opsPerSec === null ? "—" : `${formatCount(r.opsPerSec)}/s`}</dd>
      </div>
    </dl>
  );
}

/** What the cache spared the source in the last hour: the lookups it answered and their time. */
function SavedTile({ rows }: { rows: NamespaceRow[] | undefined }) {
  const queries = rows?.reduce((n, r) => n + r.hits, 0);
  const known = rows?.filter((r) => r.savedMs !== null) ?? [];
  const ms = known.reduce((n, r) => n + (r.savedMs ?? 0), 0);
  return (
    <div className={s.tile} data-testid="headline-saved">
      <dt>Source queries saved (1h)</dt>
      <dd>{formatCount(queries)}</dd>
      <small>{known.length ? `${formatDuration(ms)} of loader time` : "loader time not measured yet"}</small>
    </div>
  );
}

export function CacheView({ admin }: { admin?: CacheAdminActions }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const range = useRangeParam(Object.keys(CACHE_RANGES) as CacheRange[]);
  const namespace = params.get("namespace") || undefined;
  const client = useQueryClient();
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  const stats = useQuery({
    queryKey: cacheKeys.stats(range, namespace),
    queryFn: ({ signal }) => cacheApi.stats(range, namespace, signal),
  });
  const namespaces = useQuery({
    queryKey: cacheKeys.namespaces,
    queryFn: ({ signal }) => cacheApi.namespaces(signal),
  });

  const href = (next: { namespace: string | null }) => {
    const p = new URLSearchParams(params.toString());
    if (next.namespace) p.set("namespace", next.namespace);
    else p.delete("namespace");
    return `${pathname}?${p.toString()}`;
  };

  async function run<T>(fn: () => Promise<ActionResult<T>>, done: (data: T) => string) {
    setPending(true);
    setOutcome(null);
    try {
      const r = await fn();
      setOutcome(r.ok ? { ok: true, text: done(r.data) } : { ok: false, text: r.error });
    } catch {
      setOutcome({ ok: false, text: "The console server is unreachable; nothing was changed" });
    } finally {
      setPending(false);
      await client.invalidateQueries({ queryKey: cacheKeys.all });
    }
  }

  const names = namespaces.data?.namespaces.map((n) => n.name) ?? [];
  const error = stats.error ?? namespaces.error;
  const redisDown = error instanceof ApiError && error.redisDown;

  return (
    <>
      <div className={s.toolbar}>
        <RangePicker ranges={Object.keys(CACHE_RANGES) as CacheRange[]} current={range} />
        <label>
          Namespace{" "}
          <select
            className={s.select}
            value={namespace ?? ""}
            onChange={(e) => router.replace(href({ namespace: e.target.value || null }))}
            data-testid="namespace-filter"
          >
            <option value="">all</option>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>

      {outcome ? (
        <div
          className={`${s.outcome} ${outcome.ok ? "" : s.outcomeError}`}
          role="status"
          data-testid="cache-outcome"
        >
          {outcome.text}
        </div>
      ) : null}

      {stats.isPending ? (
        <Loading what="cache statistics" />
      ) : stats.data ? (
        <>
          {stats.isError ? <StaleNote since={stats.dataUpdatedAt} /> : null}
          <Headline data={stats.data} rows={namespaces.data?.namespaces} />
          <CacheCharts data={stats.data} />
        </>
      ) : (
        <ErrorState
          title={redisDown ? "Redis is unreachable" : "Could not load the cache statistics"}
          message={redisDown ? "The charts come back by themselves when Redis does." : error?.message}
          retry={() => stats.refetch()}
        />
      )}

      {namespaces.data ? (
        <NamespaceTable
          rows={namespaces.data.namespaces}
          hitRateThreshold={stats.data?.hitRateThreshold ?? 0.7}
          pending={pending}
          onFlush={
            admin
              ? (ns) =>
                  run(
                    () => admin.flush({ namespace: ns }),
                    (d) => `Flushed ${d.namespace}: its entries are misses from now on.`,
                  )
              : undefined
          }
        />
      ) : null}

      {namespaces.data ? <NearProcesses rows={namespaces.data.near} /> : null}

      {admin ? (
        <InvalidateTagForm
          namespaceCount={names.length}
          pending={pending}
          onInvalidate={(tag) =>
            run(
              () => admin.invalidate({ tag }),
              (d) =>
                `Invalidated ${d.tag} in ${d.namespaces} namespaces: its entries are misses from now on.`,
            )
          }
        />
      ) : null}
    </>
  );
}
