#!/usr/bin/env bash
# Builds every fuzz target in fuzz/ once (cargo-fuzz on the installed nightly toolchain);
# it does not run them. Installs cargo-fuzz from crates.io if it is missing.
# Run the fuzzers by hand, e.g.:
#   cd fuzz && cargo +nightly fuzz run cohort_json -- -max_total_time=180 -rss_limit_mb=2048
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export CARGO_TERM_COLOR=never

if ! rustup run nightly rustc --version > /dev/null 2>&1; then
    echo "fuzz.sh: no nightly toolchain installed (cargo-fuzz needs one: rustup toolchain list)" >&2
    exit 1
fi
rustup run nightly rustc --version

if ! cargo fuzz --version > /dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz"
    cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi
cargo fuzz --version

# Address sanitizer, debug assertions and overflow checks, as `cargo fuzz run` builds them.
cargo +nightly fuzz build
echo "fuzz.sh: built $(cargo fuzz list | wc -l) fuzz targets: $(cargo fuzz list | tr '\n' ' ')"
