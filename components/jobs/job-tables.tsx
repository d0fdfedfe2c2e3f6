"use client";
/**
 * One page of a queue's jobs as a dense table, with the columns each state needs:
 *   waiting    place in line and time waited
 *   active     the consumer holding the lease (host, pid, id), started, lease expiry, and
 *              "orphaned — reclaim at …" when that consumer stopped beating
 *   scheduled  retry or delayed told apart: attempts so far, the last error, when it is due
 *   completed  finished, how long it ran, after how many attempts
 * Every id links to the job's page. Job text (errors) is rendered as text.
 */
import Link from "next/link";
import type { ReactNode } from "react";
import { formatAbsolute, formatCount, formatDuration } from "#components/format.ts";
import { jobHref } from "#components/nav.ts";
import { RelativeTime } from "#components/ui/relative-time.tsx";
import { StateBadge } from "#components/ui/state-badge.tsx";
import { TableScroll } from "#components/ui/table-scroll.tsx";
import type { ActiveRow, CompletedRow, JobsPage, ScheduledRow, WaitingRow } from "#lib/queue/browse.ts";

interface Column<R> {
  head: string;
  className?: string;
  cell: (row: R) => ReactNode;
}

function IdLink({ queue, id }: { queue: string; id: string }) {
  return (
    // one link per row: prefetching each row's page would cost a server render (and its Redis reads) per row per view
    <Link href={jobHref(queue, id)} prefetch={false} data-testid="job-link">
      <code>{id}</code>
    </Link>
  );
}

const attempts = (done: number | null, max?: number) =>
  done === null ? "—" : max ? `${formatCount(done)} of ${formatCount(max)}` : formatCount(done);

const WAITING: Column<WaitingRow>[] = [
  { head: "#", className: "num", cell: (r) => formatCount(r.position + 1) },
  { head: "Waited", cell: (r) => (r.waitedMs === null ? "—" : formatDuration(r.waitedMs)) },
  { head: "Attempts", className: "num", cell: (r) => attempts(r.attempts, r.maxAttempts) },
  { head: "Added", cell: (r) => <RelativeTime ms={r.createdAt} /> },
];

export function LeaseState({ row }: { row: Pick<ActiveRow, "lease" | "reclaimAt"> }) {
  if (row.lease === "heartbeating") return <StateBadge tone="ok">heartbeating</StateBadge>;
  return (
    <span data-testid="orphaned">
      <StateBadge tone="dead">orphaned</StateBadge>
      {row.reclaimAt ? (
        <>
          {" "}
          — reclaim at <time title={formatAbsolute(row.reclaimAt)}>{formatAbsolute(row.reclaimAt)}</time>
        </>
      ) : null}
    </span>
  );
}

export function ConsumerCell({ c }: { c: ActiveRow["consumer"] }) {
  return (
    <>
      {c.host ?? "?"}
      {c.pid !== null ? ` · pid ${c.pid}` : ""}
      <br />
      <code className="small">{c.id}</code>
    </>
  );
}

const ACTIVE: Column<ActiveRow>[] = [
  { head: "Consumer", cell: (r) => <ConsumerCell c={r.consumer} /> },
  {
    head: "Started",
    cell: (r) =>
      r.prefetched ? <span className="muted">prefetched</span> : <RelativeTime ms={r.startedAt} />,
  },
  { head: "Lease expires", cell: (r) => <RelativeTime ms={r.leaseExpiresAt} /> },
  { head: "Lease", className: "col-wide", cell: (r) => <LeaseState row={r} /> },
  { head: "Attempt", className: "num", cell: (r) => attempts(r.attempt, r.maxAttempts) },
];

const SCHEDULED: Column<ScheduledRow>[] = [
  {
    head: "Kind",
    cell: (r) => <StateBadge tone={r.kind === "retry" ? "retry" : "neutral"}>{r.kind}</StateBadge>,
  },
  { head: "Attempts", className: "num", cell: (r) => attempts(r.attempts, r.maxAttempts) },
  {
    head: "Last error",
    className: "col-wide",
    cell: (r) =>
      r.lastError ? (
        <span className="error-text">
          <strong>{r.lastError.name}</strong>: {r.lastError.message}
        </span>
      ) : (
        <span className="muted">—</span>
      ),
  },
  { head: "Due", cell: (r) => <RelativeTime ms={r.dueAt} /> },
];

const COMPLETED: Column<CompletedRow>[] = [
  { head: "Finished", cell: (r) => <RelativeTime ms={r.finishedAt} /> },
  {
    head: "Ran for",
    className: "num",
    cell: (r) => (r.durationMs === null ? "—" : formatDuration(r.durationMs)),
  },
  { head: "Attempts", className: "num", cell: (r) => attempts(r.attempts) },
  { head: "Payload", cell: (r) => (r.payloadKept ? "kept" : <span className="muted">not kept</span>) },
];

function Table<R extends { id: string }>({
  label,
  queue,
  rows,
  columns,
}: {
  label: string;
  queue: string;
  rows: R[];
  columns: Column<R>[];
}) {
  return (
    <TableScroll label={label}>
      <table className="data-table" data-testid="jobs-table">
        <thead>
          <tr>
            <th>Id</th>
            {columns.map((c) => (
              <th key={c.head} className={c.className}>
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="job-row" data-id={r.id}>
              <td>
                <IdLink queue={queue} id={r.id} />
              </td>
              {columns.map((c) => (
                <td key={c.head} className={c.className}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function JobsTable({ page }: { page: JobsPage }) {
  const { queue } = page;
  switch (page.state) {
    case "waiting":
      return (
        <Table
          label={`${page.state} jobs`}
          queue={queue}
          rows={page.items as WaitingRow[]}
          columns={WAITING}
        />
      );
    case "active":
      return (
        <Table label={`${page.state} jobs`} queue={queue} rows={page.items as ActiveRow[]} columns={ACTIVE} />
      );
    case "scheduled":
      return (
        <Table
          label={`${page.state} jobs`}
          queue={queue}
          rows={page.items as ScheduledRow[]}
          columns={SCHEDULED}
        />
      );
    default:
      return (
        <Table
          label={`${page.state} jobs`}
          queue={queue}
          rows={page.items as CompletedRow[]}
          columns={COMPLETED}
        />
      );
  }
}
