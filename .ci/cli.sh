#!/usr/bin/env bash
# The command-line program and the survey importer, beyond the README's test command: the
# importer without xlsx, the export fixtures against the Python oracle, and the program
# installed from a clean root as a user would. Run from anywhere; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
export CARGO_INCREMENTAL=0

step() { printf '\n== %s\n' "$*"; }

# The program's, the importer's and the workbook's tests run in the README's test command
# (`cargo test --all-features`, which .ci/run calls); here, what that does not cover.
log=$(mktemp)
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
