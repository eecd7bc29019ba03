//! gongbao (公报): builds a static, searchable archive of a government gazette.
//!
//! [`build`] runs the pipeline, one module per stage, each taking data in and handing data on:
//! [`content`] (load + validate) → [`links`] (citations) → [`render`] (Markdown, templates) →
//! [`publish`] (open data, sitemap, feeds, PDFs) → [`output`] (write, swap in). [`import`] turns a
//! printed issue's text into `content/`.

pub mod cache;
pub mod content;
pub mod error;
pub mod import;
pub mod links;
pub mod memory;
pub mod search;
pub mod output;
pub mod publish;
pub mod render;

use std::path::PathBuf;

use output::OutputFile;
use rayon::prelude::*;
use std::time::Instant;

pub use error::{Error, Result};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub output: PathBuf,
    /// Overrides `base_url` of site.toml.
    pub base_url: Option<String>,
    /// Make every file anew instead of reusing what the build cache holds (a file whose bytes
    /// come out unchanged is still linked from the previous output).
    pub full: bool,
}

/// What a successful build did, for the one-line summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub issues: usize,
    pub documents: usize,
    pub files: usize,
    /// Of `files`, how many were unchanged and linked from the previous output.
    pub reused: usize,
    /// Of `documents`, how many bodies were read: the others' files were unchanged since the
    /// previous build, which read them.
    pub bodies_read: usize,
    /// Whether the search index was updated in place from the previous build's, rather than
    /// built anew: the output is the same either way, the time is not.
    pub index_updated: bool,
    pub bytes: u64,
    pub millis: u128,
    /// Cited document numbers the archive does not hold → URLs of the pages citing them.
    pub external_citations: std::collections::BTreeMap<String, Vec<String>>,
    /// Wall time of each stage in microseconds, in pipeline order.
    pub stages: Vec<(&'static str, u128)>,
    /// Things the user should know that are not errors, e.g. why no sitemap was written.
    pub notes: Vec<String>,
    /// What was removed from the content (raw HTML, unsafe link addresses), by file and line.
    /// The build succeeded all the same.
    pub warnings: Vec<error::Diagnostic>,
}

/// Builds the site from `options.content` into `options.output`. On any error the previous
/// output is left exactly as it was.
pub fn build(options: &BuildOptions) -> Result<Report> {
    // first, so that it is dropped last (see `memory::Ending`)
    let ending = memory::Ending::default();
    let started = Instant::now();
    let mut timer = StageTimer { stages: Vec::new(), lap: Instant::now() };

    // Before anything else: never replace a folder that is not a site gongbao made; one build
    // at a time per output; repair an interrupted one.
    let options = &BuildOptions { output: output::target(&options.output, &options.content)?, ..options.clone() };
    let _lock = output::OutputLock::acquire(&options.output)?;
    // What the previous build left beside its output: a source file stamped as it was then is
    // not read, a page whose inputs hash the same is linked from it, a body it scanned or
    // rendered is not scanned or rendered again (see `cache`).
    let version = cache::binary_version();
    // Before any file is stamped: see `Stamp::settled`.
    let loaded_at = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i64);
    // The walk of the content folder only lists folders; the cache is read meanwhile.
    let (previous, scan) = rayon::join(
        || if options.full { cache::Previous::default() } else { cache::Previous::load(&options.output, &version) },
        || content::scan(&options.content),
    );
    let scan = scan?;
    timer.lap("cache+scan");
    let recall = (!options.full && content::Stamp::trusted_on(&options.content)).then_some(&previous as &dyn content::Recall);
    // The templates are parsed while the files load; the content's errors are told first.
    let theme_name = scan.theme().map(str::to_string);
    let (site, theme) = rayon::join(|| content::load_scanned(scan, recall), || render::Theme::load(&options.content, theme_name.as_deref()));
    let (mut site, theme) = (site?, theme?);
    let body_keys = render::body_keys(&site, &|d| previous.body_key(&d.source, d.stamp.as_ref()?));
    timer.lap("load");
    let known = links::citations::Known::new(&site);
    content::read_bodies(&mut site, &|i| previous.citations(&body_keys[i], &known).is_none())?;
    let refs = links::citations::cross_reference(&mut site, &known, &|i| previous.citations(&body_keys[i], &known).map(|(scan, key)| (scan.clone(), *key)));
    timer.lap("citations");
    let base_url = publish::BaseUrl::of(options.base_url.as_deref(), &site.config, &options.content.join("site.toml"))?;
    let site_key = render::site_key(&version, &theme, base_url.as_ref(), &site.config);
    let doc_keys = render::Pages { site: &site, theme: &theme, base_url: base_url.as_ref(), key: site_key }.document_keys(&body_keys);
    // A page is reused only if it is still in the output (removed by hand, it is made anew).
    let docs: Vec<&content::Document> = site.documents().collect();
    let present = output::files_present(&options.output, &docs.iter().map(|d| &d.url).collect::<Vec<_>>());
    let reusable: Vec<bool> = docs.par_iter().zip(&doc_keys).zip(present).map(|((d, key), present)| present && previous.page(&d.url, key, &refs.urls).is_some()).collect();
    let kept: Vec<bool> = body_keys.iter().map(|key| previous.warnings(key).is_some()).collect();
    content::read_bodies(&mut site, &|i| !reusable[i] || !kept[i])?;
    let bodies_read = site.documents().filter(|d| !d.body_unread).count();
    // The renderer consumes the Markdown sources, freeing each once rendered (an error message
    // that wants a line number reads its file again): they and the HTML are never all held.
    let sources: Vec<Option<String>> =
        content::take_bodies(&mut site).into_iter().enumerate().map(|(i, source)| (!reusable[i] || !kept[i]).then_some(source)).collect();
    // The plain texts go to the cache as they are rendered, and the search index reads them
    // back from there: the HTML waiting for its pages is all the rendered output held.
    let next = cache::Next::new(&options.output, &version);
    let mut texts = next.texts(&previous, &body_keys, &sources);
    let render::Bodies { html, descriptions, mut warnings, asked, about } = render::render_bodies(&site, sources, &refs.urls, &mut |t| texts.add(t))?;
    let rendered: Vec<bool> = html.iter().map(Option::is_some).collect();
    // What each document page looked up, for the next build: as asked now if its body was
    // rendered, else as it was (it is reused only if those still resolve the same).
    let asked: std::collections::HashMap<&str, cache::Asked> = site
        .documents()
        .zip(asked)
        .zip(&rendered)
        .map(|((d, asked), &rendered)| {
            let now = asked.into_iter().map(|number| {
                let url = refs.urls.get(&number).cloned();
                (number, url)
            });
            (d.url.as_str(), if rendered { now.collect() } else { previous.asked(&d.url).cloned().unwrap_or_default() })
        })
        .collect();
    for ((w, &rendered), key) in warnings.iter_mut().zip(&rendered).zip(&body_keys) {
        if !rendered {
            *w = previous.warnings(key).unwrap_or_default().to_vec();
        }
    }
    timer.lap("markdown");
    let mut staging = output::Staging::create(&options.output, previous.generation())?;
    // The cache only ever saves work: when it cannot be written the build goes on, and the
    // next one is full.
    let mut cache_error = next.write_texts(staging.dir(), &mut texts, &warnings, &refs).err();
    let text = |i: usize| texts.text(i);
    let mut warnings: Vec<_> = warnings.into_iter().flatten().chain(about.warnings.iter().cloned()).collect();
    if site.issues.is_empty() {
        warnings.push(error::Diagnostic::new(&options.content, 0, "没有任何一期公报（每期应为 <年>/<期>/issue.toml 及其文件，如 2022/02/）：网站只有首页等页面"));
    }
    // a section listed with nothing in it is left off the 目录: a document forgotten, or a name mistyped
    for issue in &site.issues {
        for section in issue.sections.iter().filter(|s| s.documents.is_empty()) {
            warnings.push(error::Diagnostic::new(&issue.source, 0, format!("栏目「{}」列在 sections 中，但没有文件的 section 是它：目录中不显示这一栏", section.name)));
        }
    }
    warnings.sort();
    let links = links::LinkIndex::default();
    let keyed = std::sync::Mutex::new(Vec::new());
    let reuse = |path: &str, key: &cache::Key| -> Result<bool> {
        keyed.lock().expect("no panic while holding the lock").push((path.to_string(), *key));
        match previous.page(path, key, &refs.urls) {
            Some(page_links) if staging.link_previous(path)? => {
                links.add_known(path, page_links.clone());
                Ok(true)
            }
            _ => Ok(false),
        }
    };
    let search_keys = search::doc_keys(&site, &body_keys);
    let old_index: Option<search::State> = previous.search_state().and_then(search::state_from_bytes);
    let index_state = std::sync::Mutex::new(None);
    let pages = render::Pages { site: &site, theme: &theme, base_url: base_url.as_ref(), key: site_key };
    // The search index needs only the plain texts: it is built while the pages render, and
    // then open data, feeds and PDFs are made (they go through the link index too, so pages
    // may link them). Each half is timed on its own too: they overlap, so their sum exceeds
    // the stage.
    let (pages_and_publish, index_time) = rayon::join(
        || -> Result<(u128, u128, Vec<String>)> {
            let page_time = timed(|| {
                pages.render(html, &descriptions, &about, &doc_keys, &reuse, &|file| {
                    links.add(&file);
                    staging.write(&file)
                })
            })?;
            let mut notes = Vec::new();
            let publish_time = timed(|| {
                notes = publish::publish(&site, base_url.as_ref(), &site_key, recall.is_some().then_some(loaded_at), &reuse, &|file| {
                    links.add(&file);
                    staging.write(&file)
                })?;
                Ok(())
            })?;
            Ok((page_time, publish_time, notes))
        },
        || {
            timed(|| {
                let write = |file: OutputFile| staging.write(&file);
                // Updated in place where the change allows (see `search::index::update`), else
                // built anew.
                let updated = match old_index {
                    Some(old) => {
                        let old_text = |key: &cache::Key| previous.text(key).ok();
                        let link = |path: &str| staging.link_previous(path);
                        search::update_index(&site, &search_keys, &text, old, &old_text, &options.output, &write, &link)?
                    }
                    None => None,
                };
                let in_place = updated.is_some();
                let state = match updated {
                    Some(state) => state,
                    None => search::write_index(&site, &search_keys, &text, &write)?,
                };
                *index_state.lock().expect("no panic while holding the lock") = Some((state, in_place));
                Ok(())
            })
        },
    );
    let ((page_time, publish_time, mut notes), index_time) = (pages_and_publish?, index_time?);
    timer.lap("pages+search");
    timer.stages.extend([("  pages alone", page_time), ("  publish alone", publish_time), ("  search alone", index_time)]);
    // pictures and attachments the pages link to, from the content folder
    let attach = |file: OutputFile| {
        links.add(&file);
        staging.write(&file)
    };
    publish::attached(&options.content, &links.missing_files(), recall.is_some().then_some(loaded_at), &reuse, &attach, &|path, why| links.refuse(path, why))?;
    // ids are kept only for the pages links point into (see `LinkIndex::linked_into`)
    let linked_into = links.linked_into();
    links.read_missing_ids(&linked_into, &|path| std::fs::read(staging.dir().join(path)).ok());
    Error::check(links::blame(&links.broken(staging.keeps_every_file()), &site))?;
    timer.lap("links");
    let mut keyed = keyed.into_inner().expect("no panic while holding the lock");
    keyed.sort();
    // A page withdrawn (its document deleted, perhaps for what it said) stays in the previous
    // generation kept beside the output, and its text in the cache, until a full build.
    let made: std::collections::HashSet<&str> = keyed.iter().map(|(path, _)| path.as_str()).collect();
    let mut withdrawn: Vec<&str> = previous.page_paths().filter(|p| !made.contains(p)).collect();
    withdrawn.sort_unstable();
    if let Some(first) = withdrawn.first() {
        let [prev, cache] = ["prev", "cache"].map(|what| output::beside(&options.output, what).display().to_string());
        let pages = match withdrawn.len() {
            1 => first.to_string(),
            n => format!("{first} 等 {n} 个页面"),
        };
        notes.push(format!(
            "上次生成的 {pages} 已撤下；其页面仍在 {prev}，正文仍在 {cache}（输出目录旁的隐藏文件夹）。如因内容不宜公开而撤下，请加 --full 再生成一次予以清除，并确保这两个文件夹不对外提供"
        ));
    }
    // a repeal is read from a sentence by rule: the office sees what was taken as one
    if !refs.repeals.is_empty() {
        const SHOWN: usize = 5;
        let more = match refs.repeals.len() {
            n if n > SHOWN => format!("等 {n} 处"),
            _ => String::new(),
        };
        notes.push(format!(
            "按正文中“……同时废止”等字样，认定 {}{more}：其页面、目录、检索结果和开放数据标为已废止。如只废止了其中一部分，请在被废止文件的 front matter 中写 status = \"有效\"",
            refs.repeals.iter().take(SHOWN).cloned().collect::<Vec<_>>().join("；")
        ));
    }
    let (index_state, index_updated) = match index_state.into_inner().expect("no panic while holding the lock") {
        Some((state, in_place)) => (search::state_bytes(Some(&state)), in_place),
        None => (search::state_bytes(None), false),
    };
    let none = cache::Asked::new();
    let keyed: Vec<_> = keyed
        .iter()
        .filter_map(|(path, key)| {
            // a file that is not a page has no links (and is not scanned for them)
            let l = if path.ends_with(".html") { links.take_links(path)? } else { links::PageLinks::default() };
            let l = if linked_into.contains(path) { l } else { l.without_ids() };
            Some((path.as_str(), key, l, asked.get(path.as_str()).unwrap_or(&none)))
        })
        .collect();
    let generation = staging.generation(previous.generation());
    let (pages_cached, sources_cached) = rayon::join(
        || next.write_pages(staging.dir(), &index_state, &generation, keyed.into_iter()),
        || next.write_sources(staging.dir(), loaded_at, site.documents().zip(&body_keys), &site.issues),
    );
    cache_error = cache_error.or(pages_cached.err()).or(sources_cached.err());
    let (files, reused, bytes) = (staging.files_written(), staging.files_reused(), staging.bytes_written());
    staging.commit()?;
    match cache_error {
        None => next.commit(),
        Some(e) => notes.push(format!("未能写入生成缓存（{e}），下次生成将完整进行")),
    }
    timer.lap("swap");
    ending.keep_freed();
    let (issues, documents) = (site.issues.len(), descriptions.len());
    // The cache read, the site and the link index are freed on a thread of their own (3 ms at
    // 1×): the command line ends the process at once, and a caller that builds again frees
    // them meanwhile.
    drop(texts);
    let _ = std::thread::Builder::new().name("free".into()).spawn(move || drop((previous, site, links)));
    Ok(Report {
        issues,
        documents,
        files,
        reused,
        bodies_read,
        index_updated,
        bytes,
        millis: started.elapsed().as_millis(),
        external_citations: refs.external,
        stages: timer.stages,
        notes,
        warnings,
    })
}

/// Runs `f`, returning its wall time in microseconds.
fn timed(f: impl FnOnce() -> Result<()>) -> Result<u128> {
    let t = Instant::now();
    f().map(|()| t.elapsed().as_micros())
}

/// Wall time per stage, in pipeline order.
struct StageTimer {
    stages: Vec<(&'static str, u128)>,
    lap: Instant,
}

impl StageTimer {
    fn lap(&mut self, name: &'static str) {
        self.stages.push((name, self.lap.elapsed().as_micros()));
        self.lap = Instant::now();
    }
}
