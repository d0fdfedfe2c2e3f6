/**
 * GET /api/v1/tokens — API tokens without their secrets (admin). POST {name, role} — create one;
 * the response is the only time the token appears in clear.
 */
import { z } from "zod";
import { audit, createToken, listTokens } from "#lib/auth/index";
import { getRedis } from "#lib/redis/connection";
import { route } from "@/app/_lib/http.ts";

export const dynamic = "force-dynamic";

const redis = () => getRedis("console", { failFast: true });
const body = z.object({ name: z.string().trim().min(1).max(80), role: z.enum(["admin", "viewer"]) });

export const GET = route({ role: "admin" }, async () => ({ tokens: await listTokens(redis()) }));

export const POST = route({ role: "admin", body }, async ({ body, principal }) => {
  const { token, info } = await createToken(redis(), { ...body, createdBy: principal.email ?? principal.id });
  await audit(principal, "token.create", {
    target: `${info.name} (${info.id})`,
    detail: `role ${info.role}`,
  });
  return Response.json({ token, info }, { status: 201, headers: { "cache-control": "no-store" } });
});
