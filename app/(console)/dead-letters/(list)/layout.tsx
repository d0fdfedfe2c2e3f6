/**
 * The dead letters list's frame (the detail pages are outside this route group): it holds the
 * browser's first paint until the whole page has arrived, so the rows show in the first frame.
 *
 * Why: the page streams behind its loading boundary, and React reveals a streamed boundary at
 * most every 300 ms after the page's first frame. Without this, Chromium paints the shell and
 * its spinner, then shows rows that arrived in the same response 300 ms later (measured in
 * bench/README.md, bench:console). `<link rel="expect" blocking="render">` asks the browser not
 * to render until the element with that id is parsed, or until the HTML ends. No element has
 * this id: the wait ends with the HTML, after React's script that reveals the rows. A mark
 * element after the rows ended it too early: the rows' reveal script comes after them, and a
 * frame painted between the two (the spinner) started React's 300 ms wait in a third of the loads.
 * This layout has no await, so it is in the server's first flush and React writes the link into
 * <head> there (a link inside a loading fallback would not be). Browsers without it, and client
 * navigations (too late to block rendering), just ignore it.
 */
import type { ReactNode } from "react";
import { LIST_END_ID } from "#components/dead-letters/filters.ts";

export default function DeadLettersListLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <link rel="expect" href={`#${LIST_END_ID}`} blocking="render" />
      {children}
    </>
  );
}
