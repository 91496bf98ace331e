// Writes dev/sample.html: a hand-made bundle in the report layout of
// docs/api.md (same CSP, same escaping), for working on the app without the
// C++ `report` verb. Deterministic; includes hostile strings on purpose.
// Usage: node dev/make-sample.mjs [out.html]   (after `npm run build`)
//        BIG=1 node dev/make-sample.mjs big.html: the report limits filled
//        (20,000 documents, 200 clusters of 50, 500 edges) to time the app.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.ECHOTRACE_WEB_OUT || join(here, "..", "dist");
const out = process.argv[2] || join(here, "sample.html");

let seed = 42;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = (a) => a[Math.floor(rnd() * a.length)];

const HOSTILE = [
  "<script>window.__xss=1</script>",
  '<img src=x onerror="window.__xss=1">',
  "javascript:window.__xss=1",
  "</script><script>window.__xss=1</script>",
];
const sources = ["chirp", "forum", "ledger.example", "harbour-gazette", HOSTILE[1]];
const authors = ["ash_mum296", "ravenvoice", "grain_notes", "tide_talk", "salttalk", HOSTILE[0], "lanterntalk", "estavelnews"];
const t0 = Date.UTC(2026, 1, 1) / 1000;
const docs = {};
const phrases = [
  "The grain embargo was planned long before the harbour strike",
  "NATO expansion forced their hand, say officials in Vell Harbour",
  "Be sure to retweet this so that you follow my new account",
];
const BIG = process.env.BIG === "1";
const NDOCS = BIG ? 20000 : 240;
const filler = BIG ? " " + "Residents of Vell Harbour queued at the ferry terminal again this morning as the council debated. ".repeat(8) : "";
for (let i = 1; i <= NDOCS; i++) {
  const undated = i % 37 === 0;
  const text = i === 7 ? `Look: ${HOSTILE[0]} and ${HOSTILE[1]} and ${HOSTILE[3]} see ${HOSTILE[2]}`
    : `${pick(phrases)}. Post ${i} about ${pick(["ports", "wheat", "ferries", "the council"])}.${filler}`;
  docs[i] = {
    doc: i, ext_id: `c-${String(i).padStart(6, "0")}`, source: pick(sources), author: pick(authors),
    time: undated ? null : Math.floor(t0 + rnd() * 55 * 86400), title: i % 11 === 0 ? `Title ${HOSTILE[1]}` : null,
    url: i % 9 === 0 ? HOSTILE[2] : (i % 5 === 0 ? `https://ledger.example/p/${i}` : null), lang: pick(["en", "en", "uk", "ru"]), text,
  };
}
const dl = Object.values(docs);
const by_day = {};
for (const d of dl) if (d.time !== null) {
  const k = new Date(d.time * 1000).toISOString().slice(0, 10) + "\u0000" + d.source;
  by_day[k] = (by_day[k] || 0) + 1;
}
const overview = {
  docs: dl.length, authors: authors.length, sources_total: sources.length, rejects: 3,
  time_min: Math.min(...dl.filter((d) => d.time).map((d) => d.time)), time_max: Math.max(...dl.filter((d) => d.time).map((d) => d.time)),
  undated: dl.filter((d) => d.time === null).length,
  sources: sources.map((s) => ({ source: s, docs: dl.filter((d) => d.source === s).length })).sort((a, b) => b.docs - a.docs),
  langs: [["en", 120], ["uk", 60], ["ru", 60]].map(([lang, n]) => ({ lang, docs: n })),
  top_authors: authors.map((a) => ({ author: a, docs: dl.filter((d) => d.author === a).length })).sort((a, b) => b.docs - a.docs),
  by_day: Object.entries(by_day).map(([k, n]) => { const [day, source] = k.split("\u0000"); return { day, source, docs: n }; }).sort((a, b) => (a.day < b.day ? -1 : 1)),
  runs: [{ id: 1, kind: "ingest", status: "done", started_at: t0, params: { files: [HOSTILE[0]] } },
    { id: 2, kind: "analyze", status: "done", started_at: t0 + 60, params: null }],
};
const reuse_detail = {};
const clusters = [];
const NREUSE = BIG ? 200 : 12, NOCC = BIG ? 50 : 4;
for (let c = 1; c <= NREUSE; c++) {
  const members = Array.from({ length: NOCC }, (_, j) => docs[((c + 20 * j) % NDOCS) + 1]);
  const occ = members.map((d, j) => ({
    doc: d.doc, ext_id: d.ext_id, start: 0, end: 60, text: j === 0 ? phrases[c % 3] : phrases[c % 3].replace("planned", "plotted"),
    is_origin: j === 0, time: d.time, source: d.source, author: d.author, identity: j === 0 ? 1 : 0.86,
    segments: j === 0 ? [{ op: "=", text: phrases[c % 3] }] :
      [{ op: "=", text: "The grain embargo was " }, { op: "-", text: "planned " }, { op: "+", text: "plotted " },
        { op: "=", text: "long before the harbour strike " }, { op: "+", text: HOSTILE[0] }],
  }));
  const times = occ.map((o) => o.time).filter((t) => t !== null);
  const row = { id: c, origin_doc: occ[0].doc, origin_time: occ[0].time, occurrences: 4, documents: 4 + (c % 3), sources: 1 + (c % 4), authors: 3,
    first_time: times.length ? Math.min(...times) : null, last_time: times.length ? Math.max(...times) : null, excerpt: c === 2 ? HOSTILE[3] : phrases[c % 3] };
  clusters.push(row);
  reuse_detail[c] = { ...row, occurrence_list: occ, occurrence_list_total: 4,
    spread: occ.filter((o) => o.time !== null).map((o) => ({ day: new Date(o.time * 1000).toISOString().slice(0, 10), source: o.source, occurrences: 1 })) };
}
const neardup_detail = {};
const ndc = [];
const NND = BIG ? 200 : 8, NMEM = BIG ? 50 : 3;
for (let c = 1; c <= NND; c++) {
  const m = Array.from({ length: NMEM }, (_, j) => docs[((c * 7 + 100 + 10 * j) % NDOCS) + 1]);
  const row = { id: c, size: 3 + c, first_time: m[0].time, last_time: m[2].time, example_doc: m[0].doc, excerpt: m[0].text.slice(0, 300) };
  ndc.push(row);
  neardup_detail[c] = { ...row, members: m, members_total: Math.max(NMEM, 3 + c) };
}
const nodes = [], edges = [], groups = {}, edgeDetail = {};
const acct = (g, i) => (g === 0 && i === 0 ? HOSTILE[1] : `acct_${g}_${i}`);
let eid = 1;
for (let g = 0; g < (BIG ? 25 : 4); g++) {
  for (let i = 0; i < 6 + g; i++) nodes.push({ id: acct(g, i), group: g, posts: 5 + i, degree: 0, weight: 0 });
  for (let i = 0; i < 6 + g; i++) for (let j = i + 1; j < 6 + g; j++) if ((i + j + g) % 3 !== 0) {
    const e = { edge_id: eid++, a: acct(g, i), b: acct(g, j), behaviour: pick(["co-similar", "co-hashtag", "co-link"]), weight: 1 + Math.floor(rnd() * 6),
      window: 60, symmetry: 0.5 + rnd() / 2, first_time: t0 + 3600, last_time: t0 + 40 * 86400 };
    e.windows = [{ window: 60, weight: e.weight }, { window: 3600, weight: e.weight + 3 }];
    edges.push(e);
    edgeDetail[e.edge_id] = { ...e, evidence: [{ post_a: docs[7], post_b: docs[8 + g], behaviour: e.behaviour, gap: 42 }], evidence_total: 1 };
  }
}
nodes.push({ id: "loner", group: null, posts: 2, degree: 1, weight: 1 });
edges.push({ edge_id: eid, a: "loner", b: acct(1, 1), behaviour: "co-link", weight: 1, window: 3600, symmetry: 1, first_time: t0, last_time: t0,
  windows: [{ window: 3600, weight: 1 }] });
edgeDetail[eid] = { ...edges[edges.length - 1], evidence: [], evidence_total: 0 };
for (const e of edges) for (const k of [e.a, e.b]) { const n = nodes.find((x) => x.id === k); n.degree++; n.weight += e.weight; }
const groupRows = [];
for (let g = (BIG ? 24 : 3); g >= 0; g--) {
  const ge = edges.filter((e) => e.a.startsWith(`acct_${g}_`) || (g === 0 && e.a === HOSTILE[1]));
  const row = { id: g, accounts: 6 + g, posts: 40 + g, first_time: t0, last_time: t0 + 40 * 86400, burstiness: g === 2 ? null : 0.7,
    behaviours: { "co-similar": { edges: ge.length, weight: 10 } },
    top_items: [{ behaviour: "co-link", key: HOSTILE[2], accounts: 3, posts: 5, example_doc: 7 }] };
  groupRows.push(row);
  groups[g] = { ...row, members: nodes.filter((n) => n.group === g).map((n) => n.id), members_total: 6 + g, edges: ge, edges_total: ge.length };
}
const bundle = {
  meta: { version: "0.0.0-sample", generated_at: t0 + 90 * 86400, store: "sample.db", mode: "report",
    limits: { reuse: 500, neardup: 500, edges: 2000, groups: 200, docs: 20000 } },
  overview,
  reuse: { run_id: 3, clusters, clusters_total: 2733 }, reuse_detail,
  neardup: { run_id: 2, clusters: ndc, clusters_total: 580 }, neardup_detail,
  coordination: { run_id: 4, nodes, nodes_total: nodes.length, edges, edges_total: edges.length + 100, groups: groupRows, groups_total: 4 },
  groups, edges: edgeDetail, docs,
};
const json = JSON.stringify(bundle).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
const js = readFileSync(join(dist, "app.js"), "utf8");
const css = readFileSync(join(dist, "app.css"), "utf8");
const sha = createHash("sha256").update(js, "utf8").digest("base64");
const html = `<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-${sha}'; style-src 'unsafe-inline'; img-src data: blob:; worker-src blob:">
<title>echotrace report — sample.db</title><style>${css}</style></head>
<body><div id="app"></div>
<script id="et-data" type="application/json">${json}</script>
<script>${js}</script></body></html>
`;
writeFileSync(out, html);
// The same bundle for dev/serve-sample.mjs, a stand-in for `echotrace serve`.
writeFileSync(join(here, "sample-bundle.json"), JSON.stringify(bundle));
console.log(`sample: ${out} (${html.length} bytes)`);
