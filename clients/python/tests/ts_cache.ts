/**
 * The TypeScript side of the Python cache tests on a Cluster (tests/test_cache_topologies.py):
 * lib/cache with its own connection from the environment (REDIS_CLUSTER_NODES, ...), as any
 * Requeue process makes it. Reads operations as JSON on stdin, prints their results as JSON:
 *
 *   {"op": "get", "namespace", "key"}                        → {"value", "hit"}
 *   {"op": "get_or_set", "namespace", "key", "value", "tags"} → {"value", "loaded"}
 *   {"op": "invalidate_tag", "tag"}                          → {"ok"}
 */
import { readFileSync } from "node:fs";
import { createCache } from "#lib/cache/index.ts";

type Op = { op: string; namespace?: string; key?: string; value?: unknown; tags?: string[]; tag?: string };

async function main(): Promise<void> {
  const ops = JSON.parse(readFileSync(0, "utf8")) as Op[];
  const cache = createCache({ stats: false });
  const out: Record<string, unknown>[] = [];
  try {
    if (!(await cache.ready(20_000))) throw new Error("the cache did not connect");
    for (const op of ops) {
      const ns = cache.namespace(op.namespace ?? "default");
      if (op.op === "get") {
        const value = await ns.get(op.key ?? "");
        out.push({ value: value ?? null, hit: value !== undefined });
      } else if (op.op === "get_or_set") {
        let loaded = false;
        const load = () => {
          loaded = true;
          return op.value;
        };
        const value = await ns.getOrSet(op.key ?? "", load, { tags: op.tags });
        out.push({ value, loaded });
      } else if (op.op === "invalidate_tag") {
        out.push({ ok: (await cache.invalidateTag(op.tag ?? "")).ok });
      } else {
        throw new Error(`unknown op ${op.op}`);
      }
    }
  } finally {
    await cache.close();
  }
  process.stdout.write(JSON.stringify(out));
}

await main();
