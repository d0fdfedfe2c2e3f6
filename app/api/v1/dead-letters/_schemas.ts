/**
 * Query and path schemas of the /api/v1 dead-letter routes. Filters are the console's
 * (components/dead-letters/mutation.ts) plus an explicit from/to window; field rules and limits
 * come from lib/dlq/schemas.ts.
 */
import { z } from "zod";
import { filtersSchema } from "@/components/dead-letters/mutation.ts";
import { jobIdSchema, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, queueNameSchema } from "@/lib/dlq/schemas.ts";

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

export type FilterQuery = z.infer<typeof filterQuery>;
