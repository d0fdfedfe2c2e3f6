/**
 * The zod schemas of the dead-letter and bulk-operation inputs, shared by the /api/v1 routes and
 * the server actions. A requeue or delete touches one scope per request; small scopes run inline,
 * big ones become a bulk operation with progress (./dead-letters.ts). Field rules come from
 * lib/dlq's schemas so the console, the API and the CLI refuse the same things. Server-side only.
 */
import { z } from "zod";
import { RANGES } from "#components/dead-letters/filters.ts";
import {
  canarySchema,
  fingerprintSchema,
  jobIdSchema,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
  queueNameSchema,
  rateSchema,
} from "#lib/dlq/schemas.ts";

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
/** Requeue only (delete refuses it): requeue `count` first and go on only if enough succeed. */
const canary = canarySchema.optional();

/** Inline scopes of ids are capped so one request stays short; larger sets go by filter. */
export const IDS_MAX = 1000;

export const mutationSchema = z.discriminatedUnion("scope", [
  z.object({
    scope: z.literal("ids"),
    queue: queueNameSchema,
    ids: z.array(jobIdSchema).min(1).max(IDS_MAX),
  }),
  z.object({
    scope: z.literal("group"),
    queue: queueNameSchema,
    fingerprint: fingerprintSchema,
    rateLimit,
    canary,
  }),
  z.object({ scope: z.literal("filter"), filters: filtersSchema, rateLimit, canary }),
  z.object({ scope: z.literal("all"), queue: queueNameSchema.optional(), rateLimit, canary }),
]);

export type MutationInput = z.infer<typeof mutationSchema>;

export const editRequeueSchema = z.object({
  queue: queueNameSchema,
  id: jobIdSchema,
  /** the edited payload as JSON text; refused unless it parses */
  payload: z.string().max(2 * 1024 * 1024, "at most 2 MB"),
});

export type EditRequeueInput = z.infer<typeof editRequeueSchema>;

// Query and path schemas of the /api/v1 dead-letter routes: the filters plus an explicit from/to window.

const epochMs = z.coerce
  .number({ error: "an epoch time in milliseconds" })
  .int("an epoch time in milliseconds")
  .min(0, "an epoch time in milliseconds");

const windowed = filtersSchema.extend({ from: epochMs.optional(), to: epochMs.optional() });
const fromBeforeTo = (f: { from?: number; to?: number }) =>
  f.from === undefined || f.to === undefined || f.from <= f.to;
const fromBeforeToError = { message: "from must not be after to", path: ["from"] };

export const filterQuery = windowed.strict().refine(fromBeforeTo, fromBeforeToError);

/** Count and groups: the filters plus the cursor of a previous partial answer. */
export const resumableQuery = windowed
  .extend({ cursor: z.string().min(1).max(2000, "a cursor from a previous nextCursor").optional() })
  .strict()
  .refine(fromBeforeTo, fromBeforeToError);

const pageSizeError = `a page size between 1 and ${PAGE_SIZE_MAX}`;
export const listQuery = windowed
  .extend({
    cursor: z.string().min(1).max(2000, "a cursor from a previous page's nextCursor").optional(),
    limit: z.coerce
      .number({ error: pageSizeError })
      .int(pageSizeError)
      .min(1, pageSizeError)
      .max(PAGE_SIZE_MAX, pageSizeError)
      .default(PAGE_SIZE_DEFAULT),
  })
  .strict()
  .refine(fromBeforeTo, fromBeforeToError);

export const exportQuery = windowed
  .extend({ format: z.enum(["json", "csv"], { error: 'format must be "json" or "csv"' }).default("json") })
  .strict()
  .refine(fromBeforeTo, fromBeforeToError);

export const queueParam = z.object({ queue: queueNameSchema });
export const entryParams = z.object({ queue: queueNameSchema, id: jobIdSchema });
export const bulkParams = z.object({ id: z.uuid("a bulk operation id as returned by requeue or delete") });

export type FilterQuery = z.infer<typeof filterQuery>;
export type ListQuery = z.infer<typeof listQuery>;
