/**
 * Shared test vectors: inputs and the TypeScript outputs for redaction, fingerprints, backoff, cache
 * key building and the cache entry header (test/cache-vectors.ts),
 * kept in test/vectors/*.json. The Python client's unittest (clients/python/tests/test_vectors.py)
 * runs the same files, so both languages must give the same answers. After a deliberate change of
 * behaviour, rewrite them: UPDATE_VECTORS=1 npx vitest run test/vectors.test.ts, then format them:
 * npx biome check --write test/vectors
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprintOf, fingerprintParts } from "../lib/queue/fingerprint.ts";
import { redact } from "../lib/queue/redact.ts";
import { retryDelay } from "../lib/queue/retry.ts";
import { cacheEntryVectors, cacheKeyVectors } from "./cache-vectors.ts";
import { ALL_REDACTED } from "./reliability/secret-corpus.ts";

const DIR = join(import.meta.dirname, "vectors");

const redactionInputs = [
  ...ALL_REDACTED.map((s) => s.text),
  ...ALL_REDACTED.map((s) => `upstream call failed: ${s.text}`),
  "login failed password=hunter2 for bob",
  '{"client_secret": "very-secret-value"}',
  'error in {\\"api_key\\": \\"abc123\\", \\"user\\": \\"bob\\"}',
  "token: 'tok_live_abcdef'\nnext line",
  "password=hunter2\n",
  "secret:\u00a0value1234 and pwd\u2003=\u2003xyz",
  "ECONNREFUSED 127.0.0.1:6379",
  "at convert (/app/src/workers/pdf-converter.js:10:5)",
  "the token bucket is empty",
  "Ünïcödé text, nothing secret — 42 €",
  `${"a".repeat(9000)} password=cut`,
];

const fingerprintInputs: [string, string, string][] = [
  ["Error", "job 42 failed after 3.5s", "\n    at convert (/app/src/pdf.js:10:5)"],
  ["Error", "user 550e8400-e29b-41d4-a716-446655440000 missing", ""],
  ["TypeError", "sha deadbeef12 at 0x7fff", "\n    at f (/a.js:1:2)\n    at g (/b.js:3:4)"],
  ["Error", "doc AbCdEf0123456789xyz gone", "\n    at /app/x.js:1:1"],
  ["RuntimeError", "boom for job 42", "\n    at handle (/srv/app/worker.py:13:29)"],
  ["ValueError", "  many   spaces\tand\nlines  ", "\n    at <module> (/srv/app/main.py:1:0)"],
  ["", "no name", "\n    at q (/a.js?v=123:1:2)"],
  ["Error", "ids --AbCdEf0123456789xyz-- and 123.456", "no frames here"],
];

const backoffInputs: [number, number, number, number][] = [
  [1, 1000, 60000, 0],
  [1, 1000, 60000, 0.5],
  [1, 1000, 60000, 0.999999],
  [3, 1000, 60000, 0.25],
  [10, 1000, 60000, 0.1],
  [60, 1000, 3600000, 0.3],
  [1, 0, 0, 0.7],
  [2, 500, 500, 0.5],
  [5, 333, 10000, 0.123],
];

function vectors(): Record<string, unknown> {
  return {
    "redaction.json": redactionInputs.map((input) => ({ input, output: redact(input) })),
    "fingerprints.json": fingerprintInputs.map(([name, message, stack]) => {
      const parts = fingerprintParts(name, message, stack);
      return { name, message, stack, parts, fingerprint: fingerprintOf(parts) };
    }),
    "backoff.json": backoffInputs.map(([attempt, baseMs, maxMs, random]) => ({
      attempt,
      baseMs,
      maxMs,
      random,
      delay: retryDelay(attempt, baseMs, maxMs, 0.2, () => random),
      // the bounds any random gives: from 80 % of the capped exponential delay to all of it
      min: retryDelay(attempt, baseMs, maxMs, 0.2, () => 1),
      max: retryDelay(attempt, baseMs, maxMs, 0.2, () => 0),
    })),
    "cache-keys.json": cacheKeyVectors(),
    "cache-entries.json": cacheEntryVectors(),
  };
}

describe("shared test vectors", () => {
  const all = vectors();
  if (process.env.UPDATE_VECTORS === "1") {
    for (const [file, data] of Object.entries(all))
      writeFileSync(join(DIR, file), `${JSON.stringify(data, null, 2)}\n`);
  }
  it.each(Object.keys(all))("%s holds what the TypeScript code answers", (file) => {
    expect(JSON.parse(readFileSync(join(DIR, file), "utf8"))).toEqual(all[file]);
  });
});
