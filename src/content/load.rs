use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use super::model::*;
use super::number_key;
use crate::error::{line_of_offset, Diagnostic, Error, Result};

/// What a file under `content/` is, judged by where it sits.
enum Entry {
    IssueMeta { dir: String },
    Document { dir: String },
}

/// Loads and validates the whole content folder. A document file for which `recall` gives
/// what a previous build found in it (stamped the same since) is not read: its front matter is
/// taken as then, its body left unread; an issue.toml likewise. Without `recall` every file is
/// read.
pub fn load(content: &Path, recall: Option<&dyn Recall>) -> Result<Site> {
    load_scanned(scan(content)?, recall)
}

/// What [`scan`] finds in the content folder: the site's settings and the files to load, and
/// what is wrong so far. The walk reads folders only, so a build runs it beside the loading of
/// its cache.
pub struct Scan {
    root: PathBuf,
    content: PathBuf,
    config: Option<SiteConfig>,
    entries: Vec<(PathBuf, Entry)>,
    diags: Vec<Diagnostic>,
}

impl Scan {
    /// The theme site.toml names, if it could be read.
    pub fn theme(&self) -> Option<&str> {
        self.config.as_ref().and_then(|c| c.theme.as_deref())
    }
}

/// Reads site.toml and lists the issue and document files of the content folder.
pub fn scan(content: &Path) -> Result<Scan> {
    if !content.is_dir() {
        let what = if content.exists() { "是文件，不是文件夹" } else { "不存在" };
        return Err(Error::Other(format!("内容目录 {} {what}", content.display())));
    }
    let mut diags = Vec::new();

    let site_path = content.join("site.toml");
    let config: Option<SiteConfig> = if site_path.is_file() {
        read_text(&site_path)
            .and_then(|text| {
                let config: SiteConfig = parse_toml(&site_path, &text, 1)?;
                let line = || 1 + line_of_key(&text, "theme").unwrap_or(0);
                match config.theme.as_deref() {
                    Some(name) if !theme_name(name) => Err(Diagnostic::new(
                        &site_path,
                        line(),
                        format!("主题 theme = \"{name}\" 无效：应为 themes/ 下一个文件夹的名字，不能是路径"),
                    )),
                    Some(name) if name != "default" && !content.parent().unwrap_or(Path::new(".")).join("themes").join(name).is_dir() => Err(Diagnostic::new(
                        &site_path,
                        line(),
                        format!("主题 theme = \"{name}\" 不存在：内容目录旁的 themes/ 下没有文件夹 {name}"),
                    )),
                    _ if config.website.as_deref().is_some_and(|w| !(w.starts_with("https://") || w.starts_with("http://"))) => Err(Diagnostic::new(
                        &site_path,
                        1 + line_of_key(&text, "website").unwrap_or(0),
                        "门户网站 website 应为以 https:// 或 http:// 开头的网址",
                    )),
                    _ => Ok(SiteConfig { base_url_line: line_of_key(&text, "base_url").map_or(0, |l| l + 1), ..config }),
                }
            })
            .map_err(|d| diags.push(d))
            .ok()
    } else {
        diags.push(Diagnostic::new(&site_path, 0, "缺少 site.toml（刊名、主办单位等）"));
        None
    };

    // Every path read must stay inside this folder, whatever symbolic links say.
    let root = content.canonicalize().unwrap_or_else(|_| content.to_path_buf());
    let mut entries = Vec::new();
    // Without following links, a link loop cannot make the walk run forever; links are
    // resolved one by one below.
    let mut walk = WalkDir::new(content).follow_links(false).sort_by_file_name().into_iter();
    while let Some(item) = walk.next() {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let path = e.path().unwrap_or(content).to_path_buf();
                let why = e.io_error().map_or_else(|| e.to_string(), crate::error::io_words);
                diags.push(Diagnostic::new(path, 0, format!("无法读取：{why}")));
                continue;
            }
        };
        let path = item.path();
        let rel = path.strip_prefix(content).unwrap_or(path);
        // hidden files and folders (.git, editors' backups) are not content
        if item.depth() > 0 && item.file_name().as_encoded_bytes().starts_with(b".") {
            if item.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        let Some(parts) = rel.iter().map(|p| p.to_str()).collect::<Option<Vec<&str>>>() else {
            // it would be left out without a word: a document, or a whole issue
            diags.push(Diagnostic::new(path, 0, "名称不是 UTF-8 编码（可能是 GBK），无法用于网址：请改名（如用 convmv -f gbk -t utf8）"));
            if item.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        };
        if let [_, _, name] = parts.as_slice() {
            let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
            if item.file_type().is_dir() && name.ends_with(".md") {
                diags.push(Diagnostic::new(path, 0, "是文件夹：期次目录中以 .md 结尾的应是文件"));
                continue;
            }
            if !name.ends_with(".md") && matches!(extension.as_deref(), Some("md" | "markdown" | "mdown" | "mkd")) {
                diags.push(Diagnostic::new(path, 0, "扩展名应为小写的 .md：否则不会作为文件发布"));
                continue;
            }
            // Notepad saves p014.md as p014.md.txt unless told otherwise, and hides the .txt
            if name.to_ascii_lowercase().ends_with(".md.txt") {
                diags.push(Diagnostic::new(path, 0, "扩展名是 .txt（记事本另存时会自动加上，且不显示）：应改名为以 .md 结尾，否则不会作为文件发布"));
                continue;
            }
        }
        if item.path_is_symlink() && item.depth() > 0 {
            match inside(&root, path) {
                Err(why) => {
                    diags.push(Diagnostic::new(path, 0, why));
                    continue;
                }
                Ok(real) if real.is_dir() => {
                    diags.push(Diagnostic::new(path, 0, "不支持指向文件夹的符号链接（会重复读取或形成循环）：请直接放置文件夹"));
                    continue;
                }
                Ok(_) => {}
            }
        } else if !item.file_type().is_file() {
            continue;
        }
        match parts.as_slice() {
            ["site.toml"] | ["about.md"] => {}
            [year, issue, "issue.toml"] => {
                entries.push((path.to_path_buf(), Entry::IssueMeta { dir: format!("{year}/{issue}") }))
            }
            [year, issue, name] if name.ends_with(".md") => {
                entries.push((path.to_path_buf(), Entry::Document { dir: format!("{year}/{issue}") }))
            }
            _ if path.extension().is_some_and(|e| e == "md" || e == "toml") => diags.push(Diagnostic::new(
                path,
                0,
                "位置不对：文件应放在 content/<年>/<期>/ 下（如 content/2022/02/），站点信息为 content/site.toml",
            )),
            _ => {} // attachments such as the print PDF are looked up by name
        }
    }

    Ok(Scan { root, content: content.to_path_buf(), config, entries, diags })
}

/// Whether `name` can name a folder of `themes/`: a name, not a path that could lead anywhere
/// (a theme's every file is read).
fn theme_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && !name.contains(|c: char| matches!(c, '/' | '\\' | ':') || c.is_control())
}

/// Loads and validates the files [`scan`] found (see [`load`]).
pub fn load_scanned(scan: Scan, recall: Option<&dyn Recall>) -> Result<Site> {
    let Scan { root, content, config, entries, mut diags } = scan;
    let content = content.as_path();
    // Reading and parsing are independent per file.
    let parsed: Vec<std::result::Result<Parsed, Diagnostic>> =
        entries.par_iter().map(|(path, entry)| parse_entry(&root, path, entry, recall)).collect();

    let mut issues: BTreeMap<String, (PathBuf, IssueMeta, Option<PdfFile>, Option<Stamp>)> = BTreeMap::new();
    // Issues whose issue.toml is itself broken: their documents are not reported again.
    let mut broken_issues = std::collections::HashSet::new();
    let mut docs: Vec<(String, Document)> = Vec::new();
    for result in parsed {
        match result {
            Ok(Parsed::Issue { dir, path, meta, pdf_file, stamp }) => {
                issues.insert(dir, (path, meta, pdf_file, stamp));
            }
            Ok(Parsed::Doc { dir, doc }) => docs.push((dir, doc)),
            Err(d) => {
                if d.file.ends_with("issue.toml") {
                    broken_issues.insert(d.file.parent().map(Path::to_path_buf));
                }
                diags.push(d)
            }
        }
    }

    let mut built: BTreeMap<String, Issue> = BTreeMap::new();
    for (dir, (path, meta, pdf_file, stamp)) in issues {
        let expected = format!("{:04}/{:02}", meta.year, meta.number);
        let line = |key: &str| read_text(&path).ok().and_then(|text| line_of_key(&text, key)).map_or(0, |l| l + 1);
        let wrong = if meta.sections.is_empty() {
            Some(Diagnostic::new(&path, line("sections"), "栏目（sections）不能为空：按印刷顺序列出本期各栏目"))
        } else if meta.number == 0 {
            Some(Diagnostic::new(&path, line("number"), "期号（number）应从 1 开始"))
        } else if dir != expected {
            Some(Diagnostic::new(
                &path,
                line(if dir.starts_with(&format!("{:04}/", meta.year)) { "number" } else { "year" }),
                format!("目录 {dir} 与 issue.toml 中的 year = {}, number = {} 不符，应为 {expected}", meta.year, meta.number),
            ))
        } else {
            None
        };
        if let Some(wrong) = wrong {
            // its documents are not reported again as lacking an issue.toml
            broken_issues.insert(path.parent().map(Path::to_path_buf));
            diags.push(wrong);
            continue;
        }
        let mut seen = HashMap::new();
        for (i, name) in meta.sections.iter().enumerate() {
            if let Some(first) = seen.insert(name.as_str(), i) {
                diags.push(Diagnostic::new(&path, line("sections"), format!("栏目「{name}」重复（第 {} 项与第 {} 项）", first + 1, i + 1)));
            }
        }
        let title = format!("{}年第{}期", meta.year, meta.number);
        let sections = meta.sections.iter().map(|name| Section { name: name.clone(), documents: Vec::new() }).collect();
        built.insert(dir.clone(), Issue { title, url: format!("{dir}/index.html"), dir, sections, meta, pdf_file, source: path, stamp });
    }

    let mut numbers: HashMap<String, (PathBuf, usize)> = HashMap::new();
    let mut aliases: HashMap<String, (PathBuf, usize)> = HashMap::new();
    for (dir, mut doc) in docs {
        let (section_line, number_line) = (doc.section_line, doc.number_line);
        let Some(issue) = built.get_mut(&dir) else {
            if broken_issues.contains(&doc.source.parent().map(Path::to_path_buf)) {
                continue;
            }
            diags.push(Diagnostic::new(&doc.source, 0, format!("所在目录 {dir} 没有 issue.toml，无法确定期次")));
            continue;
        };
        if let Some(number) = &doc.meta.number {
            if let Some((other, other_line)) = numbers.insert(number_key(number), (doc.source.clone(), number_line)) {
                diags.push(Diagnostic::new(
                    &doc.source,
                    number_line,
                    format!("发文字号「{number}」重复：{}:{} 已使用", other.display(), other_line),
                ));
            }
        }
        for alias in &doc.meta.aliases {
            let line = line_in_body_or_front(&doc, alias);
            if let Err(why) = check_alias(alias) {
                diags.push(Diagnostic::new(&doc.source, line, format!("别名 aliases 中的「{alias}」无效：{why}")));
            } else if let Some((other, other_line)) = aliases.insert(alias.clone(), (doc.source.clone(), line)) {
                diags.push(Diagnostic::new(&doc.source, line, format!("别名「{alias}」已被 {}:{other_line} 使用", other.display())));
            }
        }
        let Some(section) = issue.sections.iter_mut().find(|s| s.name == doc.meta.section) else {
            let known: Vec<&str> = issue.sections.iter().map(|s| s.name.as_str()).collect();
            diags.push(Diagnostic::new(
                &doc.source,
                section_line,
                format!("栏目「{}」不在本期 issue.toml 的 sections 中（{}）", doc.meta.section, known.join("、")),
            ));
            continue;
        };
        // A document is signed before it is printed: a date past its issue's (a month's end
        // when the issue gives no day) is a slip of a key (2032 for 2022).
        let printed = issue.meta.date;
        if let Some(date) = doc.meta.date.filter(|&d| d > crate::content::GDate { day: Some(printed.day.unwrap_or(31)), ..printed }) {
            let line = read_text(&doc.source)
                .ok()
                .and_then(|text| {
                    let (front, front_line, ..) = split_front_matter(&doc.source, &text).ok()?;
                    Some(front_line + line_of_key(front, "date")?)
                })
                .unwrap_or(0);
            diags.push(Diagnostic::new(
                &doc.source,
                line,
                format!("成文日期 {} 晚于本期的出版日期（{}）：文件应在刊印之前成文，请核对 date，或 issue.toml 的 date", date.chinese(), printed.chinese()),
            ));
        }
        doc.year = issue.meta.year;
        doc.issue = issue.meta.number;
        doc.issue_title = issue.title.clone();
        section.documents.push(doc);
    }

    // An alias may not take the place of a real page.
    for issue in built.values() {
        let pages = std::iter::once(issue.url.clone()).chain(issue.documents().map(|d| d.url.clone()));
        for page in pages {
            if let Some((source, line)) = aliases.get(&page) {
                diags.push(Diagnostic::new(source, *line, format!("别名「{page}」与现有页面重名")));
            }
        }
    }

    let about = match content.join("about.md") {
        path if path.is_file() => parse_page(&path).map_err(|d| diags.push(d)).ok(),
        _ => None,
    };

    Error::check(diags)?;
    let mut issues: Vec<Issue> = built.into_values().collect();
    for issue in &mut issues {
        for section in &mut issue.sections {
            section.documents.sort_by(|a, b| (a.meta.page, &a.slug).cmp(&(b.meta.page, &b.slug)));
        }
    }
    issues.sort_by_key(|i| (i.meta.year, i.meta.number));
    Ok(Site { config: config.expect("no diagnostics means site.toml parsed"), issues, about })
}

// One per content file, moved once into the site: a box per document would only add an
// allocation each.
#[allow(clippy::large_enum_variant)]
enum Parsed {
    Issue { dir: String, path: PathBuf, meta: IssueMeta, pdf_file: Option<PdfFile>, stamp: Option<Stamp> },
    Doc { dir: String, doc: Document },
}

/// What a previous build found in a content file, given the path and the file's stamp now;
/// `None` where the file must be read.
pub trait Recall: Sync {
    /// A document's front matter.
    fn document(&self, path: &Path, stamp: &Stamp) -> Option<Front>;
    /// An issue.toml.
    fn issue(&self, path: &Path, stamp: &Stamp) -> Option<IssueMeta>;
}

fn parse_entry(root: &Path, path: &Path, entry: &Entry, recall: Option<&dyn Recall>) -> std::result::Result<Parsed, Diagnostic> {
    match entry {
        Entry::IssueMeta { dir } => {
            let (meta, stamp) = match recalled(path, recall, |r, stamp| r.issue(path, stamp)) {
                Some((meta, stamp)) => (meta, Some(stamp)),
                None => {
                    let (text, stamp) = read_document(path)?;
                    (parse_toml::<IssueMeta>(path, &text, 1)?, stamp)
                }
            };
            // The print PDF: one plain name beside issue.toml, inside the content folder.
            let pdf_file = match &meta.pdf {
                Some(pdf) => {
                    // (the file is read again for the line of a message: a recalled one was not)
                    let line = || 1 + read_text(path).ok().and_then(|text| line_of_key(&text, "pdf")).unwrap_or(0);
                    let bad = |why: String| Diagnostic::new(path, line(), format!("印刷版 pdf = \"{}\" 无效：{why}", pdf.escape_debug()));
                    check_file_name(pdf).map_err(|why| bad(why.to_string()))?;
                    let beside = path.with_file_name(pdf);
                    let real = inside(root, &beside).map_err(|why| match std::fs::symlink_metadata(&beside) {
                        // not there at all (not a link leading nowhere): say where it goes
                        Err(_) => bad(format!("找不到该文件：请把印刷版 PDF 放在 {}，与 issue.toml 同一文件夹", beside.display())),
                        Ok(_) => bad(why),
                    })?;
                    let file = std::fs::metadata(&real).ok().filter(|m| m.is_file()).ok_or_else(|| bad("不是文件".into()))?;
                    let url = format!("{:04}/{:02}/gongbao-{:04}-{:02}.pdf", meta.year, meta.number, meta.year, meta.number);
                    Some(PdfFile { url, bytes: file.len(), source: real, stamp: Stamp::of(&file) })
                }
                None => None,
            };
            Ok(Parsed::Issue { dir: dir.clone(), path: path.to_path_buf(), meta, pdf_file, stamp })
        }
        Entry::Document { dir } => {
            let slug = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
            if !valid_slug(&slug) {
                return Err(Diagnostic::new(
                    path,
                    0,
                    "文件名决定网址，只能用小写英文字母、数字和连字符（如 p001.md），且不超过 64 个字符",
                ));
            }
            let (front, body, stamp) = match recalled(path, recall, |r, stamp| r.document(path, stamp)) {
                Some((front, stamp)) => (front, None, Some(stamp)),
                None => {
                    let (text, stamp) = read_document(path)?;
                    let (front, body_len) = parse_front_matter(path, &text)?;
                    (front, Some(into_body(text, body_len)), stamp)
                }
            };
            let doc = Document {
                url: format!("{dir}/{slug}.html"),
                slug,
                year: 0,
                issue: 0,
                issue_title: String::new(),
                source: path.to_path_buf(),
                body_unread: body.is_none(),
                body: body.unwrap_or_default(),
                stamp,
                body_line: front.body_line,
                section_line: front.section_line,
                number_line: front.number_line,
                meta: front.meta,
                cites: Vec::new(),
                cited_by: Vec::new(),
                repealed_by: None,
            };
            Ok(Parsed::Doc { dir: dir.clone(), doc })
        }
    }
}

/// What a previous build found in the file at `path` (`find`: its front matter, its
/// issue.toml), if it is stamped as then; and the stamp.
fn recalled<T>(path: &Path, recall: Option<&dyn Recall>, find: impl Fn(&dyn Recall, &Stamp) -> Option<T>) -> Option<(T, Stamp)> {
    let recall = recall?;
    let stamp = std::fs::metadata(path).ok().and_then(|m| Stamp::of(&m))?;
    find(recall, &stamp).map(|found| (found, stamp))
}

/// A document's front matter, parsed and checked; where its keys are; the body's length.
fn parse_front_matter(path: &Path, text: &str) -> std::result::Result<(Front, usize), Diagnostic> {
    let (fm, fm_line, body, body_line) = split_front_matter(path, text)?;
    let meta: FrontMatter = parse_toml(path, fm, fm_line)?;
    let key_line = |key: &str| fm_line + line_of_key(fm, key).unwrap_or(0);
    if meta.title.trim().is_empty() {
        return Err(Diagnostic::new(path, key_line("title"), "标题（title）不能为空"));
    }
    if meta.issuer.trim().is_empty() {
        return Err(Diagnostic::new(path, key_line("issuer"), "发文机关（issuer）不能为空"));
    }
    if meta.page == 0 {
        return Err(Diagnostic::new(path, key_line("page"), "起始页码（page）应从 1 开始"));
    }
    if meta.number.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(Diagnostic::new(path, key_line("number"), "发文字号（number）为空；没有文号时请删去这一行"));
    }
    if meta.date.is_some_and(|d| d.day.is_none()) {
        return Err(Diagnostic::new(path, key_line("date"), "成文日期（date）须写到日，如 2022-04-01"));
    }
    let front = Front { body_line, section_line: key_line("section"), number_line: key_line("number"), meta };
    Ok((front, body.len()))
}

/// A standalone page: optional front matter with a `title`, then Markdown.
fn parse_page(path: &Path) -> std::result::Result<Page, Diagnostic> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PageMeta {
        title: String,
    }
    let text = read_text(path)?;
    if text.starts_with("+++") {
        let (fm, fm_line, body, body_line) = split_front_matter(path, &text)?;
        let meta: PageMeta = parse_toml(path, fm, fm_line)?;
        Ok(Page { title: meta.title, source: path.to_path_buf(), body: body.to_string(), body_line })
    } else {
        Ok(Page { title: "本刊简介".into(), source: path.to_path_buf(), body: text, body_line: 1 })
    }
}

/// The last `body_len` bytes of `text` (its body), keeping the file's buffer.
fn into_body(mut text: String, body_len: usize) -> String {
    text.drain(..text.len() - body_len);
    text
}

/// Reads a document's source whole: its text, and the file's stamp as it was read.
fn read_document(path: &Path) -> std::result::Result<(String, Option<Stamp>), Diagnostic> {
    let cannot = |e: std::io::Error| Diagnostic::new(path, 0, format!("无法读取：{}", crate::error::io_words(&e)));
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let stamp = file.metadata().ok().and_then(|m| Stamp::of(&m));
    let mut bytes = Vec::new();
    // a file too large to hold is a message, not an abort
    bytes.try_reserve_exact(stamp.map_or(0, |s| s.len as usize)).map_err(|e| cannot(std::io::Error::other(e)))?;
    file.read_to_end(&mut bytes).map_err(cannot)?;
    Ok((decode_text(path, bytes)?, stamp))
}

/// Reads the body [`load`] left unread, checking that the file is still as it was stamped
/// then (else the front matter taken for it might not be the file's).
pub(super) fn read_body(doc: &mut Document) -> std::result::Result<(), Diagnostic> {
    let path = doc.source.as_path();
    let (text, stamp) = read_document(path)?;
    let (_, _, body, body_line) = split_front_matter(path, &text)?;
    if stamp != doc.stamp || body_line != doc.body_line {
        return Err(Diagnostic::new(path, 0, "文件在生成期间被修改：请在修改完成后重新生成"));
    }
    let body_len = body.len();
    (doc.body, doc.body_unread) = (into_body(text, body_len), false);
    Ok(())
}

/// Reads a content file as UTF-8 text with `\n` line ends and no BOM.
pub fn read_text(path: &Path) -> std::result::Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::new(path, 0, format!("无法读取：{}", crate::error::io_words(&e))))?;
    decode_text(path, bytes)
}

/// A content file's bytes as UTF-8 text with `\n` line ends and no BOM.
fn decode_text(path: &Path, bytes: Vec<u8>) -> std::result::Result<String, Diagnostic> {
    // Every byte of the content passes here: checked with SIMD, several times faster on CJK
    // text than the standard library (which was a tenth of a rebuild).
    let mut text = match simdutf8::basic::from_utf8(&bytes) {
        // SAFETY: the bytes were just checked to be UTF-8.
        Ok(_) => unsafe { String::from_utf8_unchecked(bytes) },
        Err(_) => {
            let valid = simdutf8::compat::from_utf8(&bytes).err().map_or(bytes.len(), |e| e.valid_up_to());
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
            let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
            let (encoding, line) = if utf16 { ("是 UTF-16 编码", 1) } else { ("不是 UTF-8 编码（可能是 GBK）", line) };
            // a document may come from a text extract; a settings file is typed
            let import = if path.extension().is_some_and(|e| e == "md") { "；从 PDF 提取的整期文本（GBK 也可）请用 gongbao import 导入" } else { "" };
            return Err(Diagnostic::new(path, line, format!("{encoding}：请用 UTF-8 保存（记事本：另存为，编码选 UTF-8）{import}")));
        }
    };
    // in place: bodies are most of the content's bytes, and most need neither change
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text })
}

/// Splits `+++\n<toml>\n+++\n<body>`; returns the TOML, its first line, the body, its first line.
pub fn split_front_matter<'a>(path: &Path, text: &'a str) -> std::result::Result<(&'a str, usize, &'a str, usize), Diagnostic> {
    let rest = text
        .strip_prefix("+++\n")
        .ok_or_else(|| Diagnostic::new(path, 1, "文件应以一行 +++ 开头，后接 TOML 格式的元数据，再以一行 +++ 结束"))?;
    let end = if rest.starts_with("+++") { Some(0) } else { rest.find("\n+++").map(|i| i + 1) };
    let end = end
        .filter(|&i| rest[i + 3..].is_empty() || rest[i + 3..].starts_with('\n'))
        .ok_or_else(|| Diagnostic::new(path, 1, "元数据没有结束：缺少第二行 +++"))?;
    let fm = &rest[..end];
    let body = rest[end + 3..].strip_prefix('\n').unwrap_or(&rest[end + 3..]);
    let body_line = 2 + fm.matches('\n').count() + 1;
    Ok((fm, 2, body, body_line))
}

/// Parses TOML that starts on line `first_line` of `path`, naming the line of any error.
fn parse_toml<T: DeserializeOwned>(path: &Path, text: &str, first_line: usize) -> std::result::Result<T, Diagnostic> {
    let value = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of_offset(text, s.start)).unwrap_or(1) + first_line - 1;
        let message = match e.message().strip_prefix("missing field ") {
            Some(first) => format!("缺少必填字段 {}", missing_fields::<T>(text, first.trim_matches('`')).join("、")),
            None => {
                // the line as written, round the place TOML stopped
                let written = e.span().and_then(|s| text[s.start..].lines().next().map(|rest| text[..s.start].rsplit('\n').next().unwrap_or("").to_string() + rest));
                let value = written.as_deref().and_then(|l| l.split_once(['=', '＝'])).map_or("", |(_, v)| v.trim());
                match half_width_number(value) {
                    Some(number) => format!("TOML 格式错误：数字须为半角，写作 {number}（不能用中文输入法的全角数字）"),
                    None => explain_toml(e.message()) + typing_hint(value),
                }
            }
        };
        Diagnostic::new(path, line, message)
    })?;
    match control_escape(text) {
        Some((at, c)) => Err(Diagnostic::new(
            path,
            line_of_offset(text, at) + first_line - 1,
            format!("含控制字符 U+{c:04X}（转义写法）：网页中无法显示，请删去这个转义"),
        )),
        None => Ok(value),
    }
}

/// Every required field `text` lacks, backquoted, where serde names only the first: each
/// found is filled in with a stand-in and the text read again (an office user fixing one field
/// per build would build as many times as fields are missing).
fn missing_fields<T: DeserializeOwned>(text: &str, first: &str) -> Vec<String> {
    let mut missing = vec![first.to_string()];
    let Ok(mut table) = text.parse::<toml::Table>() else { return vec![format!("`{first}`")] };
    // one of these has the field's type: text or a date, a number, a list
    let stand_ins = [toml::Value::String("2000-01-01".into()), toml::Value::Integer(1), toml::Value::Array(Vec::new())];
    'fields: while missing.len() <= table.len() + 16 {
        let field = missing.last().expect("starts with one").clone();
        for stand_in in &stand_ins {
            table.insert(field.clone(), stand_in.clone());
            match toml::Value::Table(table.clone()).try_into::<T>() {
                Err(e) => match e.message().strip_prefix("missing field ") {
                    Some(next) if !missing.iter().any(|m| m == next.trim_matches('`')) => {
                        missing.push(next.trim_matches('`').to_string());
                        continue 'fields;
                    }
                    Some(_) => break 'fields,
                    None => {} // not this field's type
                },
                Ok(_) => break 'fields,
            }
        }
        break;
    }
    missing.iter().map(|m| format!("`{m}`")).collect()
}

/// The first escape in `toml`'s basic strings that stands for a control character a body may
/// not hold either ([`super::is_stray_control`]), with its offset. TOML refuses such characters
/// raw but lets `\u0000` or `\e` through, and in a title they would reach the pages as they are.
fn control_escape(toml: &str) -> Option<(usize, u32)> {
    let b = toml.as_bytes();
    let control = |c: u32| char::from_u32(c).is_some_and(super::is_stray_control);
    let hex = |from: usize, digits: usize| toml.get(from..from + digits).and_then(|h| u32::from_str_radix(h, 16).ok());
    // the closing quote of the string the scan is in
    let mut close: Option<&[u8]> = None;
    let mut i = 0;
    while i < b.len() {
        match close {
            None => match b[i] {
                b'#' => i += b[i..].iter().position(|&c| c == b'\n').unwrap_or(b.len() - i),
                b'"' | b'\'' => {
                    let quote: &[u8] = match (b[i], b[i..].starts_with(b"\"\"\"") || b[i..].starts_with(b"'''")) {
                        (b'"', true) => b"\"\"\"",
                        (b'"', false) => b"\"",
                        (_, true) => b"'''",
                        _ => b"'",
                    };
                    (close, i) = (Some(quote), i + quote.len());
                }
                _ => i += 1,
            },
            Some(quote) if quote[0] == b'"' && b[i] == b'\\' => {
                let c = match b.get(i + 1) {
                    Some(b'b') => Some(0x08),
                    Some(b'f') => Some(0x0c),
                    Some(b'e') => Some(0x1b),
                    Some(b'u') => hex(i + 2, 4),
                    Some(b'U') => hex(i + 2, 8),
                    _ => None,
                };
                if let Some(c) = c.filter(|&c| control(c)) {
                    return Some((i, c));
                }
                i += 2;
            }
            Some(quote) if b[i..].starts_with(quote) => (close, i) = (None, i + quote.len()),
            Some(_) => i += 1,
        }
    }
    None
}

/// The TOML parser's and serde's messages in words an office user can act on; any other
/// message (a field's own check, such as a date's) as it is.
fn explain_toml(message: &str) -> String {
    let message = message.trim();
    // the backquoted names of a message, joined as a list
    let names = |s: &str| s.split('`').skip(1).step_by(2).collect::<Vec<_>>().join("、");
    let first_name = |s: &str| s.split('`').nth(1).unwrap_or(s).to_string();
    let said = |found: &str| -> String {
        let value = found.split_once(' ').map_or("", |(_, v)| v.trim_matches('`'));
        match found.split_once(' ').map_or(found, |(kind, _)| kind) {
            "map" => "表（日期也须加引号，如 \"2022-04-01\"）".to_string(),
            "string" => format!("文字 {value}"),
            "integer" => format!("整数 {value}"),
            "floating" => format!("小数 {}", value.trim_start_matches("point ").trim_matches('`')),
            "boolean" => format!("布尔值 {value}"),
            "sequence" => "列表 [ … ]".to_string(),
            other => other.to_string(),
        }
    };
    if let Some(field) = message.strip_prefix("missing field ") {
        format!("缺少必填字段 {field}")
    } else if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let names = names(expected);
        // TOML puts every line after a [[masthead]] header into that entry
        let hint = if names == "label、value" { "（[[masthead]] 之后的各行都属于该项：issue.toml 的其他字段须写在第一个 [[masthead]] 之前）" } else { "" };
        format!("未知字段 {field}；可用字段：{names}{hint}")
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        format!("「{}」不是可选的值；可选：{}", first_name(value), names(expected))
    } else if let Some((found, expected)) = message.strip_prefix("invalid value: ").and_then(|m| m.split_once(", expected ")) {
        let range = match expected {
            "u8" => "0 至 255",
            "u16" => "0 至 65535",
            "u32" => "0 至 4294967295",
            other => other,
        };
        format!("TOML 格式错误：{} 超出范围，此处应为 {range} 的整数", first_name(found))
    } else if let Some((found, expected)) = message.strip_prefix("invalid type: ").and_then(|m| m.split_once(", expected ")) {
        let expected = match expected {
            "u8" | "u16" | "u32" | "u64" | "usize" => "整数",
            "a string" => "带引号的文字",
            "a sequence" => "列表 [ … ]",
            "a boolean" => "true 或 false",
            other => other,
        };
        format!("TOML 格式错误：此处应为{expected}，实为{}", said(found))
    } else if let Some(at) = message.find("duplicate key ") {
        format!("TOML 格式错误：键 {} 重复", first_name(&message[at..]))
    } else {
        let plain = match message.lines().next().unwrap_or(message) {
            "invalid basic string" | "invalid literal string" | "invalid multiline basic string" | "invalid multiline literal string" => {
                "文字的引号没有成对结束（同一行内以 \" 开始，也以 \" 结束）"
            }
            "invalid string" => "值应为带引号的文字，如 title = \"…\"",
            "invalid escape sequence" => "反斜杠 \\ 后的转义无效：要写反斜杠本身请写两个 \\\\，或改用单引号 '…'",
            "expected newline, `#`" => "值后面还有多余的内容：一行只写一个 键 = 值",
            "expected `.`, `=`" => "键名后应为半角等号 =：每行应为 键 = 值（中文输入法的全角冒号、等号和空格：＝　不能用）",
            "invalid key" => "键名无效：每行应为 键 = 值，键名为英文字母（title、number、issuer、date 等，见 README）",
            "number too large to fit in target type" => "数字太大",
            "invalid table header" => "方括号表头 [ … ] 无效",
            "invalid date-time" => "日期时间无效",
            "invalid number" => "数字无效",
            "invalid array" => "列表 [ … ] 无效：各项以逗号分隔，以 ] 结束",
            "invalid inline table" => "内联表 { … } 无效",
            // a field's own check (a date's), already in words
            _ if !message.is_ascii() => return message.to_string(),
            _ => message,
        };
        format!("TOML 格式错误：{plain}")
    }
}

/// What a Chinese input method put in a `key = value` line that TOML does not read, where the
/// message alone would send the writer round in circles (told 值应为带引号的文字 when the
/// value has quotes, but “” ones).
fn typing_hint(value: &str) -> &'static str {
    if value.starts_with(['“', '”', '‘', '’', '「', '『']) {
        "。引号须为半角的 \"，不能用中文引号“”"
    } else if value.starts_with('"') && value.matches('"').count() > 2 {
        "。文字中的引号请用中文引号“”或书名号《》，或用单引号把整个值括起：title = '关于做好\"冬季供暖\"工作的通知'"
    } else {
        ""
    }
}

/// A value of full-width digits (１１), as a number TOML reads (11).
fn half_width_number(value: &str) -> Option<String> {
    let digits = |c: char| ('０'..='９').contains(&c);
    (!value.is_empty() && value.chars().all(digits)).then(|| value.chars().map(crate::content::ascii_digit).collect())
}

/// 0-based line of `key = …` within a TOML text.
fn line_of_key(toml: &str, key: &str) -> Option<usize> {
    toml.lines().position(|line| {
        line.trim_start().strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('='))
    })
}

/// The line of the front matter that names `alias` (front matter starts on line 2).
fn line_in_body_or_front(doc: &Document, alias: &str) -> usize {
    std::fs::read_to_string(&doc.source)
        .ok()
        .and_then(|text| {
            // as written, else (escapes such as \\ or \u0000) the line of the key
            text.lines().position(|l| l.contains(alias)).or_else(|| text.lines().position(|l| l.trim_start().starts_with("aliases")))
        })
        .map_or(0, |n| n + 1)
}

/// An alias is a path inside the site that only ASCII file systems and any web server accept.
fn check_alias(alias: &str) -> std::result::Result<(), &'static str> {
    const RESERVED: &[&str] = &["index.html", "search.html", "about.html", "404.html", "wenhao.html"];
    if alias.starts_with('/') || alias.contains('\\') || alias.contains("://") {
        return Err("应为相对于网站根目录的路径，如 2022/02/old.html");
    }
    if !alias.ends_with(".html") {
        return Err("应以 .html 结尾");
    }
    let segments: Vec<&str> = alias.split('/').collect();
    let safe = |s: &&str| {
        !s.is_empty() && s.len() <= 64 && !s.starts_with('.') && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
    };
    if alias.len() > 200 {
        return Err("路径过长（最多 200 个字符）");
    }
    if !segments.iter().all(safe) {
        return Err("只能用小写英文字母、数字、- _ . 组成的文件夹和文件名，每段不超过 64 个字符，不能以 . 开头（不能含 ..）");
    }
    // every name with a dot in the output is a file's (about.html, data/documents.json)
    if segments[..segments.len() - 1].iter().any(|s| s.contains('.')) {
        return Err("文件夹名不能含 .：网站中带 . 的名字都是文件（如 about.html）");
    }
    if segments.iter().any(|s| windows_reserved(s)) {
        return Err("含 Windows 保留的设备名（CON、PRN、AUX、NUL、COM1–9、LPT1–9）");
    }
    if RESERVED.contains(&alias) || ["assets", "data", "search"].contains(&segments[0]) {
        return Err("与网站自身的文件重名");
    }
    Ok(())
}

/// Where a path inside the content folder really is, following symbolic links; an error when it
/// cannot be resolved (missing target, link loop) or lies outside the content folder.
fn inside(root: &Path, path: &Path) -> std::result::Result<PathBuf, String> {
    let real = path.canonicalize().map_err(|e| match e.raw_os_error() {
        Some(40) => "符号链接形成循环，无法读取".to_string(),
        _ if e.kind() == std::io::ErrorKind::NotFound => "找不到该文件（或符号链接的目标不存在）".to_string(),
        _ => format!("无法读取：{e}"),
    })?;
    if !real.starts_with(root) {
        return Err(format!(
            "符号链接指向内容目录之外（{}），为安全起见不予读取：请把文件复制到内容目录中",
            real.display()
        ));
    }
    Ok(real)
}

/// Names Windows reserves in any folder, with any extension (`con.html`, `aux.pdf`): a site
/// copied to a USB stick for a Windows PC could not hold them.
pub fn windows_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end().to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul" | "conin$" | "conout$")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && (matches!(&stem[3..], "¹" | "²" | "³") || (stem.len() == 4 && stem.as_bytes()[3].is_ascii_digit())))
}

/// A file name beside issue.toml (the print PDF): one name, no folder, valid on Windows too.
pub fn check_file_name(name: &str) -> std::result::Result<(), &'static str> {
    if name.is_empty() {
        return Err("文件名为空");
    }
    if name.contains(['/', '\\']) || name == ".." || name.starts_with("..") {
        return Err("只能写与 issue.toml 同一文件夹中的文件名，不能含路径（/、\\、..）");
    }
    if name.chars().any(|c| c.is_control() || "<>:\"|?*".contains(c)) {
        return Err("文件名含有不允许的字符（控制字符或 < > : \" | ? *）");
    }
    if name.starts_with('.') || name.ends_with('.') || name.ends_with(' ') {
        return Err("文件名不能以 . 开头，也不能以 . 或空格结尾");
    }
    if name.chars().count() > 100 || name.len() > 240 {
        return Err("文件名过长（最多 100 个字符）");
    }
    if windows_reserved(name) {
        return Err("CON、PRN、AUX、NUL、COM1–9、LPT1–9 是 Windows 保留的设备名，不能用作文件名");
    }
    if !name.to_ascii_lowercase().ends_with(".pdf") {
        return Err("应为 .pdf 文件");
    }
    Ok(())
}

fn valid_slug(slug: &str) -> bool {
    !windows_reserved(slug)
        && !slug.is_empty()
        && slug.len() <= 64
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && slug != "index"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_chinese_input_method_types_is_named() {
        let said = |toml: &str| parse_toml::<FrontMatter>(Path::new("p.md"), toml, 2).unwrap_err().message;
        assert_eq!(said("title = “通知”\n"), "TOML 格式错误：值应为带引号的文字，如 title = \"…\"。引号须为半角的 \"，不能用中文引号“”");
        assert_eq!(said("title = \"t\"\npage = １１\n"), "TOML 格式错误：数字须为半角，写作 11（不能用中文输入法的全角数字）");
        let quoted = said("title = \"关于做好\"冬季供暖\"工作的通知\"\n");
        assert!(quoted.starts_with("TOML 格式错误：值后面还有多余的内容") && quoted.ends_with("或用单引号把整个值括起：title = '关于做好\"冬季供暖\"工作的通知'"), "{quoted}");
    }

    /// Every message the TOML parser and serde gave for the mistakes a front matter is likely to
    /// hold (toml 0.8), and what the user reads: Chinese, with the names and values quoted.
    #[test]
    fn toml_messages_read_in_chinese() {
        for (message, expected) in [
            ("invalid basic string", "TOML 格式错误：文字的引号没有成对结束"),
            ("invalid literal string", "TOML 格式错误：文字的引号没有成对结束"),
            ("invalid string\nexpected `\"`, `'`", "TOML 格式错误：值应为带引号的文字"),
            ("duplicate key `title` in document root", "TOML 格式错误：键 title 重复"),
            ("invalid table header\nduplicate key `a` in document root", "TOML 格式错误：键 a 重复"),
            ("invalid escape sequence\nexpected `b`, `f`, `n`", "TOML 格式错误：反斜杠 \\ 后的转义无效"),
            ("invalid value: integer `-5`, expected u32", "TOML 格式错误：-5 超出范围，此处应为 0 至 4294967295 的整数"),
            ("invalid value: integer `99999`, expected u16", "TOML 格式错误：99999 超出范围，此处应为 0 至 65535 的整数"),
            ("unknown variant `作废`, expected one of `有效`, `废止`, `失效`", "「作废」不是可选的值；可选：有效、废止、失效"),
            ("unknown variant `作废`, expected `有效` or `废止`", "「作废」不是可选的值；可选：有效、废止"),
            ("expected newline, `#`", "TOML 格式错误：值后面还有多余的内容"),
            ("invalid type: map, expected a string", "TOML 格式错误：此处应为带引号的文字，实为表（日期也须加引号"),
            ("invalid type: string \"a\", expected a sequence", "TOML 格式错误：此处应为列表 [ … ]，实为文字 \"a\""),
            ("invalid type: floating point `1.5`, expected u32", "TOML 格式错误：此处应为整数，实为小数 1.5"),
            ("unknown field `zz`, expected one of `title`, `page`", "未知字段 `zz`；可用字段：title、page"),
            ("unknown field `pdf`, expected `label` or `value`", "未知字段 `pdf`；可用字段：label、value（[[masthead]] 之后的各行都属于该项：issue.toml 的其他字段须写在第一个 [[masthead]] 之前）"),
            ("missing field `title`", "缺少必填字段 `title`"),
            ("invalid key", "TOML 格式错误：键名无效"),
            ("日期「2022-04-31」不存在：2022年4月没有31日", "日期「2022-04-31」不存在：2022年4月没有31日"),
            ("expected `.`, `=`", "TOML 格式错误：键名后应为半角等号 ="),
            ("number too large to fit in target type", "TOML 格式错误：数字太大"),
        ] {
            let said = explain_toml(message);
            assert!(said.starts_with(expected), "{message:?} → {said:?}");
            assert!(!said.contains("expected") && !said.contains("invalid"), "{message:?} → {said:?}");
        }
    }

    /// What a load of a site found, recalled as a build cache would.
    struct Found {
        fronts: HashMap<PathBuf, (Stamp, Front)>,
        issues: HashMap<PathBuf, (Stamp, IssueMeta)>,
    }

    impl Found {
        fn of(site: &Site) -> Found {
            let front = |d: &Document| Front { meta: d.meta.clone(), body_line: d.body_line, section_line: d.section_line, number_line: d.number_line };
            Found {
                fronts: site.documents().map(|d| (d.source.clone(), (d.stamp.unwrap(), front(d)))).collect(),
                issues: site.issues.iter().map(|i| (i.source.clone(), (i.stamp.unwrap(), i.meta.clone()))).collect(),
            }
        }
    }

    impl Recall for Found {
        fn document(&self, path: &Path, stamp: &Stamp) -> Option<Front> {
            self.fronts.get(path).filter(|(s, _)| s == stamp).map(|(_, f)| f.clone())
        }
        fn issue(&self, path: &Path, stamp: &Stamp) -> Option<IssueMeta> {
            self.issues.get(path).filter(|(s, _)| s == stamp).map(|(_, m)| m.clone())
        }
    }

    /// A content folder of the repository's site.toml and its issue 2022/02, without documents.
    fn one_issue() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        std::fs::create_dir_all(dir.path().join("2022/02")).unwrap();
        for file in ["site.toml", "2022/02/issue.toml"] {
            std::fs::copy(repo.join(file), dir.path().join(file)).unwrap();
        }
        dir
    }

    /// A document recalled from a previous build loads as when read, and its body, read later,
    /// is the same: with a byte order mark and CRLF lines, a long front matter, no body.
    #[test]
    fn a_recalled_document_loads_and_reads_as_a_read_one_does() {
        let dir = one_issue();
        let content = dir.path();
        let front = |page: u32, extra: &str| format!("+++\ntitle = \"标题\"\nissuer = \"惠农区人民政府办公室\"\ndate = \"2022-05-19\"\nsection = \"惠农区人民政府办公室文件\"\npage = {page}\n{extra}+++");
        let files = [
            ("p001.md", format!("\u{feff}{}\n正文第一段。\n\n第二段。\n", front(1, "number = \"惠政发〔2022〕1号\"\n")).replace('\n', "\r\n")),
            ("p002.md", format!("{}\n长的元数据之后的正文。\n", front(2, &format!("topic = \"{}\"\n", "主题".repeat(1500))))),
            ("p003.md", front(3, "")),
        ];
        for (name, text) in &files {
            std::fs::write(content.join("2022/02").join(name), text).unwrap();
        }
        let whole = load(content, None).unwrap();
        let recall = Found::of(&whole);
        let mut recalled = load(content, Some(&recall)).unwrap();
        assert!(recalled.documents().all(|d| d.body_unread && d.body.is_empty()));
        crate::content::read_bodies(&mut recalled, &|_| true).unwrap();
        assert_eq!(whole, recalled);
        let bodies: Vec<&str> = whole.documents().map(|d| d.body.as_str()).collect();
        assert_eq!(bodies, ["正文第一段。\n\n第二段。\n", "长的元数据之后的正文。\n", ""]);

        // A file changed after it was loaded is not read into the site: the front matter taken
        // for it might not be its own.
        let mut stale = load(content, Some(&recall)).unwrap();
        std::fs::write(content.join("2022/02/p001.md"), format!("{}\n改过的正文。\n", front(1, ""))).unwrap();
        let err = crate::content::read_bodies(&mut stale, &|_| true).unwrap_err().to_string();
        assert!(err.contains("p001.md") && err.contains("生成期间被修改"), "{err}");
        // and the next load reads it
        let next = load(content, Some(&recall)).unwrap();
        assert!(next.documents().any(|d| !d.body_unread && d.body == "改过的正文。\n"));
    }

    /// An issue.toml stamped as a previous build found it is taken as then, unread; changed,
    /// it is read again.
    #[test]
    fn a_recalled_issue_toml_is_taken_as_recalled_and_a_changed_one_read() {
        let dir = one_issue();
        let content = dir.path();
        let whole = load(content, None).unwrap();
        let mut recall = Found::of(&whole);
        // what the cache holds for the file, not what the file says: proof it was not read
        for (_, meta) in recall.issues.values_mut() {
            meta.total_number = Some(999);
        }
        let recalled = load(content, Some(&recall)).unwrap();
        assert!(recalled.issues.iter().all(|i| i.meta.total_number == Some(999)));
        assert_eq!(whole.issues.iter().map(|i| (&i.source, i.stamp)).collect::<Vec<_>>(), recalled.issues.iter().map(|i| (&i.source, i.stamp)).collect::<Vec<_>>());

        let issue = &whole.issues[0].source;
        let text = std::fs::read_to_string(issue).unwrap();
        std::fs::write(issue, text.replacen("date = ", "total_number = 7\ndate = ", 1)).unwrap();
        let next = load(content, Some(&recall)).unwrap();
        assert_eq!(next.issues[0].meta.total_number, Some(7));
    }

    #[test]
    fn front_matter_is_split_with_line_numbers() {
        let text = "+++\ntitle = \"t\"\n+++\nbody\n";
        let (fm, fm_line, body, body_line) = split_front_matter(Path::new("x.md"), text).unwrap();
        assert_eq!((fm, fm_line, body, body_line), ("title = \"t\"\n", 2, "body\n", 4));
        assert!(split_front_matter(Path::new("x.md"), "title = 1\n").is_err());
        assert!(split_front_matter(Path::new("x.md"), "+++\ntitle = 1\n").is_err());
        assert!(split_front_matter(Path::new("x.md"), "+++\n+++\n").is_ok());
    }

    #[test]
    fn toml_errors_point_at_the_line() {
        let err = parse_toml::<FrontMatter>(Path::new("a.md"), "title = \"x\"\npage = \"one\"\n", 2).unwrap_err();
        assert_eq!(err.line, 3, "{err}");
    }

    #[test]
    fn aliases_and_file_names_stay_in_their_folder_and_are_valid_on_windows() {
        assert!(check_alias("2022/02/old-p1.html").is_ok());
        for bad in ["../x.html", "2022/../../x.html", "/etc/x.html", "C:\\x.html", "a\0b.html", "con.html", "2022/aux/x.html", "com1.html", "http://x/a.html", &format!("{}.html", "a".repeat(70)), &"a/".repeat(120)] {
            assert!(check_alias(bad).is_err(), "{bad:?}");
        }
        assert!(check_file_name("2022年第2期.pdf").is_ok());
        assert!(check_file_name("gb-2022-02.PDF").is_ok());
        for bad in ["", "..", "../x.pdf", "a/b.pdf", "/etc/passwd", "C:\\x.pdf", "a\0.pdf", "nul.pdf", "LPT1.pdf", "con", ".hidden.pdf", "x.pdf.", "x.exe", &format!("{}.pdf", "长".repeat(120))] {
            assert!(check_file_name(bad).is_err(), "{bad:?}");
        }
        assert!(!windows_reserved("console") && !windows_reserved("com10") && !windows_reserved("p001"));
    }

    #[test]
    fn slugs_are_fat32_safe_ascii() {
        assert!(valid_slug("p001"));
        assert!(valid_slug("hzbf-2022-8"));
        for bad in ["P001", "通知", "a b", "-x", "index", "a.b", "", "con", "nul", "aux", "prn", "com1", "lpt9", &"a".repeat(65)] {
            assert!(!valid_slug(bad), "{bad}");
        }
    }
}
