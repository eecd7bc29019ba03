//! The link checker: every internal `href`/`src` must name a file of the site, and every
//! `#fragment` an id on that page. Used on the pages of a build before they are swapped in, and
//! by `gongbao check` on a site edited after the build.

use std::collections::HashMap;

use rayon::prelude::*;
use std::path::Path;
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::output::OutputFile;

/// One link that points nowhere.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    /// The page holding the link, relative to the site root.
    pub page: String,
    /// The link as written.
    pub link: String,
    pub reason: String,
}

/// What a page offers and refers to, kept compact: a site has hundreds of thousands of ids and
/// links (every paragraph of every document has both), and a `String` each cost about 45 MB of
/// the corpus build's peak memory.
#[derive(Debug, Default, Clone)]
pub struct PageLinks {
    /// Sorted, without duplicates. `None` for a reused page whose ids the cache did not keep
    /// (no other page linked into it): read from the page if a link needs them
    /// ([`LinkIndex::read_missing_ids`]).
    ids: Option<Strings>,
    /// Links to other files. Links to an anchor of the page itself (most of them: every
    /// paragraph's ¶) are checked when the page is added and not kept.
    links: Strings,
    /// The page's links to its own anchors that point nowhere: (link, reason).
    broken_here: Vec<(String, String)>,
    /// Taken from the build cache for a page reused unchanged: the build that made the page
    /// found every one of its links to other files there.
    checked_before: bool,
}

impl PageLinks {
    /// A page's ids and links as the build cache keeps them: each list as one text and where
    /// each item ends. `None` if the ends do not fit the text.
    pub fn from_parts(ids: Option<(String, Vec<u32>)>, links: String, link_ends: Vec<u32>) -> Option<PageLinks> {
        let ids = match ids {
            Some((text, ends)) => Some(Strings::from_parts(text, ends)?),
            None => None,
        };
        let links = Strings::from_parts(links, link_ends)?;
        Some(PageLinks { ids, links, broken_here: Vec::new(), checked_before: false })
    }

    pub fn parts(&self) -> Parts<'_> {
        (self.ids.as_ref().map(|ids| (ids.text.as_str(), ids.ends.as_slice())), &self.links.text, &self.links.ends)
    }

    /// The same without the ids: what the cache keeps of a page no other page links into.
    pub fn without_ids(self) -> PageLinks {
        PageLinks { ids: None, ..self }
    }
}

/// A page's ids (if kept) and links as the build cache keeps them: each list as one text and
/// where each item ends.
pub type Parts<'a> = (Option<(&'a str, &'a [u32])>, &'a str, &'a [u32]);

/// A list of strings in one allocation.
#[derive(Debug, Default, Clone)]
struct Strings {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<u32>,
}

impl Strings {
    fn new(items: &[impl AsRef<str>]) -> Strings {
        let mut out = Strings { text: String::with_capacity(items.iter().map(|i| i.as_ref().len()).sum()), ends: Vec::with_capacity(items.len()) };
        for item in items {
            out.text.push_str(item.as_ref());
            out.ends.push(out.text.len() as u32);
        }
        out
    }

    fn from_parts(text: String, ends: Vec<u32>) -> Option<Strings> {
        let mut start = 0;
        for &end in &ends {
            let end = end as usize;
            if end < start || !text.is_char_boundary(end) {
                return None;
            }
            start = end;
        }
        (start == text.len()).then_some(Strings { text, ends })
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| self.get(i))
    }

    /// Whether `item` is in the list, which must be sorted.
    fn contains_sorted(&self, item: &str) -> bool {
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid).cmp(item) {
                std::cmp::Ordering::Equal => return true,
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        false
    }
}

/// Why `target#fragment` points nowhere, if it does.
fn missing_anchor(target: &str, fragment: &str, ids: &Strings) -> Option<String> {
    let f = percent_decode(fragment);
    (!f.is_empty() && !ids.contains_sorted(&f)).then(|| format!("{target} 中没有锚点 #{f}"))
}

/// Collects files as they are written (from many threads), then checks them all at once.
#[derive(Default)]
pub struct LinkIndex {
    files: Mutex<HashMap<String, Option<PageLinks>>>,
    /// Files links point to that lie in the content folder but are not published, and why.
    refused: Mutex<HashMap<String, String>>,
    /// A site read from disk by `gongbao check`, not one being built: no content folder to
    /// point a missing file's author to.
    read_from_disk: bool,
}

impl LinkIndex {
    pub fn add(&self, file: &OutputFile) {
        // pages are this build's own UTF-8: checked with SIMD, lossy only if that ever fails
        let text = |bytes| simdutf8::basic::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes), std::borrow::Cow::Borrowed);
        let links = file.path.ends_with(".html").then(|| scan(&file.path, &text(&file.bytes)));
        self.files.lock().expect("no panics while holding the lock").insert(file.path.clone(), links);
    }

    /// A page of the previous output, reused unchanged: its links as they were when it was made.
    pub fn add_known(&self, path: &str, links: PageLinks) {
        // as `add` would: only pages are scanned for ids and links
        let links = path.ends_with(".html").then_some(PageLinks { checked_before: true, ..links });
        self.files.lock().expect("no panics while holding the lock").insert(path.to_string(), links);
    }

    /// Takes the ids and links found on `path`, for the build cache, once the check is done.
    pub fn take_links(&self, path: &str) -> Option<PageLinks> {
        self.files.lock().expect("no panics while holding the lock").get_mut(path).and_then(Option::take)
    }

    /// The pages that links point into by file name (`page.html#id`, the page's own included;
    /// a bare `#id` is checked when the page is added): the cache keeps their ids. A site links
    /// into few pages, and the ids of every paragraph of every page were half the cache that
    /// each build writes again.
    pub fn linked_into(&self) -> std::collections::HashSet<String> {
        let files = self.files.lock().expect("no panics while holding the lock");
        files
            .iter()
            .flat_map(|(page, links)| links.iter().flat_map(|l| l.links.iter()).filter(|link| link.contains('#')).map(move |link| (page, link)))
            .filter_map(|(page, link)| match locate(page, link) {
                Ok(Some((target, Some(_)))) => Some(target),
                _ => None,
            })
            .collect()
    }

    /// Reads the ids of the pages that links point into (`linked_into`, from
    /// [`LinkIndex::linked_into`]) and whose ids the cache did not keep, from their files
    /// (`read`, by path); before [`LinkIndex::broken`].
    pub fn read_missing_ids(&self, linked_into: &std::collections::HashSet<String>, read: &dyn Fn(&str) -> Option<Vec<u8>>) {
        let wanted: Vec<&String> = {
            let files = self.files.lock().expect("no panics while holding the lock");
            linked_into.iter().filter(|t| matches!(files.get(*t), Some(Some(page)) if page.ids.is_none())).collect()
        };
        for target in wanted {
            let Some(bytes) = read(target) else { continue };
            let ids = scan(target, &String::from_utf8_lossy(&bytes)).ids;
            if let Some(Some(page)) = self.files.lock().expect("no panics while holding the lock").get_mut(target) {
                page.ids = ids;
            }
        }
    }

    /// Reads a built site from disk.
    pub fn from_dir(dir: &Path) -> Result<LinkIndex> {
        let index = LinkIndex { read_from_disk: true, ..LinkIndex::default() };
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::Other(format!("{}: {e}", dir.display())))?;
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(dir).expect("inside dir").to_string_lossy().replace('\\', "/");
                let bytes = if rel.ends_with(".html") {
                    std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?
                } else {
                    Vec::new()
                };
                index.add(&OutputFile::new(rel, bytes));
            }
        }
        Ok(index)
    }

    /// The files, not pages, that links of any page point to and that no file made or reused
    /// is: what [`crate::publish::attached`] looks for in the content folder. Sorted.
    pub fn missing_files(&self) -> Vec<String> {
        let files = self.files.lock().expect("no panics while holding the lock");
        let mut missing: Vec<String> = files
            .iter()
            .filter_map(|(page, links)| Some((page, links.as_ref()?)))
            .flat_map(|(page, links)| links.links.iter().filter(|l| !l.contains(".html")).filter_map(move |link| locate(page, link).ok().flatten()))
            .map(|(target, _)| target)
            .filter(|target| !files.contains_key(target))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }

    /// A file of the content folder that links point to and that is not published: links to
    /// it say why, not that it is missing.
    pub fn refuse(&self, path: &str, reason: String) {
        self.refused.lock().expect("no panics while holding the lock").insert(path.to_string(), reason);
    }

    /// Every broken link, sorted by page and link. Pages are checked in parallel.
    ///
    /// With `files_kept` (the build makes every file of the output it replaces), a reused page's
    /// links to files without an anchor are not checked again: the build that made the page
    /// found their files, and those are all still there. Its links into anchors are, as the
    /// page they point into may have changed. A rebuild at 1× checked 60,000 links, 4,000 of
    /// them into anchors.
    pub fn broken(&self, files_kept: bool) -> Vec<BrokenLink> {
        let files = self.files.lock().expect("no panics while holding the lock");
        let refused = self.refused.lock().expect("no panics while holding the lock");
        // 404.html is served at any depth: its links are relative to the root, where it lies,
        // or from the host's root when base_url is set (see `locate`).
        let mut broken: Vec<BrokenLink> = files
            .par_iter()
            .filter_map(|(page, links)| Some((page, links.as_ref()?)))
            .flat_map_iter(|(page, links)| {
                let settled = files_kept && links.checked_before;
                let here = links.broken_here.iter().map(|(link, reason)| (link.clone(), reason.clone()));
                let to_check = links.links.iter().filter(move |link| !settled || link.contains('#'));
                let elsewhere = to_check.filter_map(|link| Some((link.to_string(), check_link(page, link, &files, &refused, !self.read_from_disk)?)));
                here.chain(elsewhere).map(|(link, reason)| BrokenLink { page: page.clone(), link, reason })
            })
            .collect();
        broken.sort_unstable();
        broken.dedup();
        broken
    }
}

/// Why `link` of `page` does not work, if it does not; `building` tells where a missing picture
/// or attachment goes.
fn check_link(page: &str, link: &str, files: &HashMap<String, Option<PageLinks>>, refused: &HashMap<String, String>, building: bool) -> Option<String> {
    let (target, fragment) = match locate(page, link) {
        Ok(Some(located)) => located,
        Ok(None) => return None, // not ours to check
        Err(reason) => return Some(reason),
    };
    let Some(entry) = files.get(&target) else {
        // a document's Markdown linked where its page was meant
        let page_of = target.strip_suffix(".md").map(|stem| format!("{stem}.html"));
        if let Some(html) = page_of.filter(|html| files.contains_key(html)) {
            return Some(format!("链接的是文件的 Markdown 源文件 {target}，它不随网站发布：请把 .md 改为 .html，链接其网页 {html}"));
        }
        if let Some(reason) = refused.get(&target) {
            return Some(format!("内容目录中的 {target} {reason}"));
        }
        // a page of the site's root (wenhao.html) linked as if it were beside this one
        let name = target.rsplit('/').next().unwrap_or(&target);
        if name != target && files.contains_key(name) {
            return Some(format!("文件 {target} 不存在：网站根目录的 {name} 从本页应写作 {}{name}", "../".repeat(page.matches('/').count())));
        }
        if target.ends_with(".html") || !building {
            return Some(format!("文件 {target} 不存在"));
        }
        return Some(format!("文件 {target} 不存在：图片和附件（jpg、png、pdf、docx、xlsx 等）放在内容目录中的 {target}，即随文件发布"));
    };
    match (fragment, entry) {
        (Some(f), Some(target_page)) => match &target_page.ids {
            Some(ids) => missing_anchor(&target, f, ids),
            None => Some(format!("无法读取 {target} 中的锚点")),
        },
        _ => None,
    }
}

/// The page a link of `page` points to and the fragment it names; `None` for a link outside
/// the site, else why the link cannot work.
fn locate<'l>(page: &str, link: &'l str) -> std::result::Result<Option<(String, Option<&'l str>)>, String> {
    let scheme = |name: &str| link.get(..name.len()).is_some_and(|head| head.eq_ignore_ascii_case(name));
    if link.contains("://") || scheme("mailto:") || scheme("tel:") || link.starts_with("//") {
        return Ok(None);
    }
    if scheme("javascript:") || scheme("data:") {
        return Err("不允许的链接类型".into());
    }
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    // 404.html is served at any depth: with a base_url its links start at the host's root
    // (/gongbao/…), made from it, as absolute ones were (not ours to check either)
    if path.starts_with('/') && page == "404.html" {
        return Ok(None);
    }
    if path.starts_with('/') {
        return Err("以 / 开头的绝对路径在子路径和 U 盘上都会失效，应使用相对路径".into());
    }
    let target = if path.is_empty() {
        page.to_string()
    } else {
        if path.ends_with('/') {
            return Err("链接指向文件夹；在 U 盘（file://）上无法打开，应写明文件名（如 index.html）".into());
        }
        resolve(page, &percent_decode(path)).ok_or_else(|| "路径超出网站根目录".to_string())?
    };
    Ok(Some((target, fragment)))
}

/// Joins a relative link to the folder of `page`; `None` if it climbs above the root.
fn resolve(page: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Decodes `%E7%AC%AC` escapes (Markdown links to CJK anchors arrive encoded).
pub fn percent_decode(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('%') {
        return text.into();
    }
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned().into()
}

/// Finds `id`, `href` and `src` attribute values in the tags of the HTML page `path`, quoted
/// either way or unquoted. Only inside tags: text that reads `src=x` (escaped markup shown as
/// text) is text. Links to the page's own anchors are checked here.
fn scan(path: &str, html: &str) -> PageLinks {
    let (mut ids, mut links) = (Vec::new(), Vec::new());
    let mut attrs = Vec::new();
    let mut i = 0;
    while let Some(pos) = html[i..].find('<') {
        let rest = &html[i + pos..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i += pos + 4 + comment.find("-->").map_or(comment.len(), |e| e + 3);
            continue;
        }
        // tags as slices: a page has hundreds, and a string per name and value made this scan
        // half the cost of rendering the pages
        let Some(tag) = crate::render::sanitize::parse_tag_into(rest, &mut attrs) else {
            i += pos + 1;
            continue;
        };
        i += pos + tag.len;
        if tag.closing {
            continue;
        }
        for &(name, value) in &attrs {
            let Some(value) = value else { continue };
            if name.eq_ignore_ascii_case("id") {
                ids.push(decode_entities(value));
            } else if name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src") {
                links.push(decode_entities(value));
            }
        }
        // where a redirect page (an alias) sends the reader: `<meta http-equiv="refresh" content="0; url=…">`
        if tag.name.eq_ignore_ascii_case("meta") && attrs.iter().any(|&(n, v)| n.eq_ignore_ascii_case("http-equiv") && v.is_some_and(|v| v.eq_ignore_ascii_case("refresh"))) {
            let content = attrs.iter().find(|&&(n, _)| n.eq_ignore_ascii_case("content")).and_then(|&(_, v)| v).unwrap_or_default();
            let at = content.to_ascii_lowercase().find("url=");
            if let Some(url) = at.map(|at| content[at + 4..].trim().trim_matches(['\'', '"'])).filter(|u| !u.is_empty()) {
                links.push(decode_entities(url));
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    let ids = Strings::new(&ids);
    let mut broken_here = Vec::new();
    links.retain(|link| match link.strip_prefix('#') {
        Some(fragment) => {
            broken_here.extend(missing_anchor(path, fragment, &ids).map(|reason| (link.to_string(), reason)));
            false
        }
        None => true,
    });
    PageLinks { ids: Some(ids), links: Strings::new(&links), broken_here, checked_before: false }
}

fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    text.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&#x2F;", "/").replace("&amp;", "&").into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> LinkIndex {
        let index = LinkIndex::default();
        for (path, html) in pages {
            index.add(&OutputFile::new(*path, html.as_bytes()));
        }
        index
    }

    /// A reused page whose ids the cache did not keep is read when a link points into it.
    #[test]
    fn ids_not_kept_are_read_from_the_page_a_link_points_into() {
        let index = site(&[("b.html", r#"<a href="a.html#x">x</a><a href="a.html#y">y</a>"#)]);
        let kept = scan("a.html", r#"<p id="x">"#);
        assert_eq!(index.linked_into(), ["a.html".to_string()].into());
        index.add_known("a.html", kept.without_ids());
        assert_eq!(index.broken(false).len(), 2, "unknown ids: both links reported");
        index.read_missing_ids(&index.linked_into(), &|path| (path == "a.html").then(|| br#"<p id="x">"#.to_vec()));
        let broken = index.broken(false);
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert_eq!((broken[0].link.as_str(), broken[0].reason.as_str()), ("a.html#y", "a.html 中没有锚点 #y"));

        // a page that names itself in a link keeps its ids
        let index = site(&[("c.html", r#"<p id="x"><a href="c.html#x">x</a>"#)]);
        assert_eq!(index.linked_into(), ["c.html".to_string()].into());
    }

    #[test]
    fn finds_missing_files_anchors_and_folder_links() {
        let index = site(&[
            ("index.html", "<a href=\"2022/02/p001.html#一重大\">a</a><a href='about.html'>b</a><a href=2022/02/>c</a><a href=\"/x.html\">d</a><link href=\"assets/s.css\">"),
            ("2022/02/p001.html", "<h3 id=\"一重大\">x</h3><a href=\"../../index.html\">up</a><a href=\"#nope\">n</a><a href=\"../../../out.html\">o</a><a href=\"https://www.gov.cn/\">g</a>"),
            ("assets/s.css", ""),
        ]);
        let broken: Vec<(String, String)> = index.broken(false).into_iter().map(|b| (b.page, b.link)).collect();
        assert_eq!(
            broken,
            [
                ("2022/02/p001.html".into(), "#nope".into()),
                ("2022/02/p001.html".into(), "../../../out.html".into()),
                ("index.html".into(), "/x.html".into()),
                ("index.html".into(), "2022/02/".into()),
                ("index.html".into(), "about.html".into()),
            ]
        );
    }

    #[test]
    fn markup_shown_as_text_is_not_a_link() {
        let page = scan("p.html", "<p title=\"a>b\" id=x>&lt;img src=x onerror=alert(1)&gt; id=y href=z</p><!-- <a href=c> --><a\nhref='d.html'>");
        assert_eq!(page.links.iter().collect::<Vec<_>>(), ["d.html"]);
        assert_eq!(page.ids.as_ref().unwrap().iter().collect::<Vec<_>>(), ["x"]);
    }

    #[test]
    fn percent_encoded_fragments_match_cjk_ids() {
        let index = site(&[("a.html", "<p id=\"第三条\"></p><a href=\"a.html#%E7%AC%AC%E4%B8%89%E6%9D%A1\">x</a>")]);
        assert_eq!(index.broken(false), []);
    }
}
