//! Writes a search index and the expected results for the JS tests and the bench:
//!
//!     cargo run --example search_fixture -- <content-dir | corpus.jsonl.xz> <out-dir> [query…]
//!
//! `<out-dir>/public/search/…` gets the index as `gongbao build` writes it;
//! `<out-dir>/truth.json` maps each query to the URLs of the documents that contain it,
//! computed by plain token search over each document, not through the index;
//! `<out-dir>/tokens.json` holds the Rust tokens of sample strings, for parity with search.js.
//! Without queries, the corpus' fixed list is used.

// shared with benches/search.rs, which uses the corpus path this example takes as an argument
#[allow(dead_code)]
#[path = "../tests/support/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (source, out) = (Path::new(&args[0]), Path::new(&args[1]));
    let (site, texts) = if source.is_dir() {
        let site = gongbao::content::load(source, None).unwrap_or_else(|e| panic!("{e}"));
        let texts = site
            .documents()
            .map(|d| gongbao::render::markdown::render(&d.body, &d.source, d.body_line, &|_| Vec::new()).expect("renders").text)
            .collect::<Vec<_>>();
        (site, texts)
    } else {
        corpus::load_corpus(source)
    };
    let queries: Vec<String> =
        if args.len() > 2 { args[2..].to_vec() } else { corpus::QUERIES.iter().map(|s| s.to_string()).collect() };

    let started = std::time::Instant::now();
    let files = gongbao::search::build_index(&site, &texts);
    eprintln!("index: {} files in {:.2?}", files.len(), started.elapsed());
    let public = out.join("public");
    for f in &files {
        let path = public.join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &f.bytes).unwrap();
    }
    let docs: Vec<_> = site.documents().collect();
    let mut truth: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for q in &queries {
        let mut urls: Vec<&str> =
            docs.iter().zip(&texts).filter(|(d, t)| corpus::matches(d, t, q)).map(|(d, _)| d.url.as_str()).collect();
        urls.sort();
        truth.insert(q, urls);
    }
    std::fs::write(out.join("truth.json"), serde_json::to_string_pretty(&truth).unwrap()).unwrap();
    let samples = [
        "惠政办发〔2022〕31号", "惠政办发［２０２２］３１号", "GB2312编码 v2.0", "（一）【附件】\u{3000}Ａｂｃ",
        "医疗 保障\n基金", "𠀀字", "第１２条", "e-mail: Office@Gov.CN", "\u{feff}x\u{85}y", "〔2022〕08号 2022年05月 000 0.50 007a", "0.05 ０．０５ 1.005 10:05 .05 v2.05 9.\n05", "20\u{200b}22年 医\u{200b}疗 a\u{feff}b 0.\u{2060}05",
    ];
    let tokens: BTreeMap<&str, Vec<String>> =
        samples.iter().map(|s| (*s, gongbao::search::normalize::token_strings(s))).collect();
    std::fs::write(out.join("tokens.json"), serde_json::to_string_pretty(&tokens).unwrap()).unwrap();
}
