/**
 * A second process for the invalidation tests: builds its own cache from the environment
 * (REDIS_URL / REDIS_CLUSTER_NODES, REDIS_KEY_PREFIX) and runs one action, then exits.
 *   tsx invalidate-child.ts tag <tag> | flush <namespace> | user <id>
 *     | set <namespace> <key> <json> | delete <namespace> <key>
 *     | raw <command> <key> [args…]   (a plain Redis command, as the CLI or another program would send)
 *     | script <key> <value>          (an EVAL that overwrites the key)
 */

import { Cache } from "../../lib/cache/cache.ts";
import { parseConfig } from "../../lib/config.ts";

const [action, arg, ...rest] = process.argv.slice(2);
const cache = new Cache({ config: parseConfig(process.env), stats: false });
// The cache's own client connects in the background; wait for it before the one action.
await cache.ready();
if (action === "tag") console.log(JSON.stringify(await cache.invalidateTag(arg)));
else if (action === "user") console.log(JSON.stringify(await cache.invalidateUser(arg)));
else if (action === "flush") await cache.flushNamespace(arg);
else if (action === "set") console.log(await cache.namespace(arg).set(rest[0], JSON.parse(rest[1])));
else if (action === "delete") console.log(await cache.namespace(arg).delete(rest[0]));
else if (action === "raw") console.log(await cache.client.call(arg, ...rest));
else if (action === "script")
  console.log(await cache.client.eval("return redis.call('SET', KEYS[1], ARGV[1])", 1, arg, rest[0]));
else throw new Error(`unknown action ${action}`);
await cache.close();
