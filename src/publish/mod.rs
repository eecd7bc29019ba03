//! Stage 3: what a government website needs beside the pages — open data (`data/`), the sitemap,
//! robots.txt and Atom feeds (only with a `base_url`, as they must hold absolute URLs), and the
//! print PDFs. Like the pages, every file goes to `emit`; nothing here reads `public/`.

mod data;
mod feeds;

use std::path::Path;

use crate::cache::{Hasher, Key, Reuse};
use crate::content::{PdfFile, Site, SiteConfig};
use crate::error::{Diagnostic, Error, Result};
use crate::output::OutputFile;

pub use data::issue_data_path;

/// The checked publishing address: absolute http(s), ending with `/` so page paths append to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// The address the site is published at: `given` on the command line (`--base-url`, where
    /// an empty one means none), else site.toml's; `None` when there is none. A wrong one is an
    /// error naming where it was given, since every sitemap and feed entry would be wrong.
    pub fn of(given: Option<&str>, config: &SiteConfig, site_toml: &Path) -> Result<Option<BaseUrl>> {
        let Some(url) = given.or(config.base_url.as_deref()).map(str::trim).filter(|u| !u.is_empty()) else { return Ok(None) };
        let why = match crate::content::site_address(url) {
            Ok(address) => return Ok(Some(BaseUrl(address))),
            Err(why) => why,
        };
        let what = |name: &str| format!("{name}「{url}」{why}：应写作 https://www.huinong.gov.cn/gongbao/ 这样的形式");
        Err(match given {
            Some(_) => Error::Other(what("--base-url")),
            None => Error::Content(vec![Diagnostic::new(site_toml, config.base_url_line, what("base_url"))]),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The absolute URL of a page given by its path relative to the output root.
    pub fn join(&self, rel: &str) -> String {
        format!("{}{rel}", self.0)
    }

    /// `/gongbao/`: where the site lies on its host.
    pub fn path(&self) -> &str {
        let rest = self.0.split_once("://").map_or(self.0.as_str(), |(_, r)| r);
        rest.find('/').map_or("/", |at| &rest[at..])
    }

    /// `www.huinong.gov.cn`: what the SiteDomain meta tag names.
    pub fn host(&self) -> &str {
        host_of(&self.0)
    }
}

/// `www.huinong.gov.cn` from `https://www.huinong.gov.cn/gongbao/`.
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// Writes the data files, feeds and PDFs; returns notes for the user (what was skipped and why).
///
/// The data files and feeds are made from the issues as the site holds them: front matter,
/// and the citations found between documents (`cites`, `cited_by`, `repealed_by`), but no body.
/// So they are keyed by the site's key (`site_key`, which holds the base URL) and the issues as
/// serialised: after a body edit that changes no citation `reuse` takes them all, neither
/// made nor read (at 3× that was a seventh of a rebuild). The print PDFs are keyed by their
/// files' stamps where `stamps_trusted_at` gives the time this build began and stamps can be
/// trusted (see [`pdf_key`]).
pub fn publish(
    site: &Site,
    base_url: Option<&BaseUrl>,
    site_key: &Key,
    stamps_trusted_at: Option<i64>,
    reuse: Reuse,
    emit: &(dyn Fn(OutputFile) -> Result<()> + Sync),
) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    let key = Hasher::new(site_key).bytes(b"publish").value(&site.issues).key();
    let mut to_make = std::collections::HashSet::new();
    for path in paths(site, base_url) {
        if !reuse(&path, &key)? {
            to_make.insert(path);
        }
    }
    if !to_make.is_empty() {
        for file in files(site, base_url)?.into_iter().filter(|f| to_make.contains(&f.path)) {
            emit(file)?;
        }
    }
    if base_url.is_none() {
        notes.push(
            "未生成 sitemap.xml、robots.txt 和 Atom 订阅（feeds/）：其中须写完整网址，请在 site.toml 中设置 base_url 或使用 --base-url"
                .to_string(),
        );
        // A server shows 404.html for a missing address at any depth, where relative links lead
        // nowhere; with base_url its links are full addresses (see render's site pages).
        notes.push("404.html 的链接为相对地址，只在网站根目录一级的错误地址下有效；设置 base_url 后改用完整网址，任何地址下都有效".to_string());
    }
    for pdf in site.issues.iter().filter_map(|i| i.pdf_file.as_ref()) {
        if let Some(key) = stamps_trusted_at.and_then(|at| pdf_key(pdf, at)) {
            if reuse(&pdf.url, &key)? {
                continue;
            }
        }
        let bytes = std::fs::read(&pdf.source).map_err(|e| Error::io(&pdf.source, e))?;
        emit(OutputFile::new(pdf.url.clone(), bytes))?;
    }
    Ok(notes)
}

/// What a document may link to in its folder and have published with it: pictures, and the
/// files offices attach (spreadsheets, documents, archives). Not the content's own sources,
/// nor what a browser would run (HTML, SVG with its scripts).
const ATTACHABLE: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "bmp", "pdf", "ofd", "doc", "docx", "wps", "xls", "xlsx", "et", "csv", "ppt", "pptx", "dps", "txt", "zip", "rar", "7z",
];

/// Publishes the files of the content folder that pages link to and the build did not make
/// (`missing`, output paths, from [`crate::links::LinkIndex::missing_files`]): a picture in a
/// notice (`![现场照片](images/photo-1.jpg)` in `content/2023/01/p004.md` is
/// `content/2023/01/images/photo-1.jpg`), a spreadsheet attached to it. Each goes to the same
/// place in the output, so the link works as written, and is keyed like a print PDF by its
/// stamp. A link to a file that is not there stays broken, and the link check names it; one
/// to a file that is there but not of a kind in [`ATTACHABLE`], hidden, or a symbolic link
/// (which may lead out of the content folder) is handed to `refuse` with the reason.
pub fn attached(
    content: &Path,
    missing: &[String],
    stamps_trusted_at: Option<i64>,
    reuse: Reuse,
    emit: &(dyn Fn(OutputFile) -> Result<()> + Sync),
    refuse: &dyn Fn(&str, String),
) -> Result<()> {
    for path in missing {
        let source = content.join(path);
        let Ok(meta) = std::fs::symlink_metadata(&source) else {
            if let Some(twin) = case_twin(content, path) {
                refuse(path, format!("不存在，但有 {twin}：网址区分大小写，在网站服务器上找不到，请让链接与文件名的大小写一致"));
            }
            continue;
        };
        let kind = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if !kind.is_some_and(|k| ATTACHABLE.contains(&k.as_str())) {
            refuse(path, format!("不随文件发布：可链接的只有图片和附件（{}）", ATTACHABLE.join("、")));
            continue;
        }
        // hidden files and folders are the content's own business: the loader passes them
        // over, and so does its check of symbolic links (which refuses any other folder that
        // is one, so none on the way to a file here leads out of the content folder)
        if path.split('/').any(|part| part.starts_with('.')) {
            refuse(path, "是隐藏文件或在隐藏文件夹中（名称以 . 开头），不随文件发布：请改名".to_string());
            continue;
        }
        if !meta.is_file() {
            refuse(path, "不是普通文件（文件夹或符号链接）：请放置文件本身".to_string());
            continue;
        }
        let stamp = crate::content::Stamp::of(&meta).filter(|s| stamps_trusted_at.is_some_and(|at| s.settled(at)));
        if let Some(stamp) = stamp {
            if reuse(path, &Hasher::new(b"attached").bytes(path.as_bytes()).value(&stamp).key())? {
                continue;
            }
        }
        let bytes = std::fs::read(&source).map_err(|e| Error::io(&source, e))?;
        emit(OutputFile::new(path.clone(), bytes))?;
    }
    Ok(())
}

/// The file of the content folder at `path` but for the case of its ASCII letters
/// (`附件1.XLSX` for `附件1.xlsx`, `Images/` for `images/`), as a link written on Windows, where
/// names are compared without case, finds it and a web server does not.
fn case_twin(content: &Path, path: &str) -> Option<String> {
    let mut found = Vec::new();
    let mut dir = content.to_path_buf();
    for part in path.split('/') {
        let name = std::fs::read_dir(&dir).ok()?.filter_map(|e| e.ok()?.file_name().into_string().ok()).find(|n| n.eq_ignore_ascii_case(part))?;
        dir.push(&name);
        found.push(name);
    }
    Some(found.join("/")).filter(|twin| twin != path)
}

/// A print PDF's key, from its source file's path and stamp, when the stamp had settled at
/// `taken` (see [`crate::content::Stamp::settled`]): the same key then means the same bytes,
/// so the copy in the previous output is taken unread. An archive holds a PDF per issue, a
/// few megabytes each, which every rebuild read twice (the source, and the old copy to compare).
fn pdf_key(pdf: &PdfFile, taken: i64) -> Option<Key> {
    let stamp = pdf.stamp.filter(|s| s.settled(taken))?;
    Some(Hasher::new(b"pdf").bytes(pdf.source.as_os_str().as_encoded_bytes()).value(&stamp).key())
}

/// The data files, and the feeds where there is a base URL.
fn files(site: &Site, base_url: Option<&BaseUrl>) -> Result<Vec<OutputFile>> {
    let mut files = data::files(site)?;
    files.extend(base_url.map(|base| feeds::files(site, base)).unwrap_or_default());
    Ok(files)
}

/// Where [`files`] go, known without making them.
fn paths(site: &Site, base_url: Option<&BaseUrl>) -> Vec<String> {
    let feeds = base_url.map_or(&[][..], |_| &feeds::PATHS[..]);
    data::paths(site).into_iter().chain(feeds.iter().map(|p| p.to_string())).collect()
}

/// `1.2 MB`, `356 KB`: a file size as the download link shows it.
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        crate::content::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), None).unwrap()
    }

    #[test]
    fn base_url_must_be_a_full_address() {
        let mut config = site().config;
        let of = |given: Option<&str>, config: &SiteConfig| BaseUrl::of(given, config, Path::new("c/site.toml"));
        let b = of(Some("https://www.huinong.gov.cn/gongbao"), &config).unwrap().unwrap();
        assert_eq!(b.as_str(), "https://www.huinong.gov.cn/gongbao/");
        assert_eq!(b.host(), "www.huinong.gov.cn");
        assert_eq!(b.join("2022/02/p001.html"), "https://www.huinong.gov.cn/gongbao/2022/02/p001.html");
        assert_eq!(of(None, &config).unwrap(), None);
        assert_eq!(of(Some(" "), &config).unwrap(), None);
        for bad in ["www.huinong.gov.cn/gongbao/", "/gongbao/", "https://", "https://a b/", "ftp://x/"] {
            let e = of(Some(bad), &config).unwrap_err().to_string();
            assert!(e.starts_with(&format!("--base-url「{bad}」不是完整网址")), "{e}");
            // in site.toml: named at its line, unless the command line gives another (or none)
            (config.base_url, config.base_url_line) = (Some(bad.to_string()), 7);
            let e = of(None, &config).unwrap_err().to_string();
            assert!(e.contains(&format!("c/site.toml:7: base_url「{bad}」不是完整网址")), "{e}");
            assert_eq!(of(Some("https://x.cn/"), &config).unwrap().unwrap().as_str(), "https://x.cn/");
            assert_eq!(of(Some(""), &config).unwrap(), None);
        }
    }

    #[test]
    fn the_paths_known_beforehand_are_where_the_files_go() {
        let site = site();
        let base = of_command_line("https://www.huinong.gov.cn/gongbao/", &site);
        for base in [None, Some(&base)] {
            let made: Vec<String> = files(&site, base).unwrap().into_iter().map(|f| f.path).collect();
            assert_eq!(paths(&site, base), made);
        }
    }

    fn of_command_line(url: &str, site: &Site) -> BaseUrl {
        BaseUrl::of(Some(url), &site.config, Path::new("site.toml")).unwrap().unwrap()
    }

    #[test]
    fn sizes_read_like_a_download_link() {
        assert_eq!(size_text(1), "1 KB");
        assert_eq!(size_text(365_000), "357 KB");
        assert_eq!(size_text(1_300_000), "1.2 MB");
    }
}
