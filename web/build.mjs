// Bundles the app into exactly two files: <out>/app.js (one classic script, an
// IIFE with no imports, chunks or eval, so the report can inline it under a
// sha256 CSP) and <out>/app.css. <out> is $ECHOTRACE_WEB_OUT or web/dist.
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.env.ECHOTRACE_WEB_OUT || join(here, "dist"));
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: [join(here, "src/main.ts")],
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2020"],
  minify: true,
  // Same input, same bytes: the report's CSP hash and the screenshots stay stable.
  sourcemap: false,
  legalComments: "none",
  charset: "utf8",
  write: false,
  outdir: out,
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
});

let js = null;
let css = "";
for (const f of result.outputFiles) {
  if (f.path.endsWith(".js")) js = f.text;
  else if (f.path.endsWith(".css")) css += f.text;
}
if (js === null) throw new Error("build: esbuild produced no JavaScript");

// The report inlines app.js inside <script>…</script>: a literal "</script" in
// the code would end the element early. Refuse rather than emit a broken report.
if (/<\/script/i.test(js)) throw new Error("build: app.js contains '</script'");
// Nothing may execute strings as code (CSP forbids it and so do we).
if (/\beval\(|new Function\(/.test(js)) throw new Error("build: app.js uses eval/new Function");

const ownCss = readFileSync(join(here, "src/app.css"), "utf8");
writeFileSync(join(out, "app.js"), js);
writeFileSync(join(out, "app.css"), css + "\n" + ownCss);
// A stale app.css.map or chunk from another tool would confuse the embedder.
for (const stale of ["app.js.map", "app.css.map", "main.js", "main.css"]) {
  const p = join(out, stale);
  if (existsSync(p)) rmSync(p);
}
console.log(`build: ${out}/app.js ${Buffer.byteLength(js)} bytes, app.css ${Buffer.byteLength(css + "\n" + ownCss)} bytes`);
