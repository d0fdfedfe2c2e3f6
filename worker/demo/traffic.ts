/**
 * The demo's users: DEMO_CACHE_RPS requests a second against the cached lookups, mostly reads
 * of a few popular users, documents and jobs (a long tail misses), and DEMO_UPDATE_RATIO of
 * writes that invalidate entries. It starts by warming the hottest entries, as a deploy would. Keeps counts so the demo can log its own hit estimate.
 */
import type { Lookups } from "./lookups.ts";
import { between, pick, popular, weighted } from "./rand.ts";
import type { DemoSettings } from "./settings.ts";

const QUESTIONS = ["pricing", "churn last quarter", "the security review", "the migration plan"];

export interface TrafficCounts {
  requests: number;
  updates: number;
  errors: number;
  totalMs: number;
}

export function startTraffic(lookups: Lookups, s: DemoSettings, onError: (err: unknown) => void) {
  const counts: TrafficCounts = { requests: 0, updates: 0, errors: 0, totalMs: 0 };
  const n = s.DEMO_ENTITIES;
  const reads = {
    currentUser: () => lookups.currentUser(popular(n)),
    jobStatus: () => lookups.jobStatus(popular(n)),
    documentSummary: () => lookups.documentSummary(popular(n)),
    transcription: () => lookups.transcription(popular(n)),
    chat: () => lookups.chat(popular(n), pick(QUESTIONS)),
    jobGraph: () => lookups.jobGraph(popular(n)),
  };
  const writes = {
    // Any record may change, not only the popular ones.
    document: () => lookups.documentChanged(between(1, n)),
    jobStatus: () => lookups.jobStatusChanged(between(1, n), "processing", 50),
    role: () => lookups.roleChanged(between(1, n)),
  };

  async function one() {
    const started = Date.now();
    try {
      if (Math.random() < s.DEMO_UPDATE_RATIO) {
        counts.updates++;
        await writes[weighted({ document: 6, jobStatus: 3, role: 1 })]();
      } else {
        await reads[
          weighted({
            currentUser: 45,
            jobStatus: 10,
            documentSummary: 22,
            transcription: 8,
            chat: 5,
            jobGraph: 10,
          })
        ]();
      }
    } catch (err) {
      counts.errors++;
      onError(err);
    } finally {
      counts.requests++;
      counts.totalMs += Date.now() - started;
    }
  }

  // A tick every 100 ms fires its share of requests; fractional rates carry over.
  let owed = 0;
  const timer = setInterval(() => {
    owed += s.DEMO_CACHE_RPS / 10;
    while (owed >= 1) {
      owed--;
      void one();
    }
  }, 100);
  return { counts, stop: () => clearInterval(timer) };
}
