//! The Rust version Cargo.toml declares (`rust-version`) is a promise to whoever builds
//! gongbao with an older toolchain than ours: every locked dependency must build with it too,
//! or cargo fails on a dependency instead of saying which Rust gongbao needs.

#[test]
fn the_declared_rust_version_covers_every_locked_dependency() {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    // The dependencies of this machine's platform only: those of others (Windows crates) may
    // never have been downloaded here, and cargo metadata would fetch them (or fail offline).
    let rustc = std::path::Path::new(env!("CARGO")).with_file_name("rustc");
    let rustc = if rustc.exists() { rustc } else { "rustc".into() };
    let about = std::process::Command::new(&rustc).arg("-vV").output().expect("rustc runs");
    let host = String::from_utf8_lossy(&about.stdout).lines().find_map(|l| l.strip_prefix("host: ").map(str::to_string)).expect("rustc -vV names the host");
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--filter-platform", &host, "--manifest-path", manifest])
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "cargo metadata failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
    let version = |v: &serde_json::Value| -> Option<(u32, u32)> {
        let mut parts = v.as_str()?.split('.').map(|p| p.parse::<u32>().ok());
        Some((parts.next()??, parts.next().flatten().unwrap_or(0)))
    };
    let packages = meta["packages"].as_array().expect("packages");
    let ours = packages.iter().find(|p| p["name"] == "gongbao").and_then(|p| version(&p["rust_version"])).expect("Cargo.toml declares rust-version");
    let resolved: std::collections::HashSet<&str> = meta["resolve"]["nodes"].as_array().expect("resolve").iter().filter_map(|n| n["id"].as_str()).collect();
    let newer: Vec<String> = packages
        .iter()
        .filter(|p| p["id"].as_str().is_some_and(|id| resolved.contains(id)))
        .filter_map(|p| Some((p, version(&p["rust_version"])?)))
        .filter(|(_, v)| *v > ours)
        .map(|(p, v)| format!("{} {} needs Rust {}.{}", p["name"].as_str().unwrap_or("?"), p["version"].as_str().unwrap_or("?"), v.0, v.1))
        .collect();
    assert!(newer.is_empty(), "Cargo.toml declares rust-version {}.{}, but:\n{}", ours.0, ours.1, newer.join("\n"));
}
