// Time charts with uPlot (canvas; its legend writes labels with textContent,
// so untrusted source names stay text). All axes are UTC days.
import uPlot from "uplot";
import { h } from "./dom";
import { dayToUnix } from "./format";

/** Fixed palette so a source keeps its colour between renders of one view. */
export const PALETTE = [
  "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
  "#17becf", "#8c564b", "#e377c2", "#bcbd22", "#393b79",
  "#637939", "#843c39", "#7b4173", "#3182bd", "#e6550d",
];
export const GREY = "#8a8f98";

export type DaySeries = { label: string; byDay: Map<string, number> };

const DAY = 86400;

/** Every day from the first to the last (gaps are zero days, not missing). */
function dayAxis(series: DaySeries[]): number[] {
  let lo = Infinity, hi = -Infinity;
  for (const s of series) for (const d of s.byDay.keys()) {
    const t = dayToUnix(d);
    if (!isFinite(t)) continue;
    lo = Math.min(lo, t); hi = Math.max(hi, t);
  }
  if (!isFinite(lo)) return [];
  // A ten-year corpus is ~3,650 points per series: still cheap for uPlot.
  const xs: number[] = [];
  for (let t = lo; t <= hi; t += DAY) xs.push(t);
  return xs;
}

export type Chart = { el: HTMLElement; destroy: () => void };

/**
 * Lines per series over days. `cumulative` turns counts into running totals,
 * which shows how a passage spread even when each day has one or two copies.
 */
export function dayChart(series: DaySeries[], opts: { title: string; yLabel: string; cumulative?: boolean; testid?: string }): Chart {
  const wrap = h("figure", { class: "chart", "data-testid": opts.testid ?? null },
    h("figcaption", null, opts.title));
  const xs = dayAxis(series);
  if (xs.length === 0) {
    wrap.append(h("p", { class: "empty" }, "No dated items to chart."));
    return { el: wrap, destroy: () => {} };
  }
  const data: number[][] = [xs];
  for (const s of series) {
    let run = 0;
    data.push(xs.map((t) => {
      const v = s.byDay.get(new Date(t * 1000).toISOString().slice(0, 10)) ?? 0;
      run += v;
      return opts.cumulative ? run : v;
    }));
  }
  const width = () => Math.max(320, Math.min(1100, (wrap.parentElement?.clientWidth ?? 900) - 8));
  const o: uPlot.Options = {
    width: 900, height: 260,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    cursor: { drag: { x: true, y: false } },
    // One day alone would get uPlot's automatic range (years wide).
    scales: { x: { time: true, range: (_u, lo, hi) => (lo === hi ? [lo - DAY / 2, hi + DAY / 2] : [lo, hi]) } },
    axes: [{}, { label: opts.yLabel, size: 56 }],
    series: [
      { label: "day", value: (_u, v) => (v === null ? "—" : new Date(v * 1000).toISOString().slice(0, 10)) },
      ...series.map((s, i) => ({
        label: s.label,
        stroke: s.label === "(other)" ? GREY : PALETTE[i % PALETTE.length],
        width: 1.5,
        paths: opts.cumulative ? uPlot.paths.stepped!({ align: 1 }) : undefined,
        points: { show: xs.length < 60 },
      })),
    ],
  };
  const holder = h("div", { class: "plot" });
  wrap.append(holder);
  const plot = new uPlot(o, data as uPlot.AlignedData, holder);
  // Fit the container once it is in the page, and follow window resizes.
  const fit = () => plot.setSize({ width: width(), height: 260 });
  requestAnimationFrame(fit);
  window.addEventListener("resize", fit);
  return { el: wrap, destroy: () => { window.removeEventListener("resize", fit); plot.destroy(); } };
}

export type EventSeries = { label: string; times: number[] };

/**
 * The x range of a chart of events from `lo` to `hi` (unix seconds): the
 * events' own span with 5% of it (at least a minute) on each side, so an
 * 18-minute burst fills the chart instead of being one dot on a years-wide
 * axis (issue 17 item 8).
 */
export function eventRange(lo: number, hi: number): [number, number] {
  const pad = Math.max(60, Math.round((hi - lo) * 0.05));
  return [lo - pad, hi + pad];
}

/** Tick labels "HH:MM" (UTC, 24 h), with the day under the first and at each change of day. */
function utcTicks(splits: number[]): string[] {
  let day = "";
  return splits.map((v) => {
    const iso = new Date(v * 1000).toISOString();
    const label = iso.slice(11, 16);
    if (iso.slice(0, 10) === day) return label;
    day = iso.slice(0, 10);
    return `${label}\n${day}`;
  });
}

/**
 * Cumulative counts of events at their exact times (UTC), one stepped line
 * per series, the time axis scaled to the events' span.
 */
export function eventChart(series: EventSeries[], opts: { title: string; yLabel: string; testid?: string }): Chart {
  const wrap = h("figure", { class: "chart", "data-testid": opts.testid ?? null },
    h("figcaption", null, opts.title));
  const xs = [...new Set(series.flatMap((s) => s.times))].sort((a, b) => a - b);
  if (xs.length === 0) {
    wrap.append(h("p", { class: "empty" }, "No dated items to chart."));
    return { el: wrap, destroy: () => {} };
  }
  const [lo, hi] = eventRange(xs[0], xs[xs.length - 1]);
  // Points at both ends of the range, so each line starts at zero and runs
  // on to the right edge.
  const axis = [lo, ...xs, hi];
  const data: number[][] = [axis];
  for (const s of series) {
    const sorted = s.times.slice().sort((a, b) => a - b);
    let k = 0;
    data.push(axis.map((t) => { while (k < sorted.length && sorted[k] <= t) k++; return k; }));
  }
  wrap.setAttribute("data-range", `${lo} ${hi}`);
  const width = () => Math.max(320, Math.min(1100, (wrap.parentElement?.clientWidth ?? 900) - 8));
  const o: uPlot.Options = {
    width: 900, height: 260,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: true, range: () => [lo, hi] } },
    axes: [{ values: (_u, splits) => utcTicks(splits) }, { label: opts.yLabel, size: 56 }],
    series: [
      { label: "time", value: (_u, v) => (v === null ? "—" : new Date(v * 1000).toISOString().slice(0, 19).replace("T", " ")) },
      ...series.map((s, i) => ({
        label: s.label,
        stroke: s.label === "(other)" ? GREY : PALETTE[i % PALETTE.length],
        width: 1.5,
        paths: uPlot.paths.stepped!({ align: 1 }),
        points: { show: xs.length < 60 },
      })),
    ],
  };
  const holder = h("div", { class: "plot" });
  wrap.append(holder);
  const plot = new uPlot(o, data as uPlot.AlignedData, holder);
  const fit = () => plot.setSize({ width: width(), height: 260 });
  requestAnimationFrame(fit);
  window.addEventListener("resize", fit);
  return { el: wrap, destroy: () => { window.removeEventListener("resize", fit); plot.destroy(); } };
}

/** Groups rows of {day, source, value} into at most `max` named series. */
export function seriesBySource<T extends { day: string; source: string | null }>(
  rows: T[], value: (r: T) => number, max = 10): DaySeries[] {
  const totals = new Map<string, number>();
  const key = (s: string | null) => (s === null || s === "" ? "(no source)" : s);
  for (const r of rows) totals.set(key(r.source), (totals.get(key(r.source)) ?? 0) + value(r));
  const order = [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map((e) => e[0]);
  // "(other)" (the bundle's own bucket) always goes last so it keeps the grey.
  const named = order.filter((s) => s !== "(other)").slice(0, max);
  const out = new Map<string, DaySeries>();
  for (const s of named) out.set(s, { label: s, byDay: new Map() });
  for (const r of rows) {
    const k = named.includes(key(r.source)) ? key(r.source) : "(other)";
    if (!out.has(k)) out.set(k, { label: k, byDay: new Map() });
    const s = out.get(k)!;
    s.byDay.set(r.day, (s.byDay.get(r.day) ?? 0) + value(r));
  }
  const res = [...out.values()];
  res.sort((a, b) => (a.label === "(other)" ? 1 : 0) - (b.label === "(other)" ? 1 : 0));
  return res;
}
