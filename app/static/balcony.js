import { api, apiJson, el, fmt, replace, tokenFromHash } from "/static/common.js";

const $ = (id) => document.getElementById(id);
const sid = location.pathname.split("/")[2];
const token = tokenFromHash();
const base = `/api/sessions/${sid}`;
let mapUrl = null;
let stopped = false;

function estimate(e) {
  if (!e || e.withheld) return el("span", { class: "withheld" }, "withheld");
  if (e.mean === null || e.mean === undefined) return el("span", { class: "withheld" }, "no data");
  const ci = e.low === null ? "" : ` [${fmt(e.low)}, ${fmt(e.high)}]`;
  return `${fmt(e.mean)}${ci} (n ${e.n})`;
}

function render(view) {
  const c = view.counts;
  replace(
    $("counts"),
    el("span", { class: "stat", id: "count-joined" }, el("b", {}, String(c.joined)), "joined"),
    el("span", { class: "stat", id: "count-started" }, el("b", {}, String(c.started)), "answering"),
    el("span", { class: "stat", id: "count-submitted" }, el("b", {}, String(c.submitted)), "submitted"),
  );
  replace(
    $("group-counts"),
    view.groups.map((g) =>
      el("tr", {}, el("td", {}, g.name), el("td", { class: "num" }, g.withheld ? el("span", { class: "withheld" }, "withheld") : String(g.respondents ?? 0))),
    ),
  );
  $("disclosure").textContent = `Disclosure control: ${view.disclosure}, and any figure that would reveal one by subtraction.`;
  $("status").textContent = view.status === "open" ? "Open: participants can join and answer." : "Closed: no more answers.";

  if (mapUrl) URL.revokeObjectURL(mapUrl);
  mapUrl = URL.createObjectURL(new Blob([view.svg], { type: "image/svg+xml" }));
  $("map").src = mapUrl;

  const series = view.readings;
  replace(
    $("gaps-head"),
    el("tr", {}, el("th", {}, "Group"), el("th", {}, "Force"), series.map((s) => el("th", {}, s === "current" ? "Now" : "Wanted"))),
  );
  const gapRows = [];
  for (const g of view.groups) {
    for (const row of g.perspective_gaps) {
      gapRows.push(el("tr", {}, el("td", {}, g.name), el("td", {}, row.title), series.map((s) => el("td", { class: "num" }, estimate(row[s])))));
    }
  }
  replace($("gaps"), gapRows);

  const CONTESTED_SHOWN = 12;
  replace(
    $("contested"),
    view.contested.length === 0
      ? el("tr", {}, el("td", { class: "note", colspan: "4" }, "None: every disclosed cell has at least moderate agreement (or too few answers yet)."))
      : view.contested.slice(0, CONTESTED_SHOWN).map((x) =>
          el(
            "tr",
            { class: "contested" },
            el("td", {}, x.group),
            el("td", {}, x.reading === "current" ? "now" : "wanted"),
            el("td", {}, `${x.force} · ${x.perspective} · ${x.orientation}`),
            el("td", { class: "num" }, `${x.rwg.toFixed(2)} ${x.band.replace("_", " ")}`),
          ),
        ),
  );
  $("contested-more").textContent =
    view.contested.length > CONTESTED_SHOWN ? `…and ${view.contested.length - CONTESTED_SHOWN} more (all in the exports).` : "";

  const un = view.could_not_answer.map((x) =>
    el(
      "li",
      {},
      el("span", { class: "tag" }, x.reading === "current" ? "now" : "wanted"),
      `${x.not_applicable} not applicable, ${x.dont_know} don't know: `,
      el("i", {}, x.text),
    ),
  );
  if (un.length === 0) {
    un.push(el("li", { class: "note" }, view.could_not_answer_withheld ? "Withheld until enough people have submitted." : "Everyone could answer every statement so far."));
  }
  replace($("unanswered"), un);
}

async function live() {
  let revision = null;
  for (let failures = 0; !stopped; ) {
    try {
      const query = revision === null ? "" : `?after=${revision}`;
      const view = await apiJson("GET", `${base}/balcony${query}`, { token });
      failures = 0;
      if (!view.unchanged) {
        render(view);
        document.body.dataset.revision = String(view.revision);
      }
      revision = view.revision;
      await new Promise((r) => setTimeout(r, 400));
    } catch (e) {
      if (e.status === 404 || e.status === 401) {
        $("error").textContent = e.status === 404 ? "This session no longer exists." : e.message;
        return;
      }
      failures++;
      $("error").textContent = `Reconnecting… (${e.message})`;
      await new Promise((r) => setTimeout(r, Math.min(10_000, 1000 * failures)));
      if (failures === 1) continue;
    }
    if (failures === 0) $("error").textContent = "";
  }
}

async function download(kind) {
  try {
    const response = await api("GET", `${base}/export/${kind}`, { token });
    const url = URL.createObjectURL(await response.blob());
    const a = el("a", { href: url, download: `living-well-${sid.slice(0, 8)}-${kind}` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    $("error").textContent = e.message;
  }
}

async function main() {
  if (!token) {
    $("title").textContent = "This page needs the facilitator link";
    $("error").textContent = "Open the facilitator link you were given when the session was opened.";
    return;
  }
  let session;
  try {
    session = await apiJson("GET", base, { token });
  } catch (e) {
    $("error").textContent = e.message;
    return;
  }
  $("title").textContent = session.title;
  document.title = `${session.title} · balcony view`;
  const d = session.definition;
  $("definition").textContent = `${d.title} ${d.version} · ${d.statements} statements · fingerprint ${d.fingerprint_short}`;
  $("join-code").textContent = session.join_code;
  $("join-url").textContent = session.join_url;
  try {
    const qr = await api("GET", `${base}/qr.svg`, { token });
    $("qr").src = URL.createObjectURL(await qr.blob());
  } catch (e) {
    $("error").textContent = e.message;
  }
  for (const b of document.querySelectorAll("[data-export]")) b.addEventListener("click", () => download(b.dataset.export));
  $("close").addEventListener("click", async () => {
    if (!confirm("Close the session? Participants will no longer be able to answer.")) return;
    try {
      await api("POST", `${base}/close`, { token });
    } catch (e) {
      $("error").textContent = e.message;
    }
  });
  $("delete").addEventListener("click", async () => {
    if (!confirm("Delete the session and every answer in it? This cannot be undone.")) return;
    try {
      const r = await apiJson("DELETE", base, { token });
      stopped = true;
      $("done").textContent = `Deleted: ${r.deleted.participants} participants and their ${r.deleted.answers} answers are gone.`;
      document.body.dataset.deleted = "true";
    } catch (e) {
      $("error").textContent = e.message;
    }
  });
  live();
}

main();
