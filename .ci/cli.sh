#!/usr/bin/env bash
# The command-line program and the survey importer: build with the features once, run
# their tests, check the export fixtures with the Python oracle, and install the program
# from a clean root as a user would. Run from anywhere; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
export CARGO_INCREMENTAL=0
features="cli,xlsx"

step() { printf '\n== %s\n' "$*"; }

step "build --features $features"
cargo build --features "$features" --all-targets

log=$(mktemp)
step "tests: survey importer, labels, round trips, errors, the program, the workbook"
cargo test --features "$features" --test survey --test survey_props --test survey_errors \
    --test survey_labels --test cli --test workbook --test error_traits 2>&1 | tee -a "$log"
cargo test --features "$features" --lib 2>&1 | tee -a "$log"
cargo test --features "$features" --doc survey 2>&1 | tee -a "$log"
cargo test --features "$features" --doc report 2>&1 | tee -a "$log"

step "tests: the survey importer without xlsx (workbooks refused, all else the same)"
cargo test --features survey --test survey --test survey_errors 2>&1 | tee -a "$log"

step "export fixtures against the Python oracle"
if command -v python3 > /dev/null; then
    python3 tests/data/exports/check_exports.py
else
    echo "python3 not found: skipped (tests/survey.rs reads the same exports)"
fi

step "cargo install --features cli, then living-well assess"
root=$(mktemp -d)
cargo install --quiet --locked --path . --features cli --root "$root"
"$root/bin/living-well" --version
"$root/bin/living-well" assess > "$root/report.txt"
grep -q "320 respondents" "$root/report.txt"
"$root/bin/living-well" assess tests/data/exports/google_forms.csv \
    --mapping tests/data/exports/google_forms.mapping.json --format csv > "$root/tidy.csv"
test -s "$root/tidy.csv"
if "$root/bin/living-well" assess --responses /nonexistent.csv 2> "$root/err"; then
    echo "living-well accepted a missing file" >&2
    exit 1
fi
test "$(wc -l < "$root/err")" -eq 1
rm -rf "$root"
awk '/^test result:/ { p += $4; f += $6 } END { printf "cli: %d passed, %d failed\n", p, f }' "$log"
