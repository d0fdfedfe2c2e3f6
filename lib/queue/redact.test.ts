import { describe, expect, it } from "vitest";
import { REDACTED, redact } from "./redact.ts";

describe("redact", () => {
  it.each([
    ["Authorization: Bearer abcdefghijk123456", "abcdefghijk123456"],
    ["GET https://user:s3cr3tPass@api.example.com/x", "s3cr3tPass"],
    ["redis://:pa55word@127.0.0.1:6379/0", "pa55word"],
    ["login failed password=hunter2 for bob", "hunter2"],
    ["?api_key=AbC123xyz&page=2", "AbC123xyz"],
    ['{"client_secret": "very-secret-value"}', "very-secret-value"],
    ["token: 'tok_live_abcdef'", "tok_live_abcdef"],
    ["key AKIAIOSFODNN7EXAMPLE used", "AKIAIOSFODNN7EXAMPLE"],
    ["aws secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
    [
      "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end",
      "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ],
  ])("removes the secret from %s", (text, secret) => {
    const out = redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it("keeps the rest of the message readable", () => {
    expect(redact("connect postgres://app:pw123456@db:5432/main failed")).toBe(
      `connect postgres://app:${REDACTED}@db:5432/main failed`,
    );
    expect(redact("password=hunter2 user=bob")).toBe(`password=${REDACTED} user=bob`);
  });

  it("leaves ordinary text, paths and numbers alone", () => {
    for (const text of [
      "ECONNREFUSED 127.0.0.1:6379",
      "at convert (/app/src/workers/pdf-converter.js:10:5)",
      "document 8f14e45f not found in https://example.com/docs/8f14e45f",
      "the token bucket is empty",
    ]) {
      expect(redact(text)).toBe(text);
    }
  });
});
