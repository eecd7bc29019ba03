//! What a build leaves beside its output for the next one (`.public.cache/`, ignored by git), so
//! that a rebuild after a correction does only the work the correction calls for:
//! - per page (documents and issues), the [`Key`] of everything it was made from and its links
//!   (for the link check): a page whose key is unchanged is linked from the previous output
//!   instead of rendered;
//! - per document body, its plain text and what the sanitiser reported: a body that is
//!   unchanged is not rendered again for the search index;
//! - what the search index needs to be updated in place (`search::State`, as JSON).
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

use sha2::{Digest, Sha256};

use crate::error::{Diagnostic, Error, Result};
use crate::links::PageLinks;

/// A content hash: the first 128 bits of SHA-256.
pub type Key = [u8; 16];

/// Hashes whatever is written or serialised into it.
pub struct Hasher(Sha256);

impl Hasher {
    /// A hasher already fed with `seed` (e.g. the site's key), so keys of different builds or
    /// kinds of input never meet.
    pub fn new(seed: &[u8]) -> Hasher {
        let mut h = Hasher(Sha256::new());
        h.bytes(seed);
        h
    }

    /// Feeds a length-prefixed byte string: `("ab", "c")` and `("a", "bc")` differ.
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Feeds the JSON of `value`: every field a template could see.
    pub fn json(&mut self, value: &impl serde::Serialize) -> &mut Self {
        serde_json::to_writer(&mut *self, value).expect("hashing cannot fail");
        self.0.update([0xff]); // JSON never contains 0xff: ends the value
        self
    }

    pub fn key(&self) -> Key {
        self.0.clone().finalize()[..16].try_into().expect("16 of 32 bytes")
    }
}

impl Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

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

/// A document body's rendering as the search index and the build report need it.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub text: String,
    pub warnings: Vec<Diagnostic>,
}

/// The previous build's cache, when it describes the current output.
#[derive(Default)]
pub struct Previous {
    pages: HashMap<String, (Key, PageLinks)>,
    texts: HashMap<Key, Text>,
    search: Option<String>,
}

impl Previous {
    /// Reads the cache beside `output`. Empty when there is none, it was written by another
    /// binary or for another folder, or it cannot be read.
    pub fn load(output: &Path, version: &str) -> Previous {
        let Some(identity) = folder_identity(output) else { return Previous::default() };
        let dir = cache_dir(output);
        let read = |name: &str| -> Option<Vec<u8>> {
            let bytes = std::fs::read(dir.join(name)).ok()?;
            let mut r = Reader { bytes: &bytes, at: 0 };
            (r.str()? == MAGIC && r.str()? == version && r.u64()? == identity.0 && r.u64()? == identity.1).then(|| bytes[r.at..].to_vec())
        };
        let mut previous = Previous::default();
        if let Some(bytes) = read(PAGES) {
            previous.read_pages(&bytes);
        }
        if let Some(bytes) = read(TEXTS) {
            previous.read_texts(&bytes);
        }
        previous
    }

    fn read_pages(&mut self, bytes: &[u8]) -> Option<()> {
        let mut r = Reader { bytes, at: 0 };
        let search = r.str()?.to_string();
        let mut pages = HashMap::new();
        for _ in 0..r.u32()? {
            let path = r.str()?.to_string();
            let key = r.key()?;
            let links = PageLinks::from_parts(r.str()?.to_string(), r.u32s()?, r.str()?.to_string(), r.u32s()?)?;
            pages.insert(path, (key, links));
        }
        (self.pages, self.search) = (pages, Some(search));
        Some(())
    }

    fn read_texts(&mut self, bytes: &[u8]) -> Option<()> {
        let mut r = Reader { bytes, at: 0 };
        let mut texts = HashMap::new();
        for _ in 0..r.u32()? {
            let key = r.key()?;
            let text = r.str()?.to_string();
            let warnings = (0..r.u32()?)
                .map(|_| Some(Diagnostic { file: PathBuf::from(r.str()?), line: r.u32()? as usize, message: r.str()?.to_string() }))
                .collect::<Option<Vec<_>>>()?;
            texts.insert(key, Text { text, warnings });
        }
        self.texts = texts;
        Some(())
    }

    /// The links of `path` as the previous build made it from inputs with this key.
    pub fn page(&self, path: &str, key: &Key) -> Option<&PageLinks> {
        self.pages.get(path).filter(|(k, _)| k == key).map(|(_, links)| links)
    }

    /// Takes the text of a body with this key, if the previous build rendered it.
    pub fn take_text(&mut self, key: &Key) -> Option<Text> {
        self.texts.remove(key)
    }

    /// The text of a body with this key that was not taken.
    pub fn text(&self, key: &Key) -> Option<&str> {
        self.texts.get(key).map(|t| t.text.as_str())
    }

    /// What the previous build's search index left for updating it.
    pub fn search_state(&self) -> Option<&str> {
        self.search.as_deref()
    }
}

/// The cache of the build in progress, written beside the staging folder and put in place
/// once the build's output is.
pub struct Next {
    dir: PathBuf,
    header: Vec<u8>,
}

impl Next {
    /// `staging` is the folder that will become the output.
    pub fn new(output: &Path, staging: &Path, version: &str) -> Next {
        let mut header = Writer::default();
        header.str(MAGIC).str(version);
        let (dev, ino) = folder_identity(staging).unwrap_or((0, 0));
        header.u64(dev).u64(ino);
        Next { dir: cache_dir(output), header: header.0 }
    }

    /// The texts of this build's bodies, by body key.
    pub fn write_texts<'a>(&self, texts: impl Iterator<Item = (&'a Key, &'a str, &'a [Diagnostic])>) -> Result<()> {
        let mut w = Writer(self.header.clone());
        let at = w.0.len();
        w.u32(0);
        let mut n = 0u32;
        for (key, text, warnings) in texts {
            w.key(key).str(text).u32(warnings.len() as u32);
            for d in warnings {
                w.str(&d.file.to_string_lossy()).u32(d.line as u32).str(&d.message);
            }
            n += 1;
        }
        w.0[at..at + 4].copy_from_slice(&n.to_le_bytes());
        self.stage(TEXTS, &w.0)
    }

    /// The pages made from keyed inputs, with their links, and the search index's state.
    pub fn write_pages<'a>(&self, search_state: &str, pages: impl ExactSizeIterator<Item = (&'a str, &'a Key, PageLinks)>) -> Result<()> {
        let mut w = Writer(self.header.clone());
        w.str(search_state).u32(pages.len() as u32);
        for (path, key, links) in pages {
            let (ids, id_ends, hrefs, href_ends) = links.parts();
            w.str(path).key(key).str(ids).u32s(id_ends).str(hrefs).u32s(href_ends);
        }
        self.stage(PAGES, &w.0)
    }

    fn stage(&self, name: &str, bytes: &[u8]) -> Result<()> {
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let path = self.dir.join(format!("{name}.new"));
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }

    /// Puts the staged files in place: call once the output they describe is.
    pub fn commit(self) {
        for name in [PAGES, TEXTS] {
            // a file left behind is harmless: it names another folder and is ignored
            let _ = std::fs::rename(self.dir.join(format!("{name}.new")), self.dir.join(name));
        }
    }
}

impl Drop for Next {
    /// A failed build leaves the previous cache as it was.
    fn drop(&mut self) {
        for name in [PAGES, TEXTS] {
            let _ = std::fs::remove_file(self.dir.join(format!("{name}.new")));
        }
    }
}

const MAGIC: &str = "gongbao build cache 1";
const PAGES: &str = "pages";
const TEXTS: &str = "texts";

/// `.public.cache` beside `public`.
fn cache_dir(output: &Path) -> PathBuf {
    let name = output.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    output.with_file_name(format!(".{name}.cache"))
}

#[cfg(unix)]
fn folder_identity(dir: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).ok().filter(|m| m.is_dir()).map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn folder_identity(_: &Path) -> Option<(u64, u64)> {
    None // no cheap folder identity: every build is full
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
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
        self
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
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }
    fn key(&mut self) -> Option<Key> {
        self.take(16)?.try_into().ok()
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
    fn keys_tell_length_prefixed_parts_apart() {
        let k = |parts: &[&str]| {
            let mut h = Hasher::new(b"seed");
            for p in parts {
                h.bytes(p.as_bytes());
            }
            h.key()
        };
        assert_ne!(k(&["ab", "c"]), k(&["a", "bc"]));
        assert_eq!(k(&["ab", "c"]), k(&["ab", "c"]));
        assert_ne!(Hasher::new(b"a").key(), Hasher::new(b"b").key());
    }

    #[test]
    fn a_truncated_or_foreign_cache_reads_as_absent() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir(&output).unwrap();
        let next = Next::new(&output, &output, "v1");
        let links = PageLinks::from_parts("ab".into(), vec![1, 2], "x.html".into(), vec![6]).unwrap();
        next.write_pages("{\"shards\":16}", [("a.html", &[1u8; 16], links)].into_iter()).unwrap();
        let warning = Diagnostic::new("a.md", 3, "去掉了 HTML");
        next.write_texts([(&[2u8; 16], "正文", std::slice::from_ref(&warning))].into_iter()).unwrap();
        next.commit();

        let mut previous = Previous::load(&output, "v1");
        assert!(previous.page("a.html", &[1; 16]).is_some());
        assert!(previous.page("a.html", &[0; 16]).is_none(), "another key");
        assert_eq!(previous.search_state(), Some("{\"shards\":16}"));
        assert_eq!(previous.text(&[2; 16]), Some("正文"));
        let text = previous.take_text(&[2; 16]).unwrap();
        assert_eq!((text.text.as_str(), text.warnings), ("正文", vec![warning]));

        assert!(Previous::load(&output, "v2").page("a.html", &[1; 16]).is_none(), "another binary");
        let pages = cache_dir(&output).join(PAGES);
        let bytes = std::fs::read(&pages).unwrap();
        std::fs::write(&pages, &bytes[..bytes.len() - 3]).unwrap();
        assert!(Previous::load(&output, "v1").page("a.html", &[1; 16]).is_none(), "truncated");
        // the same name, another folder (made while the first still exists: another inode)
        std::fs::rename(&output, dir.path().join("old")).unwrap();
        std::fs::create_dir(&output).unwrap();
        assert!(Previous::load(&output, "v1").take_text(&[2; 16]).is_none(), "another folder");
    }
}
