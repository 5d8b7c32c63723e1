#!/usr/bin/env bash
# CI for the balcony app (app/) and the WebAssembly build (wasm/), run from the repository
# root on a fresh Debian machine as root (it installs what it needs): formatting and lints
# of both crates, the wasm build (once), the app's unit and integration tests (the API,
# the load test of 200 participants and the restart test), the wasm module under Node, and
# the end-to-end browser test (Playwright driving Debian's chromium). Ends with one plain
# `N passed, N failed` line; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
export CARGO_INCREMENTAL=0
target=${CARGO_TARGET_DIR:-target}
started=$(date +%s)
passed=0
failed=0
log=$(mktemp -d)

step() { printf '\n== %s (%ss)\n' "$*" "$(($(date +%s) - started))"; }
# Runs a step that is not a test suite; a failure counts as one failed check.
check() {
    local name=$1
    shift
    if "$@"; then passed=$((passed + 1)); else echo "FAILED: $name" >&2; failed=$((failed + 1)); fi
}
finish() {
    step "done"
    echo "app CI took $(($(date +%s) - started)) s"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

step "system packages"
need=()
command -v chromium > /dev/null || need+=(chromium)
command -v node > /dev/null || need+=(nodejs)
command -v npm > /dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" > "$log/apt.txt" || {
        tail -20 "$log/apt.txt"
        failed=$((failed + 1))
        finish
    }
fi
chromium --version || true
node --version

step "wasm target"
rustup target add wasm32-unknown-unknown

step "cargo fmt --check (app, wasm)"
check fmt cargo fmt -p living-well-app -p living-well-wasm -- --check

step "build the wasm module once"
if ! cargo build --release -p living-well-wasm --target wasm32-unknown-unknown; then
    failed=$((failed + 1))
    finish
fi
wasm="$PWD/$target/wasm32-unknown-unknown/release/living_well_wasm.wasm"
ls -l "$wasm"
# The app embeds this build instead of building its own (app/build.rs).
export LIVING_WELL_WASM="$wasm"

step "clippy (app, wasm; all targets; warnings are errors)"
check clippy cargo clippy -p living-well-app -p living-well-wasm --all-targets -- -D warnings

step "cargo test (app: unit, API, load, restart; wasm: native)"
cargo test -p living-well-app -p living-well-wasm -- --nocapture 2>&1 | tee "$log/cargo-test.txt"
cargo_status=${PIPESTATUS[0]}
read -r p f < <(awk '/^test result:/ { p += $4; f += $6 } END { print p + 0, f + 0 }' "$log/cargo-test.txt")
passed=$((passed + p))
failed=$((failed + f))
if [ "$cargo_status" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); fi
grep -E '^(load|restart):' "$log/cargo-test.txt" || true

# Node's test runner closes with `# pass N` and `# fail N`.
node_suite() {
    local name=$1
    shift
    "$@" 2>&1 | tee "$log/$name.txt"
    local status=${PIPESTATUS[0]}
    local p f
    p=$(awk '/^# pass / { print $3 }' "$log/$name.txt" | tail -1)
    f=$(awk '/^# fail / { print $3 }' "$log/$name.txt" | tail -1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
}

step "wasm module under node"
node_suite wasm-node node --test wasm/tests/

step "browser test (Playwright, Debian chromium)"
if (cd app/e2e && npm ci --no-audit --no-fund --loglevel=error); then
    shots=$(mktemp -d)
    E2E_OUT="$shots" BALCONY_PNG="$shots/balcony.png" \
        LIVING_WELL_APP_BIN="$PWD/$target/debug/living-well-app" \
        node_suite e2e node --test app/e2e/
    ls -l "$shots"
else
    echo "FAILED: npm ci in app/e2e" >&2
    failed=$((failed + 1))
fi

finish
