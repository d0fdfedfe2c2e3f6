/**
 * GET /api/v1/dead-letters — one page of dead letters, newest first, with filters and a cursor.
 * Rows as the caller may see them (lib/dlq/view.ts).
 */
import { route } from "#app/_lib/http.ts";
import { assertQueue, toDlqFilter } from "#app/_lib/ops/dead-letters.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { listQuery } from "#app/_lib/ops/schemas.ts";
import { listDeadLetters } from "#lib/dlq/index.ts";
import { viewPage } from "#lib/dlq/view.ts";

export const dynamic = "force-dynamic";

export const GET = route(
  { role: "viewer", query: listQuery },
  async ({ query: { cursor, limit, ...filters }, principal }) => {
    await assertQueue(filters.queue);
    const client = consoleRedis();
    return viewPage(
      client,
      await listDeadLetters(client, toDlqFilter(filters), { cursor, limit }),
      principal.role,
    );
  },
);
