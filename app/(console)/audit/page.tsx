/**
 * /audit — the audit log, newest first, filtered by the URL (?log=&action=&actor=&target=&outcome=
 * &cursor=), so a filtered view can be linked. `log=refused` shows failed sign-ins and refused
 * requests, which are kept apart so that a flood of them cannot push changes out. Admin only, like /api/v1/audit: entries hold
 * emails and client addresses. Read-only by design: there is no edit or delete.
 */

import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { requirePrincipal } from "#app/_lib/principal.ts";
import { formatCount } from "#components/format.ts";
import { RelativeTime } from "#components/ui/relative-time.tsx";
import { TableScroll } from "#components/ui/table-scroll.tsx";
import { type AuditFilter, type AuditLog, type AuditOutcome, listAudit } from "#lib/auth/index.ts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit log · Requeue" };

type Search = Record<string, string | string[] | undefined>;
const OUTCOMES: AuditOutcome[] = ["ok", "error", "denied", "partial"];
const FIELDS = ["action", "actor", "target"] as const;
const LOGS: Record<AuditLog, string> = {
  main: "Changes and sign-ins",
  refused: "Failed sign-ins and refused requests",
};

function one(v: string | string[] | undefined): string | undefined {
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s ? s.slice(0, 254) : undefined;
}

function toFilter(sp: Search): AuditFilter {
  const outcome = one(sp.outcome);
  const cursor = one(sp.cursor);
  return {
    log: one(sp.log) === "refused" ? "refused" : "main",
    action: one(sp.action),
    actor: one(sp.actor),
    target: one(sp.target),
    outcome: OUTCOMES.includes(outcome as AuditOutcome) ? (outcome as AuditOutcome) : undefined,
    cursor: cursor && /^\d+-\d+$/.test(cursor) ? cursor : undefined,
    limit: 100,
  };
}

function nextHref(sp: Search, cursor: string): string {
  const q = new URLSearchParams();
  for (const k of ["log", ...FIELDS, "outcome"] as const) {
    const v = one(sp[k]);
    if (v) q.set(k, v);
  }
  q.set("cursor", cursor);
  return `/audit?${q}`;
}

const outcomeClass: Record<string, string> = { ok: "ok-text", error: "error-text", denied: "error-text" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePrincipal("admin");
  const sp = await searchParams;
  const filter = toFilter(sp);
  const { entries, nextCursor } = await listAudit(consoleRedis(), filter);
  return (
    <div data-testid="audit">
      <h1>Audit log</h1>
      <p className="muted">
        Every mutation and sign-in: who, when, what, how many, the outcome and from where. Failed sign-ins and
        refused requests have a log of their own (repeats counted, not repeated). Entries cannot be edited or
        deleted; the oldest leave when a log reaches its cap (AUDIT_MAX_ENTRIES, AUDIT_REFUSED_MAX_ENTRIES).
      </p>
      <form className="filter-bar actions" method="get" action="/audit" data-testid="audit-filters">
        <select name="log" defaultValue={filter.log} aria-label="Which log" data-testid="audit-log">
          {Object.entries(LOGS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {FIELDS.map((f) => (
          <input
            key={f}
            name={f}
            defaultValue={filter[f] ?? ""}
            placeholder={f}
            aria-label={`Filter by ${f}`}
          />
        ))}
        <select name="outcome" defaultValue={filter.outcome ?? ""} aria-label="Filter by outcome">
          <option value="">any outcome</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <button type="submit" className="btn">
          Filter
        </button>
        <a className="btn btn-quiet" href="/audit">
          Clear
        </a>
      </form>
      {entries.length === 0 ? (
        <div className="state state-empty" data-testid="empty">
          <strong>No entries{filter.cursor ? " further back" : ""} match.</strong>
          <div className="muted">Clear the filters to see everything that was recorded.</div>
        </div>
      ) : (
        <TableScroll label="Audit entries">
          <table className="data-table" data-testid="audit-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>Action</th>
                <th>Target</th>
                <th className="num">Count</th>
                <th>Outcome</th>
                <th>From</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                  <td>
                    <RelativeTime ms={e.at} />
                  </td>
                  <td>
                    <span className="mono">{e.actor}</span>
                    {e.role ? <span className="muted"> ({e.role})</span> : null}
                  </td>
                  <td className="mono">{e.action}</td>
                  <td className="mono">{e.target}</td>
                  <td className="num">{e.count === null ? "" : formatCount(e.count)}</td>
                  <td className={outcomeClass[e.outcome] ?? ""}>{e.outcome}</td>
                  <td className="mono">{e.ip}</td>
                  <td>{e.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {nextCursor && entries.length < (filter.limit ?? 100) ? (
        <p className="muted" data-testid="audit-partial">
          The search stopped after reading many entries without filling the page; older entries may still
          match.
        </p>
      ) : null}
      {nextCursor ? (
        <p className="pager">
          <a className="btn" href={nextHref(sp, nextCursor)} data-testid="audit-older">
            Older entries
          </a>
        </p>
      ) : null}
    </div>
  );
}
