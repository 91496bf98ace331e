// One function per route. Each loads what it shows through the DataSource and
// returns the nodes to put into <main>; every corpus string goes in as text.
import { dayChart, eventChart, seriesBySource, type Chart } from "./charts";
import type { DataSource } from "./data";
import { h, replace, type Child } from "./dom";
import { fmtGap, fmtRange, fmtTime, fmtWindow, fmtWindows, num, orNone, originUncertain, pct } from "./format";
import { drawNetwork, groupColour, type NetworkView } from "./graph";
import { KEEP_PER_GROUP, poorlyCovered, selectDrawing, type Drawing, type NetFilter } from "./netfilter";
import type { Coordination, Edge, Evidence, GroupRow, Occurrence, ReuseDetail, ReuseSort, Segment } from "./types";
import { docCard, docMeta, errorBox, link, notAnalysed, shownOf, table, timeCell } from "./ui";

export type Ctx = {
  src: DataSource;
  query: URLSearchParams;
  /** Called when the view is left: charts and the WebGL renderer free their resources. */
  onLeave: (f: () => void) => void;
};

export type View = { title: string; body: Child };

const PAGE = 50;

function heading(text: string, sub?: Child): Child {
  return [h("h1", { tabindex: "-1", id: "view-title" }, text), sub ? h("p", { class: "lede" }, sub) : null];
}

function stat(label: string, value: Child, testid?: string): HTMLElement {
  return h("div", { class: "stat", "data-testid": testid ?? null }, h("div", { class: "v" }, value), h("div", { class: "l" }, label));
}

/** Relative bar in a table cell: the number stays the thing read. */
function bar(v: number, max: number): HTMLElement {
  const w = max > 0 ? Math.max(1, Math.round((100 * v) / max)) : 0;
  const b = h("span", { class: "bar", "aria-hidden": "true" });
  b.style.width = `${w}%`;
  return h("span", { class: "barcell" }, b, h("span", { class: "barnum" }, num(v)));
}

function pager(total: number, offset: number, base: string, extra: Record<string, string>): Child {
  if (total <= PAGE) return null;
  const mk = (o: number) => {
    const q = new URLSearchParams({ ...extra, offset: String(o) });
    return `${base}?${q.toString()}`;
  };
  return h("nav", { class: "pager", "aria-label": "pages" },
    offset > 0 ? link(mk(Math.max(0, offset - PAGE)), "← previous") : null,
    h("span", null, `${num(offset + 1)}–${num(Math.min(total, offset + PAGE))} of ${num(total)}`),
    offset + PAGE < total ? link(mk(offset + PAGE), "next →") : null);
}

// ---- overview ---------------------------------------------------------------

export async function overviewView(ctx: Ctx): Promise<View> {
  const o = await ctx.src.overview();
  const m = ctx.src.meta;
  const chart = dayChart(seriesBySource(o.by_day, (r) => r.docs), {
    title: "Documents per day by source (UTC; top sources, the rest as “(other)”)", yLabel: "documents", testid: "chart-overview",
  });
  ctx.onLeave(chart.destroy);
  const maxLang = Math.max(0, ...o.langs.map((l) => l.docs));
  const maxAuth = Math.max(0, ...o.top_authors.map((a) => a.docs));
  const maxSrc = Math.max(0, ...o.sources.map((s) => s.docs));
  return {
    title: "Overview",
    body: [
      heading("Overview", [`Store `, h("code", null, m.store), ` · ${m.mode === "report" ? "report written" : "served"} ${fmtTime(m.generated_at)} · echotrace ${m.version}`]),
      h("div", { class: "stats" },
        stat("documents", num(o.docs), "stat-docs"), stat("authors", num(o.authors)),
        stat("sources", num(o.sources_total)), stat("time span", fmtRange(o.time_min, o.time_max)),
        stat("undated documents", num(o.undated)), stat("rejected records", num(o.rejects))),
      chart.el,
      o.undated > 0 ? h("p", { class: "note" }, `${num(o.undated)} undated documents are not in the chart.`) : null,
      h("div", { class: "cols" },
        h("section", null, h("h2", null, "Sources"),
          table([
            { label: "source", cell: (r) => orNone(r.source, "source") },
            { label: "documents", cell: (r) => bar(r.docs, maxSrc), numeric: true },
          ], o.sources, { testid: "sources" }),
          shownOf(o.sources.length, o.sources_total, "sources")),
        h("section", null, h("h2", null, "Languages"),
          table([
            { label: "language", cell: (r) => r.lang || "(unknown)" },
            { label: "documents", cell: (r) => bar(r.docs, maxLang), numeric: true },
          ], o.langs, { testid: "langs" })),
        h("section", null, h("h2", null, "Top authors"),
          table([
            { label: "author", cell: (r) => r.author },
            { label: "documents", cell: (r) => bar(r.docs, maxAuth), numeric: true },
          ], o.top_authors, { testid: "authors" }),
          shownOf(o.top_authors.length, o.authors, "authors"))),
      h("section", null, h("h2", null, "Runs"),
        o.runs.length === 0 ? h("p", { class: "empty" }, "No runs recorded.") :
          table([
            { label: "run", cell: (r) => String(r.id), numeric: true },
            { label: "kind", cell: (r) => r.kind },
            { label: "status", cell: (r) => h("span", { class: `status ${r.status === "done" || r.status === "ok" ? "ok" : ""}` }, r.status) },
            { label: "started", cell: (r) => fmtTime(r.started_at) },
            { label: "parameters", cell: (r) => r.params === null || r.params === undefined ? "—" : h("code", { class: "params" }, JSON.stringify(r.params)) },
          ], o.runs, { testid: "runs" })),
    ],
  };
}

// ---- reuse -----------------------------------------------------------------

const SORTS: Record<ReuseSort, string> = { documents: "size (documents)", sources: "spread (sources)", first_time: "first seen" };

export async function reuseListView(ctx: Ctx): Promise<View> {
  const q = ctx.query.get("sort");
  const sort: ReuseSort = q === "sources" || q === "first_time" ? q : "documents";
  const offset = ctx.src.pagesLists ? Math.max(0, Number(ctx.query.get("offset")) || 0) : 0;
  const list = await ctx.src.reuseList(sort, { offset, limit: PAGE });
  if (!list) return { title: "Reuse", body: [heading("Passage reuse"), notAnalysed("passage reuse", "reuse")] };
  const go = (key: string) => { location.hash = `#/reuse?sort=${key}`; };
  return {
    title: "Reuse",
    body: [
      heading("Passage reuse", "Passages that recur across documents: the origin is the earliest copy. Open a cluster to see every copy aligned to it."),
      h("p", { class: "sortbar" }, "Sort by: ", (Object.keys(SORTS) as ReuseSort[]).map((k) =>
        h("a", { href: `#/reuse?sort=${k}`, class: k === sort ? "chip active" : "chip", "aria-current": k === sort ? "true" : null }, SORTS[k]))),
      ctx.src.pagesLists
        ? shownOf(list.clusters.length, list.clusters_total, "reuse clusters", "page through them below")
        : shownOf(list.clusters.length, list.clusters_total, "reuse clusters", "the report holds the largest; `echotrace serve` shows all"),
      table([
        { label: "cluster", cell: (r) => link(`#/reuse/${r.id}`, `#${r.id}`) },
        { label: "origin passage", cell: (r) => r.origin_certain === false
          ? [h("span", { class: "badge uncertain", "data-testid": "origin-uncertain", title: "the earliest dated passage is shown; an undated document may be older" }, originUncertain(r.undated ?? 0)), " ", h("span", { class: "excerpt" }, r.excerpt)]
          : h("span", { class: "excerpt" }, r.excerpt) },
        { label: "documents", cell: (r) => num(r.documents), numeric: true, sortKey: "documents" },
        { label: "sources", cell: (r) => num(r.sources), numeric: true, sortKey: "sources" },
        { label: "authors", cell: (r) => num(r.authors), numeric: true },
        { label: "first seen", cell: (r) => timeCell(r.first_time), sortKey: "first_time", sortDir: "ascending" },
        { label: "last seen", cell: (r) => timeCell(r.last_time) },
      ], list.clusters, { sorted: sort, onSort: go, testid: "reuse-list", rowLink: (r) => `#/reuse/${r.id}` }),
      ctx.src.pagesLists ? pager(list.clusters_total, offset, "#/reuse", { sort }) : null,
    ],
  };
}

function segs(list: Segment[], side: "origin" | "copy"): Child {
  // The origin side shows "=" and "-", the copy side "=" and "+": each column
  // reads as real text, the highlights say what the other side lacks.
  return list.map((s) => {
    if (s.op === "=") return h("mark", { class: "shared" }, s.text);
    if (s.op === "-" && side === "origin") return h("span", { class: "only-origin", title: "only in the origin" }, s.text);
    if (s.op === "+" && side === "copy") return h("span", { class: "only-copy", title: "only in this copy" }, s.text);
    return null;
  });
}

/** A link text naming a document by its visible id (ext_id). */
function docLabel(extId: string | undefined): Child {
  return extId ? ["document ", h("code", null, extId)] : "the document";
}

function occurrenceRow(o: Occurrence, certain: boolean): HTMLElement {
  // With undated documents in the cluster the first occurrence is only the
  // earliest dated one (or the first stored): it is not named the origin.
  const first = certain ? "ORIGIN" : o.time !== null ? "EARLIEST DATED" : "FIRST STORED";
  const head = h("header", null,
    o.is_origin ? h("span", { class: certain ? "badge origin" : "badge origin uncertain" }, first) : h("span", { class: "badge copy" }, "copy"),
    docMeta(o),
    h("span", { class: "ident", title: "share of aligned tokens equal to the origin's" },
      o.is_origin ? "" : `identity ${pct(o.identity)}`),
    h("span", { class: "bytes" }, `bytes ${o.start}–${o.end} of `, link(`#/docs/${o.doc}`, docLabel(o.ext_id))));
  if (o.is_origin) {
    return h("li", { class: "occ origin", "data-testid": "occurrence" }, head,
      h("div", { class: "panes one" }, h("div", { class: "pane" }, h("div", { class: "pane-label" }, certain ? "Origin passage" : "Passage the copies are aligned to"),
        h("p", { class: "passage" }, o.segments.length ? segs(o.segments, "origin") : h("mark", { class: "shared" }, o.text)))));
  }
  return h("li", { class: "occ", "data-testid": "occurrence" }, head,
    h("div", { class: "panes" },
      h("div", { class: "pane" }, h("div", { class: "pane-label" }, certain ? "Origin" : "Aligned to"), h("p", { class: "passage" }, segs(o.segments, "origin"))),
      h("div", { class: "pane" }, h("div", { class: "pane-label" }, "This copy"), h("p", { class: "passage" }, segs(o.segments, "copy")))));
}

/**
 * The spread of a cluster over its own span: at the copies' exact times when
 * the list holds every copy and the cluster lasted less than a week (a burst
 * of minutes must not be one dot on a day axis), else per day.
 */
function spreadChart(d: ReuseDetail): Chart {
  const dated = d.occurrence_list.filter((o) => o.time !== null);
  const complete = d.occurrence_list.length >= d.occurrence_list_total;
  const span = d.first_time !== null && d.last_time !== null ? d.last_time - d.first_time : null;
  if (complete && dated.length > 0 && span !== null && span < 7 * 86400) {
    const bySource = seriesBySource(dated.map((o) => ({ day: "", source: o.source, n: 1 })), (r) => r.n);
    const named = new Set(bySource.map((s) => s.label));
    const key = (s: string | null) => (s === null || s === "" ? "(no source)" : s);
    const series = bySource.map((s) => ({
      label: s.label,
      times: dated.filter((o) => (named.has(key(o.source)) ? key(o.source) : "(other)") === s.label).map((o) => o.time as number),
    }));
    return eventChart(series, {
      title: `Spread: cumulative copies by source (UTC; exact times, ${span === 0 ? "all at one moment" : `the cluster spans ${fmtGap(span)}`})`,
      yLabel: "copies", testid: "chart-spread",
    });
  }
  return dayChart(seriesBySource(d.spread, (r) => r.occurrences), {
    title: "Spread: cumulative copies by source (UTC days)", yLabel: "copies", cumulative: true, testid: "chart-spread",
  });
}

export async function reuseDetailView(ctx: Ctx, id: number): Promise<View> {
  const d = await ctx.src.reuseDetail(id);
  const chart = spreadChart(d);
  ctx.onLeave(chart.destroy);
  const undated = d.occurrence_list.filter((o) => o.time === null).length;
  const certain = d.origin_certain !== false;
  return {
    title: `Reuse cluster ${d.id}`,
    body: [
      h("p", { class: "crumbs" }, link("#/reuse", "← all reuse clusters")),
      heading(`Reuse cluster #${d.id}`),
      h("div", { class: "stats" },
        stat("copies (occurrences)", num(d.occurrences)), stat("documents", num(d.documents)),
        stat("sources", num(d.sources)), stat("authors", num(d.authors)),
        stat("first seen", fmtTime(d.first_time)), stat("last seen", fmtTime(d.last_time))),
      chart.el,
      undated > 0 ? h("p", { class: "note" }, `${undated} undated copies are listed below but not charted.`) : null,
      certain ? null : h("p", { class: "note warn", "data-testid": "origin-uncertain" },
        `${originUncertain(d.undated ?? 0)}: any of them may be older than the first copy listed, so no copy is named the origin; copies are aligned to the ${d.first_time !== null ? "earliest dated" : "first stored"} one.`),
      h("h2", null, certain ? "Copies aligned to the origin" : "Copies aligned to the earliest dated copy"),
      h("p", { class: "legend" }, h("mark", { class: "shared" }, "shared with the origin"), " ",
        h("span", { class: "only-copy" }, "only in this copy"), " ", h("span", { class: "only-origin" }, "only in the origin")),
      shownOf(d.occurrence_list.length, d.occurrence_list_total, "copies", "earliest first"),
      h("ol", { class: "occs", "data-testid": "occurrences" }, d.occurrence_list.map((o) => occurrenceRow(o, certain))),
    ],
  };
}

// ---- near-duplicates -------------------------------------------------------

export async function neardupListView(ctx: Ctx): Promise<View> {
  const offset = ctx.src.pagesLists ? Math.max(0, Number(ctx.query.get("offset")) || 0) : 0;
  const list = await ctx.src.neardupList({ offset, limit: PAGE });
  if (!list) return { title: "Near-duplicates", body: [heading("Near-duplicates"), notAnalysed("near-duplicate clusters", "neardup")] };
  return {
    title: "Near-duplicates",
    body: [
      heading("Near-duplicate clusters", "Documents that are the same text or nearly so, largest clusters first."),
      shownOf(list.clusters.length, list.clusters_total, "near-duplicate clusters",
        ctx.src.pagesLists ? "page through them below" : "the report holds the largest"),
      table([
        { label: "cluster", cell: (r) => link(`#/neardup/${r.id}`, `#${r.id}`) },
        { label: "example", cell: (r) => h("span", { class: "excerpt" }, r.excerpt) },
        { label: "documents", cell: (r) => num(r.size), numeric: true },
        { label: "first", cell: (r) => timeCell(r.first_time) },
        { label: "last", cell: (r) => timeCell(r.last_time) },
      ], list.clusters, { testid: "neardup-list", rowLink: (r) => `#/neardup/${r.id}` }),
      ctx.src.pagesLists ? pager(list.clusters_total, offset, "#/neardup", {}) : null,
    ],
  };
}

export async function neardupDetailView(ctx: Ctx, id: number): Promise<View> {
  const d = await ctx.src.neardupDetail(id);
  return {
    title: `Near-duplicate cluster ${d.id}`,
    body: [
      h("p", { class: "crumbs" }, link("#/neardup", "← all near-duplicate clusters")),
      heading(`Near-duplicate cluster #${d.id}`, `${num(d.size)} documents · ${fmtRange(d.first_time, d.last_time)}`),
      shownOf(d.members.length, d.members_total, "members", "earliest first"),
      h("div", { class: "docs", "data-testid": "members" }, d.members.map((m) => docCard(m))),
    ],
  };
}

// ---- coordination ----------------------------------------------------------

function groupRanks(c: { groups: GroupRow[] }): Map<number, number> {
  // Colours follow the group's place in the list (largest first), so group
  // colours match between the graph, the legend and the tables.
  return new Map(c.groups.map((g, i) => [g.id, i]));
}

function swatch(colour: string): HTMLElement {
  const s = h("span", { class: "swatch", "aria-hidden": "true" });
  s.style.background = colour;
  return s;
}

function behaviours(g: GroupRow): string {
  return Object.entries(g.behaviours).sort((a, b) => b[1].weight - a[1].weight)
    .map(([k, v]) => `${k} ${num(v.edges)}`).join(", ");
}

function groupTable(c: Coordination, ranks: Map<number, number>): HTMLTableElement {
  return table<GroupRow>([
    { label: "group", cell: (g) => [swatch(groupColour(ranks.get(g.id))), link(`#/groups/${g.id}`, `group ${g.id}`)] },
    { label: "accounts", cell: (g) => num(g.accounts), numeric: true },
    { label: "posts", cell: (g) => num(g.posts), numeric: true },
    { label: "active", cell: (g) => fmtRange(g.first_time, g.last_time) },
    { label: "burstiness", cell: (g) => (g.burstiness === null ? "—" : g.burstiness.toFixed(2)), numeric: true },
    { label: "behaviours (edges)", cell: (g) => behaviours(g) },
    { label: "top item", cell: (g) => (g.top_items[0] ? h("span", { class: "excerpt" }, `${g.top_items[0].behaviour}: `, g.top_items[0].label) : "—") },
  ], c.groups, { testid: "groups", rowLink: (g) => `#/groups/${g.id}` });
}

function edgeTable(edges: Edge[], testid: string): HTMLTableElement {
  return table<Edge>([
    { label: "edge", cell: (e) => link(`#/edges/${e.edge_id}`, `#${e.edge_id}`) },
    { label: "account A", cell: (e) => e.a },
    { label: "account B", cell: (e) => e.b },
    { label: "behaviour", cell: (e) => e.behaviour },
    { label: "co-actions (any window)", cell: (e) => num(e.weight), numeric: true },
    { label: "co-actions by window", cell: (e) => h("span", { class: "windows" }, fmtWindows(e.windows)) },
    { label: "symmetry", cell: (e) => e.symmetry.toFixed(2), numeric: true },
    { label: "active", cell: (e) => fmtRange(e.first_time, e.last_time) },
  ], edges, { testid, rowLink: (e) => `#/edges/${e.edge_id}` });
}

/** Live: each poorly drawn group's edges cost a request; at most this many. */
const LIVE_GROUP_FETCHES = 12;

type EdgePool = { edges: Edge[]; groupOf: Map<string, number>; fetched: number };

/** The listed edges plus the edges of the groups they cover poorly (netfilter.ts). */
async function edgePool(ctx: Ctx, c: Coordination): Promise<EdgePool> {
  const groupOf = new Map<string, number>();
  for (const n of c.nodes) if (n.group !== null) groupOf.set(n.id, n.group);
  const edges = new Map(c.edges.map((e) => [e.edge_id, e]));
  let ids = poorlyCovered(c.groups, c.nodes);
  if (ctx.src.pagesLists) ids = ids.slice(0, LIVE_GROUP_FETCHES);
  const details = await settled(ids.map((id) => ctx.src.group(id)));
  for (const g of details) {
    for (const m of g.members) if (!groupOf.has(m)) groupOf.set(m, g.id);
    for (const e of g.edges) if (!edges.has(e.edge_id)) edges.set(e.edge_id, e);
  }
  return { edges: [...edges.values()].sort((a, b) => a.edge_id - b.edge_id), groupOf, fetched: details.length };
}

const BEHAVIOUR_ORDER = ["co-post", "co-similar", "co-link", "co-reply", "co-repost", "co-hashtag"];

/** The drawing's filters: behaviours, window, minimum weight; `onChange` redraws. */
function networkControls(pool: EdgePool, f: NetFilter, onChange: () => void): HTMLElement {
  const count = new Map<string, number>();
  for (const e of pool.edges) count.set(e.behaviour, (count.get(e.behaviour) ?? 0) + 1);
  const rank = (b: string) => (BEHAVIOUR_ORDER.includes(b) ? BEHAVIOUR_ORDER.indexOf(b) : 99);
  const behaviours = [...count.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const windows = [...new Set(pool.edges.flatMap((e) => (e.windows ?? []).map((w) => w.window)))].sort((a, b) => a - b);
  const boxes = behaviours.map((b) => {
    const box = h("input", { type: "checkbox", checked: f.behaviours.has(b), "data-behaviour": b,
      onchange: () => { if (box.checked) f.behaviours.add(b); else f.behaviours.delete(b); onChange(); } }) as HTMLInputElement;
    return h("label", { class: "chk" }, box, ` ${b} (${num(count.get(b))})`);
  });
  const sel = h("select", { id: "net-window", onchange: () => { f.window = sel.value === "" ? null : Number(sel.value); onChange(); } },
    h("option", { value: "" }, "any window"),
    windows.map((w) => h("option", { value: String(w) }, `within ${fmtWindow(w)}`))) as HTMLSelectElement;
  const min = h("input", { id: "net-min", type: "number", min: 1, step: 1, value: String(f.minWeight), class: "num-in",
    onchange: () => { f.minWeight = Math.max(1, Math.floor(Number(min.value)) || 1); onChange(); } }) as HTMLInputElement;
  return h("fieldset", { class: "netfilter", "data-testid": "net-filter" },
    h("legend", null, "What the drawing shows"),
    h("div", { class: "row" }, h("span", { class: "lbl" }, "Behaviours:"), boxes),
    h("div", { class: "row" },
      h("label", { for: "net-window" }, "Weight counted "), sel, " ",
      h("label", { for: "net-min" }, " · at least "), min, " co-actions per edge",
      h("span", { class: "hint" }, ` (each group keeps its ${KEEP_PER_GROUP} heaviest edges whatever the minimum)`)));
}

export async function coordinationView(ctx: Ctx): Promise<View> {
  const c = await ctx.src.coordination();
  if (!c) return { title: "Coordination", body: [heading("Coordination"), notAnalysed("coordination results", "coordination")] };
  const ranks = groupRanks(c);
  const pool = await edgePool(ctx, c);
  const known = new Map(c.nodes.map((n) => [n.id, n]));
  const graphBox = h("div", { class: "graph", "data-testid": "graph", role: "img",
    "aria-label": "Network of accounts acting in concert; the tables below list the same groups and edges." });
  const nodeInfo = h("div", { class: "nodeinfo", "aria-live": "polite", "data-testid": "node-info" },
    "Click an account to see its edges, or an edge to see the posts behind it.");
  const graphNote = h("p", { class: "note", "data-testid": "graph-note" });
  let drawing: Drawing = { nodes: [], edges: [], absentGroups: [] };
  const showNode = (account: string) => {
    const n = known.get(account);
    const group = n ? n.group : pool.groupOf.get(account) ?? null;
    const es = pool.edges.filter((e) => e.a === account || e.b === account).sort((x, y) => y.weight - x.weight);
    replace(nodeInfo,
      h("h3", null, account),
      h("p", null, group === null ? "in no group" : link(`#/groups/${group}`, `group ${group}`),
        n ? ` · ${num(n.posts)} posts · degree ${num(n.degree)}` : ""),
      h("ul", { class: "edgelist" }, es.slice(0, 20).map((e) =>
        h("li", null, link(`#/edges/${e.edge_id}`, `${e.behaviour} with `, e.a === account ? e.b : e.a), ` · ${fmtWindows(e.windows)}`))),
      es.length > 20 ? h("p", { class: "count" }, `${es.length - 20} more edges in the table below.`) : null);
  };
  const filter: NetFilter = { behaviours: new Set(pool.edges.map((e) => e.behaviour)), window: null, minWeight: 1 };
  let current: NetworkView | null = null;
  const draw = () => {
    current?.destroy();
    current = null;
    graphBox.replaceChildren();
    drawing = selectDrawing(pool.edges, known, c.groups, filter, (a) => pool.groupOf.get(a) ?? null);
    try {
      current = drawNetwork(graphBox, drawing, ranks, { onEdge: (id) => { location.hash = `#/edges/${id}`; }, onNode: showNode });
      const absent = drawing.absentGroups;
      graphBox.setAttribute("data-groups-drawn", String(c.groups.length - absent.length));
      graphNote.textContent = `Drawn: ${num(current.nodes)} accounts, ${num(current.edges)} edges of ${num(pool.edges.length)} loaded ` +
        `(the ${num(c.edges.length)} heaviest of the store${pool.fetched ? ` and the edges of ${pool.fetched} groups they leave out` : ""}). ` +
        (absent.length ? `No edge of these behaviours and window in group${absent.length > 1 ? "s" : ""} ${absent.slice(0, 12).join(", ")}${absent.length > 12 ? "…" : ""}. ` : "") +
        "ForceAtlas2, fixed layout. Drag to pan, scroll to zoom; click an account to fade the others, the background to show all.";
    } catch (e) {
      graphBox.replaceChildren(errorBox(e instanceof Error ? e.message : String(e)));
    }
  };
  const controls = networkControls(pool, filter, draw);
  // The renderer needs its container in the page (it measures it), so it is
  // started right after the view is attached.
  requestAnimationFrame(() => { if (graphBox.isConnected) draw(); });
  ctx.onLeave(() => current?.destroy());
  const shownEdges = c.edges.slice().sort((a, b) => b.weight - a.weight || a.edge_id - b.edge_id);
  return {
    title: "Coordination",
    body: [
      heading("Coordination", "Accounts that posted the same or near-same text, the same link or hashtags, or replied to or reposted the same item within a short window of each other, again and again. Colours are communities (groups)."),
      h("div", { class: "stats" }, stat("accounts", num(c.nodes_total)), stat("edges", num(c.edges_total)), stat("groups", num(c.groups_total))),
      shownOf(c.edges.length, c.edges_total, "edges in the network", "the heaviest are listed; the drawing adds the edges of groups they leave out"),
      controls,
      h("div", { class: "graphwrap" }, graphBox, nodeInfo),
      graphNote,
      h("div", { class: "legend groups-legend" }, c.groups.slice(0, 15).map((g) =>
        h("span", { class: "lg" }, swatch(groupColour(ranks.get(g.id))), `group ${g.id}`)),
      h("span", { class: "lg" }, swatch(groupColour(undefined)), "no group")),
      h("h2", null, "Groups"),
      shownOf(c.groups.length, c.groups_total, "groups", "largest first"),
      groupTable(c, ranks),
      h("h2", null, "Edges"),
      shownOf(Math.min(200, shownEdges.length), c.edges_total, "edges", "heaviest first"),
      edgeTable(shownEdges.slice(0, 200), "edges"),
    ],
  };
}

/** Loads what it can: a report holds the detail of its listed items only. */
async function settled<T>(ps: Promise<T>[]): Promise<T[]> {
  const rs = await Promise.allSettled(ps);
  return rs.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
}

export async function groupView(ctx: Ctx, id: number): Promise<View> {
  const g = await ctx.src.group(id);
  // The evidence one click away: the example post of each shared item and the
  // post pairs behind the group's heaviest edge.
  const heaviest = g.edges.slice().sort((a, b) => b.weight - a.weight || a.edge_id - b.edge_id)[0];
  const exampleIds = [...new Set(g.top_items.map((t) => t.example_doc))].slice(0, 20);
  const [examples, heavy] = await Promise.all([
    settled(exampleIds.map((d) => ctx.src.doc(d))),
    heaviest ? settled([ctx.src.edge(heaviest.edge_id)]) : Promise.resolve([]),
  ]);
  const he = heavy[0];
  const byId = new Map(examples.map((d) => [d.doc, d]));
  // Some behaviours key their items by an internal number (the replied-to
  // post, a text fingerprint): show the example post's words instead.
  const itemCell = (t: { behaviour: string; key: string; label: string; example_doc: number }): Child => {
    // Links, hashtags and parents are named by their label; shared text by its example.
    if (t.behaviour !== "co-post" && t.behaviour !== "co-similar" && t.label) {
      return h("span", { class: "excerpt", title: `item key ${t.key}` }, t.label);
    }
    if (!/^-?\d+$/.test(t.key)) return h("span", { class: "excerpt" }, t.key);
    const d = byId.get(t.example_doc);
    return d ? h("span", { class: "excerpt", title: `item key ${t.key}` }, "e.g. “", d.text.slice(0, 160), d.text.length > 160 ? "…”" : "”")
      : h("span", { class: "muted" }, `item ${t.key}`);
  };
  return {
    title: `Group ${g.id}`,
    body: [
      h("p", { class: "crumbs" }, link("#/coordination", "← coordination")),
      heading(`Group ${g.id}`, `${num(g.accounts)} accounts · ${num(g.posts)} posts · active ${fmtRange(g.first_time, g.last_time)}` +
        (g.burstiness === null ? "" : ` · burstiness ${g.burstiness.toFixed(2)}`)),
      h("h2", null, "Behaviours"),
      table([
        { label: "behaviour", cell: (r: [string, { edges: number; weight: number }]) => r[0] },
        { label: "edges", cell: (r) => num(r[1].edges), numeric: true },
        { label: "co-actions (any window)", cell: (r) => num(r[1].weight), numeric: true },
      ], Object.entries(g.behaviours).sort((a, b) => b[1].weight - a[1].weight), { testid: "behaviours" }),
      h("h2", null, "What they shared"),
      g.top_items.length === 0 ? h("p", { class: "empty" }, "No shared items recorded.") :
        table([
          { label: "behaviour", cell: (t) => t.behaviour },
          { label: "item (text, link, hashtag or post)", cell: itemCell },
          { label: "accounts", cell: (t) => num(t.accounts), numeric: true },
          { label: "posts", cell: (t) => num(t.posts), numeric: true },
          { label: "example", cell: (t) => link(`#/docs/${t.example_doc}`, docLabel(byId.get(t.example_doc)?.ext_id)) },
        ], g.top_items, { testid: "top-items" }),
      examples.length ? [h("h3", null, "Example posts of the shared items"),
        h("div", { class: "docs", "data-testid": "group-examples" }, examples.slice(0, 6).map((d) => docCard(d)))] : null,
      he ? [h("h2", null, "Evidence behind the heaviest edge: ", link(`#/edges/${he.edge_id}`, `#${he.edge_id}`),
        ` (${he.behaviour}, `, he.a, " and ", he.b, ")"),
      shownOf(Math.min(3, he.evidence.length), he.evidence_total, "post pairs", "open the edge for more"),
      h("ol", { class: "evidences", "data-testid": "group-evidence" }, he.evidence.slice(0, 3).map(evidenceRow))] : null,
      h("h2", null, "Members"),
      shownOf(g.members.length, g.members_total, "accounts"),
      h("ul", { class: "members", "data-testid": "group-members" }, g.members.map((m) => h("li", null, m))),
      h("h2", null, "Edges in this group"),
      shownOf(g.edges.length, g.edges_total, "edges", "heaviest first"),
      h("p", { class: "note" }, "Open an edge to see the posts behind it."),
      edgeTable(g.edges, "group-edges"),
    ],
  };
}

function evidenceRow(e: Evidence): HTMLElement {
  return h("li", { class: "evidence", "data-testid": "evidence" },
    h("div", { class: "gap" }, `${e.behaviour} · ${fmtGap(e.gap)} apart`),
    h("div", { class: "panes" }, docCard(e.post_a), docCard(e.post_b)));
}

export async function edgeView(ctx: Ctx, id: number): Promise<View> {
  const e = await ctx.src.edge(id);
  return {
    title: `Edge ${e.edge_id}`,
    body: [
      h("p", { class: "crumbs" }, link("#/coordination", "← coordination")),
      heading(`Edge #${e.edge_id}: ${e.behaviour}`),
      h("p", { class: "lede" }, h("strong", null, e.a), " and ", h("strong", null, e.b),
        ` · ${num(e.weight)} co-actions at any window · symmetry ${e.symmetry.toFixed(2)} · ${fmtRange(e.first_time, e.last_time)}`),
      h("h2", null, "Co-actions by window"),
      table([
        { label: "window", cell: (w) => `within ${fmtWindow(w.window)}` },
        { label: "co-actions (post pairs at most this far apart)", cell: (w) => num(w.weight), numeric: true },
      ], e.windows ?? [], { testid: "edge-windows" }),
      h("h2", null, "Evidence: the post pairs behind this edge"),
      h("p", { class: "note" }, "The earliest pairs stored, at any window: each says how far apart its two posts are."),
      shownOf(e.evidence.length, e.evidence_total, "post pairs"),
      e.evidence.length === 0 ? h("p", { class: "empty" }, "No evidence stored for this edge.") :
        h("ol", { class: "evidences" }, e.evidence.map(evidenceRow)),
    ],
  };
}

// ---- documents and search --------------------------------------------------

export async function docView(ctx: Ctx, id: number): Promise<View> {
  const d = await ctx.src.doc(id);
  return { title: `Document ${d.ext_id}`, body: [heading(d.title ? d.title : `Document ${d.ext_id}`), docCard(d)] };
}

/** Marks the query words in a plain-text snippet, building text nodes only. */
function highlight(snippet: string, q: string): Child {
  const terms = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => t.length > 0);
  if (terms.length === 0) return snippet;
  const lower = snippet.toLowerCase();
  const out: Child[] = [];
  let i = 0;
  while (i < snippet.length) {
    let best = -1, len = 0;
    for (const t of terms) {
      const j = lower.indexOf(t, i);
      if (j >= 0 && (best < 0 || j < best || (j === best && t.length > len))) { best = j; len = t.length; }
    }
    if (best < 0) { out.push(snippet.slice(i)); break; }
    if (best > i) out.push(snippet.slice(i, best));
    out.push(h("mark", { class: "hit" }, snippet.slice(best, best + len)));
    i = best + len;
  }
  return out;
}

/**
 * The live API marks matched terms in its snippets with plain "[" and "]"
 * (FTS5's snippet(), docs/api.md); they become <mark> elements holding text.
 */
function bracketMarks(snippet: string): Child {
  const out: Child[] = [];
  const re = /\[([^\[\]\n]{1,200})\]/g;
  let at = 0;
  for (let m = re.exec(snippet); m !== null; m = re.exec(snippet)) {
    if (m.index > at) out.push(snippet.slice(at, m.index));
    out.push(h("mark", { class: "hit" }, m[1]));
    at = m.index + m[0].length;
  }
  if (at < snippet.length) out.push(snippet.slice(at));
  return out;
}

/**
 * What the search covers, said on every search page (issue 17 item 10): the
 * whole store when served; in a report, the documents it carries, which are
 * all of them only for a small store.
 */
async function searchScope(src: DataSource): Promise<{ what: string; note: Child }> {
  if (src.searchedDocs === null) return { what: "the whole store", note: null };
  const total = (await src.overview()).docs;
  const n = src.searchedDocs;
  if (n >= total) {
    return { what: `all ${num(total)} documents of the store`, note: h("p", { class: "note", "data-testid": "search-scope" },
      `This report carries every document of the store, so its search covers all ${num(total)}.`) };
  }
  return {
    what: `the ${num(n)} documents this report carries`,
    note: h("p", { class: "notice", "data-testid": "search-scope" },
      h("strong", null, `This report's search covers ${num(n)} of the store's ${num(total)} documents`),
      ": those its lists and details show (reuse copies, cluster members, evidence posts). " +
      "A document that appears in no result is not in the report. To search every document, open the store with ",
      h("code", null, `echotrace serve --db ${src.meta.store}`), "."),
  };
}

export async function searchView(ctx: Ctx): Promise<View> {
  const q = (ctx.query.get("q") ?? "").trim();
  const scope = await searchScope(ctx.src);
  if (!q) return { title: "Search", body: [heading("Search"), h("p", null, "Type words or a passage into the search box above."), scope.note] };
  const res = await ctx.src.search(q, 50);
  return {
    title: `Search: ${q}`,
    body: [
      heading("Search", ["Results for ", h("q", null, q), ` in ${scope.what}.`]),
      h("p", { class: "count", "data-testid": "search-count" },
        res.hits.length === 0 ? `No documents found in ${scope.what}.` : `${num(res.hits.length)} documents${res.hits.length >= 50 ? " (the best 50)" : ""}.`),
      scope.note,
      h("ol", { class: "hits", "data-testid": "hits" }, res.hits.map((hit) =>
        h("li", { class: "hit" },
          docMeta(hit.doc),
          hit.doc.title ? h("h4", { class: "title" }, hit.doc.title) : null,
          h("p", { class: "snippet" }, ctx.src.meta.mode === "live" ? bracketMarks(hit.snippet) : highlight(hit.snippet, q)),
          h("p", { class: "more" }, link(`#/docs/${hit.doc.doc}`, "open document"), ` · score ${hit.score.toFixed(2)}`)))),
    ],
  };
}
