"use client";
/**
 * A time-series line chart (recharts) for the cache dashboard: one line per series, time on the
 * x axis, an optional threshold drawn as a dashed reference line. Minutes without data are gaps,
 * and points get dots while the data is sparse — recharts draws no line for a single point.
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

export interface ChartSeries {
  key: string;
  label: string;
  color?: string;
}

export type ChartRow = { t: number } & Record<string, number | null>;

const PALETTE = ["#2457d6", "#1b7a3a", "#a15c00", "#7b3fb5", "#b3261e", "#00838f", "#5b6472", "#c2185b"];

function timeLabel(spanMs: number) {
  return (t: number) => {
    const d = new Date(t);
    if (spanMs > 36 * 3_600_000)
      return `${d.getUTCMonth() + 1}/${d.getUTCDate()} ${String(d.getUTCHours()).padStart(2, "0")}h`;
    return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
  };
}

export function TimeSeriesChart({
  data,
  series,
  yFormat = (v) => String(v),
  yDomain,
  reference,
  height = 220,
  testId,
  ariaLabel,
}: {
  data: ChartRow[];
  series: ChartSeries[];
  yFormat?: (v: number) => string;
  yDomain?: [number | "auto", number | "auto"];
  reference?: { y: number; label: string };
  height?: number;
  testId?: string;
  ariaLabel: string;
}) {
  const span = data.length > 1 ? data[data.length - 1].t - data[0].t : 0;
  const fmt = timeLabel(span);
  const points = series.map((s) => data.filter((row) => typeof row[s.key] === "number").length);
  return (
    <figure
      data-testid={testId}
      data-points={points.reduce((a, b) => a + b, 0)}
      aria-label={ariaLabel}
      style={{ margin: 0, width: "100%", height }}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e6e8ec" strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tickFormatter={fmt}
            fontSize={11}
            minTickGap={24}
          />
          <YAxis tickFormatter={yFormat} fontSize={11} width={56} domain={yDomain ?? ["auto", "auto"]} />
          <Tooltip
            labelFormatter={(t) => `${new Date(Number(t)).toISOString().replace("T", " ").slice(0, 16)} UTC`}
            formatter={(v) => (typeof v === "number" ? yFormat(v) : String(v))}
          />
          {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
          {reference ? (
            <ReferenceLine
              y={reference.y}
              stroke="#b3261e"
              strokeDasharray="6 4"
              label={{ value: reference.label, position: "insideTopRight", fontSize: 11, fill: "#b3261e" }}
              ifOverflow="extendDomain"
            />
          ) : null}
          {series.map((s, i) => (
            <Line
              key={s.key}
              type="monotone"
              // A function, not a string: recharts reads "a.b" as a path, and names may contain dots.
              dataKey={(row: ChartRow) => row[s.key] ?? null}
              name={s.label}
              stroke={s.color ?? PALETTE[i % PALETTE.length]}
              strokeWidth={2}
              dot={points[i] <= 60 ? { r: 3 } : false}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
