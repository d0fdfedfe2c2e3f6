"use client";
/**
 * A small trend line (recharts) for one series: no axes, a tooltip with the value and minute, an
 * optional threshold line. One point draws no line, so a single point is shown as a dot.
 */
import { Area, AreaChart, ReferenceLine, ResponsiveContainer, Tooltip, YAxis } from "recharts";
import { SERIES_COLOURS } from "./palette.ts";
import { tooltipTime } from "./time-series-chart.tsx";

export interface SparkPoint {
  t: number;
  v: number;
}

interface Props {
  data: SparkPoint[];
  /** the series' meaning's colour (palette.ts) */
  color: string;
  label: string;
  format?: (v: number) => string;
  threshold?: number;
  height?: number;
  testId?: string;
}

export function Sparkline({ data, color, label, format = String, threshold, height = 44, testId }: Props) {
  return (
    <div className="sparkline" data-testid={testId} aria-label={label} role="img">
      <ResponsiveContainer width="100%" height={height}>
        <AreaChart data={data} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
          <YAxis hide domain={[0, (max: number) => Math.max(max, threshold ?? 0, 1)]} />
          <Tooltip
            formatter={(v) => [format(Number(v)), label]}
            labelFormatter={(_, p) => {
              const t = p?.[0]?.payload?.t;
              return typeof t === "number" ? tooltipTime(t) : "";
            }}
          />
          {threshold !== undefined ? (
            <ReferenceLine y={threshold} stroke={SERIES_COLOURS.limit} strokeDasharray="3 3" />
          ) : null}
          <Area
            type="monotone"
            dataKey="v"
            stroke={color}
            fill={color}
            fillOpacity={0.15}
            strokeWidth={1.5}
            isAnimationActive={false}
            dot={data.length === 1}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
