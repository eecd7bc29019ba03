//! The benchmark corpus (`../shared/corpus/lawrefbook.jsonl.xz`, 3,476 laws) as a gongbao
//! [`Site`]. It has no gazette structure, so one is generated deterministically around the real
//! texts: the year and month of a law's last date make its issue, its category its section and
//! issuer, and a made-up 发文字号 `法规〔year〕N号` numbers it within its year.
//! Shared by `examples/search_fixture.rs` and `benches/search.rs` through `#[path]`.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use gongbao::content::{Document, FrontMatter, GDate, Issue, IssueMeta, Section, Site, SiteConfig};

/// `../shared/corpus/lawrefbook.jsonl.xz` relative to the repository root, if present.
pub fn corpus_path() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/lawrefbook.jsonl.xz");
    p.is_file().then_some(p)
}

#[derive(serde::Deserialize)]
struct Law {
    category: String,
    title: String,
    date: Option<String>,
    body: String,
}

/// The site and, per document in print order, its plain text.
pub fn load_corpus(path: &Path) -> (Site, Vec<String>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).expect("open corpus"));
    let mut raw = Vec::new();
    lzma_rs::xz_decompress(&mut std::io::BufReader::new(file), &mut raw).expect("xz corpus");
    let mut laws: Vec<Law> = Vec::new();
    for line in raw.lines() {
        let line = line.expect("utf-8 corpus");
        if !line.trim().is_empty() {
            laws.push(serde_json::from_str(&line).expect("corpus line"));
        }
    }
    // (year, month) → documents, in corpus order
    let mut issues: BTreeMap<(u16, u8), Vec<(usize, GDate)>> = BTreeMap::new();
    for (i, law) in laws.iter().enumerate() {
        let date = law
            .date
            .as_deref()
            .and_then(GDate::parse)
            .unwrap_or(GDate { year: 2000, month: 1, day: Some(1) });
        issues.entry((date.year, date.month)).or_default().push((i, date));
    }
    let mut seq: BTreeMap<u16, u32> = BTreeMap::new();
    let mut site_issues = Vec::new();
    let mut texts_by_law: Vec<Option<String>> = laws.iter().map(|_| None).collect();
    for ((year, month), docs) in issues {
        let dir = format!("{year}/{month:02}");
        let title = format!("{year}年第{month}期");
        let mut sections: Vec<Section> = Vec::new();
        for (page, (i, date)) in docs.into_iter().enumerate() {
            let law = &laws[i];
            let n = seq.entry(year).or_insert(0);
            *n += 1;
            let slug = format!("d{i:04}");
            let doc = Document {
                meta: FrontMatter {
                    title: law.title.clone(),
                    number: Some(format!("法规〔{year}〕{n}号")),
                    issuer: law.category.clone(),
                    date: Some(date),
                    section: law.category.clone(),
                    page: page as u32 + 1,
                    disclosure: None,
                    addressee: None,
                    status: None,
                    topic: None,
                    index_id: None,
                    aliases: Vec::new(),
                },
                url: format!("{dir}/{slug}.html"),
                slug,
                year,
                issue: month as u16,
                issue_title: title.clone(),
                source: PathBuf::from(format!("{dir}/d{i:04}.md")),
                body: String::new(),
                body_unread: false,
                stamp: None,
                section_line: 0,
                number_line: 0,
                body_line: 1,
                cites: Vec::new(),
                cited_by: Vec::new(),
                repealed_by: None,
            };
            match sections.iter_mut().find(|s| s.name == law.category) {
                Some(s) => s.documents.push(doc),
                None => sections.push(Section { name: law.category.clone(), documents: vec![doc] }),
            }
            texts_by_law[i] = Some(gongbao::render::markdown::plain_text(&law.body));
        }
        site_issues.push(Issue {
            meta: IssueMeta {
                year,
                number: month as u16,
                total_number: None,
                date: GDate { year, month, day: None },
                sections: sections.iter().map(|s| s.name.clone()).collect(),
                masthead: vec![],
                pdf: None,
            },
            title,
            url: format!("{dir}/index.html"),
            dir,
            sections,
            pdf_file: None,
            source: Default::default(),
            stamp: None,
        });
    }
    let site = Site {
        config: SiteConfig {
            name: "法规汇编（基准语料）".into(),
            publisher: "基准".into(),
            supervisor: None,
            serial: None,
            address: None,
            postcode: None,
            phone: None,
            email: None,
            website: None,
            base_url: None,
            base_url_line: 0,
            site_id_code: None,
            theme: None,
        },
        issues: site_issues,
        about: None,
    };
    // texts in print order: map back through the document slugs (d<law index>)
    let texts = site
        .documents()
        .map(|d| texts_by_law[d.slug[1..].parse::<usize>().unwrap()].take().unwrap())
        .collect();
    (site, texts)
}

/// The fixed list of typical queries of the bench and the corpus exactness test: 2-character
/// words, 4-character phrases, long phrases, phrases across word boundaries, numbers and
/// dates, document numbers, and AND queries.
pub const QUERIES: &[&str] = &[
    "医疗", "环境", "税收", "土地", "渔业", "矿产", "公章",
    "医疗保障", "营商环境", "联席会议", "安全生产", "行政复议", "知识产权", "食品安全", "第十二条",
    "中华人民共和国国务院令", "县级以上地方人民政府", "医疗保障基金", "突发事件应对", "依照本条例第三十条的规定",
    "的规定处罚", "人民政府应当", "由县级以上",
    "2020年5月", "1997年", "第174号", "国务院令第174号", "〔2020〕", "[2020]", "（2020）",
    "医疗 保障", "营商 环境 优化",
];

/// Whether a document contains every term of `query` (white space separates terms), checked by
/// plain token-sequence search over its fields and the lines (paragraphs) of its text: the
/// independent truth the index must equal.
pub fn matches(doc: &Document, text: &str, query: &str) -> bool {
    use gongbao::search::normalize::{contains_tokens, token_strings};
    let fields: Vec<Vec<String>> = [doc.meta.number.as_deref().unwrap_or(""), &doc.meta.title, &doc.meta.issuer]
        .into_iter()
        .chain(text.split('\n'))
        .map(token_strings)
        .collect();
    let terms: Vec<Vec<String>> = query.split_whitespace().map(token_strings).filter(|t| !t.is_empty()).collect();
    !terms.is_empty() && terms.iter().all(|t| fields.iter().any(|f| contains_tokens(f, t)))
}
