"use client";
/** The dead letters view state read from and written to the URL (so links can be pasted). */
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { type DeadLetterView, parseView, viewSearch } from "./filters.ts";

export function useDeadLetterView(): [DeadLetterView, (patch: Partial<DeadLetterView>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const view = useMemo(() => parseView(new URLSearchParams(params?.toString() ?? "")), [params]);
  const update = useCallback(
    (patch: Partial<DeadLetterView>) => {
      // Any change of filter starts again from the first page.
      const next = { ...view, ...patch };
      if (!("cursor" in patch)) next.cursor = undefined;
      // Paging and tabs go into history (Back returns to the previous page); filters replace.
      const url = `${pathname}${viewSearch(next)}`;
      if ("cursor" in patch || "tab" in patch) router.push(url, { scroll: false });
      else router.replace(url, { scroll: false });
    },
    [view, router, pathname],
  );
  return [view, update];
}
