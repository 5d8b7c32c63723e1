import { apiJson, el } from "/static/common.js";

const $ = (id) => document.getElementById(id);
let code = null;

async function show(codeText) {
  $("error").textContent = "";
  try {
    const info = await apiJson("GET", `/api/join/${encodeURIComponent(codeText)}`);
    if (info.status !== "open") {
      $("error").textContent = "This session is closed.";
      return;
    }
    code = info.join_code;
    $("heading").textContent = info.title;
    $("groups").replaceChildren(
      ...info.groups.map((g) =>
        el("label", { class: "choice" }, el("input", { type: "radio", name: "group", value: g }), g),
      ),
    );
    $("code-form").classList.add("hidden");
    $("group-form").classList.remove("hidden");
  } catch (e) {
    $("error").textContent = e.status === 404 ? "No open session has this code. Check it and try again." : e.message;
  }
}

$("code-form").addEventListener("submit", (event) => {
  event.preventDefault();
  show($("code").value.trim());
});

$("group-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("join").disabled = true;
  const group = document.querySelector("input[name=group]:checked").value || null;
  try {
    const joined = await apiJson("POST", "/api/join", { body: { code, group } });
    location.href = joined.participant_url;
  } catch (e) {
    $("error").textContent = e.message;
    $("join").disabled = false;
  }
});

const fromPath = location.pathname.match(/^\/join\/([A-Za-z0-9-]+)$/);
if (fromPath) {
  $("code").value = fromPath[1];
  show(fromPath[1]);
}
