/**
 * Input of the DLQ admin API, as zod schemas: lib/dlq validates with them, and the console's
 * API and the CLI reuse them so every entry point refuses the same things the same way.
 * Filters are literal: no character (`*`, `?`, `[`, `%`) has a pattern meaning anywhere.
 */
import { z } from "zod";
import { getConfig } from "../config.ts";
import { isValidQueueName } from "../redis/keys.ts";
import { invalidInput } from "./errors.ts";

export const PAGE_SIZE_MAX = 200;
export const PAGE_SIZE_DEFAULT = 50;
/** The longest delay a requeue accepts: 30 days. */
export const DELAY_MAX_MS = 30 * 24 * 3600_000;

/** True when a string has no control characters (they have no place in ids or search text). */
export const hasNoControlChars = (s: string) =>
  ![...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);

export const queueNameSchema = z.string().refine(isValidQueueName, {
  message: "letters, digits and _ . : - (1-64 characters, starting with a letter or digit)",
});

export const jobIdSchema = z.string().min(1).max(256).refine(hasNoControlChars, "no control characters");

export const fingerprintSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\s{}]+$/, "no spaces or braces");

const timeSchema = z.number().int().min(0);

export const filterSchema = z
  .object({
    queue: queueNameSchema.optional(),
    group: fingerprintSchema.optional(),
    from: timeSchema.optional(),
    to: timeSchema.optional(),
    search: z.string().trim().min(1).max(200).refine(hasNoControlChars, "no control characters").optional(),
  })
  .strict()
  .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, {
    message: "from must not be after to",
  });

export type DlqFilter = z.infer<typeof filterSchema>;

export const pageSchema = z
  .object({
    limit: z.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
    cursor: z.string().min(1).max(2000).optional(),
  })
  .strict();

export type PageRequest = z.input<typeof pageSchema>;

/** An edited payload: JSON text within JOB_MAX_PAYLOAD_BYTES. */
export function payloadJsonSchema(maxBytes = getConfig().JOB_MAX_PAYLOAD_BYTES) {
  return z
    .string()
    .refine((s) => Buffer.byteLength(s, "utf8") <= maxBytes, { message: `larger than ${maxBytes} bytes` })
    .refine(
      (s) => {
        try {
          JSON.parse(s);
          return true;
        } catch {
          return false;
        }
      },
      { message: "not valid JSON" },
    );
}

export function requeueOptionsSchema(maxBytes?: number) {
  return z
    .object({
      payload: payloadJsonSchema(maxBytes).optional(),
      delayMs: z.number().int().min(0).max(DELAY_MAX_MS).optional(),
      by: z.string().max(200).optional(),
    })
    .strict();
}

export type RequeueOptions = z.infer<ReturnType<typeof requeueOptionsSchema>>;

export const idListSchema = z.array(jobIdSchema).min(1).max(100_000);

export const rateSchema = z.number().int().min(1).max(1_000_000);

/** The most jobs a canary may requeue first (they are watched one by one). */
export const CANARY_COUNT_MAX = 1000;

/**
 * A canary redrive: requeue `count` first, wait for their outcome (at most `timeoutSeconds`,
 * default DLQ_CANARY_TIMEOUT_SECONDS) and go on with the rest only if at least `minSuccess` of
 * them completed (0.9 = 90 %). See canary.ts.
 */
export const canarySchema = z
  .object({
    count: z.number().int().min(1).max(CANARY_COUNT_MAX).default(10),
    minSuccess: z.number().min(0).max(1).default(0.9),
    timeoutSeconds: z.number().int().min(1).max(86_400).optional(),
  })
  .strict();

export type CanaryOptions = z.infer<typeof canarySchema>;

export const exportFormatSchema = z.enum(["json", "csv"]);

/** Parses or throws DlqError INVALID_INPUT naming what was wrong. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) =>
    i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message,
  );
  throw invalidInput(what, problems.join("; "));
}

export function bulkOpSchema(maxBytes?: number) {
  return z
    .object({
      action: z.enum(["requeue", "delete"]),
      scope: z.union([
        z.object({ queue: queueNameSchema, ids: idListSchema }).strict(),
        z.object({ filter: filterSchema }).strict(),
      ]),
      rate: rateSchema.optional(),
      canary: canarySchema.optional(),
    })
    .extend(requeueOptionsSchema(maxBytes).shape)
    .strict()
    .refine((op) => op.action === "requeue" || (op.payload === undefined && op.delayMs === undefined), {
      message: "payload and delayMs apply to requeue only",
    })
    .refine((op) => op.action === "requeue" || op.canary === undefined, {
      message: "canary applies to requeue only",
      path: ["canary"],
    })
    .refine((op) => op.canary === undefined || !op.delayMs, {
      message: "a canary cannot wait for delayed jobs: leave delayMs out",
      path: ["canary"],
    });
}

export type BulkOp = z.infer<ReturnType<typeof bulkOpSchema>>;
export type BulkOpInput = z.input<ReturnType<typeof bulkOpSchema>>;
