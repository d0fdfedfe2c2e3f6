/**
 * `requeue stats`: what is in each queue now (ready, active, retry, dead), the DLQ in total
 * and its oldest entry, and each cache namespace's hit rate over a recent window.
 */
import { type Command, str } from "../command.ts";
import { ago, num, percent, table } from "../output.ts";
import { durationMs } from "../parse.ts";
import { openSession } from "../session.ts";

export const stats: Command = {
  name: "stats",
  summary: "queue sizes, dead letters and cache hit rates",
  usage: "requeue stats [--window <duration>]",
  help: [["--window <duration>", "cache hit rates over this last period (default 1h; 1m-7d)"]],
  options: { window: { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run(values, _p, { out }) {
    const windowMs = durationMs(str(values.window), "--window") ?? 3_600_000;
    const windowMinutes = Math.min(7 * 24 * 60, Math.max(1, Math.round(windowMs / 60_000)));
    const { backend } = await openSession(values);
    const [queues, cache] = await Promise.all([backend.queueStats(), backend.cacheStats(windowMinutes)]);
    const dead = queues.reduce((n, q) => n + q.dead, 0);
    const oldest = queues.map((q) => q.oldestDeadAt).filter((t): t is number => typeof t === "number");
    const hits = cache.reduce((n, c) => n + c.hits, 0);
    const misses = cache.reduce((n, c) => n + c.misses, 0);
    const data = {
      queues,
      dlq: { total: dead, oldestAt: oldest.length ? Math.min(...oldest) : null },
      cache: { windowMinutes, hitRate: hits + misses ? hits / (hits + misses) : null, namespaces: cache },
    };
    out.result(data, () => {
      const parts: string[] = [];
      parts.push(
        queues.length === 0
          ? "no queues yet"
          : table(queues, [
              { title: "QUEUE", value: (q) => (q.paused ? `${q.queue} (paused)` : q.queue) },
              { title: "READY", value: (q) => num(q.ready), align: "right" },
              { title: "ACTIVE", value: (q) => num(q.active), align: "right" },
              { title: "RETRY", value: (q) => num(q.retry), align: "right" },
              { title: "DEAD", value: (q) => num(q.dead), align: "right" },
            ]),
      );
      const oldestText = data.dlq.oldestAt ? `, oldest ${ago(data.dlq.oldestAt)}` : "";
      parts.push("", `dead letters: ${num(dead)}${oldestText}`, "");
      parts.push(
        cache.length === 0
          ? "cache: no calls recorded"
          : table(cache, [
              { title: `CACHE (last ${windowMinutes}m)`, value: (c) => c.namespace },
              { title: "HITS", value: (c) => num(c.hits), align: "right" },
              { title: "MISSES", value: (c) => num(c.misses), align: "right" },
              { title: "HIT RATE", value: (c) => percent(c.hitRate), align: "right" },
            ]),
      );
      if (cache.length) parts.push("", `overall hit rate: ${percent(data.cache.hitRate)}`);
      return parts.join("\n");
    });
  },
};
