"use client";
/**
 * The top bar's "find a job" box: an id, or `queue/id`, opens that job's page wherever it is —
 * waiting, active, scheduled, completed or dead — or says plainly that no queue has it. `queue/id`
 * is read as that queue's job first; when that queue has no such job the whole text is looked for
 * as an id (ids may contain "/"). An id in several queues lists them to choose from.
 */
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { type FormEvent, useEffect, useId, useState } from "react";
import { ApiError, api } from "#components/api-client.ts";
import type { JobLocation } from "#components/api-types.ts";
import { jobHref } from "#components/nav.ts";

type Found =
  | { kind: "one"; queue: string; id: string }
  | { kind: "many"; id: string; matches: JobLocation[] };

const missing = (err: unknown) => err instanceof ApiError && (err.status === 404 || err.status === 400);

/** Where a typed id is; null when no queue has it. Other failures (Redis down) throw. */
export async function locateJob(text: string): Promise<Found | null> {
  const slash = text.indexOf("/");
  if (slash > 0 && slash < text.length - 1) {
    const queue = text.slice(0, slash);
    const id = text.slice(slash + 1);
    try {
      await api.job(queue, id);
      return { kind: "one", queue, id };
    } catch (err) {
      if (!missing(err)) throw err;
    }
  }
  try {
    const found = await api.findJob(text);
    if (found.matches.length === 1) return { kind: "one", queue: found.matches[0].queue, id: text };
    return { kind: "many", id: text, matches: found.matches };
  } catch (err) {
    if (missing(err)) return null;
    throw err;
  }
}

export function FindJob() {
  const router = useRouter();
  const pathname = usePathname();
  const inputId = useId();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; many?: Found & { kind: "many" } } | null>(null);
  // A new page: the last answer no longer applies.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation only
  useEffect(() => setSaid(null), [pathname]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const wanted = text.trim();
    if (!wanted) return;
    setBusy(true);
    setSaid(null);
    try {
      const found = await locateJob(wanted);
      if (!found) setSaid({ text: `No queue has a job with id ${JSON.stringify(wanted)}.` });
      else if (found.kind === "one") router.push(jobHref(found.queue, found.id));
      else
        setSaid({
          text: `${found.matches.length} queues have a job ${JSON.stringify(wanted)}:`,
          many: found,
        });
    } catch (err) {
      setSaid({ text: `The job could not be looked for: ${(err as Error).message}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <search className="topbar-item find-job">
      <form className="find-job-form" onSubmit={submit} data-testid="find-job">
        <label htmlFor={inputId} className="find-job-label topbar-label">
          Find job
        </label>
        <input
          id={inputId}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="id or queue/id"
          maxLength={330}
          autoComplete="off"
          aria-describedby={said ? `${inputId}-said` : undefined}
          data-testid="find-job-input"
        />
        <button type="submit" className="btn btn-small" disabled={busy}>
          {busy ? "…" : "Open"}
        </button>
        {said ? (
          <div id={`${inputId}-said`} className="find-job-said" role="status" data-testid="find-job-result">
            {said.text}
            {said.many ? (
              <ul>
                {said.many.matches.map((m) => (
                  <li key={m.queue}>
                    <Link href={jobHref(m.queue, said.many?.id ?? "")}>
                      {m.queue} ({m.state})
                    </Link>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </form>
    </search>
  );
}
