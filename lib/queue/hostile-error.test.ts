/**
 * A handler's error is hostile input: it must never block the consumer's event loop. Recording a
 * failure (failureOf: cut, redact, fingerprint, the record fail-10.lua stores) runs
 * synchronously in the consumer, so it is timed here on the shapes that once took seconds or
 * never returned (issue 12), and fast-check throws random and adversarial text at redact() and
 * the fingerprint.
 *
 * Timing on a noisy, shared 2-core machine: each case is measured a few times and the best run
 * is compared with the bound — a slow pattern is slow every time, a descheduled process is not.
 * The 50 ms bound is the one issue 12 demands for recording a failure.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeMessage, topFrame } from "./fingerprint.ts";
import { type Failure, failureOf } from "./outcome.ts";
import { REDACT_INPUT_MAX, redact } from "./redact.ts";
import { MAX_STACK_FRAMES, NAME_MAX, STACK_LINE_MAX } from "./thrown.ts";

/** A fixed seed keeps `npm test` deterministic; FC_SEED=<n> (or "random") explores further. */
fc.configureGlobal({
  seed: process.env.FC_SEED === "random" ? Date.now() : Number(process.env.FC_SEED ?? 20261130),
});

const MESSAGE_MAX = 2000; // ERROR_MESSAGE_MAX_LENGTH's default
const BOUND_MS = 50;

/** Deterministic base64-ish letters (a blob, an echoed document). */
function base64ish(n: number): string {
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let x = 12345;
  let s = "";
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += abc[x % 64];
  }
  return s;
}

const fill = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
const frames = (n: number, line = "at handler (/app/worker.js:10:5)") =>
  Array.from({ length: n }, () => `    ${line}`).join("\n");

/** The shapes of issue 12, and the super-linear ones found reviewing every pattern. */
const SHAPES: [string, string][] = [
  ["1 MB of text", fill("lorem ipsum dolor ", 1_000_000)],
  ["1 MB of one letter", "x".repeat(1_000_000)],
  ["5 KB of `token` repeated", fill("token", 5_000)],
  ["5 KB of `token ` repeated", fill("token ", 5_000)],
  ["30 KB of `token` repeated", fill("token", 30_000)],
  ["30 KB of base64-ish letters", base64ish(30_000)],
  ["30 KB of a harmless word", fill("hello", 30_000)],
  ["30 KB of `password_`", fill("password_", 30_000)],
  ["an unterminated quoted secret", `"password": "${base64ish(30_000)}`],
  ["an unterminated escaped quoted secret", `\\"token\\": \\"${fill("a", 30_000)}`],
  ["30 KB of `a.` (URL schemes)", fill("a.", 30_000)],
  ["30 KB of `a-` (ids)", fill("a-", 30_000)],
  ["an unfinished PEM header", `-----BEGIN ${fill("A ", 30_000)}`],
  ["30 KB of `Bearer ` and spaces", `Bearer${" ".repeat(30_000)}`],
  ["30 KB of `eyJ`", fill("eyJ", 30_000)],
  ["30 KB of `key=`", fill("secret=", 30_000)],
  ["30 KB of `token: `", fill("token: ", 30_000)],
  ["100,000 lines", fill("a\n", 1_000_000)],
  ["fake frames in the message", frames(50_000)],
];

/** The best of `times` runs of `run`, and what the last one returned. */
function best<T>(run: () => T, times = 5): { ms: number; out: T } {
  let ms = Number.POSITIVE_INFINITY;
  let out = run();
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    out = run();
    ms = Math.min(ms, performance.now() - t);
  }
  return { ms, out };
}

const job = { id: "j1", attempt: 1, backoffBaseMs: 1000, backoffMaxMs: 60_000 };
let unique = 0;
/** A new error each run: failureOf remembers texts it has redacted. */
function errorOf(message: string, stackLine?: string): Error {
  const err = new Error(`${++unique} ${message}`);
  if (stackLine !== undefined) err.stack = `Error: x\n    at ${stackLine}\n${frames(20)}`;
  return err;
}

/** The stored record (fail-10.lua's ARGV) keeps every text within its bound. */
function expectBounded(args: Failure): void {
  const record = JSON.parse(args.record) as { name: string; message: string; stack?: string };
  expect(record.message.length).toBeLessThanOrEqual(MESSAGE_MAX);
  expect(record.name.length).toBeLessThanOrEqual(NAME_MAX);
  expect(args.name).toBe(record.name);
  const frames = record.stack?.split("\n") ?? [];
  expect(frames.length).toBeLessThanOrEqual(MAX_STACK_FRAMES);
  for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(STACK_LINE_MAX);
}

describe("recording a hostile failure takes under 50 ms", () => {
  it.each(SHAPES)("%s as the message", (_name, text) => {
    const { ms, out: args } = best(() => failureOf(job, errorOf(text), "c1", MESSAGE_MAX));
    expect(ms).toBeLessThan(BOUND_MS);
    expectBounded(args);
  });

  it.each(SHAPES)("%s as a stack frame", (_name, text) => {
    const { ms, out: args } = best(() => failureOf(job, errorOf("boom", text), "c1", MESSAGE_MAX));
    expect(ms).toBeLessThan(BOUND_MS);
    expectBounded(args);
  });

  it("a non-Error thrown value, a huge name and throwing getters are recorded too", () => {
    const circular = () => {
      const o: Record<string, unknown> = { big: `${++unique}${"x".repeat(1_000_000)}` };
      o.self = o;
      return o;
    };
    const named = () => Object.assign(new Error("boom"), { name: `${++unique}${fill("token", 100_000)}` });
    const getters = () =>
      Object.defineProperty(new Error(`boom ${++unique}`), "stack", {
        get() {
          throw new Error("no stack for you");
        },
      });
    const bare = () => Object.assign(Object.create(null), { n: ++unique });
    const huge = () => `${++unique}${"x".repeat(1_000_000)}`;
    for (const thrown of [circular, named, getters, bare, huge]) {
      const { ms, out: args } = best(() => failureOf(job, thrown(), "c1", MESSAGE_MAX), 3);
      expect(ms).toBeLessThan(BOUND_MS);
      expectBounded(args);
    }
  });

  it.each([
    ["key=value", (pad: string) => `${pad} password=hunter2hunter2hunter2 and more`],
    [
      "a quoted value closed past the margin",
      (pad: string) => `${pad} "token": "hunter2${"x".repeat(5000)}"`,
    ],
    ["a JWT", (pad: string) => `${pad} eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJodW50ZXIyIn0.hunter2hunter2hunter2`],
  ])("a secret straddling the message bound is still redacted: %s", (_name, messageOf) => {
    const message = messageOf("x".repeat(MESSAGE_MAX - 20));
    const record = JSON.parse(failureOf(job, new Error(message), "c1", MESSAGE_MAX).record);
    expect(record.message).not.toContain("hunter2");
    expect(record.message.length).toBeLessThanOrEqual(MESSAGE_MAX);
  });
});

// ---------- property: any text, up to 100 KB ----------

const FRAGMENTS = [
  "token",
  "password",
  "secret",
  "api_key",
  "auth",
  "=",
  ":",
  ": ",
  '"',
  "'",
  "\\",
  '\\"',
  " ",
  "-",
  "_",
  ".",
  "/",
  "@",
  "://",
  "a",
  "Z",
  "9",
  "eyJ",
  "Bearer ",
  "ghp_",
  "AKIA",
  "0x",
  "\n",
  "\n    at ",
  "-----BEGIN ",
  "PRIVATE KEY-----",
  "hooks.slack.com/services/",
  "Cookie: ",
];
/** Text built from a random pattern repeated up to `n` characters: repetition is what hurts. */
const hostileText = fc
  .tuple(
    fc.oneof(
      fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 12 }).map((a) => a.join("")),
      fc.string({ minLength: 1, maxLength: 40, unit: "binary" }),
    ),
    fc.integer({ min: 1, max: 100_000 }),
  )
  .map(([unit, n]) => fill(unit, n));
const anyText = fc.oneof(hostileText, fc.string({ maxLength: 100_000, size: "max", unit: "binary" }));

describe("any text up to 100 KB (fast-check)", () => {
  // Generous per-input bound (the same noise handling: best of 3 runs).
  it("redact() returns quickly with at most REDACT_INPUT_MAX characters", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { ms, out } = best(() => redact(text), 3);
        expect(ms).toBeLessThan(BOUND_MS);
        expect(out.length).toBeLessThanOrEqual(REDACT_INPUT_MAX);
      }),
      { numRuns: 150 },
    );
  });

  it("the fingerprint's normalisation returns quickly with a bounded result", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { ms, out } = best(() => [normalizeMessage(text), topFrame(`Error\n    at ${text}`)], 3);
        expect(ms).toBeLessThan(BOUND_MS);
        expect(out[0].length).toBeLessThanOrEqual(500);
        expect(out[1].length).toBeLessThanOrEqual(300);
      }),
      { numRuns: 150 },
    );
  });

  it("recording any text as a message or a stack returns quickly with a bounded record", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { ms, out: args } = best(() => failureOf(job, errorOf(text, text), "c1", MESSAGE_MAX), 3);
        expect(ms).toBeLessThan(BOUND_MS);
        expectBounded(args);
      }),
      { numRuns: 100 },
    );
  });
});
