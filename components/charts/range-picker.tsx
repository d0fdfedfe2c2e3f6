"use client";
/**
 * The time range picker of a dashboard (1h / 24h / 7d): links that replace `?range=` in the URL,
 * so a range can be bookmarked and the back button does not step through every click.
 */
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import s from "./charts.module.css";

/** The range in the URL, or the first of `ranges` when it is missing or unknown. */
export function useRangeParam<R extends string>(ranges: readonly R[]): R {
  const raw = useSearchParams().get("range");
  return ranges.includes(raw as R) ? (raw as R) : ranges[0];
}

export function RangePicker<R extends string>({ ranges, current }: { ranges: readonly R[]; current: R }) {
  const params = useSearchParams();
  const pathname = usePathname();
  const href = (range: R) => {
    const p = new URLSearchParams(params.toString());
    p.set("range", range);
    return `${pathname}?${p.toString()}`;
  };
  return (
    <nav className={s.segmented} aria-label="Time range" data-testid="range-picker">
      {ranges.map((r) => (
        <Link key={r} href={href(r)} aria-current={r === current ? "page" : undefined} replace>
          {r}
        </Link>
      ))}
    </nav>
  );
}
