/**
 * The near cache's store alone (no Redis: it is plain memory): the race between a read's reply
 * and an invalidation, dependencies, the byte bound, and "no tracking, no copies".
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cloneJson, deepFreeze } from "./frozen.ts";
import { NearStore } from "./near.ts";

const FRESH = () => Date.now() + 60_000;

function usableStore(maxBytes = 1_000_000, rotateMs = 1000) {
  const s = new NearStore(maxBytes, rotateMs);
  s.setUsable(true);
  return s;
}

describe("NearStore", () => {
  it("keeps a copy and serves it while fresh, never past its TTL", () => {
    const s = usableStore();
    expect(s.offer(s.ticket(), "k", "ns", '"v"', FRESH(), [])).toBe(true);
    const e = s.lookup("k")!;
    expect(s.valueOf(e)).toBe("v");
    expect(s.offer(s.ticket(), "old", "ns", '"v"', Date.now() - 1, [])).toBe(true);
    expect(s.lookup("old")).toBeUndefined();
    expect(s.has("old")).toBe(false);
  });

  it("hands each hit a copy of its own, and a frozen namespace's one shared value", () => {
    const s = usableStore();
    s.offer(s.ticket(), "k", "ns", '{"a":[1]}', FRESH(), []);
    const mine = s.valueOf(s.lookup("k")!) as { a: number[] };
    mine.a.push(2);
    expect(s.valueOf(s.lookup("k")!)).toEqual({ a: [1] });
    const frozen = deepFreeze({ a: [1] });
    s.offer(s.ticket(), "f", "ns", '{"a":[1]}', FRESH(), [], { value: frozen });
    expect(s.valueOf(s.lookup("f")!)).toBe(frozen);
  });

  it("refuses a reply whose key, or a key it depends on, was invalidated after the read started", () => {
    const s = usableStore();
    const t1 = s.ticket();
    s.invalidate("k");
    expect(s.offer(t1, "k", "ns", "1", FRESH(), ["gen"])).toBe(false);
    const t2 = s.ticket();
    s.invalidate("gen");
    expect(s.offer(t2, "k", "ns", "1", FRESH(), ["gen"])).toBe(false);
    const t3 = s.ticket();
    s.invalidate("other");
    expect(s.offer(t3, "k", "ns", "1", FRESH(), ["gen"])).toBe(true);
  });

  it("refuses a reply exactly when its key or a dependency was invalidated after its ticket", () => {
    const keys = ["a", "b", "gen", "tag"];
    const op = fc.oneof(
      fc.record({ read: fc.constantFrom("a", "b"), deps: fc.subarray(["gen", "tag"]) }),
      fc.record({ invalidate: fc.constantFrom(...keys) }),
      fc.record({ offer: fc.nat(20) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const s = usableStore(1_000_000, 60_000);
        const reads: { ticket: number; key: string; deps: string[]; changed: Set<string> }[] = [];
        for (const o of ops) {
          if ("read" in o) reads.push({ ticket: s.ticket(), key: o.read, deps: o.deps, changed: new Set() });
          else if ("invalidate" in o) {
            for (const r of reads) r.changed.add(o.invalidate);
            s.invalidate(o.invalidate);
          } else if (reads.length > 0) {
            const [r] = reads.splice(o.offer % reads.length, 1);
            const stale = [r.key, ...r.deps].some((k) => r.changed.has(k));
            expect(s.offer(r.ticket, r.key, "ns", "1", FRESH(), r.deps)).toBe(!stale);
          }
        }
      }),
    );
  });

  it("remembers invalidations across one rotation, and refuses reads older than that", async () => {
    const s = usableStore(1_000_000, 20);
    const early = s.ticket();
    s.invalidate("k");
    await new Promise((r) => setTimeout(r, 30));
    s.invalidate("x"); // rotates: "k" moves to the older map
    expect(s.offer(early, "k", "ns", "1", FRESH(), [])).toBe(false);
    const mid = s.ticket();
    await new Promise((r) => setTimeout(r, 30));
    s.invalidate("y"); // rotates again
    await new Promise((r) => setTimeout(r, 30));
    s.invalidate("z"); // and again: `mid` is now older than anything remembered
    expect(s.offer(mid, "unrelated", "ns", "1", FRESH(), [])).toBe(false);
    expect(s.offer(s.ticket(), "unrelated", "ns", "1", FRESH(), [])).toBe(true);
  });

  it("drops every copy that depends on an invalidated key", () => {
    const s = usableStore();
    s.offer(s.ticket(), "a", "ns", "1", FRESH(), ["gen", "tag:x"]);
    s.offer(s.ticket(), "b", "ns", "2", FRESH(), ["gen"]);
    s.offer(s.ticket(), "c", "other", "3", FRESH(), ["gen2"]);
    s.invalidate("tag:x");
    expect([s.has("a"), s.has("b"), s.has("c")]).toEqual([false, true, true]);
    s.invalidate("gen");
    expect([s.has("b"), s.has("c")]).toEqual([false, true]);
    expect(s.state().namespaces).toEqual({ other: { bytes: expect.any(Number), entries: 1 } });
  });

  it("stays within its byte budget, least recently used first out", () => {
    const s = usableStore(4000);
    for (let i = 0; i < 50; i++) {
      s.offer(s.ticket(), `k${i}`, "ns", JSON.stringify("x".repeat(100)), FRESH(), ["gen"]);
      s.lookup("k0"); // k0 stays in use
      expect(s.state().bytes).toBeLessThanOrEqual(4000);
    }
    expect(s.has("k0")).toBe(true);
    expect(s.has("k1")).toBe(false);
    expect(s.has("k49")).toBe(true);
    expect(s.offer(s.ticket(), "huge", "ns", JSON.stringify("y".repeat(1000)), FRESH(), [])).toBe(false);
  });

  it("keeps and serves nothing without tracking; losing it empties the store and refuses reads in flight", () => {
    const s = new NearStore(1_000_000);
    expect(s.ticket()).toBe(-1);
    expect(s.offer(0, "k", "ns", "1", FRESH(), [])).toBe(false);
    s.setUsable(true);
    s.offer(s.ticket(), "k", "ns", "1", FRESH(), []);
    const inFlight = s.ticket();
    s.setUsable(false);
    expect(s.lookup("k")).toBeUndefined();
    expect(s.state()).toMatchObject({ bytes: 0, entries: 0, usable: false });
    s.setUsable(true);
    expect(s.offer(inFlight, "k", "ns", "1", FRESH(), [])).toBe(false);
    s.invalidateAll(); // a FLUSHALL
    expect(s.state().entries).toBe(0);
  });
});

describe("copies of kept values", () => {
  it("cloneJson gives what JSON.parse would, sharing no object with its source", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const parsed = JSON.parse(JSON.stringify(v)); // what the cache holds: JSON.parse output
        const copy = cloneJson(parsed);
        expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
        if (parsed !== null && typeof parsed === "object") expect(copy).not.toBe(parsed);
      }),
    );
    const holder = { list: [{ a: 1 }] };
    const copy = cloneJson(holder);
    copy.list[0].a = 2;
    expect(holder.list[0].a).toBe(1);
  });

  it('cloneJson keeps a "__proto__" key an own property, as JSON.parse does', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"b":1}');
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(["__proto__", "b"]);
    expect(copy.polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
  });

  it("deepFreeze freezes every level", () => {
    const v = deepFreeze(JSON.parse('{"a":{"b":[1,{"c":2}]}}'));
    expect(Object.isFrozen(v.a.b[1])).toBe(true);
    expect(() => {
      v.a.b[1].c = 3;
    }).toThrow(TypeError);
  });
});
