#!/usr/bin/env bash
# Builds every fuzz target in fuzz/ once (cargo-fuzz on the nightly toolchain, or on stable
# with RUSTC_BOOTSTRAP=1 where no nightly is installed); it does not run them. Installs
# cargo-fuzz from crates.io if it is missing.
# Run the fuzzers by hand, e.g.:
#   cd fuzz && cargo +nightly fuzz run cohort_json -- -max_total_time=180 -rss_limit_mb=2048
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export CARGO_TERM_COLOR=never

# cargo-fuzz wants nightly for its -Z flags. A machine with only the stable toolchain
# builds the same targets with RUSTC_BOOTSTRAP=1 (checked: they build and run).
if rustup run nightly rustc --version > /dev/null 2>&1; then
    toolchain=nightly
else
    toolchain=stable
    export RUSTC_BOOTSTRAP=1
    echo "fuzz.sh: no nightly toolchain; building on stable with RUSTC_BOOTSTRAP=1"
fi
rustup run "$toolchain" rustc --version

if ! cargo fuzz --version > /dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz"
    cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi
cargo fuzz --version

# Address sanitizer, debug assertions and overflow checks, as `cargo fuzz run` builds them.
cargo "+$toolchain" fuzz build
echo "fuzz.sh: built $(cargo fuzz list | wc -l) fuzz targets: $(cargo fuzz list | tr '\n' ' ')"
