// The account network: graphology holds it, ForceAtlas2 lays it out (in this
// thread, a fixed number of iterations from positions derived from the data,
// so the same store always gives the same picture), sigma draws it with WebGL.
// Labels are drawn on the canvas by sigma, never as HTML.
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import Sigma from "sigma";
import { GREY, PALETTE } from "./charts";
import type { Edge, GraphNode } from "./types";

/** FNV-1a: a stable number per account name for the initial layout. */
function hash(s: string): number {
  let x = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { x ^= s.charCodeAt(i); x = Math.imul(x, 0x01000193); }
  return x >>> 0;
}

export function groupColour(rank: number | undefined): string {
  return rank === undefined ? GREY : PALETTE[rank % PALETTE.length];
}

export type NetworkView = {
  destroy: () => void;
  /** Accounts and edges drawn; for the caption. */
  nodes: number; edges: number;
};

export type NetworkHandlers = {
  onEdge: (edgeId: number) => void;
  onNode: (account: string) => void;
};

export const LAYOUT_ITERATIONS = 300;

export function drawNetwork(container: HTMLElement, c: { nodes: GraphNode[]; edges: Edge[] }, groupRank: Map<number, number>,
  on: NetworkHandlers): NetworkView {
  const g = new Graph({ type: "undirected", multi: true, allowSelfLoops: false });
  const known = new Set<string>();
  // Nodes sorted by id so insertion order (and thus the layout) never depends
  // on the order the server happened to list them in.
  const nodes = c.nodes.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const groups = [...new Set(nodes.map((n) => n.group ?? -1))].sort((a, b) => a - b);
  const maxDeg = Math.max(1, ...nodes.map((n) => n.degree));
  for (const n of nodes) {
    // Start each community around its own point on a circle, each account at a
    // hashed offset: deterministic and already roughly separated.
    const gi = groups.indexOf(n.group ?? -1);
    const a = (2 * Math.PI * gi) / Math.max(1, groups.length);
    const hv = hash(n.id);
    const r = 1 + (hv % 1000) / 1000;
    const b = ((hv >>> 10) % 6283) / 1000;
    const rank = n.group === null ? undefined : groupRank.get(n.group);
    g.addNode(n.id, {
      x: 10 * Math.cos(a) + r * Math.cos(b), y: 10 * Math.sin(a) + r * Math.sin(b),
      size: 2.5 + 5.5 * Math.sqrt(n.degree / maxDeg),
      color: groupColour(rank),
      label: n.id,
    });
    known.add(n.id);
  }
  const maxW = Math.max(1, ...c.edges.map((e) => e.weight));
  for (const e of c.edges.slice().sort((x, y) => x.edge_id - y.edge_id)) {
    // An edge whose account is not in the node list (cut by the limit) is skipped.
    if (!known.has(e.a) || !known.has(e.b) || e.a === e.b) continue;
    g.addEdgeWithKey(String(e.edge_id), e.a, e.b, {
      size: 0.5 + 2.5 * Math.sqrt(e.weight / maxW),
      color: "#b4bcc6",
      weight: e.weight,
      label: e.behaviour,
    });
  }
  if (g.order > 0) {
    forceAtlas2.assign(g, {
      iterations: LAYOUT_ITERATIONS,
      getEdgeWeight: "weight",
      // Dense cliques (a coordinated group is nearly one) collapse into a
      // blob with the default scaling; spread them, and pull the separate
      // groups toward the middle so they share the frame.
      settings: {
        ...forceAtlas2.inferSettings(g), scalingRatio: 20, gravity: 3, strongGravityMode: true,
        adjustSizes: false, barnesHutOptimize: g.order > 400,
      },
    });
  }
  // A fingerprint of the layout, on the container: tests check that the same
  // data always gives the same picture.
  let fp = 0x811c9dc5;
  g.forEachNode((id, a) => {
    const s = `${id}:${(a.x as number).toFixed(3)},${(a.y as number).toFixed(3)};`;
    for (let i = 0; i < s.length; i++) { fp ^= s.charCodeAt(i); fp = Math.imul(fp, 0x01000193); }
  });
  container.setAttribute("data-layout", (fp >>> 0).toString(16));
  let renderer: Sigma;
  try {
    renderer = new Sigma(g, container, {
      enableEdgeEvents: true,
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 7,
      labelFont: "system-ui, sans-serif",
      zIndex: true,
    });
  } catch (err) {
    throw new Error(`The network needs WebGL, which this browser did not provide (${String(err)}). ` +
      "The tables below list the same groups and edges.");
  }
  // A clicked account keeps its neighbourhood in colour and fades the rest,
  // so who it acts with reads at a glance; a click on the background clears it.
  let selected: string | null = null;
  let near = new Set<string>();
  renderer.setSetting("nodeReducer", (node, data) => {
    if (selected === null || near.has(node)) return node === selected ? { ...data, highlighted: true } : data;
    return { ...data, color: "#d5d9de", label: "" };
  });
  renderer.setSetting("edgeReducer", (edge, data) => {
    if (selected === null) return data;
    return g.hasExtremity(edge, selected) ? { ...data, color: "#5b6570" } : { ...data, hidden: true };
  });
  renderer.on("clickEdge", ({ edge }) => on.onEdge(Number(edge)));
  renderer.on("clickNode", ({ node }) => {
    selected = node;
    near = new Set([node, ...g.neighbors(node)]);
    renderer.refresh();
    on.onNode(node);
  });
  renderer.on("clickStage", () => { selected = null; near = new Set(); renderer.refresh(); });
  renderer.on("enterEdge", () => { container.style.cursor = "pointer"; });
  renderer.on("leaveEdge", () => { container.style.cursor = ""; });
  renderer.on("enterNode", () => { container.style.cursor = "pointer"; });
  renderer.on("leaveNode", () => { container.style.cursor = ""; });
  return { destroy: () => renderer.kill(), nodes: g.order, edges: g.size };
}
