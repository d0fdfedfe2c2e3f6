"use client";
/** A time shown relative ("3 min ago") with the absolute UTC time on hover; re-renders each 15 s. */
import { useEffect, useState } from "react";
import { formatAbsolute, formatRelative } from "#components/format.ts";

export function RelativeTime({ ms }: { ms: number | null | undefined }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  if (!ms) return <span className="muted">—</span>;
  return (
    <time dateTime={new Date(ms).toISOString()} title={formatAbsolute(ms)} suppressHydrationWarning>
      {formatRelative(ms, now)}
    </time>
  );
}
