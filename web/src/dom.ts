// The only way this app builds DOM. Children given as strings become text
// nodes, attributes are set one by one with setAttribute, and there is no
// helper that parses HTML: corpus text (posts, authors, titles, sources, URLs)
// is attacker-controlled and must never be interpreted as markup.

export type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

// Attribute names that would turn a string into something the browser loads
// or runs. Data must never reach them; code in this app never sets them.
const FORBIDDEN_ATTR = /^(on|srcdoc$|formaction$)/i;
const URL_ATTR = /^(href|src|action|xlink:href)$/i;

export function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) { for (const c of child) append(parent, c); return; }
  if (typeof child === "string" || typeof child === "number") {
    parent.appendChild(document.createTextNode(String(child)));
    return;
  }
  parent.appendChild(child);
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (typeof v === "function") {
        if (!k.startsWith("on")) throw new Error(`h: handler for ${k}`);
        el.addEventListener(k.slice(2).toLowerCase(), v);
        continue;
      }
      if (FORBIDDEN_ATTR.test(k)) throw new Error(`h: attribute ${k} not allowed`);
      const s = v === true ? "" : String(v);
      // Only in-app hash links: an href never comes from the corpus.
      if (URL_ATTR.test(k) && !s.startsWith("#")) throw new Error(`h: ${k} must be an in-app #link`);
      el.setAttribute(k, s);
    }
  }
  for (const c of children) append(el, c);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function replace(el: Element, ...children: Child[]): void {
  clear(el);
  for (const c of children) append(el, c);
}
