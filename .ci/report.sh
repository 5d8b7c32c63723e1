#!/usr/bin/env bash
# The HTML report in a real browser, run from the repository root on a fresh Debian machine
# as root (it installs what it needs): builds the command line, writes the HTML report of
# the embedded sample, and has Playwright (playwright-core from npm) drive Debian's chromium
# over it (tests/browser/report.test.mjs): the title, the tensions first, each force, the
# statement texts, the inline tension map, a bar per statement, no console error, no request
# but the file, the phone width and the print style. Refreshes docs/report.png, the README's
# picture. Ends with one plain `N passed, N failed` line; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
target=${CARGO_TARGET_DIR:-target}
log=$(mktemp -d)
failed=0

step() { printf '\n== %s\n' "$*"; }

step "system packages"
need=()
command -v chromium > /dev/null || need+=(chromium)
command -v node > /dev/null || need+=(nodejs)
command -v npm > /dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" > "$log/apt.txt"; then
        tail -20 "$log/apt.txt"
        echo "0 passed, 1 failed"
        exit 1
    fi
fi
chromium --version || true
node --version

step "the HTML report of the embedded sample"
html="$PWD/$target/report.html"
if ! cargo run --quiet --features cli -- assess --format html > "$html"; then
    echo "0 passed, 1 failed"
    exit 1
fi
ls -l "$html"

step "browser test (Playwright, Debian chromium)"
if ! (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error); then
    echo "FAILED: npm ci in tests/browser" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
shots=$(mktemp -d)
REPORT_HTML="$html" REPORT_OUT="$shots" node --test tests/browser/ 2>&1 | tee "$log/browser.txt"
status=${PIPESTATUS[0]}
ls -l "$shots" docs/report.png
# Node's test runner closes with `# pass N` and `# fail N`.
p=$(awk '/^# pass / { print $3 }' "$log/browser.txt" | tail -1)
f=$(awk '/^# fail / { print $3 }' "$log/browser.txt" | tail -1)
if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=1; fi
echo "${p:-0} passed, $((${f:-0} + failed)) failed"
[ "$status" -eq 0 ]
