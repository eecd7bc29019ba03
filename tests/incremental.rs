//! Incremental builds: unchanged files are reused from the previous output, and the result is
//! byte-identical to a full build after edits, additions and deletions.

mod common;

use common::*;
use std::process::Command;

fn build(ws: &Workspace, output: &str, full: bool) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongbao"));
    cmd.current_dir(ws.dir.path()).args(["build", "--content", "content", "--output", output]);
    if full {
        cmd.arg("--full");
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn reused(summary: &str) -> usize {
    let after = summary.split("其中 ").nth(1).unwrap();
    after.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn an_incremental_build_equals_a_full_build_after_edits_additions_and_deletions() {
    let ws = Workspace::new(&repo().join("content"));
    let first = build(&ws, "public", false);
    assert_eq!(reused(&first), 0, "nothing to reuse the first time: {first}");
    let again = build(&ws, "public", false);
    let total: usize = again.split("输出 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert_eq!(reused(&again), total, "an unchanged site reuses every file: {again}");

    // Edit one body, add a document to a later issue, delete another document.
    ws.edit("2022/02/p036.md", "安全隐患", "安全隐患（已修订）");
    copy_dir(&fixture("later-issue"), &ws.content());
    std::fs::remove_file(ws.content().join("2022/02/p061.md")).unwrap();

    let incremental = build(&ws, "public", false);
    assert!(reused(&incremental) > 0, "{incremental}");
    build(&ws, "full", true);
    let a = tree(&ws.public());
    let b = tree(&ws.dir.path().join("full"));
    assert_eq!(a.iter().map(|(p, _)| p).collect::<Vec<_>>(), b.iter().map(|(p, _)| p).collect::<Vec<_>>(), "same files");
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{path} differs between the incremental and the full build");
    }
    assert!(!ws.public().join("2022/02/p061.html").exists(), "a deleted document's page is gone");
    assert!(ws.read("2022/02/p036.html").contains("安全隐患（已修订）"));
}
