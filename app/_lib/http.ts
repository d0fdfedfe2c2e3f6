/**
 * The frame of every /api route handler: authenticate, check the role, validate input with zod,
 * call the library, and turn every failure into one JSON error shape with the right status.
 *
 *   export const GET = route({ role: "viewer", query: listQuery }, async ({ query }) => ok(await list(query)));
 *
 * Handlers return plain data; they know nothing of status codes except through `HttpError`.
 */
import type { z } from "zod";
import { clientIp } from "#app/api/auth/options.ts";
import { getConfig } from "#lib/config.ts";
import { httpStatusOf } from "#lib/errors.ts";
import { type AuditNote, type AuditSpec, audited } from "./audited.ts";
import { auditForbidden } from "./forbidden-audit.ts";
import { HttpError } from "./http-error.ts";
import { authenticateRequest, hasRole, type Principal, type Role } from "./principal.ts";

export { HttpError };

export const badRequest = (message: string, details?: unknown) => new HttpError(400, message, details);
export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string) => new HttpError(409, message);
const tooLarge = (max: number) =>
  new HttpError(413, `The request body is larger than ${max} bytes (API_BODY_MAX_BYTES)`);

/**
 * A request body as text, refused with 413 past `max` bytes: at once when Content-Length says so,
 * else as soon as the bytes read pass it, so a huge body is never buffered whole.
 */
export async function readBody(request: Request, max = getConfig().API_BODY_MAX_BYTES): Promise<string> {
  if (Number(request.headers.get("content-length")) > max) throw tooLarge(max);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    bytes += value.byteLength;
    if (bytes > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(max);
    }
    text += decoder.decode(value, { stream: true });
  }
}

function zodMessage(where: string, error: z.ZodError): string {
  return error.issues
    .map((i) => `${where}${i.path.length ? `.${i.path.join(".")}` : ""}: ${i.message}`)
    .join("; ");
}

const REDIS_DOWN = "Redis is unreachable; try again when it is back";

/** Redis unreachable or timing out (lib/errors.ts: 503): the API answers 503, never 500. */
export const isRedisDown = (err: unknown): boolean => httpStatusOf(err) === 503;

/**
 * What a failure tells the client: an HttpError as thrown; a library error by its code's status
 * (lib/errors.ts) with its message; null for an internal error, whose message stays in the log.
 */
export function publicError(err: unknown): { status: number; message: string; details?: unknown } | null {
  if (err instanceof HttpError) return { status: err.status, message: err.message, details: err.details };
  const status = httpStatusOf(err);
  if (status === 503) return { status, message: REDIS_DOWN };
  if (status !== 500) {
    // a library error may say more (a job's current state on a CONFLICT: lib/queue/job-errors.ts)
    const details = (err as { details?: unknown }).details;
    return { status, message: (err as Error).message, ...(details === undefined ? {} : { details }) };
  }
  return null;
}

export function errorResponse(err: unknown): Response {
  const known = publicError(err);
  if (!known) {
    console.error("[api] unexpected error:", err instanceof Error ? err.message : String(err));
    return Response.json({ error: { status: 500, message: "Internal error" } }, { status: 500 });
  }
  const retryAfter = known.status === 429 ? "10" : known.status === 503 ? "5" : undefined;
  return Response.json(
    { error: known },
    { status: known.status, headers: retryAfter ? { "retry-after": retryAfter } : undefined },
  );
}

interface RouteSpec<Q extends z.ZodType, B extends z.ZodType, P extends z.ZodType> {
  /** The least role allowed; every route states it (the access matrix test reads it). */
  role: Role;
  query?: Q;
  body?: B;
  params?: P;
  /** A mutation's audit entry, recorded by the frame on success and on failure (./audited.ts). */
  audit?: AuditSpec<Omit<RouteInput<z.infer<Q>, z.infer<B>, z.infer<P>>, "note">>;
}

interface RouteInput<Q, B, P> {
  request: Request;
  principal: Principal;
  query: Q;
  body: B;
  params: P;
  /** Adds to the audit entry of a route with the `audit` option. */
  note: AuditNote;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

export function route<
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  P extends z.ZodType = z.ZodUndefined,
>(
  spec: RouteSpec<Q, B, P>,
  handler: (input: RouteInput<z.infer<Q>, z.infer<B>, z.infer<P>>) => Promise<Response | unknown>,
) {
  const wrapped = async (request: Request, context?: RouteContext): Promise<Response> => {
    let principal: Principal | null = null;
    try {
      principal = await authenticateRequest(request);
      if (!principal) throw new HttpError(401, "Sign in or send Authorization: Bearer <api token>");
      if (!hasRole(principal, spec.role)) throw new HttpError(403, `This needs the ${spec.role} role`);

      const url = new URL(request.url);
      const query = spec.query ? parse(spec.query, Object.fromEntries(url.searchParams), "query") : undefined;
      const params = spec.params ? parse(spec.params, (await context?.params) ?? {}, "path") : undefined;
      let body: unknown;
      if (spec.body) {
        const text = await readBody(request);
        let raw: unknown;
        try {
          raw = text ? JSON.parse(text) : {};
        } catch {
          throw badRequest("The request body is not valid JSON");
        }
        body = parse(spec.body, raw, "body");
      }
      const input = { request, principal, query, body, params } as Omit<
        RouteInput<z.infer<Q>, z.infer<B>, z.infer<P>>,
        "note"
      >;
      const result = await audited(principal, spec.audit, input, (note) => handler({ ...input, note }));
      return result instanceof Response
        ? result
        : Response.json(result, { headers: { "cache-control": "no-store" } });
    } catch (err) {
      if (err instanceof HttpError && err.status === 403) {
        await auditForbidden(
          principal,
          new URL(request.url).pathname,
          err.message,
          clientIp(request.headers),
        );
      }
      return errorResponse(err);
    }
  };
  return Object.assign(wrapped, { role: spec.role });
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(zodMessage(where, result.error), result.error.issues);
  return result.data;
}
