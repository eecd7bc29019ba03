//! Search index benchmark over the corpus (`../shared/corpus/lawrefbook.jsonl.xz`):
//! build time (in memory, then writing the files), peak memory, index size against the text,
//! file count, and per query (the fixed list in
//! tests/support/corpus.rs) the bytes the client loads (the real search.js run in node,
//! tests/js/measure.js) and the time from query to rendered results in headless Chromium from
//! file:// (benches/search_browser.js). For the browser, the seed site (content/) is built into
//! a temp dir for its search page and script, and its `search/` replaced by the corpus index.
//!
//!     cargo bench --bench search

#[path = "../tests/support/corpus.rs"]
mod corpus;

use std::time::Instant;

fn vm_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let pos = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn main() {
    let Some(path) = corpus::corpus_path() else {
        println!("corpus absent (../shared/corpus/lawrefbook.jsonl.xz): search bench skipped");
        return;
    };
    let (site, texts) = corpus::load_corpus(&path);
    let text_bytes: usize = site
        .documents()
        .zip(&texts)
        .map(|(d, t)| t.len() + d.meta.title.len() + d.meta.issuer.len() + d.meta.number.as_deref().map_or(0, str::len))
        .sum();
    let rss_before = vm_kb("VmRSS:");
    let started = Instant::now();
    let files = gongbao::search::build_index(&site, &texts);
    let build = started.elapsed();
    let hwm = vm_kb("VmHWM:");
    let index_bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    let count = |prefix: &str| files.iter().filter(|f| f.path.starts_with(prefix)).count();
    let by_dir = |prefix: &str| files.iter().filter(|f| f.path.starts_with(prefix)).map(|f| f.bytes.len()).sum::<usize>();

    let dir = tempfile::tempdir().unwrap();
    let repo = env!("CARGO_MANIFEST_DIR");
    let site_dir = dir.path().join("public");
    gongbao::build(&gongbao::BuildOptions {
        content: format!("{repo}/content").into(),
        output: site_dir.clone(),
        base_url: None,
        full: true,
    })
    .expect("seed site builds");
    std::fs::remove_dir_all(site_dir.join("search")).unwrap();
    // Writing the index as the build does: directories, then one file each.
    let write_started = Instant::now();
    let mut dirs: Vec<_> = files.iter().map(|f| site_dir.join(&f.path).parent().unwrap().to_path_buf()).collect();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).unwrap();
    }
    for f in &files {
        std::fs::write(site_dir.join(&f.path), &f.bytes).unwrap();
    }
    let write = write_started.elapsed();
    let node = |script: &str| -> Vec<serde_json::Value> {
        let out = std::process::Command::new("node")
            .arg(format!("{repo}/{script}"))
            .arg(&site_dir)
            .args(corpus::QUERIES)
            .output()
            .expect("node");
        assert!(out.status.success(), "{script}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let rows = node("tests/js/measure.js");
    let browser = node("benches/search_browser.js");

    let mb = |b: usize| b as f64 / 1e6;
    println!("search index over {} documents", texts.len());
    println!("{:<34} {:>14} {:>14}", "", "measured", "target");
    println!("{:<34} {:>11.1} MB {:>14}", "indexed text (UTF-8)", mb(text_bytes), "");
    println!("{:<34} {:>12.2} s {:>14}", "index build (in memory)", build.as_secs_f64(), "≤ 5 s");
    println!("{:<34} {:>11} MB {:>14}", "peak memory (VmHWM, whole process)", hwm / 1024, "");
    println!("{:<34} {:>11} MB {:>14}", "  of which the build (HWM − RSS)", hwm.saturating_sub(rss_before) / 1024, "≤ 500 MB");
    println!("{:<34} {:>11.1} MB {:>14}", "index on disk", mb(index_bytes), "");
    println!("{:<34} {:>13.2}× {:>14}", "  index / text", index_bytes as f64 / text_bytes as f64, "≤ 1.0×");
    println!("{:<34} {:>11.1} MB", "  postings (search/t)", mb(by_dir("search/t/")));
    println!("{:<34} {:>11.1} MB", "  heads: records, text starts (h)", mb(by_dir("search/h/")));
    println!("{:<34} {:>11.1} MB", "  packs: excerpt chunks (search/p)", mb(by_dir("search/p/")));
    println!("{:<34} {:>11.1} KB", "  meta.js", by_dir("search/meta.js") as f64 / 1e3);
    println!("{:<34} {:>14} {:>14}", "files", files.len(), "");
    println!("{:<34} {:>14}", "  shards / heads / packs", format!("{} / {} / {}", count("search/t/"), count("search/h/"), count("search/p/")));
    println!("{:<34} {:>12.2} s", "index written to disk", write.as_secs_f64());
    println!();
    println!(
        "{:<26} {:>7} {:>6} {:>10} {:>9} {:>9} {:>11} {:>11}",
        "query", "results", "files", "KB loaded", "node cold", "node warm", "chrome cold", "chrome warm"
    );
    let mut kb = Vec::new();
    let (mut cold, mut warm, mut ccold, mut cwarm) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (r, b) in rows.iter().zip(&browser) {
        assert_eq!(r["q"], b["q"]);
        let bytes = r["bytes"].as_f64().unwrap() / 1e3;
        kb.push(bytes);
        cold.push(r["coldMs"].as_f64().unwrap());
        warm.push(r["warmMs"].as_f64().unwrap());
        ccold.push(b["coldMs"].as_f64().unwrap());
        cwarm.push(b["warmMs"].as_f64().unwrap());
        println!(
            "{:<26} {:>7} {:>6} {:>10.1} {:>9.1} {:>9.1} {:>11.0} {:>11.0}",
            r["q"].as_str().unwrap(),
            r["results"],
            r["files"],
            bytes,
            cold.last().unwrap(),
            warm.last().unwrap(),
            ccold.last().unwrap(),
            cwarm.last().unwrap()
        );
    }
    for v in [&mut kb, &mut cold, &mut warm, &mut ccold, &mut cwarm] {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    }
    let exact = rows
        .iter()
        .filter(|r| {
            let q = r["q"].as_str().unwrap();
            let truth = site.documents().zip(&texts).filter(|(d, t)| corpus::matches(d, t, q)).count();
            r["results"].as_u64() == Some(truth as u64)
        })
        .count();
    println!();
    println!("summary over {} queries                  measured         target", rows.len());
    println!("{:<34} {:>11.1} MB", "indexed text (UTF-8)", mb(text_bytes));
    println!("{:<34} {:>11.1} MB {:>14}", "index on disk", mb(index_bytes), "");
    println!("{:<34} {:>13.2}× {:>14}", "  index / text", index_bytes as f64 / text_bytes as f64, "≤ 1.0×");
    println!("{:<34} {:>14} {:>14}", "files", files.len(), "");
    println!("{:<34} {:>12.2} s {:>14}", "index build (in memory)", build.as_secs_f64(), "≤ 5 s");
    println!("{:<34} {:>12.2} s {:>14}", "index written to disk", write.as_secs_f64(), "");
    println!("{:<34} {:>11} MB {:>14}", "build peak memory (HWM − RSS)", hwm.saturating_sub(rss_before) / 1024, "≤ 500 MB");
    println!("{:<34} {:>11.1} KB {:>14}", "bytes per query, median", percentile(&kb, 0.5), "≤ 150 KB");
    println!("{:<34} {:>11.1} KB {:>14}", "bytes per query, p95", percentile(&kb, 0.95), "≤ 1000 KB");
    println!("{:<34} {:>11.0} ms {:>14}", "Chromium file://, first query, med", percentile(&ccold, 0.5), "≤ 300 ms");
    println!("{:<34} {:>11.0} ms {:>14}", "Chromium file://, first query, p95", percentile(&ccold, 0.95), "");
    println!("{:<34} {:>11.0} ms {:>14}", "Chromium file://, warm in-page, med", percentile(&cwarm, 0.5), "≤ 50 ms");
    println!("{:<34} {:>11.0} ms {:>14}", "Chromium file://, warm in-page, p95", percentile(&cwarm, 0.95), "");
    println!("{:<34} {:>11.1} ms {:>14}", "node client, first query, median", percentile(&cold, 0.5), "");
    println!("{:<34} {:>11.1} ms {:>14}", "node client, warm, median", percentile(&warm, 0.5), "");
    println!("{:<34} {:>11} {:>14}", "result counts = documents with it", format!("{exact}/{}", rows.len()), "all");
}
