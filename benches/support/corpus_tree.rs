//! Writes the benchmark corpus (`../shared/corpus/lawrefbook.jsonl.xz`, 3,476 real Chinese
//! legal texts) as a gongbao content tree, so whole builds can be measured at archive scale.
//!
//! The corpus has no gazette structure; it is made deterministically around the real titles and
//! bodies: a text's year and month give its issue (`<year>/<month>`, 12 issues a year), its
//! category the section and issuer, and a generated 发文字号 `法规〔year〕N号` numbers it within
//! its year. `times` > 1 replicates every text under distinct numbers and file names, in the same
//! issues, as a larger archive would hold more documents per issue.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::BufRead;
use std::path::{Path, PathBuf};

#[derive(serde::Deserialize)]
pub struct Law {
    pub category: String,
    pub title: String,
    pub date: Option<String>,
    pub body: String,
}

pub fn corpus_path() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/lawrefbook.jsonl.xz");
    p.is_file().then_some(p)
}

pub fn read_corpus(path: &Path) -> Vec<Law> {
    let mut raw = Vec::new();
    let file = std::fs::File::open(path).expect("open corpus");
    lzma_rs::xz_decompress(&mut std::io::BufReader::new(file), &mut raw).expect("xz corpus");
    raw.lines()
        .map(|l| l.expect("UTF-8 corpus"))
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(&l).expect("corpus line"))
        .collect()
}

/// What was written.
pub struct Tree {
    pub documents: usize,
    pub issues: usize,
    /// UTF-8 bytes of titles and bodies: the text the archive is made of.
    pub text_bytes: u64,
}

pub fn write_tree(laws: &[Law], content: &Path, times: usize) -> Tree {
    let site = "name = \"法规汇编（基准测试）\"\npublisher = \"基准测试\"\n";
    std::fs::create_dir_all(content).unwrap();
    std::fs::write(content.join("site.toml"), site).unwrap();

    // (year, month) → indices of laws, in corpus order.
    let mut issues: BTreeMap<(u16, u8), Vec<usize>> = BTreeMap::new();
    for (i, law) in laws.iter().enumerate() {
        let (y, m) = year_month(law);
        issues.entry((y, m)).or_default().push(i);
    }
    let mut sequence: BTreeMap<u16, u32> = BTreeMap::new();
    let mut tree = Tree { documents: 0, issues: issues.len(), text_bytes: 0 };
    for ((year, month), members) in &issues {
        let dir = content.join(format!("{year:04}/{month:02}"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut sections: Vec<&str> = members.iter().map(|&i| laws[i].category.as_str()).collect();
        sections.sort();
        sections.dedup();
        let mut issue = format!("year = {year}\nnumber = {month}\ndate = \"{year:04}-{month:02}\"\nsections = [");
        for (k, s) in sections.iter().enumerate() {
            let _ = write!(issue, "{}{}", if k > 0 { ", " } else { "" }, toml_string(s));
        }
        issue.push_str("]\n");
        std::fs::write(dir.join("issue.toml"), issue).unwrap();

        let mut page = 1;
        for copy in 0..times {
            for &i in members {
                let law = &laws[i];
                let n = sequence.entry(*year).or_insert(0);
                *n += 1;
                let date = law.date.clone().filter(|d| d.len() == 10).unwrap_or(format!("{year:04}-{month:02}-01"));
                let title = if copy == 0 { law.title.clone() } else { format!("{}（副本{copy}）", law.title) };
                // The corpus has a few raw HTML fragments; content here is plain Markdown.
                let body = law.body.replace('<', "\\<");
                let doc = format!(
                    "+++\ntitle = {}\nnumber = \"法规〔{year}〕{n}号\"\nissuer = {}\ndate = \"{date}\"\nsection = {}\npage = {page}\n+++\n{body}\n",
                    toml_string(&title),
                    toml_string(&law.category),
                    toml_string(&law.category),
                );
                std::fs::write(dir.join(format!("p{page:05}.md")), doc).unwrap();
                tree.text_bytes += (title.len() + law.body.len()) as u64;
                tree.documents += 1;
                page += 1 + law.body.len() as u32 / 3000;
            }
        }
    }
    tree
}

fn year_month(law: &Law) -> (u16, u8) {
    let d = law.date.as_deref().unwrap_or("2000-01-01");
    let year = d.get(0..4).and_then(|y| y.parse().ok()).unwrap_or(2000);
    let month = d.get(5..7).and_then(|m| m.parse().ok()).filter(|m| (1..=12).contains(m)).unwrap_or(1);
    (year, month)
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
