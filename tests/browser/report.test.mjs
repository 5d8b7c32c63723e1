// The HTML report in a real browser: Debian's chromium, driven by Playwright, opens the page
// the command line writes for the embedded sample (`living-well assess --format html`) from
// a file, with the network closed to it, and checks what a workshop would see.
//
//   REPORT_HTML=/tmp/report.html node --test tests/browser/
//
// Screenshots: docs/report.png (REPORT_PNG overrides), the top of the page at projector
// width, for the README; in REPORT_OUT (default a temp folder) the whole page at projector
// width and at phone width.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { launchOptions } from "./chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const html = resolve(process.env.REPORT_HTML ?? join(repo, "target", "report.html"));
const png = process.env.REPORT_PNG ?? join(repo, "docs", "report.png");
const out = process.env.REPORT_OUT ?? (await mkdtemp(join(tmpdir(), "lw-report-out-")));
await mkdir(out, { recursive: true });
const url = pathToFileURL(html).href;
const definition = JSON.parse(await readFile(join(repo, "src", "model", "living_well.json"), "utf8"));

const profile = await mkdtemp(join(tmpdir(), "lw-report-chromium-"));
const context = await chromium.launchPersistentContext(profile, launchOptions());

after(async () => {
  await context.close();
  await rm(profile, { recursive: true, force: true });
});

// Opens the report, recording every console error, page error and request.
async function open(viewport) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const seen = { errors: [], requests: [] };
  page.on("pageerror", (e) => seen.errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") seen.errors.push(m.text());
  });
  page.on("request", (r) => seen.requests.push(r.url()));
  const response = await page.goto(url, { waitUntil: "load" });
  assert.ok(response === null || response.ok(), `the page loads from ${url}`);
  return { page, seen };
}

test("the report at projector width: title, tensions first, each force, statement texts", async () => {
  const { page, seen } = await open({ width: 1280, height: 900 });
  assert.equal(await page.title(), "Living Well: where our system stands");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  const h2 = await page.locator("h2").allTextContents();
  assert.equal(h2[0], "The three tensions", `sections: ${h2.join(" | ")}`);
  for (const section of ["Where each perspective leans", "Perspective gaps", "Groups", "Contested views", "How each statement was answered"]) {
    assert.ok(h2.includes(section), `a section "${section}" (have ${h2.join(" | ")})`);
  }
  const h3 = await page.locator("h3").allTextContents();
  for (const force of ["Purpose", "Power", "Practice"]) {
    assert.ok(h3.includes(force), `a heading for the force ${force} (have ${h3.join(" | ")})`);
  }
  const text = await page.locator("main").innerText();
  const collapse = (s) => s.replace(/\s+/g, " ").trim();
  const shown = collapse(text);
  for (const s of definition.statements ?? definition.indicators) {
    assert.ok(shown.includes(collapse(s.text)), `the statement text of ${s.id} is on the page`);
    assert.ok(!shown.includes(s.id), `the page shows ${s.id}'s text, not its id`);
  }
  // Every force's row of the tensions table, with its figures, and the map drawn inline.
  const tensions = await page.locator("section").first().locator("tbody tr").allInnerTexts();
  assert.equal(tensions.length, 4, "three forces and the relational index");
  assert.ok(!/NaN|undefined/.test(text), "no NaN or undefined on the page");
  const map = page.locator("figure.map svg");
  assert.equal(await map.count(), 1, "the tension map is inline");
  const box = await map.boundingBox();
  assert.ok(box && box.width > 400 && box.height > 200, `the map is drawn (${JSON.stringify(box)})`);
  // The answers: a stacked bar per statement, each row's shares adding to about 100%.
  const bars = await page.locator("svg.stack").count();
  assert.equal(bars, (definition.statements ?? definition.indicators).length, "a bar per statement");
  await page.screenshot({ path: png });
  await page.screenshot({ path: join(out, "report-full.png"), fullPage: true });
  assert.deepEqual(seen.errors, [], "no console errors");
  assert.deepEqual(seen.requests, [url], "no request but the file itself");
});

test("the report at phone width: nothing wider than the screen but the tables, which scroll", async () => {
  const { page, seen } = await open({ width: 390, height: 844 });
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    screen: window.innerWidth,
    tables: [...document.querySelectorAll(".table")].map((t) => getComputedStyle(t).overflowX),
  }));
  assert.ok(widths.page <= widths.screen, `the page fits the phone (${widths.page} > ${widths.screen})`);
  assert.ok(widths.tables.every((o) => o === "auto"), "tables scroll within the page");
  await page.screenshot({ path: join(out, "report-phone.png"), fullPage: false });
  assert.deepEqual(seen.errors, [], "no console errors");
  assert.deepEqual(seen.requests, [url], "no request but the file itself");
});

test("the print style applies", async () => {
  const { page } = await open({ width: 1280, height: 900 });
  await page.emulateMedia({ media: "print" });
  const size = await page.evaluate(() => getComputedStyle(document.body).fontSize);
  assert.equal(size, "13.3333px", "10pt type on paper");
  const pdf = await page.pdf({ format: "A4" });
  assert.ok(pdf.length > 10_000, "it prints");
});
