// A stand-in for `echotrace serve` over dev/sample-bundle.json, for working on
// the app's live mode without the C++ server. Same paths and error shapes as
// docs/api.md; loopback only. Usage: node dev/serve-sample.mjs [port]
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.ECHOTRACE_WEB_OUT || join(here, "..", "dist");
const b = JSON.parse(readFileSync(join(here, "sample-bundle.json"), "utf8"));
const meta = { ...b.meta, mode: "live" };
const port = Number(process.argv[2] || 8089);

const send = (res, status, body, type = "application/json; charset=utf-8") => {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};
const err = (res, status, error) => send(res, status, { error });
const page = (q, list) => {
  const off = Number(q.get("offset") ?? 0), lim = Number(q.get("limit") ?? 50);
  return list.slice(off, off + lim);
};

createServer((req, res) => {
  if (req.method !== "GET" && req.method !== "HEAD") return err(res, 405, "only GET and HEAD");
  const u = new URL(req.url, "http://x");
  const p = u.pathname, q = u.searchParams;
  if (p === "/") {
    const json = JSON.stringify({ meta }).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
    return send(res, 200, `<!doctype html><html><head><meta charset="utf-8"><title>echotrace</title>
<link rel="stylesheet" href="/app.css"></head><body><div id="app"></div>
<script id="et-data" type="application/json">${json}</script><script src="/app.js"></script></body></html>`, "text/html; charset=utf-8");
  }
  if (p === "/app.js") return send(res, 200, readFileSync(join(dist, "app.js"), "utf8"), "text/javascript; charset=utf-8");
  if (p === "/app.css") return send(res, 200, readFileSync(join(dist, "app.css"), "utf8"), "text/css; charset=utf-8");
  const m = p.match(/^\/api\/(\w+)(?:\/([^/]+))?$/);
  if (!m) return err(res, 404, `no such path: ${p}`);
  const [, what, id] = m;
  if (id !== undefined && !/^\d+$/.test(id)) return err(res, 400, `not an id: ${id}`);
  const lim = Number(q.get("limit") ?? 50);
  if (!(lim >= 0 && lim <= 1000)) return err(res, 400, "limit must be 0..1000");
  const one = (rec) => (rec[id] ? send(res, 200, rec[id]) : err(res, 404, `${what} ${id} not found`));
  switch (what) {
    case "meta": return send(res, 200, meta);
    case "overview": return send(res, 200, b.overview);
    case "reuse": {
      if (id) return one(b.reuse_detail);
      const sort = q.get("sort") ?? "documents";
      if (!["documents", "sources", "first_time"].includes(sort)) return err(res, 400, "bad sort");
      const key = { documents: (c) => -c.documents, sources: (c) => -c.sources, first_time: (c) => c.first_time ?? 1e12 }[sort];
      const all = b.reuse.clusters.slice().sort((x, y) => key(x) - key(y) || x.id - y.id);
      return send(res, 200, { ...b.reuse, clusters: page(q, all) });
    }
    case "neardup": return id ? one(b.neardup_detail) : send(res, 200, { ...b.neardup, clusters: page(q, b.neardup.clusters) });
    case "coordination": return send(res, 200, b.coordination);
    case "groups": return id ? one(b.groups) : err(res, 404, "no such path");
    case "edges": return id ? one(b.edges) : err(res, 404, "no such path");
    case "docs": return id ? one(b.docs) : err(res, 404, "no such path");
    case "search": {
      const s = (q.get("q") ?? "").toLowerCase();
      const hits = Object.values(b.docs).filter((d) => s && s.split(/\s+/).every((w) => d.text.toLowerCase().includes(w))).slice(0, Number(q.get("k") ?? 20))
        // Matched terms in plain [ ], like the FTS5 snippets of the real server.
        .map((d) => ({ doc: d, score: 1, snippet: d.text.slice(0, 200).split(/(\s+)/)
          .map((w) => (s.split(/\s+/).includes(w.toLowerCase()) ? `[${w}]` : w)).join("") }));
      return send(res, 200, { query: q.get("q") ?? "", hits });
    }
  }
  return err(res, 404, `no such path: ${p}`);
}).listen(port, "127.0.0.1", () => console.log(`sample server on http://127.0.0.1:${port}/`));
