/**
 * `requeue config`: the configuration in effect for this shell — every setting's value and where
 * it came from (the environment, a .env file, the Redis `npm start` recorded, or the default),
 * with secrets hidden. It reads exactly what the worker and the console read; it never touches Redis.
 */
import { type ConfigKey, configSpec, maskedSetting, shownSetting } from "../../../lib/config.ts";
import type { Command } from "../command.ts";
import { table } from "../output.ts";
import { cliConfig, cliEnvironment } from "../redis.ts";

type Source = "environment" | ".env file" | "npm start" | "default";

export const config: Command = {
  name: "config",
  summary: "the settings in effect and where each came from (secrets hidden)",
  usage: "requeue config [--json]",
  help: [],
  notes: [
    "Sources: the environment wins over the .env files (.env.production.local, .env.local,",
    ".env.production, .env; the first file that sets a name wins); REDIS_URL unset means the Redis",
    "a running `npm start` recorded, else redis://127.0.0.1:6379. See .env.example.",
  ],
  options: {},
  positionals: { min: 0, max: 0 },
  async run(values, _p, { out }) {
    const env = cliEnvironment(values);
    const parsed = cliConfig(values) as Record<ConfigKey, unknown>;
    const rows: { name: ConfigKey; value: unknown; shown: string; source: Source }[] = [];
    for (const name of Object.keys(configSpec) as ConfigKey[]) {
      const raw = process.env[name] || undefined;
      const shownRaw = raw ?? configSpec[name].default;
      if (shownRaw === undefined) continue;
      const source: Source =
        raw === undefined
          ? "default"
          : name === "REDIS_URL" && env.redisFromStart
            ? "npm start"
            : env.fromFiles.includes(name)
              ? ".env file"
              : "environment";
      const shown = shownSetting(name, shownRaw);
      rows.push({ name, value: maskedSetting(name) ? shown : parsed[name], shown, source });
    }
    const data = {
      envFiles: env.files,
      settings: Object.fromEntries(rows.map((r) => [r.name, { value: r.value, source: r.source }])),
    };
    out.result(data, () => {
      const files = env.files.length ? `.env files read: ${env.files.join(", ")}` : "no .env file found";
      const list = table(rows, [
        { title: "SETTING", value: (r) => r.name },
        { title: "FROM", value: (r) => r.source },
        { title: "VALUE", value: (r) => r.shown },
      ]);
      return `${files}\n\n${list}`;
    });
  },
};
