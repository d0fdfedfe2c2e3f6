"use client";
/** The queues page: one row per queue with its sizes and recent rates, sortable via the URL. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { api } from "#components/api-client.ts";
import type { QueueSummary } from "#components/api-types.ts";
import { formatCount, formatDuration, formatPercent, formatRate } from "#components/format.ts";
import { qk } from "#components/query-keys.ts";
import { Empty, ErrorState, Loading, StaleNote } from "#components/ui/states.tsx";
import { TableScroll } from "#components/ui/table-scroll.tsx";
import { PausedBadge } from "./pause-control.tsx";

const COLUMNS = {
  name: { label: "Queue", get: (q: QueueSummary) => q.name },
  ready: { label: "Ready", get: (q: QueueSummary) => q.sizes.ready },
  active: { label: "Active", get: (q: QueueSummary) => q.sizes.active },
  retry: { label: "↻ Retry", get: (q: QueueSummary) => q.sizes.retry },
  dead: { label: "✕ Dead", get: (q: QueueSummary) => q.sizes.dead },
  throughput: { label: "Completed", get: (q: QueueSummary) => q.throughput ?? -1 },
  failure: { label: "Failure rate", get: (q: QueueSummary) => q.failureRate ?? -1 },
  oldest: { label: "Oldest dead", get: (q: QueueSummary) => q.oldestDeadAgeMs ?? -1 },
} as const;
type SortKey = keyof typeof COLUMNS;

export function QueuesTable() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const sortParam = params?.get("sort") ?? "name";
  const sort: SortKey = sortParam in COLUMNS ? (sortParam as SortKey) : "name";
  const desc = params?.get("dir") === "desc";
  const q = useQuery({ queryKey: qk.queues.all, queryFn: ({ signal }) => api.queues(signal) });

  if (q.isPending) return <Loading what="queues" />;
  if (q.isError && !q.data)
    return (
      <ErrorState title="Queues could not be loaded" message={q.error.message} retry={() => q.refetch()} />
    );
  if (!q.data.queues.length)
    return (
      <Empty title="No queues yet">A queue appears here as soon as a producer adds its first job.</Empty>
    );

  const get = COLUMNS[sort].get;
  const rows = [...q.data.queues].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    const c = typeof x === "string" ? x.localeCompare(String(y)) : x - (y as number);
    return desc ? -c : c;
  });
  const setSort = (key: SortKey) =>
    router.replace(`${pathname}?sort=${key}${key === sort && !desc ? "&dir=desc" : ""}`, { scroll: false });

  return (
    <>
      {q.isRefetchError ? <StaleNote since={q.dataUpdatedAt} /> : null}
      <TableScroll label="Queues">
        <table className="data-table" data-testid="queues-table">
          <thead>
            <tr>
              {(Object.keys(COLUMNS) as SortKey[]).map((k) => (
                <th
                  key={k}
                  className={k === "name" ? "" : "num"}
                  aria-sort={k === sort ? (desc ? "descending" : "ascending") : "none"}
                >
                  <button type="button" className="btn-quiet btn btn-small" onClick={() => setSort(k)}>
                    {COLUMNS[k].label}
                    {k === sort ? (desc ? " ▼" : " ▲") : ""}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr key={x.name} data-testid="queue-row" data-queue={x.name}>
                <td>
                  <Link href={`/queues/${encodeURIComponent(x.name)}`}>
                    <code>{x.name}</code>
                  </Link>{" "}
                  <PausedBadge paused={x.paused} pausedAt={x.pausedAt} />
                </td>
                <td className="num">{formatCount(x.sizes.ready)}</td>
                <td className="num">{formatCount(x.sizes.active)}</td>
                <td className={`num ${x.sizes.retry ? "count-retry" : ""}`}>{formatCount(x.sizes.retry)}</td>
                <td className={`num ${x.sizes.dead ? "count-dead" : ""}`}>
                  {x.sizes.dead ? (
                    <Link href={`/dead-letters?queue=${encodeURIComponent(x.name)}`}>
                      {formatCount(x.sizes.dead)}
                    </Link>
                  ) : (
                    "0"
                  )}
                </td>
                <td className="num">{formatRate(x.throughput)}</td>
                <td className="num">{formatPercent(x.failureRate)}</td>
                <td className="num">{x.oldestDeadAgeMs ? formatDuration(x.oldestDeadAgeMs) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="small muted">Rates: average per minute over the last {q.data.windowMinutes} minutes.</p>
    </>
  );
}
