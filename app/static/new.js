import { apiJson, loadScoring } from "/static/common.js";

const $ = (id) => document.getElementById(id);
let customJson = null;
const scoring = loadScoring().catch(() => null);

function chosenCustom() {
  return document.querySelector("input[name=definition]:checked").value === "custom";
}

for (const radio of document.querySelectorAll("input[name=definition]")) {
  radio.addEventListener("change", () => {
    $("definition-file").classList.toggle("hidden", !chosenCustom());
    $("definition-status").textContent = "";
  });
}

// A custom definition is checked on this device first (by the crate, in WebAssembly), and
// again by the server.
$("definition-file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  customJson = null;
  if (!file) return;
  if (file.size > 200_000) {
    $("definition-status").textContent = "That file is too large for a definition (200 kB at most).";
    return;
  }
  const text = await file.text();
  const lw = await scoring;
  if (!lw) {
    customJson = text;
    $("definition-status").textContent = "Loaded; the server will check it.";
    return;
  }
  const result = lw.validateDefinition(text);
  if (result.ok) {
    customJson = text;
    $("definition-status").textContent = `Valid: ${result.value.title} ${result.value.version}, ${result.value.statements.length} statements, fingerprint ${result.value.fingerprint_short}.`;
  } else {
    $("definition-status").textContent = `Not valid: ${result.error}`;
  }
});

$("new-session").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("error").textContent = "";
  const readings = [];
  if ($("reading-current").checked) readings.push("current");
  if ($("reading-desired").checked) readings.push("desired");
  if (chosenCustom() && !customJson) {
    $("error").textContent = "Choose a valid definition file, or the canonical definition.";
    return;
  }
  const body = {
    title: $("title").value,
    groups: $("groups").value.split("\n").map((g) => g.trim()).filter(Boolean),
    min_group: Number($("min-group").value),
    readings,
    definition: chosenCustom() ? customJson : null,
  };
  $("open").disabled = true;
  try {
    const session = await apiJson("POST", "/api/sessions", { body });
    location.href = session.facilitator_url;
  } catch (e) {
    $("error").textContent = e.message;
    $("open").disabled = false;
  }
});
