//! Render time per document: builds the repository's content (or the test fixture while the
//! content folder is empty) replicated into a larger archive, and prints the figures.
//!
//! `cargo bench --bench render` (set GONGBAO_BENCH_COPIES to change the replication).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let source = if repo.join("content/site.toml").is_file() { repo.join("content") } else { repo.join("tests/fixtures/site") };
    let copies: usize = std::env::var("GONGBAO_BENCH_COPIES").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
    let work = tempfile::tempdir().expect("temp dir");
    let content = work.path().join("content");
    replicate(&source, &content, copies);

    let options = gongbao::BuildOptions { content, output: work.path().join("public"), base_url: None, full: true };
    let threads = rayon::current_num_threads();
    println!("source: {} × {copies} copies, {threads} threads", source.display());
    let mut runs = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let report = gongbao::build(&options).expect("build");
        runs.push((t.elapsed().as_secs_f64() * 1000.0, report));
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (ms, report) = &runs[runs.len() / 2];
    let per_doc_us = ms * 1000.0 / report.documents as f64;
    println!("documents: {}, files written: {}, output: {:.1} MB", report.documents, report.files, report.bytes as f64 / 1e6);
    println!("full build (median of 5): {ms:.1} ms = {per_doc_us:.0} µs per document (wall, {threads} threads)");
    for (stage, us) in &report.stages {
        println!("  {stage:<9} {:>8.1} ms  {:>6.1} µs/doc", *us as f64 / 1000.0, *us as f64 / report.documents as f64);
    }
}

/// Copies every issue of `from` `copies` times under new years and numbers, with distinct
/// document numbers, so the copies form one valid archive.
fn replicate(from: &Path, to: &Path, copies: usize) {
    fs::create_dir_all(to).unwrap();
    fs::copy(from.join("site.toml"), to.join("site.toml")).unwrap();
    if from.join("about.md").is_file() {
        fs::copy(from.join("about.md"), to.join("about.md")).unwrap();
    }
    let issues: Vec<PathBuf> = walkdir::WalkDir::new(from)
        .min_depth(2)
        .max_depth(2)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.join("issue.toml").is_file())
        .collect();
    let mut k = 0;
    for copy in 0..copies {
        for issue in &issues {
            let (year, number) = (2100 + k / 12, k % 12 + 1);
            k += 1;
            let dir = to.join(format!("{year:04}/{number:02}"));
            fs::create_dir_all(&dir).unwrap();
            for entry in fs::read_dir(issue).unwrap() {
                let path = entry.unwrap().path();
                let text = fs::read_to_string(&path).unwrap();
                let text = text
                    .lines()
                    .map(|line| {
                        if line.starts_with("year = ") {
                            format!("year = {year}")
                        } else if line.starts_with("number = \"") {
                            format!("{}-{copy}\"", line.trim_end_matches('"'))
                        } else if line.starts_with("number = ") {
                            format!("number = {number}")
                        } else {
                            line.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                fs::write(dir.join(path.file_name().unwrap()), text + "\n").unwrap();
            }
        }
    }
}
