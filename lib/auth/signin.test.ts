/**
 * Sign-in under hostile input, against a real Redis (issue 12): the client address comes from the
 * socket (X-Forwarded-For only through trusted hops), attempts are counted atomically, failed
 * sign-ins and refused requests cannot push real history out of the audit log, the first admin's
 * creation is audited, and `callbackUrl` never leaves the site.
 */
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { testRedis, uniqueName } from "../../test/harness/index.ts";
import { safeCallbackPath } from "./callback-url.ts";
import {
  clientAddress,
  clientAddressOf,
  SOCKET_ADDRESS_HEADER,
  stampSocketAddresses,
} from "./client-address.ts";
import {
  appendAudit,
  appendRefused,
  bootstrapAdmin,
  listAudit,
  recordSignInSuccess,
  reserveSignIn,
} from "./index.ts";

const redis = testRedis();
afterAll(() => redis.quit());
const store = () => ({ prefix: uniqueName("signin") });

describe("client address", () => {
  it.each([
    // socket, X-Forwarded-For, trusted hops → client
    ["10.0.0.7", undefined, 0, "10.0.0.7"],
    ["10.0.0.7", "203.0.113.9", 0, "10.0.0.7"],
    ["10.0.0.7", "203.0.113.9, 198.51.100.1", 0, "10.0.0.7"],
    ["::ffff:127.0.0.1", "203.0.113.9", 0, "127.0.0.1"],
    // one proxy (10.0.0.7) appends the address it received from; what the client wrote is left of it
    ["10.0.0.7", "198.51.100.1", 1, "198.51.100.1"],
    ["10.0.0.7", "6.6.6.6, 198.51.100.1", 1, "198.51.100.1"],
    ["10.0.0.7", "6.6.6.6, 198.51.100.1, 10.0.0.8", 2, "198.51.100.1"],
    ["10.0.0.7", "2001:db8::1", 1, "2001:db8::1"],
    // fewer addresses than trusted hops: the left-most one there is
    ["10.0.0.7", "198.51.100.1", 3, "198.51.100.1"],
    // not an address: a trusted proxy never writes that, so the hop that reported it is the client
    ["10.0.0.7", "6.6.6.6, not-an-ip", 2, "10.0.0.7"],
    ["10.0.0.7", "<script>", 1, "10.0.0.7"],
    ["10.0.0.7", "1.1.1.1,".repeat(400), 1, "10.0.0.7"],
  ] as const)("socket %s, X-Forwarded-For %j, %i hops → %s", (socket, forwarded, hops, client) => {
    expect(clientAddress(socket, forwarded, hops)).toBe(client);
  });

  it("takes the socket address from a stamp no client can set, whatever headers it sends", async () => {
    stampSocketAddresses();
    stampSocketAddresses(); // idempotent
    const seen: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers);
      res.end();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    try {
      await fetch(`http://127.0.0.1:${port}/`, {
        headers: { "x-forwarded-for": "203.0.113.9", [SOCKET_ADDRESS_HEADER]: "203.0.113.10" },
      });
    } finally {
      server.close();
    }
    expect(seen[0][SOCKET_ADDRESS_HEADER]).toBe("127.0.0.1");
    expect(clientAddressOf(seen[0], 0)).toBe("127.0.0.1");
    expect(clientAddressOf(new Headers(seen[0] as Record<string, string>), 0)).toBe("127.0.0.1");
    expect(clientAddressOf(seen[0], 1)).toBe("203.0.113.9"); // only when the operator trusts a proxy
  });
});

describe("sign-in rate limiting", () => {
  const limits = { perAccount: 3, perIp: 5, windowSeconds: 60 };

  it("a parallel burst on one account gets exactly the limit of tries", async () => {
    const opts = store();
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => reserveSignIn(redis, "a@x.io", `10.0.0.${i}`, limits, opts)),
    );
    expect(burst.filter((r) => r.allowed)).toHaveLength(limits.perAccount);
    const refused = burst.filter((r) => !r.allowed);
    expect(refused.every((r) => r.reason === "account")).toBe(true);
    expect(refused[0].retryAfterSeconds).toBeGreaterThan(0);
    expect(refused[0].retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("a parallel burst from one address across accounts gets exactly the limit of tries", async () => {
    const opts = store();
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) => reserveSignIn(redis, `u${i}@x.io`, "10.0.0.9", limits, opts)),
    );
    expect(burst.filter((r) => r.allowed)).toHaveLength(limits.perIp);
    expect(burst.filter((r) => !r.allowed).every((r) => r.reason === "ip")).toBe(true);
    expect((await reserveSignIn(redis, "new@x.io", "10.0.0.10", limits, opts)).allowed).toBe(true);
  });

  it("a success clears the account's count and gives the address its attempt back", async () => {
    const opts = store();
    for (let i = 0; i < 2; i++) await reserveSignIn(redis, "a@x.io", "10.0.0.1", limits, opts);
    await reserveSignIn(redis, "a@x.io", "10.0.0.1", limits, opts);
    await recordSignInSuccess(redis, "a@x.io", "10.0.0.1", opts);
    expect(await redis.get(`${opts.prefix}:{auth}:rl:account:a@x.io`)).toBeNull();
    expect(await redis.get(`${opts.prefix}:{auth}:rl:ip:10.0.0.1`)).toBe("2");
    expect((await reserveSignIn(redis, "a@x.io", "10.0.0.1", limits, opts)).allowed).toBe(true);
  });
});

describe("the log of refused requests", () => {
  it("100,000 failed sign-ins leave every admin action in the main log", async () => {
    const opts = store();
    const admin = { id: "admin@x.io", email: "admin@x.io", role: "admin", via: "session" };
    for (let i = 0; i < 50; i++)
      await appendAudit(redis, admin, "dlq.requeue", { target: `q${i}`, count: i }, opts);
    const total = 100_000;
    const batch = 2000;
    for (let done = 0; done < total; done += batch) {
      await Promise.all(
        Array.from({ length: batch }, (_, i) =>
          appendRefused(
            redis,
            { id: `x${done + i}@evil.example`, via: "signin", ip: "203.0.113.9" },
            "signin.failed",
            { target: `x${done + i}@evil.example` },
            { ...opts, cap: 1000 },
          ),
        ),
      );
    }
    expect(await redis.xlen(`${opts.prefix}:{auth}:audit`)).toBe(50);
    const main = await listAudit(redis, { limit: 500 }, opts);
    expect(main.entries).toHaveLength(50);
    expect(main.entries.every((e) => e.action === "dlq.requeue" && e.actor === "admin@x.io")).toBe(true);
    expect(main.entries.map((e) => e.target).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `q${i}`).sort(),
    );

    const refusedLength = await redis.xlen(`${opts.prefix}:{auth}:audit:refused`);
    expect(refusedLength).toBeGreaterThanOrEqual(1000);
    expect(refusedLength).toBeLessThan(1300); // MAXLEN ~ trims in whole nodes
    const refused = await listAudit(redis, { log: "refused", limit: 1 }, opts);
    expect(refused.entries[0]).toMatchObject({
      action: "signin.failed",
      actor: `x${total - 1}@evil.example`, // the newest one
      outcome: "denied",
      ip: "203.0.113.9",
    });
  }, 120_000);

  it("counts repeats of one refusal in a window: the 1st, 10th, 100th and 1000th are written", async () => {
    const opts = store();
    const viewer = { id: "v@x.io", email: "v@x.io", role: "viewer", via: "session", ip: "10.0.0.3" };
    const written = [];
    for (let i = 0; i < 1234; i++) {
      written.push(
        appendRefused(
          redis,
          viewer,
          "request.forbidden",
          { target: "/api/v1/users" },
          { ...opts, aggregate: true },
        ),
      );
    }
    expect((await Promise.all(written)).filter(Boolean)).toHaveLength(4);
    // another path is another count
    await appendRefused(
      redis,
      viewer,
      "request.forbidden",
      { target: "/audit" },
      { ...opts, aggregate: true },
    );
    const { entries } = await listAudit(redis, { log: "refused", action: "request" }, opts);
    expect(entries.map((e) => [e.target, e.count])).toEqual([
      ["/audit", 1],
      ["/api/v1/users", 1000],
      ["/api/v1/users", 100],
      ["/api/v1/users", 10],
      ["/api/v1/users", 1],
    ]);
    expect(entries[0]).toMatchObject({ actor: "v@x.io", role: "viewer", outcome: "denied", ip: "10.0.0.3" });
    expect((await listAudit(redis, {}, opts)).entries).toHaveLength(0); // nothing in the main log
  });

  it("a new window counts from one again", async () => {
    const opts = { ...store(), aggregate: true, windowSeconds: 1 };
    const refuse = () => appendRefused(redis, null, "signin.refused", { target: "a@x.io" }, opts);
    expect(await refuse()).not.toBeNull();
    expect(await refuse()).toBeNull();
    await new Promise((r) => setTimeout(r, 2100));
    expect(await refuse()).not.toBeNull();
  });
});

describe("the first admin", () => {
  it("is audited once, when it is created", async () => {
    const opts = store();
    expect(await bootstrapAdmin(redis, "Root@X.io", "first-password", opts)).toBe("created");
    expect(await bootstrapAdmin(redis, "root@x.io", "first-password", opts)).toBe("exists");
    const { entries } = await listAudit(redis, {}, opts);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "user.bootstrap", actor: "system", target: "root@x.io" });
  });
});

describe("callbackUrl", () => {
  const origin = "https://console.example.com";
  it.each([
    ["/settings", "/settings"],
    ["/dead-letters?queue=documents#top", "/dead-letters?queue=documents#top"],
    [`${origin}/audit`, "/audit"],
    ["/\t/evil.example", "/"],
    ["/\n/evil.example", "/"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["\\\\evil.example", "/"],
    ["https:evil.example", "/"],
    ["https://evil.example/", "/"],
    ["http://console.example.com/", "/"], // another scheme is another origin
    ["javascript:alert(1)", "/"],
    ["/.//evil.example", "/"],
    [" //evil.example", "/"],
    [undefined, "/"],
    [["//evil.example", "/settings"], "/"],
  ] as const)("%j → %s", (value, expected) => {
    expect(safeCallbackPath(value, origin)).toBe(expected);
    // what a browser makes of the result is still this site
    expect(new URL(safeCallbackPath(value, origin), origin).origin).toBe(origin);
  });

  it("refuses an overlong value", () => {
    expect(safeCallbackPath(`/${"a".repeat(3000)}`, origin)).toBe("/");
  });

  it("keeps a path when it does not know its own origin", () => {
    expect(safeCallbackPath("/settings")).toBe("/settings");
    expect(safeCallbackPath("/%09/evil.example")).toBe("/%09/evil.example"); // still percent-encoded: a path here
    expect(safeCallbackPath("/\t/evil.example")).toBe("/");
  });
});
