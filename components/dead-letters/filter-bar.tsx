"use client";
/**
 * The dead letters filters — queue, error group, time range, error text — and the list/grouped
 * tabs. Every value is written to the URL; the search box applies after a short pause or Enter.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "#components/api-client.ts";
import { qk } from "#components/query-keys.ts";
import { useHydrated } from "#components/use-hydrated.ts";
import { type DeadLetterView, RANGES, type RangeKey } from "./filters.ts";

interface Props {
  view: DeadLetterView;
  update: (patch: Partial<DeadLetterView>) => void;
}

export function FilterBar({ view, update }: Props) {
  const queues = useQuery({ queryKey: qk.queues.light, queryFn: ({ signal }) => api.queuesLight(signal) });
  const [text, setText] = useState(view.q ?? "");
  useEffect(() => setText(view.q ?? ""), [view.q]);
  useEffect(() => {
    const t = setTimeout(() => {
      if ((text.trim() || undefined) !== view.q) update({ q: text.trim() || undefined });
    }, 400);
    return () => clearTimeout(t);
  }, [text, view.q, update]);

  // The shell's heartbeat shares this query: its data may be cached before this hydrates.
  const hydrated = useHydrated();
  const names = (hydrated ? queues.data?.queues.map((q) => q.name) : undefined) ?? [];
  if (view.queue && !names.includes(view.queue)) names.unshift(view.queue);

  return (
    <div className="filter-bar">
      <div className="tabs" role="tablist" aria-label="View">
        {(["list", "groups"] as const).map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            aria-selected={view.tab === tab}
            className={`tab ${view.tab === tab ? "tab-active" : ""}`}
            data-testid={`tab-${tab}`}
            onClick={() => update({ tab })}
          >
            {tab === "list" ? "All entries" : "Grouped by error"}
          </button>
        ))}
      </div>
      <label>
        Queue{" "}
        <select
          data-testid="filter-queue"
          value={view.queue ?? ""}
          onChange={(e) => update({ queue: e.target.value || undefined, group: undefined })}
        >
          <option value="">All queues</option>
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label>
        Dead in{" "}
        <select
          data-testid="filter-range"
          value={view.range ?? ""}
          onChange={(e) => update({ range: (e.target.value || undefined) as RangeKey | undefined })}
        >
          <option value="">any time</option>
          {Object.keys(RANGES).map((r) => (
            <option key={r} value={r}>
              the last {r}
            </option>
          ))}
        </select>
      </label>
      <form
        className="search"
        aria-label="Search error text"
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: text.trim() || undefined });
        }}
      >
        <input
          type="search"
          data-testid="filter-search"
          placeholder="Search error text…"
          aria-label="Search error text"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </form>
      {view.group ? (
        <span className="chip" data-testid="filter-group">
          group <code>{view.group.slice(0, 12)}</code>
          <button
            type="button"
            aria-label="Clear error group filter"
            onClick={() => update({ group: undefined })}
          >
            ×
          </button>
        </span>
      ) : null}
    </div>
  );
}
