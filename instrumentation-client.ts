/**
 * Runs in the browser before Next.js hydrates the page (Next.js client instrumentation hook): it
 * makes hydration wait until the browser has painted the server's HTML once.
 *
 * Why: the page's scripts are async, so they run as soon as they arrive, in between the HTML
 * parser's turns. Evaluating React and the router and hydrating took the main thread while the
 * parser still had the rows to read, and the first paint waited for both (bench/README.md,
 * bench:console). Every page's HTML is complete without scripts (rows included), so painting
 * it first costs nothing; hydration starts right after that frame.
 *
 * How: Next.js starts hydration after the scripts queued in `self.__next_s` (next/script's
 * beforeInteractive) have loaded, by chaining them with that array's `reduce`. The queue gets
 * one more step, a promise that settles after the next frame, and keeps Next's own entries.
 * If frames never come (a tab opened in the background), a timer ends the wait.
 */
type QueuedScript = [string | undefined, Record<string, unknown> | undefined];
type ScriptQueue = QueuedScript[] & { paintFirst?: true };

declare global {
  interface Window {
    __next_s?: ScriptQueue;
  }
}

/** Upper bound of the wait, for documents that get no frames (hidden tabs). */
const NO_FRAME_MS = 500;

function afterNextFrame(): Promise<void> {
  return new Promise((resolve) => {
    // the frame paints after its animation callbacks: hydrate in the task that follows it
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, NO_FRAME_MS);
  });
}

function holdHydrationForFirstPaint(): void {
  const queue: ScriptQueue = window.__next_s ?? [];
  window.__next_s = queue;
  if (queue.paintFirst) return;
  queue.paintFirst = true;
  const marker: QueuedScript = [undefined, undefined];
  const reduce = queue.reduce;
  // Next.js calls queue.reduce(step, Promise.resolve()) and hydrates when that promise settles.
  queue.reduce = function (this: ScriptQueue, step: unknown, start: unknown) {
    const own = this.filter((entry) => entry !== marker);
    const loaded = own.length ? reduce.call(own, step as never, start as never) : start;
    return Promise.resolve(loaded).then(afterNextFrame);
  } as ScriptQueue["reduce"];
  // Next.js skips the queue when it is empty: the marker is never loaded, reduce leaves it out
  queue.push(marker);
}

holdHydrationForFirstPaint();

export {};
