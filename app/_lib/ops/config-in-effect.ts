/**
 * The configuration the console runs with, as the Settings page shows it: every setting that
 * has a value (the environment's, or the default), secrets hidden (lib/config.ts shownSetting:
 * a secret by its length only, REDIS_URL with its password as ***).
 */
import { type ConfigKey, configSpec, shownSetting } from "#lib/config.ts";

export interface SettingInEffect {
  name: ConfigKey;
  /** the value as it may be shown */
  value: string;
  /** true when the environment left it unset */
  isDefault: boolean;
}

export function configInEffect(env: Record<string, string | undefined> = process.env): SettingInEffect[] {
  const rows: SettingInEffect[] = [];
  for (const name of Object.keys(configSpec) as ConfigKey[]) {
    const raw = env[name] || undefined;
    const value = raw ?? configSpec[name].default;
    if (value === undefined) continue;
    rows.push({ name, value: shownSetting(name, value), isDefault: raw === undefined });
  }
  return rows;
}
