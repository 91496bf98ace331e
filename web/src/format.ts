// Formatting shared by all views. Times are UTC throughout so two analysts in
// different time zones read the same figures off the same report.

export function fmtTime(t: number | null | undefined): string {
  if (t === null || t === undefined) return "undated";
  const d = new Date(t * 1000);
  if (isNaN(d.getTime())) return "undated";
  return d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

export function fmtDay(t: number | null | undefined): string {
  if (t === null || t === undefined) return "undated";
  return new Date(t * 1000).toISOString().slice(0, 10);
}

export function fmtRange(a: number | null, b: number | null): string {
  if (a === null && b === null) return "undated";
  if (a === null || b === null) return fmtTime(a ?? b);
  const da = fmtDay(a), db = fmtDay(b);
  return da === db ? da : `${da} → ${db}`;
}

const nf = new Intl.NumberFormat("en-US");
export function num(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : nf.format(n);
}

export function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function fmtGap(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 6) / 10} min`;
  if (s < 86400) return `${Math.round(s / 360) / 10} h`;
  return `${Math.round(s / 8640) / 10} d`;
}

export function fmtWindow(s: number): string {
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

/**
 * An edge's weight at each window, each labelled with its own window
 * ("within 1 min: 1,377 · within 1 h: 13,218"): the total weight counts
 * co-actions at any window and must never read as the narrowest one's.
 */
export function fmtWindows(ws: { window: number; weight: number }[] | undefined): string {
  if (!ws || ws.length === 0) return "—";
  return ws.map((w) => `within ${fmtWindow(w.window)}: ${num(w.weight)}`).join(" · ");
}

/** "(no source)" rather than an empty cell: a missing value is information. */
export function orNone(s: string | null | undefined, what: string): string {
  return s === null || s === undefined || s === "" ? `(no ${what})` : s;
}

export function dayToUnix(day: string): number {
  return Date.parse(day + "T00:00:00Z") / 1000;
}

/**
 * The wording of every view that would name an origin when undated documents
 * may be older (the CLI says the same: src/reuse/results.h OriginUncertainNote).
 */
export function originUncertain(undated: number): string {
  return `origin uncertain: ${undated} undated document${undated === 1 ? "" : "s"}`;
}
