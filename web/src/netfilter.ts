// Which accounts and edges the network drawing shows (issue 17 item 7).
//
// The coordination list holds the heaviest edges of the whole graph, and
// co-hashtag edges are usually the heaviest by far: a group held together by
// lighter co-post or co-reply edges then has few accounts, or none, in the
// drawing. So the pool of edges to draw is the list plus the edges of the
// groups it covers poorly (from their group details), and the reader filters
// it by behaviour, window and weight. Whatever the weight threshold, every
// group keeps its few heaviest edges of the chosen behaviours and window: a
// threshold thins a group out but never removes it. Pure functions.
import type { Edge, GraphNode, GroupRow } from "./types";

export type NetFilter = {
  /** Behaviours drawn; empty: none. */
  behaviours: Set<string>;
  /** The window (s) whose weight counts, or null for the weight at any window. */
  window: number | null;
  /** Edges lighter than this (at the chosen window) are left out, except each group's heaviest. */
  minWeight: number;
};

/** Edges of each group kept whatever the weight threshold. */
export const KEEP_PER_GROUP = 3;

/** The edge's weight at `window` (0 when it has none there), or at any window. */
export function weightAt(e: Edge, window: number | null): number {
  if (window === null) return e.weight;
  return e.windows?.find((w) => w.window === window)?.weight ?? 0;
}

export type Drawing = {
  nodes: GraphNode[];
  /** Copies of the drawn edges whose `weight` is the weight at the chosen window. */
  edges: Edge[];
  /** Listed groups with no edge of the chosen behaviours and window in the pool. */
  absentGroups: number[];
};

/**
 * The accounts and edges to draw from `pool` under `f`. `nodes` gives what is
 * known of each account (its group above all); an account only met in the
 * pool is placed in the group of the edge's other end when both agree.
 */
export function selectDrawing(pool: Edge[], nodes: Map<string, GraphNode>, groups: GroupRow[], f: NetFilter,
  groupOf: (account: string) => number | null): Drawing {
  const candidates: Edge[] = [];
  for (const e of pool) {
    if (!f.behaviours.has(e.behaviour)) continue;
    const w = weightAt(e, f.window);
    if (w <= 0) continue;
    candidates.push({ ...e, weight: w });
  }
  candidates.sort((x, y) => y.weight - x.weight || x.edge_id - y.edge_id);
  const kept = new Set<number>();
  const perGroup = new Map<number, number>();
  for (const e of candidates) {
    const ga = groupOf(e.a);
    if (ga === null || ga !== groupOf(e.b)) continue;
    const n = perGroup.get(ga) ?? 0;
    if (n < KEEP_PER_GROUP) { kept.add(e.edge_id); perGroup.set(ga, n + 1); }
  }
  const edges = candidates.filter((e) => e.weight >= f.minWeight || kept.has(e.edge_id))
    .sort((x, y) => x.edge_id - y.edge_id);
  const degree = new Map<string, number>();
  for (const e of edges) for (const k of [e.a, e.b]) degree.set(k, (degree.get(k) ?? 0) + 1);
  const drawnNodes: GraphNode[] = [...degree.keys()].sort().map((id) =>
    nodes.get(id) ?? { id, group: groupOf(id), posts: 0, degree: degree.get(id) ?? 0, weight: 0 });
  const absentGroups = groups.map((g) => g.id).filter((id) => !perGroup.has(id));
  return { nodes: drawnNodes, edges, absentGroups };
}

/**
 * The listed groups the heaviest edges cover poorly (fewer than half their
 * accounts drawn), least covered first: their group details add their own
 * edges to the pool.
 */
export function poorlyCovered(groups: GroupRow[], nodes: GraphNode[]): number[] {
  const drawn = new Map<number, number>();
  for (const n of nodes) if (n.group !== null) drawn.set(n.group, (drawn.get(n.group) ?? 0) + 1);
  return groups
    .map((g) => ({ id: g.id, share: (drawn.get(g.id) ?? 0) / Math.max(1, g.accounts) }))
    .filter((g) => g.share < 0.5)
    .sort((a, b) => a.share - b.share || a.id - b.id)
    .map((g) => g.id);
}
