import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, HSTS, newNonce, nonceOf, securityHeaders } from "./security-headers.ts";

function directive(csp: string, name: string): string {
  return csp.split("; ").find((d) => d.startsWith(`${name} `)) ?? "";
}

describe("security headers", () => {
  it("allows scripts only by this request's nonce: no 'unsafe-inline', no 'unsafe-eval' in production", () => {
    const nonce = newNonce();
    const scripts = directive(contentSecurityPolicy(nonce), "script-src");
    expect(scripts).toContain(`'nonce-${nonce}'`);
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(directive(contentSecurityPolicy(nonce, true), "script-src")).toContain("'unsafe-eval'");
  });

  it("reads the nonce back from the policy, for the layout's own inline script", () => {
    const nonce = newNonce();
    expect(nonceOf(contentSecurityPolicy(nonce))).toBe(nonce);
    expect(nonceOf("default-src 'self'")).toBeUndefined();
    expect(nonceOf(null)).toBeUndefined();
  });

  it("makes a new, unguessable nonce every time", () => {
    const nonces = new Set(Array.from({ length: 1000 }, newNonce));
    expect(nonces.size).toBe(1000);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });

  it("refuses framing, plugins and foreign form targets", () => {
    const csp = contentSecurityPolicy(newNonce());
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(csp, "object-src")).toBe("object-src 'none'");
    expect(directive(csp, "form-action")).toBe("form-action 'self'");
  });

  it("sends Strict-Transport-Security when NEXTAUTH_URL is https, and not when it is http or unset", () => {
    const nonce = newNonce();
    expect(securityHeaders({ nonce, nextAuthUrl: "https://requeue.example.com" })).toMatchObject({
      "Strict-Transport-Security": HSTS,
    });
    expect(HSTS).toMatch(/^max-age=\d{8,}/);
    expect(securityHeaders({ nonce, nextAuthUrl: "http://127.0.0.1:3000" })).not.toHaveProperty(
      "Strict-Transport-Security",
    );
    expect(securityHeaders({ nonce })).not.toHaveProperty("Strict-Transport-Security");
  });
});
