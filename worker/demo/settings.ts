/**
 * The demo's knobs, from the environment (documented in docs/demo.md). Defaults are tuned so a
 * newcomer sees every console chart with data within a minute and the "DLQ size > 50" alert
 * fire after about three minutes. A bad value stops the demo with the variable's name.
 */
import { z } from "zod";

const num = (def: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max))
    .default(String(def) as never);

const schema = z.object({
  /** jobs added per second, over the four queues */
  DEMO_JOBS_PER_SECOND: num(4, 0, 1000),
  /** jobs added at start-up, so the charts and the DLQ fill at once */
  DEMO_BURST: num(40, 0, 100_000),
  /** cached lookups per second (current user, job status, summaries, …) */
  DEMO_CACHE_RPS: num(25, 0, 10_000),
  /** share of lookups that are updates, which invalidate cache entries */
  DEMO_UPDATE_RATIO: num(0.01, 0, 1),
  /** share of jobs whose dependency is flaky (timeouts, 503s; most succeed on a retry) */
  DEMO_TRANSIENT_RATE: num(0.2, 0, 1),
  /** share of jobs with invalid input (unrecoverable: straight to the DLQ) */
  DEMO_INVALID_RATE: num(0.05, 0, 1),
  /** share of jobs that are poison messages (fail on every attempt) */
  DEMO_POISON_RATE: num(0.02, 0, 1),
  /** simulated database latency in ms (a lookup that misses the cache pays it) */
  DEMO_DB_LATENCY_MS: num(60, 0, 10_000),
  /** how many users, documents and jobs the simulated application has */
  DEMO_ENTITIES: num(150, 10, 1_000_000),
  /** consumer concurrency per queue */
  DEMO_CONCURRENCY: num(4, 1, 1000),
  /** stop after this many seconds (0: run until stopped) */
  DEMO_DURATION_SECONDS: num(0, 0, 10_000_000),
  DEMO_VIEWER_EMAIL: z.string().trim().default("viewer@localhost"),
  DEMO_VIEWER_PASSWORD: z.string().optional(),
});

export type DemoSettings = z.infer<typeof schema>;

export function demoSettings(env: Record<string, string | undefined> = process.env): DemoSettings {
  const clean = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith("DEMO_") && v !== ""));
  const r = schema.safeParse(clean);
  if (r.success) return r.data;
  const problems = r.error.issues.map(
    (i) => `${i.path.join(".")}: ${i.message}, got ${JSON.stringify(clean[String(i.path[0])])}`,
  );
  throw new Error(`invalid demo settings:\n  ${problems.join("\n  ")}`);
}

/**
 * Settings the demo changes unless they are set: a 2 s backoff base so retries are
 * visible within a minute (the seed's 60 s is right for production, slow for a demo), and the
 * near cache (L1) on, so the cache page shows its share.
 */
export function applyDemoDefaults(env: NodeJS.ProcessEnv = process.env): void {
  env.RETRY_BACKOFF_BASE_SECONDS ||= "2";
  // the near cache on, for the namespaces that suit it: every built-in one but job_status (5 s TTL)
  env.CACHE_NEAR_ENABLED ||= "true";
}

export const QUEUES = ["documents", "audio", "video", "graph"] as const;
export type DemoQueue = (typeof QUEUES)[number];
