// Building blocks shared by the views: tables, document cards, notices.
import { h, type Child } from "./dom";
import { fmtTime, num, orNone } from "./format";
import type { Doc } from "./types";

export type Column<T> = {
  label: string;
  cell: (row: T) => Child;
  numeric?: boolean;
  /** Set when the column can sort the table; the view decides how. */
  sortKey?: string;
  /** Which way this column sorts (first seen: earliest first). */
  sortDir?: "ascending" | "descending";
};

/**
 * A readable table: header cells are <th scope="col">, numbers right-aligned,
 * and sortable headers are buttons (keyboard reachable) with aria-sort.
 */
export function table<T>(cols: Column<T>[], rows: T[], opts: {
  caption?: string; sorted?: string; onSort?: (key: string) => void; testid?: string; rowLink?: (row: T) => string;
} = {}): HTMLTableElement {
  const head = h("tr", null, cols.map((c) => {
    const sortable = c.sortKey !== undefined && opts.onSort !== undefined;
    const active = sortable && c.sortKey === opts.sorted;
    return h("th", {
      scope: "col", class: c.numeric ? "num" : null,
      "aria-sort": sortable ? (active ? (c.sortDir ?? "descending") : "none") : null,
    }, sortable
      ? h("button", { type: "button", class: active ? "sort active" : "sort",
        "data-sort": c.sortKey, onclick: () => opts.onSort!(c.sortKey!) },
        c.label, active ? (c.sortDir === "ascending" ? " ▴" : " ▾") : "")
      : c.label);
  }));
  const body = h("tbody", null, rows.map((r) => {
    const tr = h("tr", null, cols.map((c) => h("td", { class: c.numeric ? "num" : null }, c.cell(r))));
    if (opts.rowLink) {
      // The whole row answers a click; keyboard users use the link in its first cell.
      const target = opts.rowLink(r);
      tr.classList.add("clickable");
      tr.addEventListener("click", (ev) => {
        if ((ev.target as Element).closest("a, button")) return;
        location.hash = target;
      });
    }
    return tr;
  }));
  return h("table", { class: "data", "data-testid": opts.testid ?? null },
    opts.caption ? h("caption", null, opts.caption) : null, h("thead", null, head), body);
}

/** "Showing 50 of 2,733 …": lists that were cut always say by how much. */
export function shownOf(shown: number, total: number, what: string, more?: string): HTMLElement {
  const left = total - shown;
  return h("p", { class: "count", "data-testid": "count" },
    left > 0
      ? [`Showing ${num(shown)} of ${num(total)} ${what}; ${num(left)} not shown`, more ? ` (${more})` : "", "."]
      : `${num(total)} ${what}.`);
}

export function notAnalysed(kind: string, only: string): HTMLElement {
  return h("div", { class: "notice", role: "status" },
    h("strong", null, `No ${kind} in this store.`), " It was not analysed: run ",
    h("code", null, `echotrace analyze --db STORE --only ${only}`), ".");
}

export function errorBox(msg: string): HTMLElement {
  return h("div", { class: "notice error", role: "alert" }, msg);
}

export function timeCell(t: number | null): Child {
  return t === null ? h("span", { class: "undated" }, "undated") : h("span", { class: "t" }, fmtTime(t));
}

export function link(href: string, ...children: Child[]): HTMLAnchorElement {
  return h("a", { href }, ...children);
}

/**
 * A document's source, author, time, language and id. The id shown is the
 * ext_id, the same one the CLI and the exports show; the integer `doc` is the
 * store's internal key and appears only in addresses (#/docs/N).
 */
export function docMeta(d: { source: string | null; author: string | null; time: number | null; ext_id?: string; lang?: string }): HTMLElement {
  return h("div", { class: "meta" },
    h("span", { class: "source", title: "source" }, orNone(d.source, "source")),
    h("span", { class: "author", title: "author" }, orNone(d.author, "author")),
    d.time === null ? h("span", { class: "undated", title: "time unknown" }, "undated")
      : h("time", null, fmtTime(d.time)),
    d.lang ? h("span", { class: "lang", title: "language" }, d.lang) : null,
    d.ext_id ? h("span", { class: "docid", title: "document id (the input's id, else a hash of its content)" },
      "id ", h("code", null, d.ext_id)) : null);
}

/** A document's language for its lang attribute (screen readers), when it is a plain code. */
export function langAttr(lang: string | null | undefined): string | null {
  return lang && /^[a-z]{2,3}$/.test(lang) && lang !== "und" ? lang : null;
}

const FOLD = 1500;

/**
 * A document's text; a long one (an article) starts folded so lists of posts
 * stay scannable, with a button that shows the rest.
 */
function longText(text: string, lang: string | null): HTMLElement {
  const box = h("div", { class: "text", lang });
  if (text.length <= FOLD + 500) { box.textContent = text; return box; }
  box.textContent = text.slice(0, FOLD) + "…";
  const more = h("button", { type: "button", class: "more-text" },
    `Show the whole text (${text.length.toLocaleString("en-US")} characters)`);
  more.addEventListener("click", () => { box.textContent = text; more.remove(); box.focus(); });
  box.setAttribute("tabindex", "-1");
  return h("div", null, box, more);
}

/** One document, shown as it was written: all of it text, the URL not a link. */
export function docCard(d: Doc, extra?: Child): HTMLElement {
  return h("article", { class: "doc", "data-doc": d.doc },
    docMeta(d),
    d.title ? h("h4", { class: "title" }, d.title) : null,
    longText(d.text, langAttr(d.lang)),
    d.text_cut ? h("p", { class: "cut" }, "Text cut at 20,000 bytes in this report.") : null,
    d.url ? h("p", { class: "url" }, h("span", { class: "label" }, "URL (not a link): "), h("code", null, d.url)) : null,
    extra ?? null);
}
