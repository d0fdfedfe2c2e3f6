/** GET /api/v1/dead-letters — one page of dead letters, newest first, with filters and a cursor. */
import { route } from "@/app/_lib/http.ts";
import { listDeadLetters } from "@/lib/dlq/index.ts";
import { assertQueue, consoleRedis, toDlqFilter } from "./_ops.ts";
import { listQuery } from "./_schemas.ts";

export const dynamic = "force-dynamic";

export const GET = route(
  { role: "viewer", query: listQuery },
  async ({ query: { cursor, limit, ...filters } }) => {
    await assertQueue(filters.queue);
    return listDeadLetters(consoleRedis(), toDlqFilter(filters), { cursor, limit });
  },
);
