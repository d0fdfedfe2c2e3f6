/**
 * A second process for the invalidation tests: builds its own cache from the environment
 * (REDIS_URL / REDIS_CLUSTER_NODES, REDIS_KEY_PREFIX) and runs one action, then exits.
 *   tsx invalidate-child.ts tag <tag> | flush <namespace> | user <id>
 */

import { Cache } from "../../lib/cache/cache.ts";
import { parseConfig } from "../../lib/config.ts";

const [action, arg] = process.argv.slice(2);
const cache = new Cache({ config: parseConfig(process.env), stats: false });
// The cache's own client connects in the background; wait for it before the one action.
await cache.ready();
if (action === "tag") console.log(JSON.stringify(await cache.invalidateTag(arg)));
else if (action === "user") console.log(JSON.stringify(await cache.invalidateUser(arg)));
else if (action === "flush") await cache.flushNamespace(arg);
else throw new Error(`unknown action ${action}`);
await cache.close();
