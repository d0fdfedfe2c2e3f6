"use client";
/**
 * One chart card of a dashboard (the cache page, a queue's history): its title and question, then
 * the chart — or, when none of its series has a point in the range, what is missing. `ChartGrid`
 * lays the cards out, two or more a row where they fit, one on a phone.
 */
import type { ReactNode } from "react";
import s from "./charts.module.css";
import { TimeSeriesChart } from "./time-series-chart.tsx";

type ChartProps = Parameters<typeof TimeSeriesChart>[0];

export function ChartCard({
  title,
  question,
  empty,
  ...chart
}: ChartProps & { title: string; question: string; empty: string }) {
  const hasData = chart.data.some((r) => chart.series.some((x) => typeof r[x.key] === "number"));
  return (
    <section className={s.card}>
      <h2>{title}</h2>
      <p className={s.question}>{question}</p>
      {hasData ? (
        <TimeSeriesChart {...chart} />
      ) : (
        <div className={s.noData} data-testid={chart.testId ? `${chart.testId}-empty` : undefined}>
          No {empty} in this range yet.
        </div>
      )}
    </section>
  );
}

export function ChartGrid({ children }: { children: ReactNode }) {
  return <div className={s.grid}>{children}</div>;
}
