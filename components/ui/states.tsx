/**
 * Loading, empty and error states shared by every page, so each says the same thing the same way:
 * what is happening, what the empty list means, and what to do about an error.
 */
import type { ReactNode } from "react";

export function Loading({ what = "data" }: { what?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty" data-testid="empty">
      <strong>{title}</strong>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}

export function ErrorState({
  title,
  message,
  retry,
}: {
  title: string;
  message?: string;
  retry?: () => void;
}) {
  return (
    <div className="state state-error" data-testid="error-state">
      <strong>{title}</strong>
      {message ? <div>{message}</div> : null}
      {retry ? (
        <button type="button" className="btn" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Shown above data that failed to refresh: the table stays, stale, with this note. */
export function StaleNote({ since }: { since?: number }) {
  return (
    <p className="stale-note" role="status">
      Showing the last known data{since ? ` from ${new Date(since).toLocaleTimeString()}` : ""}; refresh
      failed.
    </p>
  );
}
