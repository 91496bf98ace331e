// How fast a report opens: loads an echotrace report three times in Debian's
// chromium (headless, through playwright-core from web/node_modules) and
// prints, per load, the time to the load event and to the overview chart
// drawn. A benchmark for BENCHMARKS.md, not a test.
// Usage: node bench/report_open.mjs REPORT.html
import { createRequire } from "node:module";
import { resolve } from "node:path";

const require = createRequire(new URL("../web/package.json", import.meta.url));
const { chromium } = require("playwright-core");
const file = resolve(process.argv[2] || "report.html");
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
for (let run = 0; run < 3; ++run) {
  const t0 = Date.now();
  await page.goto("file://" + file, { waitUntil: "load", timeout: 120000 });
  const load = Date.now() - t0;
  await page.waitForSelector("[data-testid=chart-overview] canvas", { timeout: 60000 });
  console.log(`load ${run + 1}: load event ${load} ms, overview drawn ${Date.now() - t0} ms`);
}
console.log(`page errors: ${errors.length ? errors.join("; ") : "none"}`);
await browser.close();
