"use client";
/**
 * A time-series line chart (recharts): one line per series, time on the x axis in the reader's
 * time zone, the y axis's unit written above the plot, an optional limit drawn as a dashed line
 * (named in the legend, not on the line, so no label crosses a line).
 *
 * - Colours come from palette.ts: one colour per meaning across the console.
 * - The legend lists only series that have a point in the range (no "maxmemory" when none is set).
 * - `partialFrom`: points from this time on belong to a step still in progress; they are drawn
 *   dashed and lighter, joined to the last complete point, so an unfinished step never reads as
 *   a drop.
 * - Minutes without data are gaps; points get dots while the data is sparse (recharts draws no
 *   line for a single point).
 */
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatLocal } from "#components/format.ts";
import { SERIES_COLOURS } from "./palette.ts";

export interface ChartSeries {
  key: string;
  label: string;
  /** from palette.ts: the colour of the series' meaning (meaningSeries) */
  color: string;
}

export type ChartRow = { t: number } & Record<string, number | null>;

const two = (n: number) => String(n).padStart(2, "0");

/** Ticks in the reader's time zone: "14:05", or "11/30 14h" over more than a day and a half. */
function timeLabel(spanMs: number) {
  return (t: number) => {
    const d = new Date(t);
    if (spanMs > 36 * 3_600_000) return `${d.getMonth() + 1}/${d.getDate()} ${two(d.getHours())}h`;
    return `${two(d.getHours())}:${two(d.getMinutes())}`;
  };
}

/** What the y axis counts, and the notes that explain dashed lines: the threshold, the step in progress. */
export function ChartCaption({
  testId,
  yUnit,
  reference,
  partial,
}: {
  testId?: string;
  yUnit: string;
  reference?: { label: string };
  partial: boolean;
}) {
  return (
    <figcaption className="chart-unit" data-testid={testId ? `${testId}-unit` : undefined}>
      {yUnit}
      {reference ? (
        <span className="chart-limit">
          {" "}
          · <span aria-hidden="true">- -</span> {reference.label}
        </span>
      ) : null}
      {partial ? <span className="chart-limit"> · dashed end: step in progress</span> : null}
    </figcaption>
  );
}

/** The tooltip's time: the exact minute in the reader's time zone, with the zone's name. */
export const tooltipTime = (t: number): string => formatLocal(t, false);

export function TimeSeriesChart({
  data,
  series,
  yFormat = (v) => String(v),
  yUnit,
  yDomain,
  reference,
  partialFrom,
  xDomain,
  height = 220,
  testId,
  ariaLabel,
  title,
}: {
  data: ChartRow[];
  series: ChartSeries[];
  yFormat?: (v: number) => string;
  /** what the y axis counts, written above the plot: "jobs per minute", "% of lookups" */
  yUnit: string;
  yDomain?: [number | "auto", number | "auto"];
  reference?: { y: number; label: string };
  /** the start of the step in progress, if the data reaches it */
  partialFrom?: number;
  /** the page's range (first and last step): every chart of a page spans the same, whatever its data */
  xDomain?: [number, number];
  height?: number;
  testId?: string;
  ariaLabel: string;
  /** one of small multiples: its caption names it; the unit and notes are the enclosing figure's */
  title?: string;
}) {
  const span = xDomain ? xDomain[1] - xDomain[0] : data.length > 1 ? data[data.length - 1].t - data[0].t : 0;
  const fmt = timeLabel(span);
  const counted = series.map((s) => ({
    ...s,
    points: data.filter((row) => typeof row[s.key] === "number").length,
  }));
  // A series with no point has no line and no legend entry.
  const drawn = counted.filter((s) => s.points > 0);
  const partial = partialFrom !== undefined && data.some((r) => r.t >= partialFrom) ? partialFrom : undefined;
  const lastComplete = partial === undefined ? undefined : data.filter((r) => r.t < partial).at(-1)?.t;
  return (
    <figure
      data-testid={testId}
      data-points={drawn.reduce((a, s) => a + s.points, 0)}
      data-series={drawn.map((s) => s.label).join(",")}
      data-from={xDomain?.[0] ?? data[0]?.t}
      data-to={xDomain?.[1] ?? data.at(-1)?.t}
      data-partial-from={partial}
      aria-label={ariaLabel}
      style={{ margin: 0, width: "100%" }}
    >
      {title === undefined ? (
        <ChartCaption testId={testId} yUnit={yUnit} reference={reference} partial={partial !== undefined} />
      ) : (
        <figcaption className="chart-unit">
          <strong>{title}</strong>
        </figcaption>
      )}
      <div style={{ width: "100%", height }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={xDomain ?? ["dataMin", "dataMax"]}
              tickFormatter={fmt}
              fontSize={11}
              minTickGap={24}
            />
            <YAxis tickFormatter={yFormat} fontSize={11} width={64} domain={yDomain ?? ["auto", "auto"]} />
            <Tooltip
              labelFormatter={(t) => tooltipTime(Number(t))}
              formatter={(v) => (typeof v === "number" ? yFormat(v) : String(v))}
            />
            {drawn.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
            {reference ? (
              <ReferenceLine
                y={reference.y}
                stroke={SERIES_COLOURS.limit}
                strokeDasharray="6 4"
                ifOverflow="extendDomain"
              />
            ) : null}
            {drawn.map((s) => (
              <Line
                key={s.key}
                type="monotone"
                // A function, not a string: recharts reads "a.b" as a path, and names may contain dots.
                dataKey={(row: ChartRow) =>
                  partial === undefined || row.t < partial ? (row[s.key] ?? null) : null
                }
                name={s.label}
                stroke={s.color}
                strokeWidth={2}
                dot={s.points <= 60 ? { r: 3 } : false}
                isAnimationActive={false}
                connectNulls={false}
              />
            ))}
            {partial === undefined
              ? null
              : drawn.map((s) => (
                  <Line
                    key={`${s.key}-partial`}
                    type="linear"
                    dataKey={(row: ChartRow) =>
                      row.t >= partial || row.t === lastComplete ? (row[s.key] ?? null) : null
                    }
                    name={`${s.label} (step in progress)`}
                    legendType="none"
                    stroke={s.color}
                    strokeOpacity={0.55}
                    strokeWidth={2}
                    strokeDasharray="4 4"
                    // sparse data: the step in progress may be the only point — show it, lighter
                    dot={s.points <= 60 ? { r: 3, strokeOpacity: 0.55, fillOpacity: 0.55 } : false}
                    isAnimationActive={false}
                    connectNulls={false}
                  />
                ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
