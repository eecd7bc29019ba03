//! Stage 2: render the validated site into files. Markdown is rendered first for every document
//! (in parallel, collecting every content error), then each page goes through its template.

pub mod markdown;
pub mod sanitize;
mod theme;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::cache::{Hasher, Key, Reuse};
use crate::content::{number_key, number_parts, Document, Issue, Site, SiteConfig};
use crate::links::citations;
use crate::error::{Error, Result};
use crate::output::OutputFile;
use crate::publish::{self, BaseUrl};
pub use markdown::Rendered;
pub use theme::{escape_html, Theme};

/// The rendered Markdown of the site: each document in `site.documents()` order (`None` where
/// it was not asked for), and about.md.
pub struct Bodies {
    /// Per document in print order: the body as HTML (`None` where it was not rendered, nor
    /// its text given to the `texts` of [`render_bodies`]) and the page description, for its
    /// page, and what the sanitiser removed.
    pub html: Vec<Option<String>>,
    pub descriptions: Vec<String>,
    pub warnings: Vec<Vec<crate::error::Diagnostic>>,
    /// The document numbers (comparison keys) its citations were looked up by: its HTML
    /// depends on which of them the archive holds, and on nothing else of the archive.
    pub asked: Vec<Vec<String>>,
    pub about: Rendered,
}

/// What a document body renders from: its Markdown and where it stands in its file (for
/// messages). Equal keys render equal, as long as the numbers it asked for
/// ([`Bodies::asked`]) resolve the same.
/// `recalled` gives the key of a body left unread (see [`crate::content::load`]), as the
/// build that read it made it.
pub fn body_keys(site: &Site, recalled: &(dyn Fn(&Document) -> Option<Key> + Sync)) -> Vec<Key> {
    let docs: Vec<&Document> = site.documents().collect();
    docs.par_iter()
        .map(|d| {
            let key = |seed: &[u8], body: &str| Hasher::new(seed).bytes(d.source.to_string_lossy().as_bytes()).bytes(&d.body_line.to_le_bytes()).bytes(body.as_bytes()).key();
            match d.body_unread {
                // never unrecalled: the loader leaves a body unread only where it is recalled;
                // else a key no body has, so that nothing is taken for it
                true => recalled(d).unwrap_or_else(|| key(b"unread body", "")),
                false => key(b"body", &d.body),
            }
        })
        .collect()
}

/// Documents rendered between two hand-backs of freed memory (see [`render_bodies`]).
const RENDER_SLICE: usize = 512;

/// Renders the document bodies given (`sources`, in `site.documents()` order, each freed once
/// rendered), linking the document numbers they cite that the archive holds (`numbers`:
/// comparison key → URL), and the about page; fails with every error at once. The bodies'
/// plain texts go to `texts` as they are made, a slice of documents at a time and in order
/// (`None` where no source was given), so that they need not all be held.
pub fn render_bodies(site: &Site, sources: Vec<Option<String>>, numbers: &HashMap<String, String>, texts: &mut (dyn FnMut(Vec<Option<String>>) + Send)) -> Result<Bodies> {
    let docs: Vec<&Document> = site.documents().collect();
    let known = |key: &str| numbers.contains_key(key);
    let render = |(d, source): (&&Document, Option<String>)| {
        let asked = std::sync::Mutex::new(std::collections::BTreeSet::new());
        let ask = |key: String| asked.lock().expect("no panic while holding the lock").insert(key);
        let known = |key: &str| {
            ask(key.to_string());
            known(key)
        };
        let linker = |text: &str| {
            citations::find(text, &known)
                .into_iter()
                .filter_map(|c| {
                    let key = number_key(&c.text);
                    let url = numbers.get(&key).filter(|url| **url != d.url);
                    ask(key);
                    url.map(|url| (c.range, format!("../../{url}")))
                })
                .collect()
        };
        let rendered = source.map(|source| markdown::render(&source, &d.source, d.body_line, &linker)).transpose();
        rendered.map(|r| r.map(|r| (r, asked.into_inner().expect("no panic while holding the lock").into_iter().collect::<Vec<_>>())))
    };
    let mut bodies = Bodies {
        html: Vec::with_capacity(docs.len()),
        descriptions: Vec::with_capacity(docs.len()),
        warnings: Vec::with_capacity(docs.len()),
        asked: Vec::with_capacity(docs.len()),
        about: Rendered::default(),
    };
    let mut errors = Vec::new();
    let mut sources = sources.into_iter();
    // The texts of the slice before, handed on while this one renders: on the thread that
    // renders, writing them was a tenth of the stage with the other processor idle.
    let mut pending: Option<Vec<Option<String>>> = None;
    for slice in docs.chunks(RENDER_SLICE) {
        let slice_sources: Vec<Option<String>> = sources.by_ref().take(slice.len()).collect();
        let rendering = slice_sources.iter().any(Option::is_some);
        let hand_on = || {
            if let Some(before) = pending.take() {
                texts(before);
            }
        };
        let (results, ()): (Vec<_>, ()) = rayon::join(|| slice.par_iter().zip(slice_sources).map(render).collect(), hand_on);
        let mut slice_texts = Vec::with_capacity(slice.len());
        for (d, result) in slice.iter().zip(results) {
            let (html, text, warnings, asked) = match result {
                Ok(Some((r, asked))) => {
                    bodies.descriptions.push(excerpt(&r.text, DESCRIPTION_CHARS).unwrap_or_else(|| d.meta.title.clone()));
                    (Some(r.html), Some(r.text), r.warnings, asked)
                }
                Ok(None) => {
                    bodies.descriptions.push(String::new());
                    (None, None, Vec::new(), Vec::new())
                }
                Err(mut e) => {
                    errors.append(&mut e);
                    continue;
                }
            };
            bodies.html.push(html);
            slice_texts.push(text);
            bodies.warnings.push(warnings);
            bodies.asked.push(asked);
        }
        if errors.is_empty() {
            pending = Some(slice_texts);
        }
        // What the parser and the sources freed is handed back: the results pile up meanwhile,
        // and the holes they would leave add to the build's peak. (A slice with nothing
        // rendered, as in most of a rebuild, has nothing to hand back.)
        if rendering {
            crate::memory::release_freed();
        }
    }
    if let Some(last) = pending {
        texts(last);
    }
    bodies.about = match &site.about {
        Some(page) => markdown::render(&page.body, &page.source, page.body_line, &markdown::no_links).unwrap_or_else(|e| {
            errors.extend(e);
            Rendered::default()
        }),
        None => Rendered::default(),
    };
    Error::check(errors)?;
    Ok(bodies)
}

/// What every page is made with besides its own data: the binary, the theme, the base URL and
/// the site's settings. (Which document numbers the archive holds matters to a document page
/// only through those its body asked for: see [`Bodies::asked`].)
pub fn site_key(version: &str, theme: &Theme, base_url: Option<&BaseUrl>, config: &SiteConfig) -> Key {
    Hasher::new(version.as_bytes()).bytes(&theme.key).bytes(base_url.map_or("", BaseUrl::as_str).as_bytes()).value(config).key()
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
    /// Host named by the SiteDomain meta tag: base_url's, else the portal's (`website`).
    site_domain: Option<&'a str>,
    /// Whether the Atom feeds exist (they need a base_url), so pages may link them.
    feeds: bool,
}

/// An issue as templates see it, with its display date.
#[derive(Serialize)]
struct IssueView<'a> {
    #[serde(flatten)]
    issue: &'a Issue,
    date_text: String,
    document_count: usize,
    /// `1.2 MB`, when the issue has its print PDF.
    pdf_size: Option<String>,
    /// Its 目录 as open data: `data/issues/2022-02.json`.
    data_url: String,
}

impl<'a> IssueView<'a> {
    fn new(issue: &'a Issue) -> Self {
        IssueView {
            issue,
            date_text: issue.meta.date.chinese(),
            document_count: issue.documents().count(),
            pdf_size: issue.pdf_file.as_ref().map(|p| publish::size_text(p.bytes)),
            data_url: publish::issue_data_path(issue),
        }
    }
}

/// An issue without its 目录, for pages that only name or link it: a document page would
/// otherwise carry its whole issue's table of contents into the template, once per document.
#[derive(Serialize)]
struct IssueSummary<'a> {
    title: &'a str,
    url: &'a str,
    year: u16,
    number: u16,
    date_text: String,
    document_count: usize,
}

impl<'a> IssueSummary<'a> {
    fn new(issue: &'a Issue) -> Self {
        IssueSummary {
            title: &issue.title,
            url: &issue.url,
            year: issue.meta.year,
            number: issue.meta.number,
            date_text: issue.meta.date.chinese(),
            document_count: issue.documents().count(),
        }
    }
}

#[derive(Serialize)]
struct YearGroup<'a> {
    year: u16,
    issues: Vec<IssueSummary<'a>>,
}

/// A document page's data, as its template sees it but for the body.
#[derive(Serialize)]
struct DocPage<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    #[serde(flatten)]
    own: DocData<'a>,
}

/// What a document page shows of its own: [`Common`] follows from the site's key and the
/// page's URL, so this is all its key hashes (see [`Pages::document_keys`]).
#[derive(Serialize)]
struct DocData<'a> {
    issue: IssueSummary<'a>,
    doc: &'a Document,
    /// none for a document printed without a 成文日期
    date_text: Option<String>,
    page_title: &'a str,
    og_type: &'static str,
    /// The meta tags portal inspections read on an article page (政府网站发展指引).
    pub_date: String,
    keywords: String,
    prev: Option<&'a Document>,
    next: Option<&'a Document>,
}

/// The home page (`index.html`).
#[derive(Serialize)]
struct HomePage<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    latest: Option<IssueView<'a>>,
    years: Vec<YearGroup<'a>>,
    issue_count: usize,
    document_count: usize,
    description: String,
}

/// A site-wide page that shows little but the common parts (`search.html`, `404.html`).
#[derive(Serialize)]
struct PlainPage<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    noindex: bool,
}

/// The 文号 index (`wenhao.html`).
#[derive(Serialize)]
struct NumberPage<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    count: usize,
    groups: Vec<NumberGroup<'a>>,
    description: String,
    /// A number of the archive (the newest document's) for the finder's example: another
    /// gazette's reader is not shown this one's.
    example: Option<&'a str>,
}

#[derive(Serialize)]
struct IssuePage<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    issue: IssueView<'a>,
    page_title: String,
    description: String,
    /// The issues before and after it, for 上一期 / 下一期.
    older: Option<IssueSummary<'a>>,
    newer: Option<IssueSummary<'a>>,
}

/// Makes the pages of a site with a theme.
pub struct Pages<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub base_url: Option<&'a BaseUrl>,
    /// See [`site_key`].
    pub key: Key,
}

impl<'a> Pages<'a> {
    fn common<'b>(&self, root: &'b str, url: &str) -> Common<'b>
    where
        'a: 'b,
    {
        let site_domain = self.base_url.map(BaseUrl::host).or_else(|| self.site.config.website.as_deref().map(publish::host_of));
        Common {
            site: &self.site.config,
            root,
            assets: &self.theme.assets,
            canonical: self.base_url.map(|b| b.join(url)),
            site_domain,
            feeds: self.base_url.is_some(),
        }
    }

    /// Every document with its issue, in print order.
    fn documents(&self) -> Vec<(&'a Issue, &'a Document)> {
        self.site.issues.iter().flat_map(|i| i.documents().map(move |d| (i, d))).collect()
    }

    /// The page of the n-th document; it knows its neighbours in print order within its issue.
    fn document_page(&self, docs: &[(&'a Issue, &'a Document)], n: usize) -> DocPage<'a> {
        let (issue, doc) = docs[n];
        let neighbour = |m: Option<usize>| m.and_then(|m| docs.get(m)).filter(|(i, _)| std::ptr::eq(*i, issue)).map(|(_, d)| *d);
        let keywords: Vec<&str> = [doc.meta.number.as_deref(), Some(&doc.meta.issuer), Some(&doc.meta.section), doc.meta.topic.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        DocPage {
            common: self.common("../../", &doc.url),
            own: DocData {
                issue: IssueSummary::new(issue),
                doc,
                date_text: doc.meta.date.map(|d| d.chinese()),
                page_title: &doc.meta.title,
                og_type: "article",
                pub_date: issue.published().iso(),
                keywords: keywords.join(","),
                prev: neighbour(n.checked_sub(1)),
                next: neighbour(Some(n + 1)),
            },
        }
    }

    /// The key of each document's page, in print order: everything its template sees but the
    /// body, and the key of its body ([`body_keys`]).
    pub fn document_keys(&self, body_keys: &[Key]) -> Vec<Key> {
        let docs = self.documents();
        (0..docs.len()).into_par_iter().map(|n| Hasher::new(&self.key).value(&self.document_page(&docs, n).own).bytes(&body_keys[n]).key()).collect()
    }

    /// The page of the `n`th issue, oldest first.
    fn issue_page(&self, n: usize) -> IssuePage<'a> {
        let issues = &self.site.issues;
        let issue = &issues[n];
        let config = &self.site.config;
        let sections: Vec<&str> = issue.sections.iter().filter(|s| !s.documents.is_empty()).map(|s| s.name.as_str()).collect();
        let count = issue.documents().count();
        IssuePage {
            common: self.common("../../", &issue.url),
            issue: IssueView::new(issue),
            page_title: format!("{} {}", config.name, issue.title),
            description: format!("{}{}（{}出版）目录：{}，共 {} 篇文件。", config.name, issue.title, issue.meta.date.chinese(), sections.join("、"), count),
            older: n.checked_sub(1).map(|m| IssueSummary::new(&issues[m])),
            newer: issues.get(n + 1).map(IssueSummary::new),
        }
    }

    /// Renders every page of the site and hands each file to `emit` as soon as it is made.
    /// `html` (per document, from [`render_bodies`]) is taken whole so that each body is freed
    /// as soon as its page is written: rendered HTML is never held for the whole site beyond
    /// this point. A document or issue page that `reuse` takes from the previous output is not
    /// made; its body need not have been rendered.
    pub fn render(&self, html: Vec<Option<String>>, descriptions: &[String], about_body: &Rendered, doc_keys: &[Key], reuse: Reuse, emit: &(dyn Fn(OutputFile) -> Result<()> + Sync)) -> Result<()> {
        let (site, theme, base_url) = (self.site, self.theme, self.base_url);
        for file in &theme.static_files {
            emit(file.clone())?;
        }

        let docs = self.documents();
        docs.par_iter().zip(html).enumerate().try_for_each(|(n, ((_, doc), body))| {
            if reuse(&doc.url, &doc_keys[n])? {
                return Ok(());
            }
            let body = body.ok_or_else(|| Error::Other(format!("内部错误：{} 的正文未渲染，上次生成的页面也不可用；请加 --full 重新生成", doc.url)))?;
            let mut ctx = context_of(&self.document_page(&docs, n))?;
            ctx.insert("body", &body);
            ctx.insert("description", &descriptions[n]);
            ctx.insert("qr", &base_url.map(|b| b.join(&doc.url)).and_then(|url| crate::links::qr::svg_for(&url)));
            emit(OutputFile::new(doc.url.clone(), theme.render("document.html", &ctx)?))
        })?;

        // Old paths of documents: a page that sends the reader on (meta refresh works on file://).
        for (_, doc) in &docs {
            for alias in &doc.meta.aliases {
                let root = "../".repeat(alias.matches('/').count());
                let mut ctx = context_of(&Common { root: &root, ..self.common("", &doc.url) })?;
                ctx.insert("doc", doc);
                emit(OutputFile::new(alias.clone(), theme.render("redirect.html", &ctx)?))?;
            }
        }

        // The issue pages' keys cover every issue's view: the about page lists them all.
        let issue_keys: Vec<Key> = site
            .issues
            .par_iter()
            .enumerate()
            .map(|(n, issue)| {
                let page = self.issue_page(n);
                let key = Hasher::new(&self.key).value(&page).key();
                if !reuse(&issue.url, &key)? {
                    let ctx = context_of(&page)?;
                    emit(OutputFile::new(issue.url.clone(), theme.render("issue.html", &ctx)?))?;
                }
                Ok(key)
            })
            .collect::<Result<_>>()?;

        // The site-wide pages are made again only when what they show changed: keyed by their
        // template data (the about page by the issue pages' keys, which cover the issues it
        // lists), like the other pages. The data is hashed as it is, and made into a template
        // context only for a page rendered: the 文号 index has an entry per numbered document,
        // which as a context was built, copied and hashed on every build (5% of a rebuild's
        // processor time at 1×).
        let site_page = |path: &str, key: Key, context: &dyn Fn() -> Result<Context>| -> Result<()> {
            if reuse(path, &key)? {
                return Ok(());
            }
            emit(OutputFile::new(path, theme.render(path, &context()?)?))
        };
        // Home: newest issue first, grouped by year.
        let mut years: Vec<YearGroup> = Vec::new();
        for issue in site.issues.iter().rev() {
            match years.last_mut() {
                Some(group) if group.year == issue.meta.year => group.issues.push(IssueSummary::new(issue)),
                _ => years.push(YearGroup { year: issue.meta.year, issues: vec![IssueSummary::new(issue)] }),
            }
        }
        let home = HomePage {
            common: self.common("", "index.html"),
            latest: site.issues.last().map(IssueView::new),
            years,
            issue_count: site.issues.len(),
            document_count: docs.len(),
            description: format!("{}电子版：收录 {} 期、{} 篇文件，各期目录与印刷版一致，可全文检索。", site.config.name, site.issues.len(), docs.len()),
        };
        site_page("index.html", page_key(&self.key, "index.html", &home), &|| context_of(&home))?;

        let description = format!("在{}的全部文件中检索标题、发文字号和正文。", site.config.name);
        let search = PlainPage { common: self.common("", "search.html"), description, noindex: false };
        site_page("search.html", page_key(&self.key, "search.html", &search), &|| context_of(&search))?;

        let groups = number_index(&docs);
        let numbers = NumberPage {
            common: self.common("", "wenhao.html"),
            count: groups.iter().flat_map(|g| &g.years).map(|y| y.entries.len()).sum(),
            groups,
            description: format!("{}全部文件按发文字号排列的索引，可按任意括号写法的文号找到文件。", site.config.name),
            example: docs.iter().rev().find_map(|(_, d)| d.meta.number.as_deref()),
        };
        site_page("wenhao.html", page_key(&self.key, "wenhao.html", &numbers), &|| context_of(&numbers))?;

        let about = site.about.clone().unwrap_or_else(|| crate::content::Page {
            title: "本刊简介".into(),
            source: Default::default(),
            body: String::new(),
            body_line: 1,
        });
        let mut ctx = context_of(&self.common("", "about.html"))?;
        ctx.insert("page", &about);
        ctx.insert("body", &about_body.html);
        ctx.insert("page_title", &about.title);
        ctx.insert("description", &excerpt(&about_body.text, DESCRIPTION_CHARS).unwrap_or_else(|| format!("{}{}", site.config.name, about.title)));
        let mut key = Hasher::new(&self.key);
        key.bytes(b"about.html").value(&ctx.clone().into_json());
        for k in issue_keys.iter().rev() {
            key.bytes(k);
        }
        site_page("about.html", key.key(), &|| {
            let mut ctx = ctx.clone();
            ctx.insert("issues", &site.issues.iter().rev().map(IssueView::new).collect::<Vec<_>>());
            Ok(ctx)
        })?;

        // A web server shows 404.html at any depth, where relative links would break; with a
        // base_url its links start at the host's root (/gongbao/…), so that a staging or intranet
        // host serving the site at the same path shows it whole too (absolute links to the
        // public host are refused there by the CSP); without one they assume the site root.
        let root404 = base_url.map(BaseUrl::path).unwrap_or_default();
        let common404 = Common { root: root404, canonical: None, ..self.common("", "404.html") };
        let missing = PlainPage { common: common404, description: String::new(), noindex: true };
        site_page("404.html", page_key(&self.key, "404.html", &missing), &|| context_of(&missing))
    }
}

/// The key of a site-wide page made from `data`, which is all its template sees.
fn page_key(site_key: &Key, path: &str, data: &impl Serialize) -> Key {
    Hasher::new(site_key).bytes(path.as_bytes()).value(data).key()
}

/// The template context of a page's data.
fn context_of(data: &impl Serialize) -> Result<Context> {
    Context::from_serialize(data).map_err(tera_error)
}

/// How long a page description may be: search engines show about 120 Chinese characters.
const DESCRIPTION_CHARS: usize = 110;

/// The start of a text on one line, cut at `max` characters with an ellipsis; `None` if empty.
/// Reads only as far as it needs: bodies can be megabytes long.
fn excerpt(text: &str, max: usize) -> Option<String> {
    let mut chars = text.split_whitespace().enumerate().flat_map(|(i, word)| (i > 0).then_some(' ').into_iter().chain(word.chars()));
    let out: String = chars.by_ref().take(max).collect();
    if out.is_empty() {
        return None;
    }
    Some(if chars.next().is_some() { out + "…" } else { out })
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

/// One issuer code's numbers; the code is the id of its heading (`wenhao.html#惠政办发`), which
/// a new code sorting before it does not move.
#[derive(Serialize)]
struct NumberGroup<'a> {
    code: String,
    count: usize,
    years: Vec<NumberYear<'a>>,
}

/// Every 发文字号 of the archive, grouped by issuer code (惠政办发…) and year (newest first),
/// sorted by sequence number, for the 文号索引 page.
fn number_index<'a>(docs: &[(&'a Issue, &'a Document)]) -> Vec<NumberGroup<'a>> {
    let mut groups: BTreeMap<String, BTreeMap<std::cmp::Reverse<String>, Vec<NumberEntry<'a>>>> = BTreeMap::new();
    for (_, doc) in docs {
        let Some(number) = doc.meta.number.as_deref() else { continue };
        let key = number_key(number);
        let (code, year, sequence) = number_parts(&key).map_or(("其他", "", 0), |p| (p.code, p.year.unwrap_or(""), p.serial));
        let entry = NumberEntry { number, key: key.clone(), url: &doc.url, title: &doc.meta.title, repealed: doc.repealed_by.is_some(), sequence };
        groups.entry(code.to_string()).or_default().entry(std::cmp::Reverse(year.to_string())).or_default().push(entry);
    }
    groups
        .into_iter()
        .map(|(code, years)| NumberGroup {
            code,
            count: years.values().map(Vec::len).sum(),
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

fn tera_error(e: tera::Error) -> Error {
    Error::Template(e.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn excerpts_are_one_line_and_cut_with_an_ellipsis() {
        assert_eq!(super::excerpt("  一二\n三  四 ", 10).as_deref(), Some("一二 三 四"));
        assert_eq!(super::excerpt("一二 三四", 3).as_deref(), Some("一二 …"));
        assert_eq!(super::excerpt("一二三", 3).as_deref(), Some("一二三"));
        assert_eq!(super::excerpt(" \n ", 3), None);
    }
}
