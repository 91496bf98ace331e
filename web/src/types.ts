// The data shapes of docs/api.md, one to one. The report bundle and the live
// API answer with exactly these, so every view has one renderer for both.

export type Doc = {
  doc: number; ext_id: string; source: string | null; author: string | null;
  time: number | null; title: string | null; url: string | null; lang: string;
  text: string; text_cut?: boolean;
};

export type Meta = {
  version: string; generated_at: number; store: string; mode: "report" | "live";
  limits: { reuse: number; neardup: number; edges: number; groups: number; docs: number };
};

export type Run = { id: number; kind: string; status: string; started_at: number; params: unknown };

export type Overview = {
  docs: number; authors: number; sources_total: number; rejects: number;
  time_min: number | null; time_max: number | null; undated: number;
  sources: { source: string | null; docs: number }[];
  langs: { lang: string; docs: number }[];
  top_authors: { author: string; docs: number }[];
  by_day: { day: string; source: string | null; docs: number }[];
  runs: Run[];
};

export type ReuseClusterRow = {
  id: number; origin_doc: number; origin_time: number | null;
  occurrences: number; documents: number; sources: number; authors: number;
  first_time: number | null; last_time: number | null; excerpt: string;
  // Documents without a time; the origin (earliest dated) is certain only when 0.
  // Absent in bundles written before these fields: read as certain.
  undated?: number; origin_certain?: boolean;
};
export type ReuseList = { run_id: number; clusters: ReuseClusterRow[]; clusters_total: number };

export type Segment = { op: "=" | "+" | "-"; text: string };
export type Occurrence = {
  doc: number; ext_id: string; start: number; end: number; text: string; is_origin: boolean;
  time: number | null; source: string | null; author: string | null;
  identity: number; segments: Segment[];
};
export type SpreadPoint = { day: string; source: string | null; occurrences: number };
export type ReuseDetail = ReuseClusterRow & {
  occurrence_list: Occurrence[]; occurrence_list_total: number;
  spread: SpreadPoint[];
};

export type NeardupClusterRow = {
  id: number; size: number; first_time: number | null; last_time: number | null;
  example_doc: number; excerpt: string;
};
export type NeardupList = { run_id: number; clusters: NeardupClusterRow[]; clusters_total: number };
export type NeardupDetail = NeardupClusterRow & { members: Doc[]; members_total: number };

export type GraphNode = { id: string; group: number | null; posts: number; degree: number; weight: number };
/** An edge's co-actions counted at one window (seconds). */
export type WindowWeight = { window: number; weight: number };
export type Edge = {
  edge_id: number; a: string; b: string; behaviour: string;
  /** Co-actions at any window; `window`: the narrowest window at which the edge holds. */
  weight: number; window: number; symmetry: number; first_time: number; last_time: number;
  /** The weight at each window, narrowest first (docs/api.md). */
  windows: WindowWeight[];
};
// label: readable form of the item (the link, the hashtags, the parent post, or the
// example post's text); key: the hash it was grouped by (docs/api.md).
export type TopItem = { behaviour: string; key: string; label: string; accounts: number; posts: number; example_doc: number };
export type GroupRow = {
  id: number; accounts: number; posts: number; first_time: number | null;
  last_time: number | null; burstiness: number | null;
  behaviours: Record<string, { edges: number; weight: number }>;
  top_items: TopItem[];
};
export type Coordination = {
  run_id: number; nodes: GraphNode[]; nodes_total: number;
  edges: Edge[]; edges_total: number; groups: GroupRow[]; groups_total: number;
};
export type Evidence = { post_a: Doc; post_b: Doc; behaviour: string; gap: number };
export type EdgeDetail = Edge & { evidence: Evidence[]; evidence_total: number };
export type GroupDetail = GroupRow & {
  members: string[]; members_total: number; edges: Edge[]; edges_total: number;
};

export type SearchHit = { doc: Doc; score: number; snippet: string };
export type SearchResult = { query: string; hits: SearchHit[] };

export type Bundle = {
  meta: Meta; overview: Overview;
  reuse: ReuseList | null; reuse_detail: Record<string, ReuseDetail>;
  neardup: NeardupList | null; neardup_detail: Record<string, NeardupDetail>;
  coordination: Coordination | null;
  groups: Record<string, GroupDetail>;
  edges: Record<string, EdgeDetail>;
  docs: Record<string, Doc>;
};

export type ReuseSort = "documents" | "sources" | "first_time";
