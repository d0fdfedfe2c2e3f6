/** The seed's cached calls: each is cached, and each invalidation makes exactly its dependents miss. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeedSources, seedCalls } from "./seed-calls.ts";
import { type TestCache, testCache } from "./test/helpers.ts";

let t: TestCache;
beforeAll(async () => {
  t = await testCache();
});
afterAll(() => t.close());

/** A fake application database whose reads are counted and whose data can change. */
function fakeSources() {
  const calls: Record<string, number> = {};
  const version: Record<string, number> = {};
  const read = (what: string, id: string) => {
    calls[what] = (calls[what] ?? 0) + 1;
    return `${what}:${id}:v${version[id] ?? 0}`;
  };
  const sources: SeedSources<string, string, string, string, string> = {
    currentUser: async (u) => read("user", u),
    jobStatus: async (j) => read("status", j),
    documentSummary: async (d) => read("summary", d),
    documentTranscription: async (d) => read("transcription", d),
    chatWithDocuments: async (u, docs, q) =>
      `${read("chat", u)}|${docs.map((d) => version[d] ?? 0).join(",")}|${q}`,
    jobGraph: async (j) => read("graph", j),
  };
  return { sources, calls, change: (id: string) => (version[id] = (version[id] ?? 0) + 1) };
}

describe("seed cached calls", () => {
  it("are cached and kept correct by their invalidations", async () => {
    const db = fakeSources();
    const s = seedCalls(t.cache, db.sources);
    for (let i = 0; i < 3; i++) {
      await s.currentUser("u1");
      await s.jobStatus("j1");
      await s.documentSummary("d1");
      await s.documentTranscription("d1");
      await s.chatWithDocuments("u1", ["d1", "d2"], "what is in it?");
      await s.jobGraph("j1");
    }
    expect(db.calls).toEqual({ user: 1, status: 1, summary: 1, transcription: 1, chat: 1, graph: 1 });

    db.change("d1");
    await s.invalidateDocument("d1");
    expect(await s.documentSummary("d1")).toBe("summary:d1:v1");
    expect(await s.documentTranscription("d1")).toBe("transcription:d1:v1");
    expect(await s.chatWithDocuments("u1", ["d2", "d1"], "what is in it?")).toContain("|1,0|");
    expect(db.calls.chat).toBe(2);

    db.change("j1");
    await s.invalidateJob("j1");
    expect(await s.jobStatus("j1")).toBe("status:j1:v1");
    expect(await s.jobGraph("j1")).toBe("graph:j1:v1");

    db.change("u1");
    await s.invalidateUser("u1");
    expect(await s.currentUser("u1")).toBe("user:u1:v1");
    expect(db.calls.user).toBe(2);
  });

  it("a chat answer is never shared between users", async () => {
    const db = fakeSources();
    const s = seedCalls(t.cache, db.sources);
    const a = await s.chatWithDocuments("alice", ["d9"], "q");
    const b = await s.chatWithDocuments("bob", ["d9"], "q");
    expect(a).toContain("chat:alice");
    expect(b).toContain("chat:bob");
  });
});
