// Runs the WebAssembly build under Node's test runner:
//   LIVING_WELL_WASM=path/to/living_well_wasm.wasm node --test wasm/tests/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { load } from "../js/living_well.js";

const path = process.env.LIVING_WELL_WASM;
if (!path) throw new Error("set LIVING_WELL_WASM to the built living_well_wasm.wasm");
const lw = await load(await readFile(path));
const canonical = await readFile(new URL("../../src/model/living_well.json", import.meta.url), "utf8");

test("the canonical definition validates, with 27 statements and its fingerprint", () => {
  const r = lw.validateDefinition(canonical);
  assert.equal(r.ok, true);
  assert.equal(r.value.id, "living-well-uk");
  assert.equal(r.value.statements.length, 27);
  assert.match(r.value.fingerprint, /^[0-9a-f]{64}$/);
});

test("an invalid definition is the crate's error message", () => {
  const doc = JSON.parse(canonical);
  doc.statements = doc.statements.filter((s) => !s.id.startsWith("power.people.relational"));
  const r = lw.validateDefinition(JSON.stringify(doc));
  assert.equal(r.ok, false);
  assert.match(r.error, /cell `power.people.relational` has no statement/);
  assert.equal(lw.validateDefinition("{").ok, false);
});

test("a response scores into a profile: balance = relational - mechanistic, missing is null", () => {
  const r = lw.score({
    answers: {
      "purpose.practitioners.relational.1": 2,
      "purpose.practitioners.mechanistic.2": 4,
      "purpose.people.relational.1": "dk",
      "power.people.mechanistic.1": null,
    },
  });
  assert.equal(r.ok, true, r.error);
  assert.equal(r.value.balances["purpose.practitioners"], -0.5);
  assert.equal(r.value.balances["power.people"], null);
  assert.equal(r.value.relational_index, null);
});

test("scoring under a custom definition and rejecting bad answers", () => {
  const r = lw.score({ answers: { "purpose.people.relational.1": 5 } }, canonical);
  assert.equal(r.ok, true, r.error);
  const bad = lw.score({ answers: { "purpose.people.relational.1": 6 } });
  assert.equal(bad.ok, false);
  assert.match(bad.error, /outside the scale 1..=5/);
  const unknown = lw.score({ answers: { "purpose.nobody.1": 3 } });
  assert.match(unknown.error, /unknown statement/);
});

test("many calls do not leak or corrupt memory", () => {
  for (let i = 0; i < 2000; i++) {
    const r = lw.score({ answers: { "purpose.practitioners.relational.1": 1 + (i % 5) } });
    assert.equal(r.value.poles["purpose.practitioners.relational"], (i % 5) / 4);
  }
});
