// Entry point: picks the data source, draws the frame (header, navigation,
// search box) and renders the view named by the location hash.
import "uplot/dist/uPlot.min.css";
import { DataError, openSource, type DataSource } from "./data";
import { h, replace } from "./dom";
import { errorBox } from "./ui";
import {
  coordinationView, docView, edgeView, groupView, neardupDetailView, neardupListView, overviewView,
  reuseDetailView, reuseListView, searchView, type Ctx, type View,
} from "./views";

type Route = { parts: string[]; query: URLSearchParams };

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, "");
  const qi = raw.indexOf("?");
  const path = qi >= 0 ? raw.slice(0, qi) : raw;
  const query = new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : "");
  const parts = path.split("/").filter((p) => p !== "").map((p) => {
    try { return decodeURIComponent(p); } catch { return p; }
  });
  return { parts, query };
}

const NAV: [string, string][] = [
  ["overview", "Overview"], ["reuse", "Reuse"], ["neardup", "Near-duplicates"], ["coordination", "Coordination"],
];

function idOf(s: string | undefined): number | null {
  return s !== undefined && /^\d{1,15}$/.test(s) ? Number(s) : null;
}

// What each page is called and whether it takes an id, for the message a
// mistyped address gets (issue 17 item 14: "#/foo/bar" used to say little).
const PAGES: Record<string, { what: string; id: "none" | "optional" | "required" }> = {
  overview: { what: "the overview", id: "none" },
  reuse: { what: "a reuse cluster", id: "optional" },
  neardup: { what: "a near-duplicate cluster", id: "optional" },
  coordination: { what: "the coordination view", id: "none" },
  groups: { what: "a coordination group", id: "required" },
  edges: { what: "a coordination edge", id: "required" },
  docs: { what: "a document", id: "required" },
  search: { what: "the search", id: "none" },
};

const PAGE_LIST = "#/overview, #/reuse, #/reuse/ID, #/neardup, #/neardup/ID, #/coordination, " +
  "#/groups/ID, #/edges/ID, #/docs/ID, #/search?q=WORDS";

/** Why the address names no page, or null when it names one. */
export function routeProblem(parts: string[]): string | null {
  const shown = `“#/${parts.join("/")}”`;
  const [top = "overview", arg, ...rest] = parts;
  const page = Object.prototype.hasOwnProperty.call(PAGES, top) ? PAGES[top] : undefined;
  if (!page) return `There is no page ${shown}: “${top}” is not one of this app's pages (${PAGE_LIST}).`;
  if (rest.length > 0) return `There is no page ${shown}: ${page.what} address has at most one part after “#/${top}/”.`;
  if (arg === undefined) {
    return page.id === "required" ? `There is no page ${shown}: the address of ${page.what} needs its number, as in #/${top}/12.` : null;
  }
  if (page.id === "none") return `There is no page ${shown}: “#/${top}” takes nothing after it.`;
  if (idOf(arg) === null) return `There is no page ${shown}: “${arg}” is not the number of ${page.what} (as in #/${top}/12).`;
  return null;
}

async function route(ctx: Ctx, r: Route): Promise<View> {
  const problem = routeProblem(r.parts);
  if (problem !== null) throw new DataError(404, problem);
  const [top = "overview", arg] = r.parts;
  const id = idOf(arg);
  switch (top) {
    case "overview": return overviewView(ctx);
    case "reuse": return id === null ? reuseListView(ctx) : reuseDetailView(ctx, id);
    case "neardup": return id === null ? neardupListView(ctx) : neardupDetailView(ctx, id);
    case "coordination": return coordinationView(ctx);
    case "groups": if (id !== null) return groupView(ctx, id); break;
    case "edges": if (id !== null) return edgeView(ctx, id); break;
    case "docs": if (id !== null) return docView(ctx, id); break;
    case "search": return searchView(ctx);
  }
  throw new DataError(404, `There is no page “#/${r.parts.join("/")}”.`);
}

function frame(src: DataSource, onSearch: (q: string) => void) {
  const input = h("input", {
    type: "search", id: "q", name: "q",
    placeholder: src.meta.mode === "report" ? "Search this report's documents…" : "Search all documents…",
    "aria-label": src.meta.mode === "report" ? "Search this report's documents" : "Search all documents",
    autocomplete: "off", maxlength: 1000,
  });
  const nav = h("nav", { class: "nav", "aria-label": "views" },
    NAV.map(([k, label]) => h("a", { href: `#/${k}`, "data-nav": k }, label)));
  const form = h("form", { class: "search", role: "search" }, input, h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); onSearch(input.value.trim()); });
  const main = h("main", { id: "main", tabindex: "-1" });
  const status = h("div", { class: "loading", role: "status", "aria-live": "polite" });
  const header = h("header", { class: "top" },
    h("a", { class: "skip", href: "#main-content", onclick: (ev: Event) => { ev.preventDefault(); main.focus(); } }, "Skip to content"),
    h("div", { class: "brand" }, h("span", { class: "logo" }, "echotrace"),
      h("span", { class: `mode ${src.meta.mode}` }, src.meta.mode === "report" ? "report" : "live"),
      h("span", { class: "store", title: "store" }, src.meta.store)),
    nav, form);
  const footer = h("footer", null, `echotrace ${src.meta.version} · all times UTC · text from the corpus is shown as written; links in it are not followed.`);
  return { header, nav, main, status, footer, input };
}

async function start(): Promise<void> {
  // The interface is English; documents carry their own lang (ui.ts).
  if (!document.documentElement.lang) document.documentElement.lang = "en";
  // An empty icon, so the browser does not ask the server (or the file
  // system) for /favicon.ico: no 404 noise, no request at all from a report.
  if (!document.querySelector("link[rel~=icon]")) {
    const icon = document.createElement("link");
    icon.rel = "icon";
    icon.href = "data:,";
    document.head.appendChild(icon);
  }
  const root = document.getElementById("app") ?? document.body.appendChild(h("div", { id: "app" }));
  let src: DataSource;
  try {
    src = await openSource();
  } catch (e) {
    replace(root, errorBox(`Could not load the data: ${e instanceof Error ? e.message : String(e)}`));
    return;
  }
  const f = frame(src, (q) => { location.hash = q ? `#/search?q=${encodeURIComponent(q)}` : "#/overview"; });
  replace(root, f.header, f.status, f.main, f.footer);

  let leave: (() => void)[] = [];
  let token = 0;
  const render = async () => {
    const mine = ++token;
    for (const fn of leave) { try { fn(); } catch { /* a view that is gone */ } }
    leave = [];
    const r = parseHash(location.hash);
    const top = r.parts[0] ?? "overview";
    for (const a of f.nav.querySelectorAll("a")) {
      const on = a.getAttribute("data-nav") === top ||
        (a.getAttribute("data-nav") === "coordination" && (top === "groups" || top === "edges"));
      if (on) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    }
    if (top === "search") f.input.value = r.query.get("q") ?? "";
    f.status.textContent = "Loading…";
    f.main.setAttribute("data-route", "");
    const ctx: Ctx = { src, query: r.query, onLeave: (fn) => { if (mine === token) leave.push(fn); else fn(); } };
    let view: View;
    try {
      view = await route(ctx, r);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      view = { title: "Not found", body: [h("h1", { tabindex: "-1", id: "view-title" }, e instanceof DataError && e.status === 404 ? "Not found" : "Error"),
        errorBox(msg), h("p", null, h("a", { href: "#/overview" }, "Go to the overview"))] };
    }
    if (mine !== token) return;  // a newer navigation won
    replace(f.main, view.body);
    // Tells tests (and anything scripted) which route the content belongs to.
    f.main.setAttribute("data-route", location.hash);
    f.status.textContent = "";
    document.title = `${view.title} — echotrace ${src.meta.mode === "report" ? "report" : ""} — ${src.meta.store}`;
    // Move focus to the new heading so screen readers announce the view and
    // keyboard users start at the top of it.
    const t = document.getElementById("view-title");
    if (t && document.activeElement !== f.input) t.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  };
  window.addEventListener("hashchange", () => { void render(); });
  if (!location.hash || location.hash === "#" || location.hash === "#/") history.replaceState(null, "", "#/overview");
  await render();
}

void start();
