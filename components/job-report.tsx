/**
 * What a job's handler reported (job.progress(), job.log(); lib/queue/reports.ts): its last
 * progress — a bar for a number, JSON for an object — and its log lines, oldest first, each with
 * its time and attempt. The lines were redacted when written and are rendered as text (React
 * escapes; job text is never HTML). Shown on the dead-letter page; the job page can reuse it.
 */
import { formatAbsolute, formatCount } from "#components/format.ts";
import type { HandlerReport } from "#lib/queue/types.ts";

function Progress({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <p className="muted">No progress reported.</p>;
  if (typeof value === "number")
    return (
      <p className="job-progress" data-testid="job-progress">
        <progress max={100} value={value} aria-label="Progress" /> {value}%
      </p>
    );
  return (
    <pre className="json" data-testid="job-progress">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

export function JobReport({ report }: { report?: HandlerReport }) {
  if (!report) return <p className="muted">Nothing reported.</p>;
  const { lines, total, progress } = report;
  const gone = total - lines.length;
  return (
    <>
      <h3 className="subhead">Progress</h3>
      <Progress value={progress} />
      <h3 className="subhead">Log</h3>
      {lines.length === 0 ? (
        <p className="muted">The handler wrote no log lines{total > 0 ? " that are still kept" : ""}.</p>
      ) : (
        <>
          {gone > 0 ? (
            <p className="muted">
              The newest {formatCount(lines.length)} of {formatCount(total)} lines (older ones are not kept).
            </p>
          ) : null}
          <ol className="job-log" data-testid="job-log" start={lines[0].n}>
            {lines.map((l) => (
              <li key={l.n}>
                <time dateTime={new Date(l.at).toISOString()} className="muted">
                  {formatAbsolute(l.at)}
                </time>{" "}
                <span className="muted" title={`attempt ${l.attempt}`}>
                  #{l.attempt}
                </span>{" "}
                <span className="job-log-text">{l.text}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
