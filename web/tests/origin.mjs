#!/usr/bin/env node
// Browser test of issue 17 item 4 (view side): a reuse cluster with an
// undated document never names an origin in the report; a cluster whose
// documents are all dated still does.
//
//   node web/tests/origin.mjs --echotrace build/echotrace
//
// Ends with the line "N passed, N failed"; exit code 1 when anything failed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 && argv[i + 1] ? argv[i + 1] : def; };
const echotrace = resolve(opt("--echotrace", "build/echotrace"));
const chromePath = opt("--chromium", process.env.CHROMIUM || "/usr/bin/chromium");

let passed = 0, failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${(e && e.message ? e.message : String(e)).split("\n").slice(0, 6).join("\n     ")}`);
  }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }
function run(args) {
  const r = spawnSync(echotrace, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`echotrace ${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

// Two passages: one copied from an undated article by two dated posts (the
// undated article may be the real source), one copied among dated posts only.
function corpus() {
  const uncertain = "The harbour authority signed the dredging contract with a shell company registered " +
    "two weeks earlier in a tax haven, according to minutes that the council has refused to publish";
  const certain = "Farmers in the eastern valley say the new irrigation levy will double their costs before " +
    "the harvest, and the ministry has not answered a single letter from the cooperative since March";
  const rows = [
    { id: "u-article", source: "seeds", text: `${uncertain}. More on this later.` },
    { id: "u-copy-1", source: "blog", time: "2025-03-01T10:00:00Z", text: `Copied: ${uncertain}.` },
    { id: "u-copy-2", source: "forum", time: "2025-03-02T10:00:00Z", text: `Look: ${uncertain}!` },
    { id: "c-1", source: "wire", time: "2025-04-01T10:00:00Z", text: `${certain}. Reported first here.` },
    { id: "c-2", source: "blog", time: "2025-04-02T10:00:00Z", text: `Via the wire: ${certain}.` },
  ];
  return rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

const tmp = mkdtempSync(join(tmpdir(), "echotrace-origin-"));
let ctx = null;
try {
  if (!existsSync(echotrace)) throw new Error(`no echotrace binary at ${echotrace}`);
  const db = join(tmp, "o.db");
  const report = join(tmp, "o.html");
  writeFileSync(join(tmp, "o.jsonl"), corpus());
  run(["ingest", "--quiet", "--db", db, join(tmp, "o.jsonl")]);
  run(["analyze", "--quiet", "--db", db, "--only", "reuse"]);
  run(["report", "--db", db, "-o", report]);
  ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmp, "chrome-")), {
    executablePath: chromePath, headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const base = pathToFileURL(report).href;
  const rendered = () => page.waitForFunction(() =>
    document.querySelector("main")?.getAttribute("data-route") === location.hash, null, { timeout: 20000 });
  const go = async (hash) => { await page.goto(base + hash); await rendered(); };

  // The clusters, and which one holds the undated article.
  let uncertainId = null, certainId = null;
  await check("origin: the reuse list flags only the cluster with an undated document", async () => {
    await go("#/reuse");
    const rows = page.locator("[data-testid=reuse-list] tbody tr");
    const n = await rows.count();
    assert(n === 2, `${n} reuse clusters listed, expected 2`);
    for (let i = 0; i < n; i++) {
      const row = rows.nth(i);
      const id = Number((await row.locator("a").first().innerText()).replace("#", ""));
      const flag = row.locator("[data-testid=origin-uncertain]");
      if (await flag.count()) {
        const t = await flag.innerText();
        assert(t === "origin uncertain: 1 undated document", `flag "${t}"`);
        uncertainId = id;
      } else {
        certainId = id;
      }
    }
    assert(uncertainId !== null && certainId !== null, "expected one flagged and one unflagged cluster");
  });
  await check("origin: an uncertain cluster names no ORIGIN and says why", async () => {
    await go(`#/reuse/${uncertainId}`);
    const note = await page.locator("[data-testid=origin-uncertain]").innerText();
    assert(note.startsWith("origin uncertain: 1 undated document"), `note "${note}"`);
    const badges = await page.locator("[data-testid=occurrence] .badge").allInnerTexts();
    assert(!badges.includes("ORIGIN"), `badges ${badges}`);
    assert(badges[0] === "EARLIEST DATED", `first badge "${badges[0]}"`);
    const body = await page.locator("main").innerText();
    assert(!/Copies aligned to the origin/.test(body), "heading still names the origin");
  });
  await check("origin: a cluster of dated documents still names its ORIGIN", async () => {
    await go(`#/reuse/${certainId}`);
    assert((await page.locator("[data-testid=origin-uncertain]").count()) === 0, "uncertain note shown");
    const badges = await page.locator("[data-testid=occurrence] .badge").allInnerTexts();
    assert(badges[0] === "ORIGIN", `first badge "${badges[0]}"`);
  });
  await check("origin: no page errors", async () => { assert(errors.length === 0, errors.join("; ")); });
} catch (e) {
  failed++;
  console.log(`FAIL setup\n     ${e && e.message ? e.message : e}`);
} finally {
  if (ctx) await ctx.close().catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
