/** A queue's four sizes side by side, each in its state colour with a word (never colour alone). */
import type { QueueSizes } from "#components/api-types.ts";
import { formatCount } from "#components/format.ts";

const CELLS: { key: keyof QueueSizes; label: string; tone: string }[] = [
  { key: "ready", label: "ready", tone: "" },
  { key: "active", label: "active", tone: "count-ok" },
  { key: "retry", label: "↻ retry", tone: "count-retry" },
  { key: "dead", label: "✕ dead", tone: "count-dead" },
];

export function QueueSizesRow({ sizes, queue }: { sizes: QueueSizes; queue: string }) {
  return (
    <div className="sizes">
      {CELLS.map((c) => (
        <div key={c.key} data-testid={`size-${c.key}`} data-queue={queue}>
          <span className="label">{c.label}</span>
          <span className={`value num ${sizes[c.key] ? c.tone : ""}`}>{formatCount(sizes[c.key])}</span>
        </div>
      ))}
    </div>
  );
}
