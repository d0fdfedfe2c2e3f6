"use client";
/**
 * The near cache (L1) of each live process: its memory against its budget, its entries, and
 * whether it is serving (tracking confirmed) or bypassed until Redis tracking is back.
 */
import { formatCount, formatPercent } from "#components/format.ts";
import t from "#components/ui/table.module.css";
import type { NearProcessRow } from "#lib/metrics/cache-dashboard-types.ts";
import s from "./cache.module.css";
import { formatBytes } from "./cache-charts.tsx";

export function NearProcesses({ rows }: { rows: NearProcessRow[] }) {
  return (
    <section className={s.nearSection} aria-labelledby="near-heading" data-testid="near-processes">
      <h2 id="near-heading">Near cache (L1) per process</h2>
      {rows.length === 0 ? (
        <p className="muted" data-testid="near-empty">
          No process reports a near cache: it is off (<code>CACHE_NEAR_ENABLED</code>) or idle for the last
          minute.
        </p>
      ) : (
        <table className={`${t.table} ${s.tableSpaced}`}>
          <thead>
            <tr>
              <th scope="col">Process</th>
              <th scope="col">State</th>
              <th scope="col" className={t.num}>
                Memory
              </th>
              <th scope="col" className={t.num}>
                Of budget
              </th>
              <th scope="col" className={t.num}>
                Entries
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.instance} data-testid={`near-row-${r.instance}`}>
                <td className="mono">{r.instance}</td>
                <td>{r.usable ? "serving" : "bypassed (tracking not confirmed)"}</td>
                <td className={t.num} data-testid="near-bytes">
                  {formatBytes(r.bytes)}
                </td>
                <td className={t.num}>{formatPercent(r.maxBytes ? r.bytes / r.maxBytes : null)}</td>
                <td className={t.num}>{formatCount(r.entries)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
