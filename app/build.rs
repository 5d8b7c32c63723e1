//! Embeds the WebAssembly build of `living-well-wasm` (the participant's on-device
//! profile), so that `cargo run -p living-well-app` is the one command.
//!
//! With `LIVING_WELL_WASM=path` set, that file is embedded (CI builds it once). Otherwise
//! this runs `cargo build -p living-well-wasm --release --target wasm32-unknown-unknown`
//! into its own target folder. If that fails (the target is not installed), an empty file
//! is embedded, a warning printed, and the participant page says the preview is
//! unavailable; the server works as before.

use std::env;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=LIVING_WELL_WASM");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let dest = out.join("living_well_wasm.wasm");
    if let Ok(path) = env::var("LIVING_WELL_WASM") {
        println!("cargo:rerun-if-changed={path}");
        fs::copy(&path, &dest).unwrap_or_else(|e| panic!("LIVING_WELL_WASM={path}: {e}"));
        return;
    }
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest
        .parent()
        .expect("app/ is in the workspace")
        .to_path_buf();
    for watched in ["wasm/src", "wasm/Cargo.toml", "src", "Cargo.toml"] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }
    // OUT_DIR is <target>/<profile>/build/<pkg>-<hash>/out; build beside the profiles.
    let target_dir = out
        .ancestors()
        .nth(4)
        .map_or_else(|| out.join("wasm"), |t| t.join("living-well-wasm"));
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args([
            "build",
            "--release",
            "-p",
            "living-well-wasm",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .arg("--target-dir")
        .arg(&target_dir)
        // What the outer cargo (or clippy) set for this build must not leak into that one.
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .status();
    let built = target_dir.join("wasm32-unknown-unknown/release/living_well_wasm.wasm");
    match status {
        Ok(s) if s.success() && built.exists() => {
            fs::copy(&built, &dest).expect("copy the wasm build");
        }
        _ => {
            println!(
                "cargo:warning=living-well-wasm was not built (run `rustup target add wasm32-unknown-unknown`); the participant page will not show the on-device profile"
            );
            fs::write(&dest, b"").expect("write OUT_DIR");
        }
    }
}
