//! Stage 2: render the validated site into files. Markdown is rendered first for every document
//! (in parallel, collecting every content error), then each page goes through its template.

pub mod markdown;
pub mod sanitize;
mod theme;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::content::{number_key, Document, Issue, Site, SiteConfig};
use crate::links::citations;
use crate::error::{Error, Result};
use crate::output::OutputFile;
pub use markdown::Rendered;
pub use theme::Theme;

/// Renders every document body, linking the document numbers it cites that the archive holds
/// (`numbers`: comparison key → URL); fails with every raw-HTML error at once.
pub fn render_bodies(site: &Site, numbers: &HashMap<String, String>) -> Result<Vec<Rendered>> {
    let docs: Vec<&Document> = site.documents().collect();
    let known = |key: &str| numbers.contains_key(key);
    let results: Vec<_> = docs
        .par_iter()
        .map(|d| {
            let linker = |text: &str| {
                citations::find(text, &known)
                    .into_iter()
                    .filter_map(|c| numbers.get(&number_key(&c.text)).filter(|url| **url != d.url).map(|url| (c.range, format!("../../{url}"))))
                    .collect()
            };
            markdown::render(&d.body, &d.source, d.body_line, &linker)
        })
        .collect();
    let mut rendered = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(r) => rendered.push(r),
            Err(mut e) => errors.append(&mut e),
        }
    }
    Error::check(errors)?;
    Ok(rendered)
}

/// What every template gets.
#[derive(Serialize)]
struct Common<'a> {
    site: &'a SiteConfig,
    /// Relative path from the page to the site root ("", "../../"): links stay relative and name
    /// files, so the same output works on a web server, under a sub-path and from file://.
    root: &'a str,
    assets: &'a BTreeMap<String, String>,
    canonical: Option<String>,
}

/// An issue as templates see it, with its display date.
#[derive(Serialize)]
struct IssueView<'a> {
    #[serde(flatten)]
    issue: &'a Issue,
    date_text: String,
    document_count: usize,
}

impl<'a> IssueView<'a> {
    fn new(issue: &'a Issue) -> Self {
        IssueView { issue, date_text: issue.meta.date.chinese(), document_count: issue.documents().count() }
    }
}

#[derive(Serialize)]
struct YearGroup<'a> {
    year: u16,
    issues: Vec<IssueView<'a>>,
}

/// One row of `data/documents.json`: the public data contract of the archive.
#[derive(Serialize)]
struct DocumentRecord<'a> {
    url: &'a str,
    year: u16,
    issue: u16,
    title: &'a str,
    number: Option<&'a str>,
    issuer: &'a str,
    date: String,
    section: &'a str,
    page: u32,
    /// 效力状态: 已废止 when a later document repeals it, else as declared (有效 by default).
    status: &'a str,
    repealed_by: Option<&'a str>,
    cites: Vec<&'a str>,
    cited_by: Vec<&'a str>,
}

/// Renders every page of the site and hands each file to `emit` as soon as it is made.
pub fn render_pages(
    site: &Site,
    bodies: &[Rendered],
    theme: &Theme,
    base_url: Option<&str>,
    emit: &(dyn Fn(OutputFile) -> Result<()> + Sync),
) -> Result<()> {
    let canonical = |url: &str| base_url.map(|b| format!("{}{url}", with_slash(b)));
    let common = |root: &'static str, url: &str| Common { site: &site.config, root, assets: &theme.assets, canonical: canonical(url) };

    for file in &theme.static_files {
        emit(file.clone())?;
    }

    // Documents, in parallel; each knows its neighbours in print order.
    let docs: Vec<(&Issue, &Document)> =
        site.issues.iter().flat_map(|i| i.documents().map(move |d| (i, d))).collect();
    docs.par_iter().enumerate().try_for_each(|(n, (issue, doc))| {
        let neighbour = |m: Option<usize>| m.and_then(|m| docs.get(m)).filter(|(i, _)| std::ptr::eq(*i, *issue)).map(|(_, d)| *d);
        let mut ctx = Context::from_serialize(common("../../", &doc.url)).map_err(tera_error)?;
        ctx.insert("issue", &IssueView::new(issue));
        ctx.insert("doc", doc);
        ctx.insert("date_text", &doc.meta.date.chinese());
        ctx.insert("body", &bodies[n].html);
        ctx.insert("prev", &neighbour(n.checked_sub(1)));
        ctx.insert("next", &neighbour(Some(n + 1)));
        emit(OutputFile::new(doc.url.clone(), theme.render("document.html", &ctx)?))
    })?;

    // Old paths of documents: a page that sends the reader on (meta refresh works on file://).
    for (_, doc) in &docs {
        for alias in &doc.meta.aliases {
            let root = "../".repeat(alias.matches('/').count());
            let mut ctx = Context::from_serialize(Common { site: &site.config, root: &root, assets: &theme.assets, canonical: canonical(&doc.url) })
                .map_err(tera_error)?;
            ctx.insert("doc", doc);
            emit(OutputFile::new(alias.clone(), theme.render("redirect.html", &ctx)?))?;
        }
    }

    site.issues.par_iter().try_for_each(|issue| {
        let mut ctx = Context::from_serialize(common("../../", &issue.url)).map_err(tera_error)?;
        ctx.insert("issue", &IssueView::new(issue));
        emit(OutputFile::new(issue.url.clone(), theme.render("issue.html", &ctx)?))
    })?;

    // Home: newest issue first, grouped by year.
    let mut years: Vec<YearGroup> = Vec::new();
    for issue in site.issues.iter().rev() {
        match years.last_mut() {
            Some(group) if group.year == issue.meta.year => group.issues.push(IssueView::new(issue)),
            _ => years.push(YearGroup { year: issue.meta.year, issues: vec![IssueView::new(issue)] }),
        }
    }
    let mut ctx = Context::from_serialize(common("", "index.html")).map_err(tera_error)?;
    ctx.insert("latest", &site.issues.last().map(IssueView::new));
    ctx.insert("years", &years);
    ctx.insert("issue_count", &site.issues.len());
    ctx.insert("document_count", &docs.len());
    emit(OutputFile::new("index.html", theme.render("index.html", &ctx)?))?;

    let mut ctx = Context::from_serialize(common("", "search.html")).map_err(tera_error)?;
    let issues: Vec<IssueView> = site.issues.iter().rev().map(IssueView::new).collect();
    ctx.insert("issues", &issues);
    emit(OutputFile::new("search.html", theme.render("search.html", &ctx)?))?;

    let mut ctx = Context::from_serialize(common("", "wenhao.html")).map_err(tera_error)?;
    let groups = number_index(&docs);
    ctx.insert("count", &groups.iter().flat_map(|g| &g.years).map(|y| y.entries.len()).sum::<usize>());
    ctx.insert("groups", &groups);
    emit(OutputFile::new("wenhao.html", theme.render("wenhao.html", &ctx)?))?;

    let about = site.about.clone().unwrap_or_else(|| crate::content::Page {
        title: "本刊简介".into(),
        source: Default::default(),
        body: String::new(),
        body_line: 1,
    });
    let about_html = markdown::render(&about.body, &about.source, about.body_line, &markdown::no_links).map_err(Error::Content)?.html;
    let mut ctx = Context::from_serialize(common("", "about.html")).map_err(tera_error)?;
    ctx.insert("page", &about);
    ctx.insert("body", &about_html);
    emit(OutputFile::new("about.html", theme.render("about.html", &ctx)?))?;

    // A web server shows 404.html at any depth, where relative links would break; with a
    // base_url its links are absolute, without one they assume the site root.
    let root404 = base_url.map(with_slash).unwrap_or_default();
    let mut ctx = Context::from_serialize(Common { site: &site.config, root: &root404, assets: &theme.assets, canonical: None })
        .map_err(tera_error)?;
    ctx.insert("noindex", &true);
    emit(OutputFile::new("404.html", theme.render("404.html", &ctx)?))?;

    let records: Vec<DocumentRecord> = docs
        .iter()
        .map(|(_, d)| DocumentRecord {
            url: &d.url,
            year: d.year,
            issue: d.issue,
            title: &d.meta.title,
            number: d.meta.number.as_deref(),
            issuer: &d.meta.issuer,
            date: d.meta.date.iso(),
            section: &d.meta.section,
            page: d.meta.page,
            status: status_text(d),
            repealed_by: d.repealed_by.as_ref().map(|r| r.url.as_str()),
            cites: d.cites.iter().map(|r| r.url.as_str()).collect(),
            cited_by: d.cited_by.iter().map(|r| r.url.as_str()).collect(),
        })
        .collect();
    let json = serde_json::to_string_pretty(&records).map_err(|e| Error::Other(e.to_string()))?;
    let json = crate::output::script_safe_json(&json) + "\n";
    emit(OutputFile::new("data/documents.json", json))
}

#[derive(Serialize)]
struct NumberEntry<'a> {
    number: &'a str,
    key: String,
    url: &'a str,
    title: &'a str,
    repealed: bool,
    #[serde(skip)]
    sequence: u64,
}

#[derive(Serialize)]
struct NumberYear<'a> {
    year: String,
    entries: Vec<NumberEntry<'a>>,
}

#[derive(Serialize)]
struct NumberGroup<'a> {
    code: String,
    years: Vec<NumberYear<'a>>,
}

/// Every 发文字号 of the archive, grouped by issuer code (惠政办发…) and year (newest first),
/// sorted by sequence number, for the 文号索引 page.
fn number_index<'a>(docs: &[(&'a Issue, &'a Document)]) -> Vec<NumberGroup<'a>> {
    let mut groups: BTreeMap<String, BTreeMap<std::cmp::Reverse<String>, Vec<NumberEntry<'a>>>> = BTreeMap::new();
    for (_, doc) in docs {
        let Some(number) = doc.meta.number.as_deref() else { continue };
        let key = number_key(number);
        let (code, year, sequence) = split_number(&key).unwrap_or(("其他", "", 0));
        let entry = NumberEntry { number, key: key.clone(), url: &doc.url, title: &doc.meta.title, repealed: doc.repealed_by.is_some(), sequence };
        groups.entry(code.to_string()).or_default().entry(std::cmp::Reverse(year.to_string())).or_default().push(entry);
    }
    groups
        .into_iter()
        .map(|(code, years)| NumberGroup {
            code,
            years: years
                .into_iter()
                .map(|(year, mut entries)| {
                    entries.sort_by(|a, b| (a.sequence, &a.key).cmp(&(b.sequence, &b.key)));
                    NumberYear { year: year.0, entries }
                })
                .collect(),
        })
        .collect()
}

/// 惠政办发〔2022〕8号 → (惠政办发, 2022, 8), from a [`number_key`].
fn split_number(key: &str) -> Option<(&str, &str, u64)> {
    let (code, rest) = key.split_once('〔')?;
    let (year, rest) = rest.split_once('〕')?;
    let sequence = rest.strip_suffix('号')?.parse().ok()?;
    (!code.is_empty() && year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())).then_some((code, year, sequence))
}

fn status_text(doc: &Document) -> &'static str {
    use crate::content::Status;
    match (&doc.repealed_by, doc.meta.status) {
        (Some(_), _) | (None, Some(Status::Repealed)) => "已废止",
        (None, Some(Status::Expired)) => "已失效",
        (None, Some(Status::InForce) | None) => "有效",
    }
}

fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

fn tera_error(e: tera::Error) -> Error {
    Error::Template(e.to_string())
}
