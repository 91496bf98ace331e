// Puts the current build (dist/app.js, dist/app.css) into an existing report,
// with the CSP hash updated: try a front-end change on a real report without
// rebuilding the C++ binary. Usage: node dev/rebundle.mjs in.html out.html
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.ECHOTRACE_WEB_OUT || join(here, "..", "dist");
const [inp, out] = process.argv.slice(2);
let html = readFileSync(inp, "utf8");
const js = readFileSync(join(dist, "app.js"), "utf8");
const css = readFileSync(join(dist, "app.css"), "utf8");
const sha = createHash("sha256").update(js, "utf8").digest("base64");
const s0 = html.indexOf("<style>"), s1 = html.indexOf("</style>");
html = html.slice(0, s0 + 7) + css + html.slice(s1);
const j0 = html.lastIndexOf("<script>"), j1 = html.lastIndexOf("</script>");
html = html.slice(0, j0 + 8) + js + html.slice(j1);
html = html.replace(/script-src 'sha256-[^']+'/, `script-src 'sha256-${sha}'`);
writeFileSync(out, html);
console.log(`rebundled ${out}`);
