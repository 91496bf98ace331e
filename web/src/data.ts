// One interface, two implementations: the report reads the bundle inlined in
// the page; the live UI asks `echotrace serve` over the whole store. Views only
// see DataSource, so they render both the same way (docs/api.md).
import type {
  Bundle, Coordination, Doc, EdgeDetail, GroupDetail, Meta, NeardupDetail, NeardupList,
  Overview, ReuseDetail, ReuseList, ReuseSort, SearchHit, SearchResult,
} from "./types";

/** A request that found nothing or was refused; the view shows `message`. */
export class DataError extends Error {
  constructor(public status: number, message: string) { super(message); }
}

export type Page = { offset: number; limit: number };

export interface DataSource {
  readonly meta: Meta;
  /** Lists in the report are the top N only; live lists page through the store. */
  readonly pagesLists: boolean;
  overview(): Promise<Overview>;
  /** null: never analysed. */
  reuseList(sort: ReuseSort, page: Page): Promise<ReuseList | null>;
  reuseDetail(id: number): Promise<ReuseDetail>;
  neardupList(page: Page): Promise<NeardupList | null>;
  neardupDetail(id: number): Promise<NeardupDetail>;
  coordination(): Promise<Coordination | null>;
  group(id: number): Promise<GroupDetail>;
  edge(id: number): Promise<EdgeDetail>;
  doc(id: number): Promise<Doc>;
  search(q: string, k: number): Promise<SearchResult>;
  /**
   * How many documents search() looks at, or null when it searches the whole
   * store (live). A report carries only the documents its views show, unless
   * the store is small enough to carry all (docs/api.md).
   */
  readonly searchedDocs: number | null;
}

function notInReport(what: string, id: number): DataError {
  return new DataError(404, `${what} ${id} is not in this report (the report holds the top items of each list; ` +
    "open the store with `echotrace serve` to see all of them)");
}

function cmpTime(a: number | null, b: number | null): number {
  // Undated items sort last: "first seen" is unknown, not early.
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return a - b;
}

export function sortReuse<T extends { id: number; documents: number; sources: number; first_time: number | null }>(
  rows: T[], sort: ReuseSort): T[] {
  const out = rows.slice();
  out.sort((x, y) => {
    let d = 0;
    if (sort === "documents") d = y.documents - x.documents || y.sources - x.sources;
    else if (sort === "sources") d = y.sources - x.sources || y.documents - x.documents;
    else d = cmpTime(x.first_time, y.first_time);
    return d || x.id - y.id;
  });
  return out;
}

// ---- search over the documents a report holds -------------------------------

/** Lower-cased words, letters and digits of any script. */
export function words(s: string): string[] {
  return s.toLowerCase().normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Plain-text snippet of about `width` characters around the first hit. */
export function makeSnippet(text: string, terms: string[], width = 220): string {
  const lower = text.toLowerCase();
  let at = -1;
  for (const t of terms) {
    const i = lower.indexOf(t);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const flat = (s: string) => s.replace(/\s+/g, " ");
  if (text.length <= width) return flat(text);
  const start = Math.max(0, (at < 0 ? 0 : at) - Math.floor(width / 3));
  const end = Math.min(text.length, start + width);
  return (start > 0 ? "…" : "") + flat(text.slice(start, end)) + (end < text.length ? "…" : "");
}

/**
 * Every query word must occur (AND, like the store's FTS5 default); the score
 * counts occurrences, favours the exact phrase and short documents, a rough
 * stand-in for BM25 that is good enough for the few thousand documents a
 * report holds.
 */
export type Indexed = { doc: Doc; words: string[]; joined: string };

/** Tokenises once: a report holds up to 20,000 documents, searched many times. */
export function indexDocs(docs: Doc[]): Indexed[] {
  return docs.map((d) => {
    const w = words((d.title ?? "") + " " + d.text);
    return { doc: d, words: w, joined: " " + w.join(" ") + " " };
  });
}

export function searchDocs(index: Indexed[], q: string, k: number): SearchHit[] {
  const terms = Array.from(new Set(words(q)));
  if (terms.length === 0) return [];
  const phrase = " " + words(q).join(" ") + " ";
  const hits: SearchHit[] = [];
  for (const { doc: d, words: hay, joined } of index) {
    // Cheap rejection first: every term must appear somewhere in the text.
    if (!terms.every((t) => joined.includes(" " + t + " "))) continue;
    const counts = new Map<string, number>();
    for (const w of hay) if (terms.includes(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
    if (counts.size < terms.length) continue;
    let score = 0;
    for (const c of counts.values()) score += 1 + Math.log(c);
    if (terms.length > 1 && joined.includes(phrase)) score += terms.length;
    score /= 1 + Math.log(1 + hay.length / 50);
    hits.push({ doc: d, score: Math.round(score * 1000) / 1000, snippet: "" });
  }
  hits.sort((a, b) => b.score - a.score || a.doc.doc - b.doc.doc);
  // Snippets only for what is shown.
  const top = hits.slice(0, k);
  for (const hit of top) hit.snippet = makeSnippet(hit.doc.text, terms);
  return top;
}

// ---- the report: everything is already in the page --------------------------

export class EmbeddedSource implements DataSource {
  readonly pagesLists = false;
  private index: Indexed[] | null = null;
  constructor(private b: Bundle) {}
  get meta(): Meta { return this.b.meta; }
  get searchedDocs(): number { return Object.keys(this.b.docs).length; }
  async overview(): Promise<Overview> { return this.b.overview; }
  async reuseList(sort: ReuseSort): Promise<ReuseList | null> {
    const r = this.b.reuse;
    return r ? { ...r, clusters: sortReuse(r.clusters, sort) } : null;
  }
  async reuseDetail(id: number): Promise<ReuseDetail> {
    const d = this.b.reuse_detail[String(id)];
    if (!d) throw notInReport("Reuse cluster", id);
    return d;
  }
  async neardupList(): Promise<NeardupList | null> { return this.b.neardup; }
  async neardupDetail(id: number): Promise<NeardupDetail> {
    const d = this.b.neardup_detail[String(id)];
    if (!d) throw notInReport("Near-duplicate cluster", id);
    return d;
  }
  async coordination(): Promise<Coordination | null> { return this.b.coordination; }
  async group(id: number): Promise<GroupDetail> {
    const d = this.b.groups[String(id)];
    if (!d) throw notInReport("Group", id);
    return d;
  }
  async edge(id: number): Promise<EdgeDetail> {
    const d = this.b.edges[String(id)];
    if (!d) throw notInReport("Edge", id);
    return d;
  }
  async doc(id: number): Promise<Doc> {
    const d = this.b.docs[String(id)];
    if (!d) throw notInReport("Document", id);
    return d;
  }
  async search(q: string, k: number): Promise<SearchResult> {
    if (!this.index) this.index = indexDocs(Object.values(this.b.docs).sort((a, b) => a.doc - b.doc));
    return { query: q, hits: searchDocs(this.index, q, k) };
  }
}

// ---- live: the JSON API of `echotrace serve`, same origin -------------------

export class ApiSource implements DataSource {
  readonly pagesLists = true;
  readonly searchedDocs = null;
  constructor(readonly meta: Meta) {}

  static async load(): Promise<ApiSource> {
    return new ApiSource(await ApiSource.get<Meta>("/api/meta"));
  }

  private static async get<T>(path: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    } catch (e) {
      throw new DataError(0, `The server did not answer (${String(e)}). Is \`echotrace serve\` still running?`);
    }
    let body: unknown = null;
    try { body = await res.json(); } catch { /* error pages may not be JSON */ }
    if (!res.ok) {
      const msg = body && typeof body === "object" && "error" in body ? String((body as { error: unknown }).error)
        : `HTTP ${res.status}`;
      throw new DataError(res.status, msg);
    }
    return body as T;
  }

  /** A list endpoint answers 404 when its result kind was never analysed. */
  private async list<T>(path: string): Promise<T | null> {
    try { return await ApiSource.get<T>(path); } catch (e) {
      if (e instanceof DataError && e.status === 404) return null;
      throw e;
    }
  }

  overview() { return ApiSource.get<Overview>("/api/overview"); }
  reuseList(sort: ReuseSort, p: Page) {
    return this.list<ReuseList>(`/api/reuse?sort=${sort}&offset=${p.offset}&limit=${p.limit}`);
  }
  reuseDetail(id: number) { return ApiSource.get<ReuseDetail>(`/api/reuse/${id}`); }
  neardupList(p: Page) { return this.list<NeardupList>(`/api/neardup?offset=${p.offset}&limit=${p.limit}`); }
  neardupDetail(id: number) { return ApiSource.get<NeardupDetail>(`/api/neardup/${id}`); }
  coordination() {
    // The API caps limits at 1,000; the report's edge limit may be higher.
    const limit = Math.min(1000, Math.max(1, this.meta.limits?.edges || 500));
    return this.list<Coordination>(`/api/coordination?limit=${limit}`);
  }
  group(id: number) { return ApiSource.get<GroupDetail>(`/api/groups/${id}`); }
  edge(id: number) { return ApiSource.get<EdgeDetail>(`/api/edges/${id}`); }
  doc(id: number) { return ApiSource.get<Doc>(`/api/docs/${id}`); }
  search(q: string, k: number) {
    return ApiSource.get<SearchResult>(`/api/search?q=${encodeURIComponent(q)}&k=${k}`);
  }
}

/** Picks the implementation from the page's `et-data` element (meta.mode). */
export async function openSource(): Promise<DataSource> {
  const el = document.getElementById("et-data");
  const raw = el?.textContent?.trim();
  if (!raw) {
    // A page without inline data can only be the served UI.
    return ApiSource.load();
  }
  const data = JSON.parse(raw) as Partial<Bundle> & { meta: Meta };
  if (data.meta?.mode === "live") return new ApiSource(data.meta);
  if (!data.overview) throw new Error("The report's data is incomplete (no overview).");
  return new EmbeddedSource(data as Bundle);
}
