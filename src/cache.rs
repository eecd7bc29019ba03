//! What a build leaves beside its output for the next one (`.public.cache/`, ignored by git), so
//! that a rebuild after a correction does only the work the correction calls for:
//! - per keyed file (document, issue and site-wide pages, open data, feeds, print PDFs), the
//!   [`Key`] of everything it was made from, the document numbers its body's citations were
//!   looked up by with what they resolved to, and its links (for the link check): a file whose
//!   key is unchanged and whose numbers resolve the same is linked from the previous output
//!   instead of made;
//! - per document body, its plain text and what the sanitiser reported: a body that is
//!   unchanged is not rendered again; and what its scan for document numbers found, with the
//!   tails of the candidates it looked at (`citations::Scan`): it is scanned again only when a
//!   number with one of those tails comes or goes (`citations::Known::key_for`). The texts
//!   lie back to back in `texts.data`, which a build appends the texts it renders to as it
//!   renders them (a full build, or one finding the file over twice the live texts' size,
//!   judged from the sources, writes it anew). They
//!   are read only where needed, through the index in `texts`, each checked against its hash;
//!   the build's own search index reads them from there too ([`TextStore`]), so they are
//!   never all held;
//! - what the search index needs to be updated in place (`search::State`, as JSON);
//! - per document source file, its [`Stamp`], its front matter as parsed and its body's key
//!   (`sources`): a file stamped the same, and settled (see [`Stamp::settled`]) when the
//!   previous build began, is not read; its body is read only where it must be rendered or
//!   scanned again;
//! - the output's files and where the generation before it differs ([`Generation`]).
//!
//! Every key starts from the binary's identity ([`binary_version`]): a new gongbao never trusts
//! an old cache. The cache names the output folder it describes (device and inode of the
//! staging folder that became it); any other folder there (a failed swap, a copy put back by
//! hand) makes the cache void and the build full. `--full` ignores the cache and writes a new
//! one. A cache that cannot be read is treated as absent: it can only save work, never change
//! the output.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::content::{Document, Front, Issue, IssueMeta, Stamp};
use crate::error::{Diagnostic, Error, Result};
use crate::links::citations::{Citation, CrossRefs, Known, Scan};
use crate::links::PageLinks;
use crate::output::{folder_identity, Generation};

/// A content hash: XXH3's 128 bits. It tells inputs that differ apart, as a cache key must;
/// nothing here needs to resist forged inputs (who can write the content can write anything).
/// SHA-256 made hashing the 57 MB of bodies and the pages' data the largest user-space cost of
/// a rebuild (the `cache` stage: 44–51 ms at 1×, now 29–37).
pub type Key = [u8; 16];

mod hash;
pub use hash::Hasher;

/// Asked before a keyed file (a page, an open-data file) is made: `true` when the previous
/// output's file, made from inputs with the same key, was taken instead.
pub type Reuse<'a> = &'a (dyn Fn(&str, &Key) -> Result<bool> + Sync);

/// gongbao's version and the identity of its executable (size, modification time), so that a
/// rebuilt binary, even of the same version, starts with a full build.
pub fn binary_version() -> String {
    let exe = std::env::current_exe().and_then(std::fs::metadata).ok();
    let stamp = exe.map(|m| {
        let modified = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
        format!("{}:{modified}", m.len())
    });
    format!("gongbao {} {}", env!("CARGO_PKG_VERSION"), stamp.unwrap_or_default())
}

/// Where a body's text lies in `texts.data`, a hash to check it by, and what the sanitiser
/// reported when the body was rendered.
#[derive(Debug, Clone)]
struct TextRef {
    offset: u64,
    len: u32,
    check: Key,
    warnings: Vec<Diagnostic>,
    /// What the scan for document numbers found in the body, and the key of the archive's
    /// numbers it depended on then ([`Known::key_for`]).
    scan: Scan,
    known: Key,
}

/// The numbers a page's citations were looked up by, and the URL each resolved to.
pub type Asked = Vec<(String, Option<String>)>;

/// The previous build's cache, when it describes the current output.
#[derive(Default)]
pub struct Previous {
    pages: HashMap<String, (Key, PageLinks, Asked)>,
    texts: HashMap<Key, TextRef>,
    /// `texts.data`, its identity (its first 16 bytes) and length.
    data: Option<(DataFile, Key, u64)>,
    search: Option<Vec<u8>>,
    generation: Option<Generation>,
    /// Document source path → what the previous build found in it, for the files settled then.
    sources: HashMap<PathBuf, Source>,
    /// issue.toml path → its stamp and what it held (as JSON), for the files settled then.
    issues: HashMap<PathBuf, (Stamp, String)>,
}

/// A document source file as a build found it.
#[derive(Debug, Clone)]
struct Source {
    stamp: Stamp,
    body_key: Key,
    /// The front matter, as JSON: parsed only when recalled, by the loader's threads.
    meta: String,
    lines: [u32; 3],
}

/// What the previous build found in a content file (as the content folder names it), if it is
/// still stamped the same.
impl crate::content::Recall for Previous {
    fn document(&self, path: &Path, stamp: &Stamp) -> Option<Front> {
        let source = self.sources.get(path).filter(|s| s.stamp == *stamp)?;
        let [body_line, section_line, number_line] = source.lines.map(|l| l as usize);
        Some(Front { meta: serde_json::from_str(&source.meta).ok()?, body_line, section_line, number_line })
    }

    fn issue(&self, path: &Path, stamp: &Stamp) -> Option<IssueMeta> {
        self.issues.get(path).filter(|(s, _)| s == stamp).and_then(|(_, meta)| serde_json::from_str(meta).ok())
    }
}

impl Previous {
    /// Reads the cache beside `output`. Empty when there is none, it was written by another
    /// binary or for another folder, or it cannot be read.
    pub fn load(output: &Path, version: &str) -> Previous {
        let Some(identity) = folder_identity(output) else { return Previous::default() };
        let dir = cache_dir(output);
        // the file and where its body starts, after a header naming this binary and this folder
        let read = |name: &str| -> Option<(Vec<u8>, usize)> {
            let bytes = std::fs::read(dir.join(name)).ok()?;
            let mut r = Reader { bytes: &bytes, at: 0 };
            let ours = r.str()? == MAGIC && r.str()? == version && r.u64()? == identity.0 && r.u64()? == identity.1;
            let at = r.at;
            ours.then_some((bytes, at))
        };
        // The three files in parallel: read on one thread they were a tenth of a rebuild.
        let (mut pages, mut texts, mut sources) = (Previous::default(), Previous::default(), Previous::default());
        rayon::join(
            || read(PAGES).map(|(bytes, at)| pages.read_pages(&bytes[at..])),
            || {
                rayon::join(
                    || read(TEXTS).map(|(bytes, at)| texts.read_texts(&bytes[at..], &dir.join(DATA))),
                    || read(SOURCES).map(|(bytes, at)| sources.read_sources(&bytes[at..])),
                )
            },
        );
        Previous { sources: sources.sources, issues: sources.issues, texts: texts.texts, data: texts.data, ..pages }
    }

    fn read_sources(&mut self, bytes: &[u8]) -> Option<()> {
        let mut r = Reader { bytes, at: 0 };
        let taken = r.u64()? as i64;
        let mut sources = HashMap::new();
        for _ in 0..r.u32()? {
            let path = PathBuf::from(r.str()?);
            let stamp = r.stamp()?;
            let (body_key, meta, lines) = (r.key()?, r.str()?.to_string(), [r.u32()?, r.u32()?, r.u32()?]);
            if stamp.settled(taken) {
                sources.insert(path, Source { stamp, body_key, meta, lines });
            }
        }
        let mut issues = HashMap::new();
        for _ in 0..r.u32()? {
            let (path, stamp, meta) = (PathBuf::from(r.str()?), r.stamp()?, r.str()?.to_string());
            if stamp.settled(taken) {
                issues.insert(path, (stamp, meta));
            }
        }
        (self.sources, self.issues) = (sources, issues);
        Some(())
    }

    /// The key of the body of the document file at `path`, if it is still stamped the same.
    pub fn body_key(&self, path: &Path, stamp: &Stamp) -> Option<Key> {
        self.sources.get(path).filter(|s| s.stamp == *stamp).map(|s| s.body_key)
    }

    fn read_pages(&mut self, bytes: &[u8]) -> Option<()> {
        let mut r = Reader { bytes, at: 0 };
        let search = r.bytes()?.to_vec();
        let identity = (r.u64()?, r.u64()?);
        let files = (0..r.u32()?).map(|_| Some((r.str()?.to_string(), r.u64()?))).collect::<Option<Vec<_>>>()?;
        let differs = (0..r.u32()?).map(|_| r.str().map(str::to_string)).collect::<Option<Vec<_>>>()?;
        let folders = (0..r.u32()?).map(|_| Some((r.str()?.to_string(), r.u64()?))).collect::<Option<Vec<_>>>()?;
        let mut pages = HashMap::new();
        for _ in 0..r.u32()? {
            let path = r.str()?.to_string();
            let key = r.key()?;
            let ids = match r.u32()? {
                1 => Some((r.str()?.to_string(), r.u32s()?)),
                _ => None,
            };
            let links = PageLinks::from_parts(ids, r.str()?.to_string(), r.u32s()?)?;
            let asked = (0..r.u32()?).map(|_| Some((r.str()?.to_string(), (r.u32()? == 1).then(|| r.str().map(str::to_string)).flatten()))).collect::<Option<Asked>>()?;
            pages.insert(path, (key, links, asked));
        }
        (self.pages, self.search, self.generation) = (pages, Some(search), Some(Generation { identity, files, differs, folders }));
        Some(())
    }

    fn read_texts(&mut self, bytes: &[u8], data: &Path) -> Option<()> {
        let mut r = Reader { bytes, at: 0 };
        let id = r.key()?;
        let mut file = std::fs::File::open(data).ok()?;
        let mut head = [0u8; 16];
        std::io::Read::read_exact(&mut file, &mut head).ok()?;
        let len = file.metadata().ok()?.len();
        if head != id {
            return None; // the index of another data file
        }
        let mut texts = HashMap::new();
        for _ in 0..r.u32()? {
            let key = r.key()?;
            let (offset, text_len, check) = (r.u64()?, r.u32()?, r.key()?);
            let warnings = (0..r.u32()?)
                .map(|_| Some(Diagnostic { file: PathBuf::from(r.str()?), line: r.u32()? as usize, message: r.str()?.to_string() }))
                .collect::<Option<Vec<_>>>()?;
            let citations = (0..r.u32()?)
                .map(|_| Some(Citation { range: r.u32()? as usize..r.u32()? as usize, text: r.str()?.to_string(), repeals: r.u32()? == 1 }))
                .collect::<Option<Vec<_>>>()?;
            let tails = (0..r.u32()?).map(|_| r.str().map(str::to_string)).collect::<Option<Vec<_>>>()?;
            let known = r.key()?;
            if offset + text_len as u64 <= len {
                texts.insert(key, TextRef { offset, len: text_len, check, warnings, scan: Scan { citations, tails }, known });
            }
        }
        (self.texts, self.data) = (texts, Some((DataFile { path: data.to_path_buf(), file }, id, len)));
        Some(())
    }

    /// The links of `path` as the previous build made it from inputs with this key, if the
    /// numbers it looked up still resolve as they did (`numbers`: comparison key → URL).
    pub fn page(&self, path: &str, key: &Key, numbers: &HashMap<String, String>) -> Option<&PageLinks> {
        let (k, links, asked) = self.pages.get(path)?;
        (k == key && asked.iter().all(|(number, url)| numbers.get(number) == url.as_ref())).then_some(links)
    }

    /// The pages the previous build made (and kept keys for), by path.
    pub fn page_paths(&self) -> impl Iterator<Item = &str> {
        self.pages.keys().map(String::as_str).filter(|p| p.ends_with(".html"))
    }

    /// The numbers `path` looked up, as the previous build recorded them.
    pub fn asked(&self, path: &str) -> Option<&Asked> {
        self.pages.get(path).map(|(_, _, asked)| asked)
    }

    /// What the sanitiser reported on a body with this key; `Some` if its text is kept.
    pub fn warnings(&self, key: &Key) -> Option<&[Diagnostic]> {
        self.texts.get(key).map(|t| t.warnings.as_slice())
    }

    /// What the scan of a body with this key found, and the key of the archive's numbers it
    /// depends on, if those are the same now.
    pub fn citations(&self, key: &Key, known: &Known) -> Option<(&Scan, &Key)> {
        self.texts.get(key).filter(|t| known.key_for(&t.scan.tails) == t.known).map(|t| (&t.scan, &t.known))
    }

    /// The kept text of a body with this key, read and checked.
    pub fn text(&self, key: &Key) -> Result<String> {
        let (Some(t), Some((data, _, _))) = (self.texts.get(key), &self.data) else {
            return Err(Error::Other("内部错误：生成缓存中没有所需的正文".into()));
        };
        data.text(t.offset, t.len, &t.check)
    }

    /// The current output's files, and the generation kept before it.
    pub fn generation(&self) -> Option<&Generation> {
        self.generation.as_ref()
    }

    /// What the previous build's search index left for updating it.
    pub fn search_state(&self) -> Option<&[u8]> {
        self.search.as_deref()
    }
}

/// The cache of the build in progress, written beside the staging folder and put in place
/// once the build's output is.
pub struct Next {
    dir: PathBuf,
    version: String,
    /// The data file appended to and its length before, to cut it back to if the build fails.
    appended: std::sync::Mutex<Option<(PathBuf, u64)>>,
}

impl Next {
    pub fn new(output: &Path, version: &str) -> Next {
        Next { dir: cache_dir(output), version: version.to_string(), appended: Default::default() }
    }

    /// What each file of the cache starts with: this binary, and the folder it describes
    /// (`staging`, which will become the output).
    fn header(&self, staging: &Path) -> Writer {
        let mut header = Writer::default();
        header.str(MAGIC).str(&self.version);
        let (dev, ino) = folder_identity(staging).unwrap_or((0, 0));
        header.u64(dev).u64(ino);
        header
    }

    /// Where this build's texts go as the bodies are rendered (in `keys` order; `sources`: the
    /// Markdown of the bodies to render, `None` for those kept by `previous`). The texts are
    /// appended to the previous data file, or written to a new one when there is none or it
    /// would be over twice the live texts (judged from the sources' sizes).
    pub fn texts<'a>(&self, previous: &'a Previous, keys: &'a [Key], sources: &[Option<String>]) -> TextStore<'a> {
        let live: u64 = keys.iter().zip(sources).map(|(k, s)| s.as_ref().map_or_else(|| previous.texts.get(k).map_or(0, |t| t.len as u64), |s| s.len() as u64)).sum();
        let mut store = TextStore { previous, keys, data: None, appending: false, len: 0, at: Vec::new(), held: Vec::new(), error: None };
        let opened = match &previous.data {
            // append what is new to the data file the previous index reads (that index stays
            // valid whatever happens to this build)
            Some((data, id, len)) if *len <= 2 * live + (1 << 20) => {
                let path = &data.path;
                std::fs::OpenOptions::new().append(true).read(true).open(path).and_then(|file| Ok((file.metadata()?.len(), file))).map(|(len, file)| {
                    *self.appended.lock().expect("no panic while holding the lock") = Some((path.clone(), len));
                    store.appending = true;
                    (file, path.clone(), *id, len)
                })
            }
            _ => {
                let path = self.dir.join(format!("{DATA}.new"));
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
                let id = Hasher::new(b"data").bytes(&now.to_le_bytes()).bytes(&std::process::id().to_le_bytes()).key();
                let create = || std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(&path);
                std::fs::create_dir_all(&self.dir).and_then(|()| create()).and_then(|mut file| file.write_all(&id).map(|()| (file, path, id, 16)))
            }
        };
        match opened {
            Ok((file, path, id, len)) => (store.data, store.len) = (Some((DataFile { path, file }, id)), len),
            Err(e) => store.error = Some(Error::io(&self.dir, e)),
        }
        store
    }

    /// The index of the texts in `store` (see [`Next::texts`]): what the sanitiser reported on
    /// each body, and the citations found in it (`refs`). Fails if writing a text failed.
    pub fn write_texts(&self, staging: &Path, store: &mut TextStore, warnings: &[Vec<Diagnostic>], refs: &CrossRefs) -> Result<()> {
        if let Some(e) = store.error.take() {
            return Err(e);
        }
        let Some((_, id)) = &store.data else { return Err(Error::Other("内部错误：正文未写入生成缓存".into())) };
        let mut index = self.header(staging);
        index.key(id).u32(store.keys.len() as u32);
        for (((key, at), warnings), (scan, known)) in store.keys.iter().zip(&store.at).zip(warnings).zip(&refs.found) {
            let Some((offset, len, check)) = at else { return Err(Error::Other("内部错误：正文未写入生成缓存".into())) };
            index.key(key).u64(*offset).u32(*len).key(check).u32(warnings.len() as u32);
            for d in warnings {
                index.str(&d.file.to_string_lossy()).u32(d.line as u32).str(&d.message);
            }
            index.u32(scan.citations.len() as u32);
            for c in &scan.citations {
                index.u32(c.range.start as u32).u32(c.range.end as u32).str(&c.text).u32(c.repeals as u32);
            }
            index.u32(scan.tails.len() as u32);
            for tail in &scan.tails {
                index.str(tail);
            }
            index.key(known);
        }
        self.stage(TEXTS, &index.0)
    }

    /// The pages made from keyed inputs, with their links, and the search index's state.
    pub fn write_pages<'a>(&self, staging: &Path, search_state: &[u8], generation: &Generation, pages: impl ExactSizeIterator<Item = (&'a str, &'a Key, PageLinks, &'a Asked)>) -> Result<()> {
        let mut w = self.header(staging);
        w.bytes(search_state).u64(generation.identity.0).u64(generation.identity.1).u32(generation.files.len() as u32);
        for (path, size) in &generation.files {
            w.str(path).u64(*size);
        }
        w.u32(generation.differs.len() as u32);
        for path in &generation.differs {
            w.str(path);
        }
        w.u32(generation.folders.len() as u32);
        for (folder, time) in &generation.folders {
            w.str(folder).u64(*time);
        }
        w.u32(pages.len() as u32);
        for (path, key, links, asked) in pages {
            let (ids, hrefs, href_ends) = links.parts();
            w.str(path).key(key).u32(ids.is_some() as u32);
            if let Some((ids, id_ends)) = ids {
                w.str(ids).u32s(id_ends);
            }
            w.str(hrefs).u32s(href_ends).u32(asked.len() as u32);
            for (number, url) in asked {
                w.str(number).u32(url.is_some() as u32);
                if let Some(url) = url {
                    w.str(url);
                }
            }
        }
        self.stage(PAGES, &w.0)
    }

    /// The source files as this build found them when it began loading (`taken`, nanoseconds
    /// since 1970): the documents' stamps, front matters and bodies' keys, and the issue.toml
    /// files' stamps and contents.
    pub fn write_sources<'a>(&self, staging: &Path, taken: i64, docs: impl Iterator<Item = (&'a Document, &'a Key)>, issues: &[Issue]) -> Result<()> {
        let mut w = self.header(staging);
        w.u64(taken as u64);
        // a path that is not Unicode is not recorded: its file is read every time
        let docs: Vec<_> = docs.filter_map(|(d, key)| Some((d.source.to_str()?, d.stamp?, d, key))).collect();
        w.u32(docs.len() as u32);
        for (path, stamp, d, key) in docs {
            w.str(path).stamp(&stamp).key(key);
            w.str(&serde_json::to_string(&d.meta).expect("plain data serialises"));
            w.u32(d.body_line as u32).u32(d.section_line as u32).u32(d.number_line as u32);
        }
        let issues: Vec<_> = issues.iter().filter_map(|i| Some((i.source.to_str()?, i.stamp?, &i.meta))).collect();
        w.u32(issues.len() as u32);
        for (path, stamp, meta) in issues {
            w.str(path).stamp(&stamp).str(&serde_json::to_string(meta).expect("plain data serialises"));
        }
        self.stage(SOURCES, &w.0)
    }

    fn stage(&self, name: &str, bytes: &[u8]) -> Result<()> {
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let path = self.dir.join(format!("{name}.new"));
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }

    /// Puts the staged files in place: call once the output they describe is.
    pub fn commit(self) {
        self.appended.lock().expect("no panic while holding the lock").take();
        for name in [DATA, PAGES, TEXTS, SOURCES] {
            // a file left behind is harmless: it names another folder and is ignored
            let _ = std::fs::rename(self.dir.join(format!("{name}.new")), self.dir.join(name));
        }
    }
}

impl Drop for Next {
    /// A failed build leaves the previous cache as it was.
    fn drop(&mut self) {
        if let Some((path, len)) = self.appended.lock().map_or(None, |mut a| a.take()) {
            let _ = std::fs::OpenOptions::new().write(true).open(path).and_then(|f| f.set_len(len));
        }
        for name in [DATA, PAGES, TEXTS, SOURCES] {
            let _ = std::fs::remove_file(self.dir.join(format!("{name}.new")));
        }
    }
}

/// This build's texts, written to the cache's data file as the bodies are rendered and read
/// back one at a time by the search index: they are never all held (with them, the peak of a
/// full build at 3× was 467 MB; without, 302–317 MB).
/// If the file cannot be written, the texts from then on are held instead, and the cache is
/// not kept.
pub struct TextStore<'a> {
    previous: &'a Previous,
    keys: &'a [Key],
    /// The data file, open to append and to read, and its identity.
    data: Option<(DataFile, Key)>,
    /// Whether the data file is the previous build's, whose texts can stay where they are.
    appending: bool,
    len: u64,
    /// Per text given so far: where it lies in the data file, its length and check ...
    at: Vec<Option<(u64, u32, Key)>>,
    /// ... or the text itself, when it could not be written.
    held: Vec<Option<String>>,
    error: Option<Error>,
}

impl TextStore<'_> {
    /// The next texts, in order: `None` for a body not rendered, whose text the previous
    /// build kept.
    pub fn add(&mut self, texts: Vec<Option<String>>) {
        let first = self.at.len();
        if self.error.is_none() {
            match self.write(first, &texts) {
                Ok(at) => {
                    self.at.extend(at.into_iter().map(Some));
                    self.held.resize(self.at.len(), None);
                    return;
                }
                Err(e) => self.error = Some(e),
            }
        }
        self.at.resize(first + texts.len(), None);
        self.held.extend(texts);
    }

    fn write(&mut self, first: usize, texts: &[Option<String>]) -> Result<Vec<(u64, u32, Key)>> {
        let Some((data, _)) = &self.data else { return Err(Error::Other("内部错误：生成缓存的正文文件未打开".into())) };
        let path = &data.path;
        let mut buffer = std::io::BufWriter::with_capacity(1 << 20, &data.file);
        let mut at = Vec::with_capacity(texts.len());
        let mut len = self.len;
        for (key, text) in self.keys[first..].iter().zip(texts) {
            let kept = self.previous.texts.get(key).filter(|_| self.appending);
            at.push(match (kept, text) {
                (Some(t), _) => (t.offset, t.len, t.check),
                (None, text) => {
                    let text = match text {
                        Some(text) => std::borrow::Cow::Borrowed(text.as_str()),
                        None => std::borrow::Cow::Owned(self.previous.text(key)?),
                    };
                    buffer.write_all(text.as_bytes()).map_err(|e| Error::io(path, e))?;
                    len += text.len() as u64;
                    (len - text.len() as u64, text.len() as u32, text_check(text.as_bytes()))
                }
            });
        }
        buffer.flush().map_err(|e| Error::io(path, e))?;
        self.len = len;
        Ok(at)
    }

    /// The text of the i-th body given.
    pub fn text(&self, i: usize) -> Result<String> {
        match (&self.at[i], &self.held[i], &self.data) {
            (Some((offset, len, check)), _, Some((data, _))) => data.text(*offset, *len, check),
            (_, Some(text), _) => Ok(text.clone()),
            _ => self.previous.text(&self.keys[i]),
        }
    }
}

const MAGIC: &str = "gongbao build cache 2";
const PAGES: &str = "pages";
const TEXTS: &str = "texts";
const DATA: &str = "texts.data";
const SOURCES: &str = "sources";

/// A `texts.data` file, opened once: a build reads thousands of texts from it, and opening it
/// for each cost a path lookup and two more system calls (11,000 opens when an issue is added
/// at 1×, 7,000 in a full build).
struct DataFile {
    path: PathBuf,
    file: std::fs::File,
}

impl DataFile {
    /// The text at `offset`, checked against its hash.
    fn text(&self, offset: u64, len: u32, check: &Key) -> Result<String> {
        let mut bytes = vec![0; len as usize];
        self.read_at(offset, &mut bytes).map_err(|e| Error::io(&self.path, e))?;
        // checked with SIMD: a full build reads every text back twice (see `TextStore`)
        match simdutf8::basic::from_utf8(&bytes) {
            // SAFETY: the bytes were just checked to be UTF-8.
            Ok(_) if text_check(&bytes) == *check => Ok(unsafe { String::from_utf8_unchecked(bytes) }),
            _ => Err(Error::Other(format!("生成缓存 {} 已损坏，本次未生成；请加 --full 完整生成（会重写缓存）", self.path.display()))),
        }
    }

    /// Threads read side by side: a positioned read moves no shared cursor.
    #[cfg(unix)]
    fn read_at(&self, offset: u64, bytes: &mut [u8]) -> std::io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(&self.file, bytes, offset)
    }

    /// Without a positioned read at hand, the file is opened for each text.
    #[cfg(not(unix))]
    fn read_at(&self, offset: u64, bytes: &mut [u8]) -> std::io::Result<()> {
        use std::io::{Read, Seek};
        let mut file = std::fs::File::open(&self.path)?;
        file.seek(std::io::SeekFrom::Start(offset))?;
        file.read_exact(bytes)
    }
}

fn text_check(text: &[u8]) -> Key {
    Hasher::new(b"text").bytes(text).key()
}

/// `.public.cache` beside `public`.
fn cache_dir(output: &Path) -> PathBuf {
    crate::output::beside(output, "cache")
}

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, n: u32) -> &mut Self {
        self.0.extend_from_slice(&n.to_le_bytes());
        self
    }
    fn u64(&mut self, n: u64) -> &mut Self {
        self.0.extend_from_slice(&n.to_le_bytes());
        self
    }
    fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }
    fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.u32(b.len() as u32);
        self.0.extend_from_slice(b);
        self
    }
    fn stamp(&mut self, stamp: &Stamp) -> &mut Self {
        self.u64(stamp.len).u64(stamp.modified as u64).u64(stamp.changed as u64).u64(stamp.inode)
    }
    fn key(&mut self, key: &Key) -> &mut Self {
        self.0.extend_from_slice(key);
        self
    }
    fn u32s(&mut self, list: &[u32]) -> &mut Self {
        self.u32(list.len() as u32);
        for &n in list {
            self.u32(n);
        }
        self
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let out = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    fn key(&mut self) -> Option<Key> {
        self.take(16)?.try_into().ok()
    }
    fn stamp(&mut self) -> Option<Stamp> {
        Some(Stamp { len: self.u64()?, modified: self.u64()? as i64, changed: self.u64()? as i64, inode: self.u64()? })
    }
    fn u32s(&mut self) -> Option<Vec<u32>> {
        let n = self.u32()? as usize;
        let bytes = self.take(n.checked_mul(4)?)?;
        Some(bytes.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes"))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_or_foreign_cache_reads_as_absent() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir(&output).unwrap();
        let next = Next::new(&output, "v1");
        let links = PageLinks::from_parts(Some(("ab".into(), vec![1, 2])), "x.html".into(), vec![6]).unwrap();
        let generation = Generation { identity: (1, 2), files: vec![("a.html".into(), 9)], differs: vec!["b.html".into()], folders: vec![(String::new(), 7)] };
        let asked: Asked = vec![("惠政发〔2022〕1号".into(), Some("2022/02/p001.html".into())), ("惠政发〔2022〕2号".into(), None)];
        next.write_pages(&output, b"search state", &generation, [("a.html", &[1u8; 16], links, &asked)].into_iter()).unwrap();
        let warning = Diagnostic::new("a.md", 3, "去掉了 HTML");
        let cites = Citation { range: 0..6, text: "惠政发〔2022〕1号".into(), repeals: true };
        let scan = Scan { citations: vec![cites.clone()], tails: vec!["〔2022〕1号".into(), "〔2022〕7号".into()] };
        let archive = |numbers: &[&str]| Known::of(numbers.iter().map(|n| Some(*n)));
        let known = archive(&["惠政发〔2022〕1号", "惠政发〔2021〕1号"]);
        let refs = CrossRefs { found: vec![(scan.clone(), known.key_for(&scan.tails))], ..Default::default() };
        let none = Previous::default();
        let mut texts = next.texts(&none, &[[2; 16]], &[Some("正文".into())]);
        texts.add(vec![Some("正文".into())]);
        assert_eq!(texts.text(0).unwrap(), "正文", "read back from the file");
        next.write_texts(&output, &mut texts, std::slice::from_ref(&vec![warning.clone()]), &refs).unwrap();
        next.commit();

        let previous = Previous::load(&output, "v1");
        let mut held = HashMap::from([("惠政发〔2022〕1号".to_string(), "2022/02/p001.html".to_string())]);
        assert!(previous.page("a.html", &[1; 16], &held).is_some());
        assert!(previous.page("a.html", &[0; 16], &held).is_none(), "another key");
        assert!(previous.page("a.html", &[1; 16], &HashMap::new()).is_none(), "a number it cites is gone");
        held.insert("惠政发〔2022〕2号".into(), "2022/03/p001.html".into());
        assert!(previous.page("a.html", &[1; 16], &held).is_none(), "a number it cites came");
        held.remove("惠政发〔2022〕2号");
        assert_eq!(previous.asked("a.html"), Some(&asked));
        assert_eq!(previous.search_state(), Some(&b"search state"[..]));
        let kept = previous.generation().unwrap();
        assert_eq!((kept.identity, &kept.files, &kept.differs, &kept.folders), (generation.identity, &generation.files, &generation.differs, &generation.folders));
        assert_eq!(previous.text(&[2; 16]).unwrap(), "正文");
        assert_eq!(previous.warnings(&[2; 16]), Some(&[warning][..]));
        let scanned = |known: &Known| previous.citations(&[2; 16], known).map(|(scan, _)| scan.clone());
        assert_eq!(scanned(&known), Some(scan.clone()));
        let more = archive(&["惠政发〔2022〕1号", "惠政发〔2021〕1号", "石政发〔2023〕5号"]);
        assert_eq!(scanned(&more), Some(scan), "a number with a tail the body has no candidate of");
        let cited = archive(&["惠政发〔2022〕1号", "惠政发〔2021〕1号", "石政发〔2022〕7号"]);
        assert_eq!(scanned(&cited), None, "a number sharing a tail with a candidate: scanned again");
        assert_eq!(scanned(&archive(&["惠政发〔2021〕1号"])), None, "a number it found is gone");

        // The next build appends the text it rendered and keeps the other where it was.
        let data = cache_dir(&output).join(DATA);
        let before = std::fs::read(&data).unwrap();
        let next = Next::new(&output, "v1");
        let refs = CrossRefs { found: vec![Default::default(), Default::default()], ..Default::default() };
        let keys = [[2; 16], [3; 16]];
        let mut texts = next.texts(&previous, &keys, &[None, Some("新的正文".into())]);
        texts.add(vec![None]);
        texts.add(vec![Some("新的正文".into())]);
        assert_eq!((texts.text(0).unwrap().as_str(), texts.text(1).unwrap().as_str()), ("正文", "新的正文"));
        next.write_texts(&output, &mut texts, &[vec![], vec![]], &refs).unwrap();
        next.commit();
        let previous = Previous::load(&output, "v1");
        assert_eq!((previous.text(&[2; 16]).unwrap().as_str(), previous.text(&[3; 16]).unwrap().as_str()), ("正文", "新的正文"));
        assert!(std::fs::read(&data).unwrap().starts_with(&before), "appended, not rewritten");
        // A damaged text is an error that says what to do, never a wrong text.
        let mut bytes = std::fs::read(&data).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        std::fs::write(&data, bytes).unwrap();
        assert!(previous.text(&[3; 16]).unwrap_err().to_string().contains("--full"));

        assert!(Previous::load(&output, "v2").page("a.html", &[1; 16], &held).is_none(), "another binary");
        let pages = cache_dir(&output).join(PAGES);
        let bytes = std::fs::read(&pages).unwrap();
        std::fs::write(&pages, &bytes[..bytes.len() - 3]).unwrap();
        assert!(Previous::load(&output, "v1").page("a.html", &[1; 16], &held).is_none(), "truncated");
        // the same name, another folder (made while the first still exists: another inode)
        std::fs::rename(&output, dir.path().join("old")).unwrap();
        std::fs::create_dir(&output).unwrap();
        assert!(Previous::load(&output, "v1").warnings(&[2; 16]).is_none(), "another folder");
    }
}
