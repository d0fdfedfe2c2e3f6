/** Settings shared by the e2e server (e2e/serve.ts) and the tests. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Config, parseConfig } from "../lib/config.ts";
import { createRedis, type RedisClient } from "../lib/redis/connection.ts";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3107);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_STATE_FILE = join(process.cwd(), ".data", "e2e", "state.json");

export const E2E_ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password-1" };
export const E2E_VIEWER = { email: "viewer@e2e.test", password: "e2e-viewer-password-1" };
export const E2E_SECRET = "e2e-nextauth-secret-0123456789abcdef";
/** The console's client at the e2e OpenID Provider (e2e/helpers/oidc-idp.ts). */
export const E2E_OIDC = { clientId: "requeue-console", clientSecret: "e2e-oidc-client-secret-0123456789" };

export interface E2EState {
  redisUrl: string;
  redisPort: number;
  redisDir: string;
  /** pids of every redis-server (one, or each node of the cluster) */
  redisPids: number[];
  /** with E2E_CLUSTER=1: the cluster's nodes, as REDIS_CLUSTER_NODES */
  clusterNodes?: string;
  workerPid?: number;
  /** the OpenID Provider the console trusts for single sign-on */
  oidcIssuer: string;
}

/** What e2e/serve.ts wrote: the isolated redis-server (or cluster) the app under test uses. */
export function e2eState(): E2EState {
  return JSON.parse(readFileSync(E2E_STATE_FILE, "utf8"));
}

/** The configuration of the app under test (its Redis, server or cluster), with overrides. */
export function e2eConfig(overrides: Record<string, string> = {}): Config {
  const { redisUrl, clusterNodes } = e2eState();
  return parseConfig({ REDIS_URL: redisUrl, REDIS_CLUSTER_NODES: clusterNodes, ...overrides });
}

/** A client for the app's Redis; the caller closes it with `.quit()`. */
export function e2eClient(): RedisClient {
  return createRedis(e2eConfig());
}
