/** The producer role stands outside viewer < admin: it passes only checks for adding jobs. */
import { describe, expect, it } from "vitest";
import { hasRole, type Principal, type Role } from "./roles.ts";

const as = (role: Role): Principal => ({ id: `token:${role}`, name: role, role, via: "token" });

describe("hasRole", () => {
  it.each([
    ["viewer", "viewer", true],
    ["viewer", "admin", false],
    ["viewer", "producer", false],
    ["admin", "viewer", true],
    ["admin", "admin", true],
    ["admin", "producer", true],
    ["producer", "viewer", false],
    ["producer", "admin", false],
    ["producer", "producer", true],
  ] as const)("a %s passes a check for %s: %s", (caller, needed, allowed) => {
    expect(hasRole(as(caller), needed)).toBe(allowed);
  });
});
