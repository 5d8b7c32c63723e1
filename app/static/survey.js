import { api, apiJson, el, fmt, loadScoring, replace, tokenFromHash } from "/static/common.js";

const $ = (id) => document.getElementById(id);
const token = tokenFromHash();
const READING_LABEL = { current: "Now", desired: "As wanted" };
const READING_PHRASE = { current: "now", desired: "as you want it to be" };
let me = null;
const answers = { current: {}, desired: {} };
const buttons = new Map(); // `${reading}|${id}` -> Map(value -> button)
const scoring = loadScoring().catch(() => null);

function total() {
  return me.definition.statements.length * me.session.readings.length;
}

function answered() {
  return me.session.readings.reduce((n, r) => n + Object.keys(answers[r]).length, 0);
}

function updateProgress() {
  const done = answered();
  $("bar").style.width = `${(100 * done) / total()}%`;
  $("progress-text").textContent = `${done} of ${total()} answered.`;
}

function paint(reading, id) {
  const value = answers[reading][id];
  for (const [v, b] of buttons.get(`${reading}|${id}`)) b.setAttribute("aria-pressed", String(v === value));
}

let pending = 0;
async function choose(reading, id, value, status) {
  const previous = answers[reading][id];
  const next = previous === value ? null : value;
  if (next === null) delete answers[reading][id];
  else answers[reading][id] = next;
  paint(reading, id);
  updateProgress();
  pending++;
  $("save-status").textContent = "Saving…";
  status.textContent = "";
  try {
    await api("PUT", "/api/me/answers", { token, body: { reading, answers: { [id]: next } } });
    status.textContent = "Saved";
  } catch (e) {
    if (previous === undefined) delete answers[reading][id];
    else answers[reading][id] = previous;
    paint(reading, id);
    updateProgress();
    status.textContent = "";
    $("error").textContent = `Not saved: ${e.message}`;
  } finally {
    pending--;
    if (pending === 0) $("save-status").textContent = "All answers saved.";
  }
}

function statementCard(s, index) {
  const status = el("p", { class: "saved", "aria-live": "polite" });
  const rows = me.session.readings.map((reading) => {
    const map = new Map();
    const button = (value, main, sub) => {
      const b = el(
        "button",
        {
          type: "button",
          "aria-pressed": "false",
          "data-reading": reading,
          "data-value": String(value),
          onclick: () => choose(reading, s.id, value, status),
          disabled: me.session.status !== "open",
        },
        el("b", {}, main),
        sub,
      );
      map.set(value, b);
      return b;
    };
    const points = [];
    for (let r = me.scale.min; r <= me.scale.max; r++) {
      points.push(button(r, String(r), me.scale.labels ? me.scale.labels[r - me.scale.min] : ""));
    }
    buttons.set(`${reading}|${s.id}`, map);
    return el(
      "div",
      { class: "scale-row" },
      el("div", { class: "what" }, READING_LABEL[reading]),
      el("div", { class: "choices" }, points),
      el("div", { class: "choices extra" }, button("na", "n/a", "Not applicable"), button("dk", "?", "Don't know")),
    );
  });
  return el(
    "section",
    { class: "card statement", id: `s-${s.id}`, "data-statement": s.id },
    el(
      "div",
      {},
      el("span", { class: "tag" }, `${index + 1} / ${me.definition.statements.length}`),
      el("span", { class: "tag" }, s.force_title),
      el("span", { class: `tag ${s.perspective}` }, s.perspective === "people" ? "people" : "practitioners"),
    ),
    el("p", {}, s.text),
    rows,
    status,
  );
}

function profileView(reading, p) {
  const rows = [];
  for (const force of ["purpose", "power", "practice"]) {
    rows.push(el("h3", {}, force[0].toUpperCase() + force.slice(1)));
    for (const perspective of ["people", "practitioners"]) {
      const b = p.balances[`${force}.${perspective}`];
      const bar = el("div", { class: "profile-bar" }, el("div", { class: "mid" }));
      if (b !== null) {
        const fill = el("div", { class: `fill ${perspective}` });
        fill.style.left = `${50 + Math.min(0, b) * 50}%`;
        fill.style.width = `${Math.abs(b) * 50}%`;
        bar.append(fill);
      }
      rows.push(
        el("div", { class: "note" }, `${perspective === "people" ? "For people" : "For practitioners"}: ${b === null ? "not enough answers" : fmt(b)}`),
        bar,
      );
    }
  }
  return el(
    "div",
    { class: "card", "data-profile": reading },
    el("h2", {}, `${READING_LABEL[reading]}: relational index ${fmt(p.relational_index)}`),
    el("p", { class: "note" }, "Each bar: the relational pole minus the mechanistic pole, from −1 (mechanistic, left) to +1 (relational, right)."),
    rows,
  );
}

async function showProfile() {
  const lw = await scoring;
  if (!lw) {
    replace($("profile"), el("p", { class: "error" }, "The on-device profile is not available in this build."));
    return;
  }
  const custom = me.definition_json;
  const views = me.session.readings.map((reading) => {
    const result = lw.score({ reading, answers: answers[reading] }, custom);
    return result.ok ? profileView(reading, result.value) : el("p", { class: "error" }, result.error);
  });
  replace($("profile"), views);
}

async function submit() {
  $("error").textContent = "";
  if (pending > 0) {
    $("error").textContent = "Still saving; try again in a moment.";
    return;
  }
  try {
    await api("POST", "/api/me/submit", { token });
    me.submitted = true;
    $("submitted-note").classList.remove("hidden");
    $("submit").textContent = "Submitted ✓";
    $("submit").disabled = true;
  } catch (e) {
    $("error").textContent = e.message;
  }
}

async function main() {
  if (!token) {
    $("title").textContent = "This page needs your private link";
    $("error").textContent = "Open the link you were given when you joined, or join again with the code.";
    return;
  }
  try {
    me = await apiJson("GET", "/api/me", { token });
  } catch (e) {
    $("title").textContent = "Could not open your answers";
    $("error").textContent = e.message;
    return;
  }
  $("title").textContent = me.session.title;
  document.title = `${me.session.title} · Living Well`;
  for (const r of me.session.readings) Object.assign(answers[r], me.answers[r]);
  $("intro-readings").textContent = me.session.readings.map((r) => READING_PHRASE[r]).join(" and ");
  $("private-link").textContent = location.href;
  $("copy-link").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      $("copy-link").textContent = "Copied";
    } catch {
      $("copy-link").textContent = "Select the link above and copy it";
    }
  });
  $("intro").classList.remove("hidden");
  $("statements").replaceChildren(...me.definition.statements.map(statementCard));
  for (const r of me.session.readings) for (const s of me.definition.statements) paint(r, s.id);
  updateProgress();
  $("finish").classList.remove("hidden");
  $("show-profile").addEventListener("click", showProfile);
  $("submit").addEventListener("click", submit);
  if (me.submitted) {
    $("submitted-note").classList.remove("hidden");
    $("submit").textContent = "Submitted ✓";
    $("submit").disabled = true;
  }
  if (me.session.status !== "open") {
    $("error").textContent = "This session is closed: your answers can no longer change.";
    $("submit").disabled = true;
  }
}

main();
