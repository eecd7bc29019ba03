//! gongbao (公报): builds a static, searchable archive of a government gazette.
//!
//! [`build`] runs the pipeline, one module per stage, each taking data in and handing data on:
//! [`content`] (load + validate) → [`links`] (citations) → [`render`] (Markdown, templates) →
//! [`publish`] (open data, sitemap, feeds, PDFs) → [`output`] (write, swap in). [`import`] turns a
//! printed issue's text into `content/`.

pub mod content;
pub mod error;
pub mod import;
pub mod links;
pub mod search;
pub mod output;
pub mod publish;
pub mod render;

use std::path::PathBuf;
use std::time::Instant;

pub use error::{Error, Result};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub output: PathBuf,
    /// Overrides `base_url` of site.toml.
    pub base_url: Option<String>,
    /// Write every file anew instead of reusing unchanged files of the previous output.
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
    let started = Instant::now();
    let mut timer = StageTimer { stages: Vec::new(), lap: Instant::now() };

    // Before anything else: one build at a time per output, and repair an interrupted one.
    let _lock = output::OutputLock::acquire(&options.output)?;
    let mut site = content::load(&options.content)?;
    timer.lap("load");
    let refs = links::citations::cross_reference(&mut site);
    timer.lap("citations");
    let base_url = publish::BaseUrl::parse(options.base_url.as_deref().or(site.config.base_url.as_deref()))?;
    let theme = render::Theme::load(&options.content, site.config.theme.as_deref())?;
    // The renderer consumes the Markdown sources, freeing each once rendered (an error message
    // that wants a line number reads its file again): they and the HTML are never all held.
    let sources = content::take_bodies(&mut site);
    let render::Bodies { html, descriptions, texts, about, warnings } = render::render_bodies(&site, sources, &refs.urls)?;
    timer.lap("markdown");
    let staging = output::Staging::create(&options.output, !options.full)?;
    let links = links::LinkIndex::default();
    // The search index needs only the plain texts: it is built while the pages render. Each
    // half is timed on its own too: they overlap, so their sum exceeds the stage.
    let (pages, index) = rayon::join(
        || {
            timed(|| {
                render::render_pages(&site, html, &descriptions, &about, &theme, base_url.as_ref(), &|file| {
                    links.add(&file);
                    staging.write(&file)
                })
            })
        },
        || timed(|| search::write_index(&site, texts, &|file| staging.write(&file))),
    );
    let (pages, index) = (pages?, index?);
    timer.lap("pages+search");
    timer.stages.extend([("  pages alone", pages), ("  search alone", index)]);
    // Open data, feeds and PDFs go through the link index too, so pages may link them.
    let notes = publish::publish(&site, base_url.as_ref(), &|file| {
        links.add(&file);
        staging.write(&file)
    })?;
    timer.lap("publish");
    Error::check(links::blame(&links.broken(), &site))?;
    timer.lap("links");
    let (files, reused, bytes) = (staging.files_written(), staging.files_reused(), staging.bytes_written());
    staging.commit()?;
    timer.lap("swap");
    Ok(Report {
        issues: site.issues.len(),
        documents: descriptions.len(),
        files,
        reused,
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
