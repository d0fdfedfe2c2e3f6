/**
 * Settings: the configuration in effect, one row per setting that has a value, secrets hidden
 * (app/_lib/ops/config-in-effect.ts). Read-only: settings change in the environment (README).
 */
import type { SettingInEffect } from "#app/_lib/ops/config-in-effect.ts";
import { TableScroll } from "#components/ui/table-scroll.tsx";

export function ConfigTable({ settings }: { settings: SettingInEffect[] }) {
  return (
    <section className="panel" aria-labelledby="config-h" data-testid="config-in-effect">
      <h2 id="config-h">Configuration in effect</h2>
      <p className="muted small">
        What this console process runs with: set in the environment or a .env file, else the default. Secrets
        are never shown. Change a setting in the environment and restart (see the README&apos;s configuration
        table).
      </p>
      <TableScroll label="Configuration in effect">
        <table className="data-table">
          <thead>
            <tr>
              <th>Setting</th>
              <th className="col-wide">Value</th>
              <th>From</th>
            </tr>
          </thead>
          <tbody>
            {settings.map((s) => (
              <tr key={s.name} data-testid="config-row" data-name={s.name}>
                <td>
                  <code>{s.name}</code>
                </td>
                <td className="col-wide mono">{s.value}</td>
                <td className="muted">{s.isDefault ? "default" : "environment"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
