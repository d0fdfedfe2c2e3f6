"use client";
/**
 * One chart card of a dashboard (the cache page, a queue's history): its title and question, then
 * the chart — or, when none of its series has a point in the range, what is missing. `ChartGrid`
 * lays the cards out, two or more a row where they fit, one on a phone. `SmallMultiplesCard`
 * holds one small chart per category (the cache's namespaces) across the whole row.
 */
import type { ReactNode } from "react";
import s from "./charts.module.css";
import { ChartCaption, type ChartRow, type ChartSeries, TimeSeriesChart } from "./time-series-chart.tsx";

type ChartProps = Parameters<typeof TimeSeriesChart>[0];

const hasPoints = (data: ChartRow[], series: ChartSeries[]) =>
  data.some((r) => series.some((x) => typeof r[x.key] === "number"));

export function ChartCard({
  title,
  question,
  empty,
  ...chart
}: ChartProps & { title: string; question: string; empty: string }) {
  const hasData = hasPoints(chart.data, chart.series);
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

/**
 * Small multiples: one small chart per category, same axes and range, the unit and the notes said
 * once above them. The figure carries what a single chart's does (data-points, data-series, the
 * range and the step in progress), so a page's charts are checked alike.
 */
export function SmallMultiplesCard({
  title,
  question,
  empty,
  testId,
  ariaLabel,
  yUnit,
  reference,
  xDomain,
  partialFrom,
  charts,
  ...shared
}: Pick<ChartProps, "yFormat" | "yDomain" | "reference" | "xDomain" | "partialFrom" | "yUnit"> & {
  title: string;
  question: string;
  empty: string;
  testId: string;
  ariaLabel: string;
  charts: { title: string; data: ChartRow[]; series: ChartSeries[] }[];
}) {
  const drawn = charts.filter((c) => hasPoints(c.data, c.series));
  const points = drawn.reduce(
    (n, c) => n + c.data.filter((r) => c.series.some((x) => typeof r[x.key] === "number")).length,
    0,
  );
  const partial =
    partialFrom !== undefined && drawn.some((c) => c.data.some((r) => r.t >= partialFrom))
      ? partialFrom
      : undefined;
  return (
    <section className={`${s.card} ${s.wide}`}>
      <h2>{title}</h2>
      <p className={s.question}>{question}</p>
      {drawn.length ? (
        <figure
          data-testid={testId}
          data-points={points}
          data-series={drawn.map((c) => c.title).join(",")}
          data-from={xDomain?.[0]}
          data-to={xDomain?.[1]}
          data-partial-from={partial}
          aria-label={ariaLabel}
          className={s.multiples}
        >
          <ChartCaption testId={testId} yUnit={yUnit} reference={reference} partial={partial !== undefined} />
          <div className={s.multiplesGrid}>
            {drawn.map((c) => (
              <TimeSeriesChart
                key={c.title}
                {...shared}
                title={c.title}
                data={c.data}
                series={c.series}
                yUnit={yUnit}
                reference={reference}
                xDomain={xDomain}
                partialFrom={partialFrom}
                height={140}
                ariaLabel={`${ariaLabel}: ${c.title}`}
              />
            ))}
          </div>
        </figure>
      ) : (
        <div className={s.noData} data-testid={`${testId}-empty`}>
          No {empty} in this range yet.
        </div>
      )}
    </section>
  );
}
