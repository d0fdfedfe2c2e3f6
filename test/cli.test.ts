/**
 * The CLI as an operator meets it: help everywhere, bad arguments (exit 2 with a message),
 * Redis unreachable (a clear message and exit 4, quickly), users and API tokens.
 * Each test runs the real `bin/requeue.mjs` as a child process against the suite's redis-server.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { verifyToken } from "../lib/auth/tokens.ts";
import { getUser, getUserSession, verifyPassword } from "../lib/auth/users.ts";
import { createRedisFromUrl } from "../lib/redis/connection.ts";
import { json, runCli } from "./harness/cli.ts";
import { freePort } from "./harness/index.ts";

const prefix = `cli${Math.random().toString(36).slice(2, 8)}`;
const env = () => ({ REDIS_URL: inject("redisUrl"), REDIS_KEY_PREFIX: prefix });

describe("help", () => {
  it("lists every command and the exit codes", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of [
      "enqueue",
      "dlq list",
      "dlq show",
      "dlq requeue",
      "dlq delete",
      "queues pause",
      "queues resume",
      "stats",
      "config",
      "users add",
      "tokens create",
      "tokens revoke",
    ]) {
      expect(r.stdout).toContain(c);
    }
    expect(r.stdout).toMatch(/4 Redis unreachable/);
  });

  it.concurrent.for([
    ["enqueue"],
    ["dlq", "list"],
    ["dlq", "show"],
    ["dlq", "requeue"],
    ["dlq", "delete"],
    ["dlq", "groups"],
    ["queues", "pause"],
    ["queues", "resume"],
    ["stats"],
    ["config"],
    ["users", "add"],
    ["users", "list"],
    ["users", "sign-out"],
    ["tokens", "create"],
    ["tokens", "revoke"],
    ["tokens", "list"],
  ] as string[][])(
    "requeue %s %s --help shows usage and options without touching Redis",
    async (cmd, { expect }) => {
      const r = await runCli([...cmd, "--help"], { env: { REDIS_URL: "redis://127.0.0.1:1" } });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: requeue ${cmd.join(" ")}`);
      expect(r.stdout).toContain("--json");
    },
  );

  it("a group without a subcommand lists its subcommands (exit 2); `dlq --help` exits 0", async () => {
    const bare = await runCli(["dlq"]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("requeue dlq");
    const help = await runCli(["dlq", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/requeue\s+put dead letters back/);
  });
});

describe("bad arguments: exit 2 and a message that says what is wrong", () => {
  it.concurrent.for([
    [["frobnicate"], /unknown command "frobnicate"/],
    [["dlq", "purge-everything"], /unknown subcommand "dlq purge-everything"/],
    [["dlq", "list", "--bogus"], /Unknown option '--bogus'/],
    [["dlq", "list", "--limit", "lots"], /--limit must be an integer between 1 and 200, got "lots"/],
    [["dlq", "list", "--limit", "0"], /--limit must be an integer between 1 and 200/],
    [["dlq", "list", "--from", "yesterday-ish"], /--from must be an ISO time/],
    [["dlq", "list", "--from", "1h", "--to", "2h"], /--from must be before --to/],
    [["dlq", "list", "--queue", "bad{queue}"], /--queue must be letters, digits/],
    [["dlq", "show", "documents"], /missing arguments/],
    [["dlq", "requeue"], /say what to requeue/],
    [["dlq", "requeue", "documents"], /give both <queue> and <id>/],
    [["dlq", "requeue", "documents", "x", "--all"], /not both/],
    [["dlq", "requeue", "--all", "--rate", "fast"], /--rate must be an integer between 1 and 1000000/],
    [["dlq", "requeue", "--all", "--canary", "0"], /--canary must be an integer between 1 and 1000/],
    [
      ["dlq", "requeue", "--all", "--canary", "5", "--canary-min-success", "90"],
      /--canary-min-success must be a ratio between 0 and 1/,
    ],
    [["dlq", "requeue", "--all", "--canary-min-success", "0.5"], /need --canary <n>/],
    [["dlq", "requeue", "documents", "x", "--canary", "5"], /--canary applies to --group and --all/],
    [["dlq", "delete", "--group", "not a fingerprint!"], /--group must be an error fingerprint/],
    [["enqueue"], /missing arguments/],
    [["enqueue", "documents", "{not json"], /payload \(argument\) is not valid JSON/],
    [["enqueue", "documents", "{}", "--delay", "soon"], /--delay must be a duration/],
    [
      ["enqueue", "documents", "{}", "--max-attempts", "0"],
      /--max-attempts must be an integer between 1 and 1000/,
    ],
    [["enqueue", "no spaces allowed", "{}"], /queue must be letters/],
    [["stats", "extra"], /unexpected argument "extra"/],
    [
      ["users", "add", "not-an-email", "--role", "admin", "--password", "long-enough-1"],
      /email must be an email address/,
    ],
    [
      ["users", "add", "a@b.test", "--role", "root", "--password", "long-enough-1"],
      /--role must be admin or viewer, got "root"/,
    ],
    [["users", "add", "a@b.test", "--password", "long-enough-1"], /--role is required/],
    [["users", "add", "a@b.test", "--role", "viewer", "--password", "short"], /at least 8 characters/],
    [["tokens", "create", "ci", "--role", "superuser"], /--role must be admin, viewer or producer/],
    [["tokens", "create", "bad\nname", "--role", "viewer"], /token name must be/],
    [
      ["tokens", "create", "ci", "--role", "viewer", "--expires-in", "soon"],
      /--expires-in must be a duration/,
    ],
    [["tokens", "create", "ci", "--role", "viewer", "--expires-in", "3651d"], /--expires-in must be between/],
  ] as [string[], RegExp][])("requeue %j", async ([args, message], { expect }) => {
    const r = await runCli(args, { env: env() });
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });

  it("with --json the error is JSON on stderr", async () => {
    const r = await runCli(["dlq", "list", "--limit", "x", "--json"], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(JSON.parse(r.stderr)).toEqual({
      error: { code: "bad_arguments", message: expect.stringContaining("--limit") },
    });
  });

  it("a bad environment variable is a usage error naming it", async () => {
    const r = await runCli(["stats"], { env: { ...env(), REDIS_URL: "http://nope" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/REDIS_URL must be a URL starting with redis:\/\//);
  });
});

describe("Redis unreachable: a clear message and exit 4, within seconds", () => {
  let port = 0;
  let down: Record<string, string> = {};
  beforeAll(async () => {
    port = await freePort(); // nothing listens there
    down = { REDIS_URL: `redis://:s3cret-pw@127.0.0.1:${port}`, REDIS_KEY_PREFIX: prefix };
  });
  it.for([
    [["stats"]],
    [["dlq", "list"]],
    [["dlq", "show", "documents", "j1"]],
    [["dlq", "requeue", "--all"]],
    [["dlq", "delete", "documents", "j1"]],
    [["enqueue", "documents", "{}"]],
    [["users", "add", "x@y.test", "--role", "viewer", "--password", "long-enough-1"]],
    [["tokens", "create", "ci", "--role", "viewer"]],
    [["tokens", "revoke", "ci"]],
  ] as [string[]][])("requeue %j", async ([args], { expect }) => {
    const r = await runCli(args, { env: down });
    expect(r.stderr).toContain(`cannot reach Redis at redis://:***@127.0.0.1:${port}: connection refused`);
    expect(r.stderr).not.toContain("s3cret-pw");
    expect(r.code).toBe(4);
    // a fail-fast client: no reconnect loop (a busy CI machine needs ~1-3 s to start node)
    expect(r.ms).toBeLessThan(15_000);
  });

  it("--redis-url overrides the environment; --json reports the error as JSON", async () => {
    const r = await runCli(["stats", "--json", "--redis-url", `redis://127.0.0.1:${port}`], { env: env() });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stderr).error).toEqual({
      code: "redis_unreachable",
      message: expect.stringContaining("connection refused"),
    });
  });
});

describe("users add", () => {
  it("creates a user with the password from --password-stdin, never printing it", async () => {
    const r = await runCli(["users", "add", "Ops@Example.test", "--role", "viewer", "--password-stdin"], {
      env: env(),
      input: "correct-horse-battery\n",
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("created viewer ops@example.test");
    expect(r.stdout + r.stderr).not.toContain("correct-horse");
    const redis = createRedisFromUrl(inject("redisUrl"));
    try {
      expect((await getUser(redis, "ops@example.test", { prefix }))?.role).toBe("viewer");
      expect(
        await verifyPassword(redis, "ops@example.test", "correct-horse-battery", { prefix }),
      ).not.toBeNull();
    } finally {
      redis.disconnect();
    }
  });

  it("reads the password from a pipe without an option; --json; a second add of the same email fails (exit 1); users list shows it", async () => {
    const first = await runCli(["users", "add", "admin2@example.test", "--role", "admin", "--json"], {
      env: env(),
      input: "piped-password-1\n",
    });
    expect(first.code).toBe(0);
    expect(json(first)).toEqual({ user: { email: "admin2@example.test", role: "admin" } });
    const again = await runCli(
      ["users", "add", "admin2@example.test", "--role", "admin", "--password", "another-pw-2"],
      { env: env() },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);

    const list = await runCli(["users", "list", "--json"], { env: env() });
    expect(list.code).toBe(0);
    expect(json<{ email: string; role: string }[]>(list)).toEqual(
      expect.arrayContaining([expect.objectContaining({ email: "admin2@example.test", role: "admin" })]),
    );
  });

  it("users sign-out ends every session of the user (a new session version); an unknown user → exit 3", async () => {
    const created = await runCli(["users", "add", "leaver@example.test", "--role", "viewer"], {
      env: env(),
      input: "leaver-password-1\n",
    });
    expect(created.code).toBe(0);
    const redis = createRedisFromUrl(inject("redisUrl"));
    try {
      const before = (await getUserSession(redis, "leaver@example.test", { prefix }))?.sessionVersion;
      const r = await runCli(["users", "sign-out", "leaver@example.test"], { env: env() });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("signed leaver@example.test out everywhere");
      const after = (await getUserSession(redis, "leaver@example.test", { prefix }))?.sessionVersion;
      expect(after).toBeTruthy();
      expect(after).not.toBe(before);
      const unknown = await runCli(["users", "sign-out", "nobody@example.test"], { env: env() });
      expect(unknown.code).toBe(3);
      expect(unknown.stderr).toMatch(/no user nobody@example.test/);
    } finally {
      redis.disconnect();
    }
  });
});

describe("tokens", () => {
  it("create prints the token once and it works; list never shows it; revoke by name; revoke again → exit 3", async () => {
    const created = await runCli(["tokens", "create", "ci deploys", "--role", "viewer", "--json"], {
      env: env(),
    });
    expect(created.code).toBe(0);
    const { token, id, role, name } = json<{ token: string; id: string; role: string; name: string }>(
      created,
    );
    expect({ role, name }).toEqual({ role: "viewer", name: "ci deploys" });
    const redis = createRedisFromUrl(inject("redisUrl"));
    try {
      expect((await verifyToken(redis, token, { prefix }))?.id).toBe(id);

      const human = await runCli(["tokens", "create", "nightly", "--role", "admin"], { env: env() });
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/rq_[a-f0-9]{12}_\S+/);
      expect(human.stdout).toContain("only time it is shown");

      const list = await runCli(["tokens", "list"], { env: env() });
      expect(list.code).toBe(0);
      expect(list.stdout).toContain("ci deploys");
      expect(list.stdout).not.toContain(token);

      const revoked = await runCli(["tokens", "revoke", "ci deploys"], { env: env() });
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toContain(`revoked token "ci deploys" (id ${id})`);
      expect(await verifyToken(redis, token, { prefix })).toBeNull();

      const again = await runCli(["tokens", "revoke", id], { env: env() });
      expect(again.code).toBe(3);
      expect(again.stderr).toMatch(/no API token with id or name/);
    } finally {
      redis.disconnect();
    }
  });

  it("create --expires-in gives the token a lifetime, shown on creation and in the list", async () => {
    const before = Date.now();
    const created = await runCli(
      ["tokens", "create", "month", "--role", "viewer", "--expires-in", "30d", "--json"],
      {
        env: env(),
      },
    );
    expect(created.code).toBe(0);
    const { token, expiresAt } = json<{ token: string; expiresAt: number }>(created);
    const month = 30 * 86_400_000;
    expect(expiresAt).toBeGreaterThanOrEqual(before + month);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + month);
    const redis = createRedisFromUrl(inject("redisUrl"));
    try {
      expect((await verifyToken(redis, token, { prefix }))?.expiresAt).toBe(expiresAt);
      const list = await runCli(["tokens", "list"], { env: env() });
      expect(list.stdout).toMatch(/EXPIRES/);
      expect(list.stdout).toContain(`expires ${new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z")}`);
      expect(list.stdout).toMatch(/nightly .*never expires/);
    } finally {
      redis.disconnect();
    }
  });
});
