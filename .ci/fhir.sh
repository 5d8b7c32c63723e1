#!/usr/bin/env bash
# The FHIR export against an independent validator (tests/fhir.rs runs in the README's
# `cargo test --all-features`): makes a fresh virtual environment from PyPI with
# fhir.resources 6.4.0 (the last release whose models are FHIR R4 4.0.1; 6.5 and later
# default to R4B and R5), writes the program's Questionnaires (both readings, the
# canonical definition, the two-language fixture in each language, an unlabelled scale) and
# validates them and the filled QuestionnaireResponse fixtures with .ci/fhir_validate.py.
# Checks too that the validator refuses a broken resource. Exits non-zero on any failure.
#
# Environment: PYTHON (default python3, >= 3.8).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
export CARGO_INCREMENTAL=0

step() { printf '\n== %s\n' "$*"; }

PYTHON=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "fresh virtual environment: fhir.resources 6.4.0 (FHIR R4), pydantic 1.10"
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    'fhir.resources==6.4.0' 'pydantic[email]==1.10.27'
"$work/venv/bin/python" -c 'import fhir.resources.questionnaire as q; print(q.__doc__.split("Version:")[1].split()[0])' \
    | grep -qx '4.0.1'

step "build the program"
cargo build --quiet --features cli
bin=target/debug/living-well
two=tests/data/definition_two_languages.json

step "export the questionnaires"
questionnaires=()
for reading in current desired; do
    "$bin" definition --format fhir --reading "$reading" > "$work/$reading.json"
    "$bin" definition "$two" --format fhir --reading "$reading" --language cy > "$work/$reading.cy.json"
    "$bin" definition "$two" --format fhir --reading "$reading" --language en > "$work/$reading.en.json"
    questionnaires+=("$work/$reading.json" "$work/$reading.cy.json" "$work/$reading.en.json")
done
# Another scale: validated alone, as its canonical is the 1..5 questionnaires'.
"$bin" definition --format fhir --scale 0..10 > "$work/wide.json"

step "validate them and the filled responses"
"$work/venv/bin/python" .ci/fhir_validate.py "${questionnaires[@]}" \
    --responses tests/data/fhir/responses.ndjson --responses tests/data/fhir/bundle.json
"$work/venv/bin/python" .ci/fhir_validate.py "$work/wide.json"

step "the validator refuses a broken questionnaire and a response off its options"
sed 's/"answerOption"/"answerOptions"/' "$work/current.json" > "$work/broken.json"
sed 's/"code":"4"/"code":"9"/' tests/data/fhir/responses.ndjson > "$work/off.ndjson"
for case in "$work/broken.json" "--responses $work/off.ndjson"; do
    # shellcheck disable=SC2086
    if "$work/venv/bin/python" .ci/fhir_validate.py "$work/current.json" "$work/desired.json" $case \
        > /dev/null 2> "$work/err"; then
        echo "fhir.sh: the validator accepted $case" >&2
        exit 1
    fi
    head -1 "$work/err"
done
echo "fhir.sh: ok"
