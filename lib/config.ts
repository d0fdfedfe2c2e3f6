/**
 * Every setting Requeue reads from the environment, parsed once with zod.
 *
 * Names and defaults come from the seed document the project grew from (README "Configuration"). A bad value stops
 * start-up with a message that names the variable, the value and what was expected, e.g.
 * `MAX_RETRY_ATTEMPTS must be an integer >= 0, got "three"`. A secret's value is never quoted (its
 * length is), and a REDIS_URL is quoted with its password replaced by "***".
 */
import { z } from "zod";
import { hiddenValue, redactUrl, secretWeakness } from "./config-secrets.ts";
import { RequeueError } from "./errors.ts";

type Env = Record<string, string | undefined>;

/** A variable: its default (as the string a user would write) and what it must be. */
interface VarSpec<T> {
  default: string | undefined;
  expected: string;
  schema: z.ZodType<T>;
  /** How a bad value is quoted in the error; secrets are never echoed (lib/config-secrets.ts). */
  show?: (value: string) => string;
}

const intSchema = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const numSchema = (min: number, max = Number.MAX_VALUE) =>
  z
    .string()
    .trim()
    .regex(/^-?(\d+\.?\d*|\.\d+)$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max));

/** A variable with a default: its type has no `undefined`. */
function d<T>(def: string | number | boolean, v: VarSpec<T>): VarSpec<T> & { default: string } {
  return { ...v, default: String(def) };
}

function int(min: number, max?: number): VarSpec<number> {
  const range = max === undefined ? `>= ${min}` : `between ${min} and ${max}`;
  return { default: undefined, expected: `an integer ${range}`, schema: intSchema(min, max) };
}

function num(min: number, max?: number): VarSpec<number> {
  const range = max === undefined ? `>= ${min}` : `between ${min} and ${max}`;
  return { default: undefined, expected: `a number ${range}`, schema: numSchema(min, max) };
}

function bool(): VarSpec<boolean> {
  return {
    default: undefined,
    expected: "true or false",
    schema: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(["true", "false", "1", "0", "yes", "no"]))
      .transform((v) => v === "true" || v === "1" || v === "yes"),
  };
}

function str(): VarSpec<string> {
  return { default: undefined, expected: "a string", schema: z.string() };
}

function url(protocols: string[]): VarSpec<string> {
  return {
    default: undefined,
    expected: `a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`,
    schema: z
      .string()
      .trim()
      .refine((v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }),
  };
}

/** "host:port,host:port" → [{host, port}] */
function hostList(): VarSpec<{ host: string; port: number }[]> {
  return {
    default: undefined,
    expected: 'a comma-separated list of host:port, e.g. "10.0.0.1:26379,10.0.0.2:26379"',
    schema: z
      .string()
      .trim()
      .regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/)
      .transform((v) =>
        v.split(",").map((hp) => {
          const i = hp.lastIndexOf(":");
          return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
        }),
      ),
  };
}

/** A secret: never echoed; when `strength` is given, a weak one is refused (say how to make one). */
function secret(strength?: { minLength: number; kind: string; howTo: string }): VarSpec<string> {
  if (!strength) return { ...str(), show: hiddenValue };
  const { minLength, kind, howTo } = strength;
  return {
    default: undefined,
    expected: `${kind} of at least ${minLength} characters that is not a placeholder (make one with: ${howTo})`,
    schema: z.string().refine((v) => secretWeakness(v, minLength) === undefined),
    show: (v) => `${hiddenValue(v)}: ${secretWeakness(v, minLength)}`,
  };
}

function list(): VarSpec<string[]> {
  return {
    default: undefined,
    expected: "a comma-separated list",
    schema: z.string().transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  };
}

function enumOf<const T extends readonly [string, ...string[]]>(values: T): VarSpec<T[number]> {
  return { default: undefined, expected: `one of ${values.join(", ")}`, schema: z.enum(values) };
}

/** The catalogue: one line per variable. `.env.example` documents each of them. */
const spec = {
  // Redis connection
  REDIS_URL: d("redis://127.0.0.1:6379", {
    ...url(["redis:", "rediss:"]),
    show: (v) => JSON.stringify(redactUrl(v)),
  }),
  REDIS_SENTINELS: hostList(),
  REDIS_SENTINEL_NAME: d("mymaster", str()),
  REDIS_CLUSTER_NODES: hostList(),
  REDIS_KEY_PREFIX: d("rq", {
    default: undefined,
    expected: "letters, digits, '-' or '_' (1-32 characters)",
    schema: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  }),
  REDIS_CONNECT_TIMEOUT_MS: d(5000, int(100)),
  REDIS_TLS_CA_FILE: str(),
  REDIS_TLS_INSECURE: d(false, bool()),
  // npm start only (scripts/start.ts, lib/redis/local.ts): unset = 127.0.0.1:6379 if it answers, else the
  // embedded one; true = always the embedded one; false = never
  REDIS_EMBEDDED: bool(),
  REDIS_EMBEDDED_PORT: d(6380, int(1, 65535)),
  REQUEUE_DATA_DIR: d(".data", str()),

  // Queue and dead letters (seed defaults)
  MAX_RETRY_ATTEMPTS: d(3, int(0, 1000)),
  RETRY_BACKOFF_BASE_SECONDS: d(60, num(0)),
  RETRY_BACKOFF_MAX_SECONDS: d(3600, num(0)),
  DLQ_RETENTION_DAYS: d(7, num(0)),
  DLQ_MAX_ENTRIES: d(0, int(0)),
  JOB_MAX_PAYLOAD_BYTES: d(512 * 1024, int(1)),
  JOB_ADD_REPLICAS: d(0, int(0, 16)),
  JOB_ADD_REPLICAS_TIMEOUT_MS: d(1000, int(1, 60_000)),
  // add() rejects with ADD_TIMEOUT when Redis has not answered in this long (0 = no bound)
  JOB_ADD_TIMEOUT_MS: d(5000, int(0, 600_000)),
  JOB_LEASE_SECONDS: d(30, num(1)),
  JOB_TIMEOUT_SECONDS: d(300, num(0)),
  COMPLETED_RETENTION_SECONDS: d(3600, num(0)),
  COMPLETED_MAX_ENTRIES: d(10000, int(0)),
  // keep a completed job's payload and metadata in its record, so it can be requeued
  COMPLETED_KEEP_PAYLOAD: d(false, bool()),
  ERROR_MESSAGE_MAX_LENGTH: d(2000, int(100, 8000)), // redaction reads 8192 characters (lib/queue/outcome.ts)
  // job.log() / job.progress() from handlers (lib/queue/reports.ts): lines kept per job, bytes per line and of progress
  JOB_LOG_MAX_LINES: d(100, int(0, 1000)),
  JOB_LOG_MAX_LINE_BYTES: d(1024, int(64, 8000)),
  JOB_PROGRESS_MAX_BYTES: d(1024, int(64, 8000)),
  WORKER_INTERVAL_MS: d(1000, int(50)),

  // Cache (seed defaults)
  CACHE_ENABLED: d(true, bool()),
  CACHE_DEFAULT_TTL: d(300, int(1)),
  CACHE_USER_TTL: d(900, int(1)),
  CACHE_JOB_STATUS_TTL: d(5, int(1)),
  CACHE_DOCUMENT_TTL: d(3600, int(1)),
  CACHE_VECTOR_SEARCH_TTL: d(1800, int(1)),
  CACHE_GRAPH_TTL: d(600, int(1)),
  CACHE_TIMEOUT_MS: d(50, int(1)),
  CACHE_COMPRESS_THRESHOLD_BYTES: d(8192, int(0)),
  CACHE_SECRET_FIELDS: d(
    "password,passwd,token,secret,apiKey,api_key,accessToken,refreshToken,privateKey",
    list(),
  ),
  CACHE_STALE_GRACE_SECONDS: d(0, int(0)),
  CACHE_LOCK_MS: d(2000, int(1)),
  CACHE_LOCK_WAIT_MS: d(200, int(0)),
  CACHE_BREAKER_FAILURES: d(5, int(1)),
  CACHE_BREAKER_RESET_MS: d(10_000, int(1)),
  CACHE_STATS_FLUSH_MS: d(1000, int(10)),
  CACHE_SAMPLE_KEYS: d(50, int(1, 10_000)),
  // Near cache (L1 in process memory, invalidated by Redis client tracking): off unless asked for
  CACHE_NEAR_ENABLED: d(false, bool()),
  CACHE_NEAR_MAX_BYTES: d(64 * 1024 * 1024, int(1024)),

  // Alert thresholds (seed defaults)
  ALERT_DLQ_SIZE: d(50, int(0)),
  ALERT_RETRY_SUCCESS_RATE: d(0.9, num(0, 1)),
  ALERT_AVG_RETRIES: d(2, num(0)),
  ALERT_DLQ_OLDEST_HOURS: d(24, num(0)),
  ALERT_CACHE_HIT_RATE: d(0.7, num(0, 1)),
  ALERT_REDIS_MEMORY: d(0.8, num(0, 1)),
  ALERT_EVICTION_RATE: d(0.05, num(0, 1)),
  ALERT_CACHE_LATENCY_MS: d(5, num(0)),
  ALERT_QUEUE_LATENCY_SECONDS: d(300, num(0)),
  ALERT_DLQ_NEAR_CAP: d(0.8, num(0, 1)),
  ALERT_WEBHOOK_URL: { ...url(["http:", "https:"]), show: hiddenValue }, // its path is often the token
  ALERT_WINDOW_MINUTES: d(15, int(1, 1440)),
  ALERT_WEBHOOK_TIMEOUT_MS: d(5000, int(100, 60000)),
  ALERT_EVALUATE_INTERVAL_MS: d(15000, int(100)),

  // Console and access
  PORT: d(3000, int(1, 65535)),
  HOST: d("127.0.0.1", str()),
  NEXTAUTH_URL: url(["http:", "https:"]),
  NEXTAUTH_SECRET: secret({ minLength: 32, kind: "a random string", howTo: "openssl rand -base64 32" }),
  ADMIN_EMAIL: str(),
  ADMIN_PASSWORD: secret({ minLength: 12, kind: "a password", howTo: "openssl rand -base64 18" }),
  SESSION_MAX_AGE_SECONDS: d(8 * 3600, int(60)),
  OIDC_ISSUER: url(["http:", "https:"]),
  OIDC_CLIENT_ID: str(),
  OIDC_CLIENT_SECRET: secret(),
  /** Fields masked for viewers (lib/auth/mask.ts); the secret names too, so a token in a payload is hidden. */
  MASK_FIELDS: d(
    "email,ssn,card,cardNumber,phone,password,passwd,secret,token,apiKey,api_key,accessToken,refreshToken,privateKey,authorization,cookie,credential",
    list(),
  ),
  /** Failed sign-ins allowed per account, then per client IP, within SIGNIN_WINDOW_SECONDS. */
  SIGNIN_MAX_FAILURES_PER_ACCOUNT: d(5, int(1)),
  SIGNIN_MAX_FAILURES_PER_IP: d(50, int(1)),
  SIGNIN_WINDOW_SECONDS: d(900, int(1)),
  /** Reverse proxies in front of the console whose X-Forwarded-For is believed (0: none, the socket counts). */
  TRUST_PROXY_HOPS: d(0, int(0, 10)),
  /** The audit log keeps about this many newest entries (Redis stream, MAXLEN ~). */
  AUDIT_MAX_ENTRIES: d(100000, int(100)),
  /** Failed sign-ins and refused requests go to their own log, capped at about this many entries. */
  AUDIT_REFUSED_MAX_ENTRIES: d(10000, int(100)),
  /** Bounded work per console/API request: entries one read may scan (groups: 1,000 or this). */
  API_SCAN_LIMIT: d(10_000, int(100, 10_000_000)),
  /** Largest request body a route handler or server action accepts (bytes); more answers 413. */
  API_BODY_MAX_BYTES: d(1024 * 1024, int(1024)),
  /** Background bulk requeue/delete operations that may run at once (all console processes). */
  BULK_MAX_RUNNING: d(4, int(1, 1000)),
  // a canary redrive waits at most this long for its first jobs' outcome, then stops undecided
  DLQ_CANARY_TIMEOUT_SECONDS: d(300, int(1, 86_400)),
  LOG_LEVEL: d("info", enumOf(["debug", "info", "warn", "error"] as const)),
} satisfies Record<string, VarSpec<unknown>>;

type Spec = typeof spec;
type Value<S> = S extends VarSpec<infer T> ? (S extends { default: string } ? T : T | undefined) : never;
export type Config = { [K in keyof Spec]: Value<Spec[K]> };
export type ConfigKey = keyof Spec;

export const configSpec: Readonly<Record<ConfigKey, { default?: string; expected: string }>> = spec;

/** True for a setting whose value is never shown as it is (a secret, a URL with a password). */
export const maskedSetting = (key: ConfigKey): boolean => (spec[key] as VarSpec<unknown>).show !== undefined;

/** A setting's value as it may be shown: a secret by its length only, REDIS_URL with its password as ***. */
export function shownSetting(key: ConfigKey, raw: string): string {
  if (!maskedSetting(key)) return raw;
  return key === "REDIS_URL" ? redactUrl(raw) : hiddenValue(raw);
}

export class ConfigError extends RequeueError<"CONFIG_INVALID"> {
  constructor(readonly problems: string[]) {
    super("CONFIG_INVALID", `Invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** Parses an environment. Throws ConfigError listing every bad variable, not only the first. */
export function parseConfig(env: Env = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, v] of Object.entries(spec) as [string, VarSpec<unknown>][]) {
    const raw = env[name] === "" ? undefined : env[name];
    const input = raw ?? v.default;
    if (input === undefined) {
      out[name] = undefined;
      continue;
    }
    const result = v.schema.safeParse(input);
    if (result.success) out[name] = result.data;
    else
      problems.push(`${name} must be ${v.expected}, got ${v.show ? v.show(input) : JSON.stringify(input)}`);
  }
  if (out.REDIS_SENTINELS && out.REDIS_CLUSTER_NODES) {
    problems.push("REDIS_SENTINELS and REDIS_CLUSTER_NODES must not both be set: choose Sentinel or Cluster");
  }
  if (
    typeof out.API_BODY_MAX_BYTES === "number" &&
    typeof out.JOB_MAX_PAYLOAD_BYTES === "number" &&
    out.API_BODY_MAX_BYTES < out.JOB_MAX_PAYLOAD_BYTES + 1024
  ) {
    // Edit & requeue sends a whole payload in one body: a smaller limit could never accept the largest.
    problems.push("API_BODY_MAX_BYTES must be at least JOB_MAX_PAYLOAD_BYTES + 1024");
  }
  if (problems.length) throw new ConfigError(problems);
  return out as Config;
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function getConfig(): Config {
  cached ??= parseConfig();
  return cached;
}

/** For tests: use this configuration (e.g. a private key prefix) instead of the environment's. */
export function setConfig(config: Config): void {
  cached = config;
}

/** For tests and tools that change the environment: forget the parsed configuration. */
export function resetConfig(): void {
  cached = undefined;
}
