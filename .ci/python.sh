#!/usr/bin/env bash
# CI for the Python package (python/): on a fresh machine with Rust, from the repository
# root. Lints the binding, makes a fresh virtual environment from PyPI, builds the abi3
# wheel once with maturin, installs it, and runs the pytest suite (the README snippet, the
# Spark local-mode test, the tidy table and reports against the crate's `assess` example).
# Exits non-zero on any failure, and when pytest runs no test.
#
# Environment: PYTHON (default python3, >= 3.10), CARGO_TARGET_DIR (default target/),
# LW_WHEEL_PROFILE (release, the default, or dev for a faster, unoptimised build).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
export CARGO_INCREMENTAL=0

step() { printf '\n== %s\n' "$*"; }
started=$SECONDS

PYTHON=${PYTHON:-python3}
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
profile=${LW_WHEEL_PROFILE:-release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "toolchain"
"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 10), sys.version; print(sys.version)'
cargo --version
if ! command -v java > /dev/null; then
    echo "java not found: the Spark test needs Java 17 or later" >&2
    exit 1
fi
java -version 2>&1 | head -1

step "clippy, the binding (all targets)"
cargo clippy -p living-well-python --all-targets -- -D warnings

step "fresh virtual environment from PyPI"
"$PYTHON" -m venv "$work/venv"
venv_python="$work/venv/bin/python"
"$venv_python" -m pip install --quiet --disable-pip-version-check \
    maturin pytest numpy pandas scipy pyarrow pyspark
"$venv_python" -m pip list --disable-pip-version-check 2> /dev/null \
    | grep -Ei '^(maturin|pytest|numpy|pandas|scipy|pyarrow|pyspark) '

step "build the wheel once (maturin, $profile)"
if [ "$profile" = release ]; then
    profile_flag=(--release)
else
    profile_flag=(--profile "$profile")
fi
CARGO_TARGET_DIR="$target_dir" "$work/venv/bin/maturin" build --quiet "${profile_flag[@]}" \
    -m python/Cargo.toml -o "$work/dist"
wheel=$(ls "$work"/dist/living_well-*-abi3-*.whl)
echo "$wheel"

step "install it into the venv"
"$venv_python" -m pip install --quiet --disable-pip-version-check "$wheel"
# The installed package, not the source folder, must be what the tests import.
(cd "$work" && "$venv_python" -c 'import living_well, sys; print(living_well.__file__); assert "site-packages" in living_well.__file__')

step "the crate's assess example (the tests' reference outputs)"
cargo build --quiet --example assess
export LIVING_WELL_ASSESS="$target_dir/debug/examples/assess"
test -x "$LIVING_WELL_ASSESS"

step "pytest"
export LIVING_WELL_REQUIRE_SPARK=1
export PYSPARK_PYTHON="$venv_python"
export PYSPARK_DRIVER_PYTHON="$venv_python"
log="$work/pytest.log"
set +e
"$venv_python" -m pytest python/tests -q -p no:cacheprovider -rfEs 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
case "$status" in
    0) ;;
    5) echo "pytest collected no test" >&2; exit 1 ;;
    *) echo "pytest failed (exit $status)" >&2; exit "$status" ;;
esac
if grep -qE '[0-9]+ skipped' "$log"; then
    echo "a test was skipped: CI runs them all" >&2
    exit 1
fi
echo "python.sh: $((SECONDS - started)) s"
