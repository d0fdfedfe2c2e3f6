/**
 * GET /api/v1/dead-letters/export?format=json|csv — everything matching the filters, streamed
 * page by page as a download. Audited when it starts; a Redis failure mid-stream ends the body.
 * Admins only: an export carries whole payloads, which viewers only ever see masked; entries
 * still pass through lib/dlq/view.ts like every other path that returns them.
 */
import { route } from "#app/_lib/http.ts";
import { assertQueue, toDlqFilter } from "#app/_lib/ops/dead-letters.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { exportQuery } from "#app/_lib/ops/schemas.ts";
import { audit } from "#lib/auth/audit.ts";
import { getConfig } from "#lib/config.ts";
import { countMatches, exportDeadLetters } from "#lib/dlq/index.ts";
import { viewDeadLetter } from "#lib/dlq/view.ts";

export const dynamic = "force-dynamic";

const TYPES = { json: "application/json; charset=utf-8", csv: "text/csv; charset=utf-8" };

export const GET = route(
  { role: "admin", query: exportQuery },
  async ({ query: { format, ...f }, principal }) => {
    await assertQueue(f.queue);
    const client = consoleRedis();
    const filter = toDlqFilter(f);
    // Counting first fails fast (503) while Redis is down, before a 200 and a half body. It reads at
    // most API_SCAN_LIMIT entries: past that the count is a floor ("at least"), said in its own header.
    const { count, partial } = await countMatches(client, filter, { scanMax: getConfig().API_SCAN_LIMIT });
    await audit(principal, "dlq.export", {
      target: `${format} ${JSON.stringify(filter)}`,
      count,
      outcome: "ok",
      ...(partial ? { detail: `at least ${count} (counting stopped at API_SCAN_LIMIT)` } : {}),
    });
    const chunks = exportDeadLetters(client, filter, format, (d) => viewDeadLetter(d, principal.role));
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (err) {
          controller.error(err);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
    return new Response(body, {
      headers: {
        "content-type": TYPES[format],
        "content-disposition": `attachment; filename="dead-letters-${f.queue ?? "all"}-${stamp}.${format}"`,
        "cache-control": "no-store",
        [partial ? "x-total-count-at-least" : "x-total-count"]: String(count),
      },
    });
  },
);
