/**
 * What the demo prints once it runs: what it is doing, the viewer's credentials, and a short
 * tour of what to try in the console and with the CLI.
 */
import type { DemoSettings } from "./settings.ts";
import type { ViewerCredentials } from "./viewer.ts";

export function tourText(s: DemoSettings, viewer: ViewerCredentials | null, consoleUrl: string): string {
  const viewerLine = !viewer
    ? "viewer: could not be created (see above)"
    : viewer.password
      ? `viewer: sign in as ${viewer.email} with password ${viewer.password} (read-only)`
      : `viewer: ${viewer.email}${viewer.where ? ` (password in ${viewer.where})` : " (already existed)"}`;
  return [
    `demo: ${s.DEMO_JOBS_PER_SECOND} jobs/s into documents, audio, video and graph (plus ${s.DEMO_BURST} at start);`,
    `      ${s.DEMO_CACHE_RPS} cached lookups/s against a simulated ${s.DEMO_DB_LATENCY_MS} ms database;`,
    `      retries back off from ${process.env.RETRY_BACKOFF_BASE_SECONDS} s. Knobs: docs/demo.md`,
    viewerLine,
    "",
    `A short tour (${consoleUrl}):`,
    "  1. Overview: four queues filling; failures retry and most then succeed.",
    "  2. Dead letters → group by error: timeouts, 503s, invalid input (straight to the DLQ) and a",
    "     poison message that fails every time. Open one to see each attempt's error and stack.",
    "  3. Requeue the ServiceUnavailableError group: most of those jobs now succeed.",
    "  4. Cache: hit rate per namespace (job_status is lower: a 5 s TTL and frequent updates).",
    "  5. Alerts: 'retry success rate < 90 %' fires within minutes (poison messages never succeed),",
    "     'DLQ size > 50' (the largest DLQ, documents) after about three; edit a threshold to see it move.",
    "  6. From a shell: npx requeue stats · npx requeue dlq groups · npx requeue dlq list --queue audio",
    "  7. Sign in as the viewer in a private window: no Requeue, Delete or Flush buttons.",
  ].join("\n");
}
