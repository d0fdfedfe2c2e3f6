/**
 * `requeue tokens create | list | revoke`: API tokens for `Authorization: Bearer …`. A new
 * token is printed once, on creation; only its hash is stored. `--expires-in 30d` gives it a
 * lifetime, after which it gets 401 like a revoked one.
 */
import { type Command, str } from "../command.ts";
import { notFound, usageError } from "../errors.ts";
import { ago, iso, table } from "../output.ts";
import { durationMs, tokenRole as parseRole } from "../parse.ts";
import { openSession } from "../session.ts";

function tokenName(raw: string): string {
  const name = raw.trim();
  if (!/^[\w .:@-]{1,64}$/.test(name)) {
    throw usageError(
      `the token name must be 1-64 letters, digits, spaces or _ . : @ -, got ${JSON.stringify(raw)}`,
    );
  }
  return name;
}

const MAX_LIFETIME_MS = 3650 * 86_400_000;

function expiresIn(raw: string | undefined): number | undefined {
  const ms = durationMs(raw, "--expires-in");
  if (ms !== undefined && (ms < 60_000 || ms > MAX_LIFETIME_MS)) {
    throw usageError(`--expires-in must be between 1m and 3650d, got ${JSON.stringify(raw)}`);
  }
  return ms;
}

/** "never expires", "expires 2026-12-30T11:00:00Z", "EXPIRED 2026-11-01T08:00:00Z". */
function expiry(expiresAt: number | null): string {
  if (expiresAt === null) return "never expires";
  return `${expiresAt <= Date.now() ? "EXPIRED" : "expires"} ${iso(expiresAt)}`;
}

export const tokensCreate: Command = {
  name: "tokens create",
  summary: "create an API token (printed once)",
  usage: "requeue tokens create <name> --role admin|viewer|producer [--expires-in <duration>]",
  help: [
    [
      "--role admin|viewer|producer",
      "what the token may do (required); producer: only add jobs (POST /api/v1/queues/<queue>/jobs)",
    ],
    ["--expires-in <duration>", "lifetime, e.g. 12h, 30d, 365d (at most 3650d); default: never expires"],
  ],
  notes: ["Use it as: curl -H 'Authorization: Bearer <token>' http://localhost:3000/api/v1/queues"],
  options: { role: { type: "string" }, "expires-in": { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run(values, [nameArg], { out }) {
    const name = tokenName(nameArg);
    const role = parseRole(str(values.role));
    const expiresInMs = expiresIn(str(values["expires-in"]));
    const { backend } = await openSession(values);
    const { token, info } = await backend.createToken({ name, role, expiresInMs });
    out.result({ token, ...info }, () =>
      [
        `created ${info.role} token ${JSON.stringify(info.name)} (id ${info.id}), ${expiry(info.expiresAt ?? null)}`,
        "",
        `  ${token}`,
        "",
        "This is the only time it is shown: store it now.",
      ].join("\n"),
    );
  },
};

export const tokensList: Command = {
  name: "tokens list",
  summary: "list API tokens (never their values)",
  usage: "requeue tokens list",
  help: [],
  options: {},
  positionals: { min: 0, max: 0 },
  async run(values, _p, { out }) {
    const { backend } = await openSession(values);
    const tokens = await backend.listTokens();
    out.result(tokens, () =>
      tokens.length === 0
        ? "no API tokens"
        : table(tokens, [
            { title: "ID", value: (t) => t.id },
            { title: "NAME", value: (t) => t.name },
            { title: "ROLE", value: (t) => t.role },
            { title: "LAST USED", value: (t) => (t.lastUsedAt ? ago(t.lastUsedAt) : "never") },
            { title: "EXPIRES", value: (t) => expiry(t.expiresAt ?? null) },
          ]),
    );
  },
};

export const tokensRevoke: Command = {
  name: "tokens revoke",
  summary: "revoke an API token by id or name",
  usage: "requeue tokens revoke <id|name>",
  help: [],
  options: {},
  positionals: { min: 1, max: 1 },
  async run(values, [idOrName], { out }) {
    const { backend } = await openSession(values);
    const info = await backend.revokeToken(idOrName.trim());
    if (!info) throw notFound(`no API token with id or name ${JSON.stringify(idOrName)}`);
    out.result({ revoked: info }, () => `revoked token ${JSON.stringify(info.name)} (id ${info.id})`);
  },
};
