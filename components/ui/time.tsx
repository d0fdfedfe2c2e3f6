"use client";
/**
 * The one way the console shows a moment: relative ("3 min ago") with the exact time on hover,
 * in the reader's time zone. The server and the first client render both use the UTC form (no
 * hydration mismatch); once mounted, the title switches to local time. Re-renders every 15 s.
 *
 * `past` (the default): the moment has happened — a server clock a little ahead of the browser
 * must not turn "just now" into "in 2 s". `future` and `either` allow "in …" (an expiry).
 */
import { useEffect, useState } from "react";
import { formatAbsolute, formatLocal, formatRelative } from "#components/format.ts";

export type TimeKind = "past" | "future" | "either";

export function Time({ ms, kind = "past" }: { ms: number | null | undefined; kind?: TimeKind }) {
  const [now, setNow] = useState(() => Date.now());
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    setMounted(true);
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  if (!ms) return <span className="muted">—</span>;
  // a past event is never shown as to come: clock skew reads as "just now"
  const shownNow = kind === "past" ? Math.max(now, ms) : now;
  return (
    <time
      dateTime={new Date(ms).toISOString()}
      title={mounted ? formatLocal(ms) : formatAbsolute(ms)}
      data-exact={ms}
      suppressHydrationWarning
    >
      {formatRelative(ms, shownNow)}
    </time>
  );
}
