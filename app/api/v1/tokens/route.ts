/**
 * GET /api/v1/tokens — API tokens without their secrets (admin), each with `expiresAt` (null:
 * never). POST {name, role (admin | viewer | producer), expiresInDays?} — create one; the response is the only time the
 * token appears in clear. From `expiresAt` on, the token gets 401 like a revoked one.
 */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { audit, createToken, describeToken, expiryMs, listTokens, TOKEN_ROLES } from "#lib/auth/index.ts";

export const dynamic = "force-dynamic";

const body = z.object({
  name: z.string().trim().min(1).max(80),
  role: z.enum(TOKEN_ROLES),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export const GET = route({ role: "admin" }, async () => ({ tokens: await listTokens(consoleRedis()) }));

export const POST = route({ role: "admin", body }, async ({ body, principal }) => {
  const { token, info } = await createToken(consoleRedis(), {
    name: body.name,
    role: body.role,
    createdBy: principal.email ?? principal.id,
    expiresInMs: expiryMs(body.expiresInDays),
  });
  await audit(principal, "token.create", {
    target: `${info.name} (${info.id})`,
    detail: describeToken(info),
  });
  return Response.json({ token, info }, { status: 201, headers: { "cache-control": "no-store" } });
});
