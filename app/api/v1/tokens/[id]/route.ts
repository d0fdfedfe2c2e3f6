/** DELETE /api/v1/tokens/:id — revoke an API token (admin); its next request gets 401. */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { audit, revokeToken } from "#lib/auth/index.ts";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().regex(/^[a-f0-9]{12}$/, "a token id is 12 hex digits") });

export const DELETE = route({ role: "admin", params }, async ({ params, principal }) => {
  const info = await revokeToken(consoleRedis(), params.id);
  await audit(principal, "token.revoke", { target: `${info.name} (${info.id})` });
  return { revoked: info.id };
});
