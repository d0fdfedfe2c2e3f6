"use client";
/**
 * One row per cache namespace: hit rate, traffic (and the share of hits served from process
 * memory, the near cache), latency and the source's time saved over the last hour, approximate keys and memory. Admins get a Flush button per row, confirmed by a dialog that names what it touches.
 */
import { useState } from "react";
import { formatCount, formatDuration, formatPercent } from "#components/format.ts";
import { ConfirmDialog } from "#components/ui/confirm-dialog.tsx";
import t from "#components/ui/table.module.css";
import { TableScroll } from "#components/ui/table-scroll.tsx";
import type { NamespaceRow } from "#lib/metrics/cache-dashboard-types.ts";
import s from "./cache.module.css";
import { formatBytes } from "./cache-charts.tsx";

export function NamespaceTable({
  rows,
  hitRateThreshold,
  onFlush,
  pending,
}: {
  rows: NamespaceRow[];
  hitRateThreshold: number;
  /** present for admins only */
  onFlush?: (namespace: string) => Promise<void>;
  pending: boolean;
}) {
  const [target, setTarget] = useState<NamespaceRow | null>(null);
  return (
    <>
      <TableScroll label="Cache namespaces" framed={false}>
        <table className={`${t.table} ${s.tableSpaced}`} data-testid="namespace-table">
          <thead>
            <tr>
              <th scope="col">Namespace</th>
              <th scope="col" className={t.num}>
                Hit rate (1 h)
              </th>
              <th scope="col" className={t.num}>
                Hits
              </th>
              <th scope="col" className={t.num}>
                Misses
              </th>
              <th
                scope="col"
                className={t.num}
                title="Share of the hits served from process memory (near cache)"
              >
                L1 share
              </th>
              <th scope="col" className={t.num}>
                p99
              </th>
              <th scope="col" className={t.num} title="Hits × the hour's average loader time">
                Source time saved
              </th>
              <th scope="col" className={t.num}>
                Keys (approx.)
              </th>
              <th scope="col" className={t.num}>
                Memory (approx.)
              </th>
              {onFlush ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const low = r.hitRate !== null && r.hitRate < hitRateThreshold;
              return (
                <tr key={r.name} data-testid={`namespace-row-${r.name}`}>
                  <td className="mono">{r.name}</td>
                  <td
                    className={`${t.num} ${low ? s.low : ""}`}
                    title={low ? "Below the alert threshold" : undefined}
                  >
                    {low ? <span aria-hidden="true">▼ </span> : null}
                    {formatPercent(r.hitRate)}
                  </td>
                  <td className={t.num}>{formatCount(r.hits)}</td>
                  <td className={t.num}>{formatCount(r.misses)}</td>
                  <td className={t.num} data-testid="l1-share">
                    {formatPercent(r.l1Share)}
                  </td>
                  <td className={t.num}>{r.p99Ms === null ? "—" : `${r.p99Ms.toFixed(2)} ms`}</td>
                  <td className={t.num} data-testid="saved">
                    {r.savedMs === null ? "—" : formatDuration(r.savedMs)}
                  </td>
                  <td className={t.num}>{r.keys === null ? "—" : `~${formatCount(r.keys)}`}</td>
                  <td className={t.num}>{r.memoryBytes === null ? "—" : `~${formatBytes(r.memoryBytes)}`}</td>
                  {onFlush ? (
                    <td>
                      <button
                        type="button"
                        className="btn"
                        onClick={() => setTarget(r)}
                        disabled={pending}
                        data-testid="flush"
                        data-namespace={r.name}
                        aria-label={`Flush ${r.name}`}
                      >
                        Flush
                      </button>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      {onFlush && target ? (
        <ConfirmDialog
          open
          title={`Flush namespace ${target.name}?`}
          confirmLabel={`Flush ${target.name}`}
          pending={pending}
          onCancel={() => setTarget(null)}
          onConfirm={async () => {
            await onFlush(target.name);
            setTarget(null);
          }}
        >
          {target ? (
            <p>
              Every entry of the namespace <code>{target.name}</code>
              {target.keys !== null ? ` (about ${formatCount(target.keys)} keys)` : ""} becomes a miss at
              once: the next read of each calls its loader. Other namespaces are not touched. The old keys are
              not deleted one by one; they expire on their own.
            </p>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
