import { describe, expect, it } from "vitest";
import { fingerprint, normalizeMessage, topFrame } from "./fingerprint.ts";

const stack = (frame: string) => `Error: x\n    at ${frame}\n    at other (/app/b.js:1:1)`;

describe("fingerprint", () => {
  it("normalises numbers, hex, UUIDs and long ids", () => {
    expect(normalizeMessage("job 42 failed after 3.5s")).toBe("job <n> failed after <n>s");
    expect(normalizeMessage("user 550e8400-e29b-41d4-a716-446655440000 missing")).toBe("user <uuid> missing");
    expect(normalizeMessage("sha deadbeef12 at 0x7fff")).toBe("sha <hex> at <hex>");
    expect(normalizeMessage("doc AbCdEf0123456789xyz gone")).toBe("doc <id> gone");
    expect(normalizeMessage("plain words stay")).toBe("plain words stay");
  });
  it("takes the top frame without line and column", () => {
    expect(topFrame(stack("convert (/app/src/pdf.js:10:5)"))).toBe("convert (/app/src/pdf.js)");
    expect(topFrame(stack("/app/src/pdf.js:10:5"))).toBe("/app/src/pdf.js");
    expect(topFrame(undefined)).toBe("");
  });
  it("finds the first frame after a message of several lines, and none in a stack without frames", () => {
    expect(topFrame("Error: a\nsecond line\n  third\n    at g (/app/g.js:3:4)\n    at h (/h.js:1:1)")).toBe(
      "g (/app/g.js)",
    );
    expect(topFrame("Error: a\nno frames here\n")).toBe("");
    expect(topFrame("    at first (/f.js:1:1)")).toBe("first (/f.js)");
  });
  it("gives the known SHA-1 prefix, the same on a repeat (remembered) as the first time", () => {
    // sha1("Error\ntimeout\nf (/a.js)"), the formula the Lua scripts compute with redis.sha1hex
    const expected = "bd5985c6f1d3954c";
    expect(fingerprint("Error", "timeout", stack("f (/a.js:1:2)"))).toBe(expected);
    expect(fingerprint("Error", "timeout", stack("f (/a.js:9:9)"))).toBe(expected);
  });
  it("groups the same failure with different ids, line numbers and times", () => {
    const a = fingerprint("Error", "timeout fetching doc 123 after 5000 ms", stack("f (/a.js:1:2)"));
    const b = fingerprint("Error", "timeout fetching doc 98765 after 3000 ms", stack("f (/a.js:7:9)"));
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });
  it("separates different names, messages and frames", () => {
    const base = fingerprint("Error", "timeout", stack("f (/a.js:1:2)"));
    expect(fingerprint("TypeError", "timeout", stack("f (/a.js:1:2)"))).not.toBe(base);
    expect(fingerprint("Error", "refused", stack("f (/a.js:1:2)"))).not.toBe(base);
    expect(fingerprint("Error", "timeout", stack("g (/b.js:1:2)"))).not.toBe(base);
  });
});
