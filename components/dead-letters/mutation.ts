/**
 * What a requeue or delete touches — one scope per request, the same for the server actions and
 * POST /api/v1/dead-letters/requeue|delete. Small scopes run inline; big ones become a bulk
 * operation with progress (app/api/v1/dead-letters/_ops.ts). Field rules come from lib/dlq's
 * schemas so the console, the API and the CLI refuse the same things. Server-side only.
 */
import { z } from "zod";
import { fingerprintSchema, jobIdSchema, queueNameSchema, rateSchema } from "@/lib/dlq/schemas.ts";
import { RANGES } from "./filters.ts";

export const filtersSchema = z.object({
  queue: queueNameSchema.optional(),
  group: fingerprintSchema.optional(),
  range: z
    .enum(Object.keys(RANGES) as [keyof typeof RANGES, ...(keyof typeof RANGES)[]], {
      error: `range must be one of ${Object.keys(RANGES).join(", ")}`,
    })
    .optional(),
  q: z.string().trim().min(1).max(200, "at most 200 characters").optional(),
});

const rateLimit = rateSchema.optional();

/** Inline scopes of ids are capped so one request stays short; larger sets go by filter. */
export const IDS_MAX = 1000;

export const mutationSchema = z.discriminatedUnion("scope", [
  z.object({
    scope: z.literal("ids"),
    queue: queueNameSchema,
    ids: z.array(jobIdSchema).min(1).max(IDS_MAX),
  }),
  z.object({ scope: z.literal("group"), queue: queueNameSchema, fingerprint: fingerprintSchema, rateLimit }),
  z.object({ scope: z.literal("filter"), filters: filtersSchema, rateLimit }),
  z.object({ scope: z.literal("all"), queue: queueNameSchema.optional(), rateLimit }),
]);

export type MutationInput = z.infer<typeof mutationSchema>;

export const editRequeueSchema = z.object({
  queue: queueNameSchema,
  id: jobIdSchema,
  /** the edited payload as JSON text; refused unless it parses */
  payload: z.string().max(2 * 1024 * 1024, "at most 2 MB"),
});

export type EditRequeueInput = z.infer<typeof editRequeueSchema>;
