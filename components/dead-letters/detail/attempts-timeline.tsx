/**
 * Every attempt's error on a timeline, newest first: attempt number, time, consumer, the message
 * and the stack, all rendered as text (React escapes; job text is never HTML). `RecordSections`
 * is the part of a record the job page and the dead-letter page share: attempts, what the handler
 * reported, history.
 */
import type { ReactNode } from "react";

import { RelativeTime } from "#components/ui/relative-time.tsx";
import { StateBadge } from "#components/ui/state-badge.tsx";
import { newestFirst } from "#components/ui/time-order.ts";
import type { AttemptError, HistoryEntry } from "#lib/queue/types.ts";

export function AttemptsTimeline({ errors, maxAttempts }: { errors: AttemptError[]; maxAttempts: number }) {
  if (!errors.length)
    return <p className="muted">No attempt recorded an error (the entry may be corrupt).</p>;
  // equal times: the later attempt first
  const rows = newestFirst(
    errors,
    (e) => e.at,
    (e) => String(1_000_000 - e.attempt).padStart(7, "0"),
  );
  return (
    <ol className="timeline" data-testid="attempts-timeline">
      {rows.map((e) => (
        <li key={`${e.attempt}-${e.at}`} className="timeline-item">
          <div className="timeline-head">
            <StateBadge tone={e.attempt >= maxAttempts ? "dead" : "retry"}>
              attempt {e.attempt} of {maxAttempts}
            </StateBadge>{" "}
            <RelativeTime ms={e.at} /> <span className="muted">on</span> <code>{e.consumer}</code>
          </div>
          <p className="error-text">
            <strong>{e.name}</strong>: {e.message}
          </p>
          {e.stack ? (
            <details>
              <summary>Stack</summary>
              <pre className="stack">{e.stack}</pre>
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export function HistoryList({ history }: { history: HistoryEntry[] }) {
  if (!history.length) return <p className="muted">Never requeued or edited.</p>;
  return (
    <ol className="timeline" data-testid="history">
      {newestFirst(
        history,
        (h) => h.at,
        (h) => `${h.action} ${h.by ?? ""}`,
      ).map((h) => (
        <li key={`${h.at}-${h.action}-${h.by ?? ""}`} className="timeline-item">
          <div className="timeline-head">
            <StateBadge tone={h.action === "requeued" ? "retry" : "neutral"}>{h.action}</StateBadge>{" "}
            <RelativeTime ms={h.at} />
            {h.by ? (
              <>
                {" "}
                <span className="muted">by</span> {h.by}
              </>
            ) : null}
          </div>
          {h.originalPayload ? (
            <details>
              <summary>Payload before the edit</summary>
              <pre className="json">{h.originalPayload}</pre>
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/**
 * Attempts, the handler's report and the history, as both detail pages show them. `noErrors`
 * replaces the timeline when no attempt failed (a live job); without it the timeline says so itself.
 */
export function RecordSections({
  errors,
  maxAttempts,
  history,
  report,
  noErrors,
}: {
  errors: AttemptError[];
  maxAttempts: number;
  history: HistoryEntry[];
  report: ReactNode;
  noErrors?: ReactNode;
}) {
  return (
    <>
      <section className="panel">
        <h2>Attempts</h2>
        {!errors.length && noErrors ? (
          noErrors
        ) : (
          <AttemptsTimeline errors={errors} maxAttempts={maxAttempts} />
        )}
      </section>
      <section className="panel" data-testid="handler-report">
        <h2>What the handler reported</h2>
        {report}
      </section>
      <section className="panel">
        <h2>History</h2>
        <HistoryList history={history} />
      </section>
    </>
  );
}
