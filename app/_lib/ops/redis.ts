import { getRedis } from "#lib/redis/connection.ts";

/** The console's Redis connection: fails fast so a request while Redis is down answers 503. */
export const consoleRedis = () => getRedis("console", { failFast: true });
