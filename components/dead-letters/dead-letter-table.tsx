"use client";
import Link from "next/link";
import type { DeadLetterSummary } from "#components/api-types.ts";
import { formatCount } from "#components/format.ts";
import { MonoId } from "#components/ui/copy-button.tsx";
import { RelativeTime } from "#components/ui/relative-time.tsx";
import { StateBadge } from "#components/ui/state-badge.tsx";
import { TableScroll } from "#components/ui/table-scroll.tsx";
/**
 * One page of dead letters as a dense table: selection boxes, monospace ids with copy buttons,
 * the last error as plain text, right-aligned counts, relative times (absolute on hover), and
 * per-row Requeue / Delete for admins only.
 */
import { ErrorSummary } from "./error-summary.tsx";
import { ROWS_PAINT_NAME } from "./filters.ts";
import { RequeueDeleteButtons } from "./requeue-delete-buttons.tsx";

export const rowKey = (r: { queue: string; id: string }) => `${r.queue}\u0000${r.id}`;

/** `elementtiming` is a standard attribute React passes through, but not in React's DOM types. */
const rowsPaintTiming = { elementtiming: ROWS_PAINT_NAME } as Record<string, string>;

export function detailHref(r: { queue: string; id: string }) {
  return `/dead-letters/${encodeURIComponent(r.queue)}/${encodeURIComponent(r.id)}`;
}

interface Props {
  rows: DeadLetterSummary[];
  selected: Set<string>;
  onToggle: (key: string) => void;
  onToggleAll: (checked: boolean) => void;
  canMutate: boolean;
  busy: boolean;
  onRow: (action: "requeue" | "delete", row: DeadLetterSummary) => void;
  /** Left out when the list is filtered to one queue: one less column on a laptop screen. */
  showQueue: boolean;
}

export function DeadLetterTable({
  rows,
  selected,
  onToggle,
  onToggleAll,
  canMutate,
  busy,
  onRow,
  showQueue,
}: Props) {
  const allChecked = rows.length > 0 && rows.every((r) => selected.has(rowKey(r)));
  return (
    <TableScroll label="Dead letters">
      <table className="data-table stack-on-phone" data-testid="dead-letter-table">
        <thead>
          <tr>
            {canMutate ? (
              <th className="col-check">
                <input
                  type="checkbox"
                  aria-label="Select all on this page"
                  checked={allChecked}
                  onChange={(e) => onToggleAll(e.target.checked)}
                />
              </th>
            ) : null}
            <th>Id</th>
            {showQueue ? <th>Queue</th> : null}
            <th className="col-wide">Last error</th>
            <th className="num">Attempts</th>
            <th>State</th>
            <th>Dead since</th>
            {canMutate ? <th className="col-actions">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const key = rowKey(r);
            return (
              <tr key={key} data-testid="dead-letter-row" data-id={r.id} data-queue={r.queue}>
                {canMutate ? (
                  <td className="col-check">
                    <input
                      type="checkbox"
                      aria-label={`Select ${r.id}`}
                      checked={selected.has(key)}
                      onChange={() => onToggle(key)}
                    />
                  </td>
                ) : null}
                <td>
                  <MonoId value={r.id} short={14} />
                </td>
                {showQueue ? (
                  <td>
                    <code>{r.queue}</code>
                  </td>
                ) : null}
                <td className="col-wide" {...rowsPaintTiming}>
                  <Link
                    href={detailHref(r)}
                    prefetch={false}
                    className="error-link"
                    data-testid="dead-letter-link"
                  >
                    {r.lastError ? (
                      <ErrorSummary name={r.lastError.name} message={r.lastError.message} />
                    ) : (
                      <em>no error recorded</em>
                    )}
                  </Link>
                </td>
                <td className="num" data-label="attempts">
                  {formatCount(r.attempts)}
                  <span className="muted">/{formatCount(r.maxAttempts)}</span>
                </td>
                <td>
                  <StateBadge tone="dead">{r.reason === "failed" ? "dead" : r.reason}</StateBadge>
                </td>
                <td data-label="dead">
                  <RelativeTime ms={r.deadAt} />
                </td>
                {canMutate ? (
                  <td className="col-actions">
                    <RequeueDeleteButtons
                      small
                      rowName={r.id}
                      disabled={busy}
                      onAct={(action) => onRow(action, r)}
                    />
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
