// End to end: a facilitator opens a session in the browser, eight participants join on
// phone-sized pages through the join link, answer (with n/a and don't know), look at their
// own profile computed on the device, submit; one comes back through the private link; the
// facilitator's balcony view updates live, exports the tidy CSV, closes and deletes.
//
//   LIVING_WELL_APP_BIN=target/debug/living-well-app node --test app/e2e/balcony.test.mjs
//
// Screenshots: docs/balcony.png (the balcony view; BALCONY_PNG overrides) and, in E2E_OUT (default a temp
// folder), the phone pages.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";
import { launchOptions } from "../../tests/browser/chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const bin = process.env.LIVING_WELL_APP_BIN ?? join(repo, "target", "debug", "living-well-app");
const out = process.env.E2E_OUT ?? (await mkdtemp(join(tmpdir(), "lw-e2e-out-")));
await mkdir(out, { recursive: true });

const work = await mkdtemp(join(tmpdir(), "lw-e2e-"));
const server = spawn(bin, ["--db", join(work, "balcony.db"), "--port", "0", "--host", "127.0.0.1", "--rate-limit", "0"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const base = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("the server did not start")), 30_000);
  createInterface({ input: server.stdout }).on("line", (line) => {
    const m = line.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  server.on("exit", (code) => reject(new Error(`the server exited (${code})`)));
});

const profile = await mkdtemp(join(tmpdir(), "lw-e2e-chromium-"));
const context = await chromium.launchPersistentContext(profile, launchOptions({ acceptDownloads: true }));

after(async () => {
  await context.close();
  server.kill("SIGTERM");
  await rm(work, { recursive: true, force: true });
  await rm(profile, { recursive: true, force: true });
});

// Every page must run without a script error or a Content-Security-Policy violation.
const problems = [];
function watch(page, who) {
  page.on("pageerror", (e) => problems.push(`${who}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/Failed to load resource/.test(m.text())) problems.push(`${who}: ${m.text()}`);
  });
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (!["127.0.0.1", "blob"].includes(url.hostname) && url.protocol !== "blob:" && url.protocol !== "data:") {
      problems.push(`${who}: request off loopback: ${r.url()}`);
    }
  });
  return page;
}

const GROUPS = ["lived experience", "practitioner"];
const PARTICIPANTS = 8;

// Participant j's answer to statement `id` in reading r (0 now, 1 wanted): people with
// lived experience see the system as more mechanistic than practitioners do, everyone wants
// it more relational, with some spread. Some answer n/a or don't know, but only to the last
// statement of a cell that has others, so that every pole keeps a score: the crate's
// disclosure control withholds figures whose counts differ enough to single people out.
function answerOf(j, p, r, id, lastOfCell) {
  if (lastOfCell && (p + j) % 4 === 0) return r === 0 ? "na" : "dk";
  if (lastOfCell && (p + j) % 4 === 1 && r === 0) return "dk";
  const relational = id.includes(".relational.");
  const lived = j % 2 === 0;
  const noise = (j * 7 + p * 3) % 3 === 0 ? 1 : 0;
  if (r === 1) return String(relational ? 4 + noise : 2 - noise);
  const base = relational ? (lived ? 2 : 3) : lived ? 4 : 3;
  return String(Math.min(5, Math.max(1, base + noise - ((j + p) % 5 === 0 ? 2 : 0))));
}

// Whether each statement is the last of a cell with more than one statement.
function lastOfCells(ids) {
  const cell = (id) => id.split(".").slice(0, 3).join(".");
  return ids.map((id, p) => {
    const same = ids.filter((x) => cell(x) === cell(id));
    return same.length > 1 && same[same.length - 1] === id && p >= 0;
  });
}

async function participate(j, joinUrl) {
  const page = watch(await context.newPage(), `participant ${j}`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(joinUrl);
  await page.getByLabel(GROUPS[j % 2], { exact: true }).check();
  await page.getByRole("button", { name: "Join" }).click();
  await page.waitForURL(/\/p#k=[0-9a-f]{64}$/);
  const privateLink = page.url();
  await page.locator("section.statement").first().waitFor();
  const ids = await page.locator("section.statement").evaluateAll((els) => els.map((e) => e.dataset.statement));
  assert.equal(ids.length, 27);
  const last = lastOfCells(ids);
  for (const [r, reading] of ["current", "desired"].entries()) {
    for (const [p, id] of ids.entries()) {
      await page.click(`section[data-statement="${id}"] button[data-reading="${reading}"][data-value="${answerOf(j, p, r, id, last[p])}"]`);
    }
  }
  await page.getByText("All answers saved.").waitFor();
  assert.equal(await page.locator("#progress-text").textContent(), "54 of 54 answered.");
  assert.equal(await page.locator("button[aria-pressed=true]").count(), 54);

  // The profile is computed on the device: no request goes out for it.
  const before = [];
  const listener = (r) => before.push(r.url());
  page.on("request", listener);
  await page.getByRole("button", { name: "See my profile" }).click();
  await page.locator("[data-profile=current]").waitFor();
  await page.locator("[data-profile=desired]").waitFor();
  page.off("request", listener);
  assert.deepEqual(before, [], "scoring the profile made no request");
  const heading = await page.locator("[data-profile=desired] h2").textContent();
  assert.match(heading, /^As wanted: relational index /);
  // Balances where the answers cover the cells; "not enough answers" where n/a and don't
  // know leave a pole without a score (missing, never 0).
  const desired = await page.locator("[data-profile=desired]").textContent();
  assert.match(desired, /For (people|practitioners): [+−]?\d\.\d\d/);
  if (j === 0) await page.screenshot({ path: join(out, "participant-profile.png"), fullPage: false });

  await page.getByRole("button", { name: "Submit my answers" }).click();
  await page.getByText("Submitted ✓").waitFor();
  await page.close();
  return privateLink;
}

test("a facilitator and eight participants run a balcony session in the browser", { timeout: 300_000 }, async () => {
  // The facilitator opens a session.
  const f = watch(await context.newPage(), "facilitator");
  await f.goto(base + "/");
  await f.fill("#title", "Northshire, from the balcony");
  await f.fill("#groups", GROUPS.join("\n"));
  await f.fill("#min-group", "4");
  await f.getByRole("button", { name: "Open the session" }).click();
  await f.waitForURL(/\/f\/[0-9a-f]{32}#k=[0-9a-f]{64}$/);
  await f.locator("#join-code").filter({ hasText: /^[A-Z2-9]{4}-[A-Z2-9]{4}$/ }).waitFor();
  const joinUrl = await f.locator("#join-url").textContent();
  assert.match(joinUrl, /^http:\/\/127\.0\.0\.1:\d+\/join\/[A-Z2-9]{8}$/);
  assert.match(await f.locator("#definition").textContent(), /fingerprint [0-9a-f]{8}/);
  await f.waitForFunction(() => document.getElementById("qr").naturalWidth > 0);
  await f.locator("#count-joined b").filter({ hasText: "0" }).waitFor();

  // A bad code on the join page is a clear message.
  const stray = watch(await context.newPage(), "stray");
  await stray.goto(base + "/join");
  await stray.fill("#code", "AAAA-AAAA");
  await stray.getByRole("button", { name: "Continue" }).click();
  await stray.getByText("No open session has this code").waitFor();
  await stray.close();

  // Three participants first: below the threshold, the room sees counts but no figure.
  const links = [];
  for (let j = 0; j < 3; j++) links.push(await participate(j, joinUrl));
  await f.locator("#count-submitted b").filter({ hasText: "3" }).waitFor({ timeout: 30_000 });
  assert.match(await f.locator("#group-counts").textContent(), /\(all\)withheld/);

  // Five more at once, on their phones.
  links.push(...(await Promise.all([3, 4, 5, 6, 7].map((j) => participate(j, joinUrl)))));
  await f.locator("#count-submitted b").filter({ hasText: String(PARTICIPANTS) }).waitFor({ timeout: 60_000 });
  const counts = await f.locator("#group-counts").textContent();
  assert.match(counts, /\(all\)8/);
  assert.match(counts, /lived experience4/);
  assert.match(counts, /practitioner4/);
  await f.locator("#unanswered li").first().waitFor();
  assert.match(await f.locator("#unanswered").textContent(), /not applicable, \d+ don't know/);
  assert.match(await f.locator("#gaps").textContent(), /Purpose/);
  await f.waitForFunction(() => document.getElementById("map").naturalWidth > 0);

  // One participant comes back through the private link: their answers are there.
  const back = watch(await context.newPage(), "returning participant");
  await back.setViewportSize({ width: 390, height: 844 });
  await back.goto(links[1]);
  await back.locator("#progress-text").filter({ hasText: "54 of 54 answered." }).waitFor();
  assert.equal(await back.locator("button[aria-pressed=true]").count(), 54);
  await back.getByText("Submitted ✓").waitFor();
  await back.screenshot({ path: join(out, "participant-return.png") });
  await back.close();

  await f.screenshot({ path: process.env.BALCONY_PNG ?? join(repo, "docs", "balcony.png"), fullPage: true });

  // Export the tidy CSV.
  const [download] = await Promise.all([f.waitForEvent("download"), f.getByRole("button", { name: "Tidy CSV" }).click()]);
  const csv = await readFile(await download.path(), "utf8");
  assert.equal(csv.split("\n")[0], "group,reading,quantity,force,perspective,orientation,n,estimate,sd,se,ci95_low,ci95_high,withheld");
  // The figures of the room and of each group of four are shown (disclosure withheld
  // everything at three people, above).
  assert.match(csv, /^\(all\),current,pole,purpose,people,mechanistic,8,[-0-9.e]+,.*,false$/m);
  assert.match(csv, /^lived experience,current,balance,power,people,,4,[-0-9.e]+,.*,false$/m);

  // Close, then delete.
  f.on("dialog", (d) => d.accept());
  await f.getByRole("button", { name: "Close the session" }).click();
  await f.getByText("Closed: no more answers.").waitFor();
  await f.getByRole("button", { name: "Delete the session and its answers" }).click();
  await f.getByText(`Deleted: ${PARTICIPANTS} participants`).waitFor();
  const gone = await f.evaluate(async (url) => (await fetch(url)).status, base + "/api/join/" + joinUrl.split("/").pop());
  assert.equal(gone, 404);

  assert.deepEqual(problems, []);
});
