/**
 * GET /api/v1/audit?log=&action=&actor=&target=&outcome=&since=&until=&cursor=&limit= — the audit
 * log, newest first (admin only: it holds emails and client addresses). `log=refused` reads the
 * log of failed sign-ins and refused requests instead of the main one. Read-only: there is no
 * way to edit or delete entries through the console or the API.
 */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { listAudit } from "#lib/auth/index.ts";

export const dynamic = "force-dynamic";

const time = z
  .string()
  .regex(/^\d+$|^\d{4}-\d{2}-\d{2}/, "a time is epoch milliseconds or an ISO date")
  .transform((v) => (/^\d+$/.test(v) ? Number(v) : Date.parse(v)))
  .pipe(z.number().finite());

const auditQuery = z.object({
  log: z.enum(["main", "refused"]).optional(),
  action: z.string().max(100).optional(),
  actor: z.string().max(254).optional(),
  target: z.string().max(254).optional(),
  outcome: z.enum(["ok", "error", "denied", "partial"]).optional(),
  since: time.optional(),
  until: time.optional(),
  cursor: z
    .string()
    .regex(/^\d+-\d+$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/**
 * A filtered read stops after 20,000 entries (lib/auth/audit.ts): a short page with a cursor then
 * means it stopped there, not that nothing older matches. `partial: true` says so.
 */
export const GET = route({ role: "admin", query: auditQuery }, async ({ query }) => {
  const page = await listAudit(consoleRedis(), query);
  return { ...page, partial: page.nextCursor !== null && page.entries.length < query.limit };
});
