/**
 * The box a table scrolls in when the screen is narrower than the table (edge shadows say there
 * is more, app/globals.css). A named region (a labelled section) that keyboard users can focus and scroll with the
 * arrow keys, named "<label> table" (distinct from the section holding it). `framed`: with the panel's border (the dense tables) or without (tables with their own).
 */
import type { ReactNode } from "react";

export function TableScroll({
  label,
  framed = true,
  children,
}: {
  label: string;
  framed?: boolean;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
    <section className={framed ? "table-wrap" : "table-scroll"} aria-label={`${label} table`} tabIndex={0}>
      {children}
    </section>
  );
}
