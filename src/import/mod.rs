//! `gongbao import`: from the text extracted from a printed issue to `content/`.
//!
//! [`import`] is pure: it reads the text and builds every file in memory, so a bad input fails
//! before anything is written; [`write`] then puts the files in place, and [`run`] does both for
//! the command line. Stages, one file each: [`encoding`] (UTF-8 or GB18030), [`toc`] (the printed
//! 目录 and where the body starts), [`masthead`] (版权页 → `issue.toml`, `site.toml`),
//! [`document`] (metadata and parts of one document), [`repair`] (page breaks, outline,
//! people, with [`tables`] and [`people`]) and [`markdown`] (escaped output).
//!
//! # Markdown conventions of imported documents
//!
//! The renderer is written to these; a hand-edited document should keep to them.
//!
//! - The title and the 发文字号 are front matter only; the page template prints them. The body
//!   starts with the addressee line (`各乡镇人民政府…：`), which is also `addressee`.
//! - Outline: `一、` headings → `### 一、…`; `（一）` headings → `#### （一）…` (the half-width
//!   `(一)` of the extraction is written `（一）`). A numbered line that is a sentence, not a short
//!   heading, stays a paragraph. `1.` items stay paragraphs with the number escaped (`1\.`) so the
//!   printed numbering shows exactly; `（1）`, `①`, `a.` likewise stay paragraphs.
//! - Signature: the issuer, the date and `（此件公开发布）` are three paragraphs, as printed.
//! - The enclosed document a notice issues is `## <its title> {#wenben}`; attachments are
//!   `## 附件1　<title> {#fujian-1}`, a single unnumbered one `## 附件　<title> {#fujian}`.
//! - Tables are GFM pipe tables whose first row is the header; a two-row header is merged
//!   (`处置办法：监考人员`).
//! - People lists: one paragraph per role, one person per line with hard breaks:
//!   `副组长：薛占江　区农业农村和水务局局长\` / `徐文华　区工业信息化和商务局局长`.
//! - No raw HTML ever: `< > & * _ [ ] | # { } ~ \`` and line-leading `- + = 1.` are escaped.

pub mod document;
pub mod encoding;
pub mod markdown;
pub mod masthead;
pub mod people;
pub mod repair;
pub mod tables;
pub mod text;
pub mod toc;

use std::path::{Path, PathBuf};

use crate::content::{number_key, FrontMatter, GDate, IssueMeta, SiteConfig};

use masthead::Masthead;
use text::{key, label_prefix, tidy_spaces};
use toc::TocEntry;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("没有找到目录：文本中应有一行「目 录」或「本期目录」，其后是各篇文件的标题和页码")]
    NoToc,
    #[error("第 {line} 行的目录中没有可识别的条目：每条应以页码结尾，如「标题 (惠政办发〔2022〕8号)<Tab>1」或「标题……60」")]
    EmptyToc { line: usize },
    #[error("目录第 {line} 行只有文号「{number}」，其上方没有标题")]
    TocEntryWithoutTitle { line: usize, number: String },
    #[error("第 {line} 行的文号「{number}」在目录之后、第一篇文件之前：目录中没有这一篇，或它的条目未能识别（每条应以页码结尾，如「标题 (惠政办发〔2022〕8号)<Tab>1」「标题……60」或「标题……（60）」）")]
    UnlistedDocument { line: usize, number: String },
    #[error("目录条目{entry}在正文中找不到：{reason}")]
    EntryNotFound { entry: String, reason: String, line: usize },
    #[error("目录条目{entry}的落款日期「{date}」不存在：请对照印刷版改正文本后再导入")]
    NoSuchDate { entry: String, date: String, line: usize },
    #[error("文本印的是 {0}年第{1}期，与参数 --year {2} --issue {3} 不符", .printed.0, .printed.1, .year, .issue)]
    PeriodMismatch { printed: (u16, u16), year: u16, issue: u16 },
    #[error("第 {line} 行起既不是 UTF-8 也不是 GBK/GB18030 编码，无法读取")]
    Encoding { line: usize },
    #[error("{} 已存在：本期已导入过；确需覆盖时加 --force", .dir.display())]
    Exists { dir: PathBuf },
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("无法生成 {file}：{message}")]
    Serialize { file: String, message: String },
}

impl ImportError {
    /// The line of the text the error is at, where it is at one: messages then read
    /// `file:line: …`, as the build's do.
    pub fn line(&self) -> Option<usize> {
        match self {
            ImportError::EmptyToc { line }
            | ImportError::TocEntryWithoutTitle { line, .. }
            | ImportError::UnlistedDocument { line, .. }
            | ImportError::EntryNotFound { line, .. }
            | ImportError::NoSuchDate { line, .. }
            | ImportError::Encoding { line } => Some(*line),
            _ => None,
        }
    }
}

/// One imported document: its file stem (fixing its URL) and contents.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedDocument {
    pub slug: String,
    pub front: FrontMatter,
    /// Markdown body.
    pub body: String,
    /// Whether its signature was found: without one its issuer and date are written empty.
    pub signed: bool,
}

/// Everything an issue's text yields, not yet written.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub site: SiteConfig,
    pub meta: IssueMeta,
    pub documents: Vec<ImportedDocument>,
    /// Markdown body of the 简介 page, when the text has one.
    pub about: Option<String>,
    /// What the office should look at: lines of the 目录 that look like entries but were not
    /// read as any, section headings read without brackets, a title the 目录 prints shorter
    /// than the body, and a 发文字号 on a line of its own inside a document's body, which may be a
    /// document whose 目录 entry was not read (its text is then in the body before it), or a
    /// document the body encloses.
    pub notes: Vec<String>,
}

/// Builds an issue's files from its text.
pub fn import(text: &str, year: u16, issue: u16) -> Result<Imported, ImportError> {
    let lines: Vec<&str> = text.lines().collect();
    let toc = toc::parse(&lines)?;
    // The running header atop each page of the body (惠农区人民政府公报 2022年第2期, or the
    // gazette's name alone, on page after page) is the print's, not the documents': read as a
    // blank line, where the page broke. Not a sentence that names the issue (…刊登于《惠农区人民
    // 政府公报》2022年第2期。; `key` makes full-width punctuation ASCII).
    let periods = [format!("{year}年第{issue}期"), format!("{year}年第{issue:02}期")];
    let header_like = |k: &str| k.contains("公报") && k.chars().count() <= 40 && !k.contains(['。', '、', ',', ';', ':', '!', '?']);
    let body_keys: Vec<String> = lines[toc.body_start..].iter().map(|l| key(l)).collect();
    let mut names: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for k in body_keys.iter().filter(|k| header_like(k) && k.ends_with("公报")) {
        *names.entry(k).or_default() += 1;
    }
    let printed_period = |k: &str| {
        let k = crate::content::arabic_numerals(k).unwrap_or(k.into());
        periods.iter().any(|p| k.contains(p.as_str()))
    };
    let running = |k: &str| header_like(k) && (printed_period(k) || names.get(k).is_some_and(|&n| n >= 2));
    // So is a section's heading in brackets printed again after the 目录 (【惠农区大事记】, over the
    // section's first document or atop its pages). A bare one is dropped only right over a
    // document (below): elsewhere the same words may be a list's item, a table's cell or a
    // subheading.
    let bracketed_heading = |k: &str| toc::is_section_heading(k, &toc.sections, true);
    let body = lines[toc.body_start..].iter().zip(&body_keys).map(|(&l, k)| if running(k) || bracketed_heading(k) { "" } else { l });
    let lines: Vec<&str> = lines[..=toc.last_entry]
        .iter()
        .copied()
        .chain(lines[toc.last_entry + 1..toc.body_start].iter().map(|&l| if bracketed_heading(&key(l)) { "" } else { l }))
        .chain(body)
        .collect();

    let mut located = Vec::with_capacity(toc.entries.len());
    let mut cursor = toc.body_start;
    for entry in &toc.entries {
        let loc = locate(&lines, cursor, entry)?;
        cursor = loc.body_start;
        located.push(loc);
    }
    let about_start = (cursor..lines.len()).find(|&i| about_heading(lines[i]).is_some());
    let end = about_start.unwrap_or(lines.len());

    let mut documents = Vec::with_capacity(located.len());
    let mut notes: Vec<String> = toc.skipped.iter().map(|(i, line)| format!("目录第 {} 行「{line}」不是可识别的条目，已略过", i + 1)).collect();
    notes.extend(toc.bare_sections.iter().map(|(i, name)| format!("目录第 {} 行「{name}」没有【】，按栏目名读入：其下各篇归入栏目「{name}」", i + 1)));
    // A section's heading on the lines right over a document's title, bracketed or bare, is the
    // print's, not the end of the document before it (nor of the masthead).
    let heading_over = |start: usize| {
        let mut stop = start;
        while let Some(i) = (0..stop).rev().find(|&i| !lines[i].trim().is_empty()).filter(|&i| toc::is_section_heading(&key(lines[i]), &toc.sections, false)) {
            stop = i;
        }
        stop
    };
    for (n, loc) in located.iter().enumerate() {
        let stop = located.get(n + 1).map_or(end, |next| heading_over(next.start));
        for (i, number) in (loc.body_start..stop).filter_map(|i| toc::lone_number(&lines, i).map(|number| (i, number))) {
            notes.push(format!("第 {} 行的文号「{number}」在{}的正文中：若这是另一篇文件，目录中它的条目未能识别，它已并入这一篇", i + 1, loc.entry.describe()));
        }
        let renamed;
        let entry = match &loc.title {
            Some(title) => {
                notes.push(format!("目录中的标题「{}」比正文上方的「{title}」短：用了正文的标题", loc.entry.title));
                renamed = TocEntry { title: title.clone(), ..loc.entry.clone() };
                &renamed
            }
            None => loc.entry,
        };
        let built = document::build(entry, loc.number.clone(), &lines[loc.body_start..stop], loc.body_start + 1)?;
        documents.push(ImportedDocument { slug: String::new(), front: built.front, body: built.body, signed: built.signed });
    }
    assign_slugs(&mut documents);
    for doc in documents.iter().filter(|d| !d.signed) {
        notes.push(format!(
            "{}.md（{}）正文中没有找到落款（发文机关一行，下一行为成文日期，如 2022年4月1日）：发文机关（issuer）留空，请按印刷版填写后再生成；成文日期（date）也留空，印刷版有的请填写",
            doc.slug, doc.front.title
        ));
    }

    let mut masthead = Masthead::default();
    let masthead_start = (0..toc.start)
        .find(|&i| key(lines[i]).ends_with("委员会") || label_prefix(lines[i]).is_some())
        .unwrap_or(toc.start);
    masthead.read_region(lines[masthead_start..toc.start].iter().copied());
    masthead.read_region(lines[toc.last_entry + 1..heading_over(toc.body_start)].iter().copied());
    // A cover with no masthead (the name, 2022年第4期（总第58期）, 2023年1月出版, then 目录) still
    // prints the period and the date: they are read from it, its other lines are not entries.
    let mut cover = Masthead::default();
    cover.read_region(lines[..masthead_start].iter().copied());
    masthead.period = masthead.period.or(cover.period);
    masthead.total = masthead.total.or(cover.total);
    masthead.published = masthead.published.or(cover.published);
    if let Some(printed) = masthead.period.filter(|&p| p != (year, issue)) {
        return Err(ImportError::PeriodMismatch { printed, year, issue });
    }
    if masthead.period.is_none() {
        notes.push(match &masthead.period_like {
            Some(line) => format!("版权页中的「{line}」像期次，但未能识别：按参数记为 {year}年第{issue}期，请与印刷版核对"),
            None => format!("文本中没有找到期次（如「{year}年第{issue}期」）：按参数记为 {year}年第{issue}期，请与印刷版核对"),
        });
    }
    // An issue without a printed publication date is dated by its latest document.
    let latest = documents.iter().filter_map(|d| d.front.date).max();
    let date = masthead
        .published
        .or(latest.map(|d| GDate { day: None, ..d }))
        .unwrap_or(GDate { year, month: 1, day: None });
    if masthead.published.is_none() {
        notes.push(format!("文本中没有找到出版日期（如「2022年7月出版」）：issue.toml 的 date 暂记为 {}，请按印刷版改正", date.chinese()));
    }

    let about_lines = about_start.map(|s| &lines[s + 1..]).unwrap_or(&[]);
    // The printed heading (《…公报》简介) opens the body, so that no printed text is lost; the
    // page title stays 本刊简介.
    let about = about_start.map(|s| {
        let mut blocks = vec![repair::Block::Heading { level: 2, text: tidy_spaces(lines[s]), id: None }];
        blocks.extend(repair::blocks(about_lines));
        markdown::render(&blocks)
    });
    let name = about_start
        .and_then(|s| about_heading(lines[s]))
        .filter(|n| !n.is_empty())
        .or_else(|| lines[..toc.start].iter().map(|l| key(l)).find(|k| k.ends_with("公报")))
        .unwrap_or_else(|| "政府公报".to_string());
    let website = about_lines.iter().find_map(|l| {
        let (label, value) = label_prefix(l)?;
        (key(label) == "网址").then(|| value.trim_matches(['<', '>', ' ']).to_string())
    });
    let get = |labels: &[&str]| masthead.get(labels).map(str::to_string).filter(|v| !v.is_empty());
    let publisher = get(&["主办", "主办单位", "编辑出版"]).or_else(|| documents.first().map(|d| d.front.issuer.clone()));
    let site = SiteConfig {
        name,
        publisher: publisher.unwrap_or_default(),
        supervisor: get(&["主管", "主管单位"]),
        serial: get(&["准印号", "刊号", "国内统一刊号"]),
        address: get(&["地址"]),
        postcode: get(&["邮编", "邮政编码"]),
        phone: get(&["电话", "联系电话"]),
        email: get(&["电子邮箱", "邮箱"]),
        website,
        base_url: None,
        base_url_line: 0,
        site_id_code: None,
        theme: None,
    };
    let meta = IssueMeta {
        year,
        number: issue,
        total_number: masthead.total,
        date,
        sections: toc.sections.clone(),
        masthead: masthead.entries,
        pdf: None,
    };
    Ok(Imported { site, meta, documents, about, notes })
}

/// Where a TOC entry's document is in the body.
struct Located<'a> {
    entry: &'a TocEntry,
    /// First line of the title.
    start: usize,
    /// First line after the title and the number.
    body_start: usize,
    /// 发文字号 as printed over the body.
    number: Option<String>,
    /// The title as printed over the body, where the 目录 prints it shortened (without its
    /// issuer: 关于…的通知 for 惠农区人民政府办公室关于…的通知).
    title: Option<String>,
}

/// Finds an entry's document at or after line `cursor`: by its number line standing alone, with
/// the title above it; or, for entries without a number (大事记), by its title.
fn locate<'a>(lines: &[&str], cursor: usize, entry: &'a TocEntry) -> Result<Located<'a>, ImportError> {
    let title = key(&entry.title);
    let not_found = |reason: String| ImportError::EntryNotFound { entry: entry.describe(), reason, line: entry.line + 1 };
    let Some(number) = &entry.number else {
        return (cursor..lines.len())
            .find_map(|i| toc::match_title(lines, i, &title).map(|end| Located { entry, start: i, body_start: end + 1, number: None, title: None }))
            .ok_or_else(|| not_found(format!("第 {} 行之后没有与之相同的标题", cursor + 1)));
    };
    let wanted = number_key(number);
    // The number on a line of its own, or on two (惠农区人民政府令 / 第5号, as orders print it).
    let (first, at) = (cursor..lines.len())
        .find_map(|i| toc::number_at(lines, cursor, i, &wanted).map(|first| (first, i)))
        .ok_or_else(|| not_found(format!("第 {} 行之后没有单独成行的文号「{number}」", cursor + 1)))?;
    let printed_number = tidy_spaces(&lines[first..=at].iter().map(|l| l.trim()).collect::<String>());
    // The title is the lines right above the number line, possibly split.
    let mut acc = String::new();
    let mut used = 0;
    let mut j = first;
    while j > cursor && used < 6 {
        j -= 1;
        let k = key(lines[j]);
        if k.is_empty() {
            continue;
        }
        acc.insert_str(0, &k);
        used += 1;
        if acc == title || acc.ends_with(&title) {
            let printed = (acc != title).then(|| tidy_spaces(&lines[j..first].iter().map(|l| l.trim()).collect::<String>()));
            return Ok(Located { entry, start: j, body_start: at + 1, number: Some(printed_number), title: printed });
        }
        if !title.ends_with(&acc) {
            break;
        }
    }
    // An order prints its number first (惠农区人民政府令 / 第5号), then the words that publish
    // the regulation and their signature, then the regulation under its title: the title is
    // found below, and stays in the body.
    if toc::is_order(number) {
        let below = (at + 1..lines.len()).filter(|&i| !lines[i].trim().is_empty()).take(ORDER_TITLE_WITHIN).any(|i| toc::match_title(lines, i, &title).is_some());
        if below {
            return Ok(Located { entry, start: first, body_start: at + 1, number: Some(printed_number), title: None });
        }
    }
    Err(not_found(format!("第 {} 行的文号上方的标题与目录不同", first + 1)))
}

/// How many lines after an order's number its regulation's title may come: the words that
/// publish it and their signature take a few.
const ORDER_TITLE_WITHIN: usize = 12;

/// The heading of the closing 简介: `《石嘴山市惠农区人民政府公报》简介`, `本刊简介` or `简介`.
/// Returns the gazette's name it carries (empty when it names none).
fn about_heading(line: &str) -> Option<String> {
    let k = key(line);
    if k == "简介" || k == "本刊简介" {
        return Some(String::new());
    }
    let inner = k.strip_suffix("简介")?.strip_prefix('《')?.strip_suffix('》')?;
    Some(inner.to_string())
}

/// `p001`, `p003`… after the printed start page; later documents starting on the same page get
/// `p060-2`, `p060-3`.
fn assign_slugs(documents: &mut [ImportedDocument]) {
    let mut seen: Vec<u32> = Vec::new();
    for doc in documents {
        let page = doc.front.page;
        let n = seen.iter().filter(|&&p| p == page).count();
        seen.push(page);
        doc.slug = if n == 0 { format!("p{page:03}") } else { format!("p{page:03}-{}", n + 1) };
    }
}

impl Imported {
    /// `2022/02`.
    pub fn dir(&self) -> String {
        format!("{:04}/{:02}", self.meta.year, self.meta.number)
    }

    /// The files of the issue folder: `issue.toml` and one `<slug>.md` per document.
    pub fn issue_files(&self) -> Result<Vec<(String, String)>, ImportError> {
        let mut files = vec![("issue.toml".to_string(), to_toml("issue.toml", &self.meta)?)];
        for doc in &self.documents {
            let name = format!("{}.md", doc.slug);
            let mut front = to_toml(&name, &doc.front)?;
            if !doc.signed {
                // the fields are written empty, under a word
                let issuer = "issuer = \"\"\n";
                if !front.contains(issuer) {
                    return Err(ImportError::Serialize { file: name, message: "发文机关未能留空".into() });
                }
                let word = "# 导入时正文中没有找到落款：请按印刷版填写发文机关（issuer）；成文日期（date，如 2022-04-01）印刷版没有的，留空即可\n";
                front = front.replacen(issuer, &format!("{word}{issuer}"), 1);
            }
            files.push((name, format!("+++\n{front}+++\n\n{}\n", doc.body)));
        }
        Ok(files)
    }

    pub fn site_toml(&self) -> Result<String, ImportError> {
        to_toml("site.toml", &self.site)
    }

    pub fn about_md(&self) -> Option<String> {
        self.about.as_ref().map(|body| format!("+++\ntitle = \"本刊简介\"\n+++\n\n{body}\n"))
    }
}

fn to_toml<T: serde::Serialize>(file: &str, value: &T) -> Result<String, ImportError> {
    toml::to_string(value).map_err(|e| ImportError::Serialize { file: file.to_string(), message: e.to_string() })
}

/// What [`write`] put on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub dir: PathBuf,
    pub documents: usize,
    pub site_toml: bool,
    pub about_md: bool,
    /// Replacing an issue: its Markdown files that the import wrote anew over other text (the
    /// office's corrections), and those it does not write at all (documents added by hand).
    pub overwritten: Vec<String>,
    pub removed: Vec<String>,
    /// Where the replaced folder was kept, when either list is not empty.
    pub kept: Option<PathBuf>,
    /// Of `overwritten`, those whose text linked pictures or attachments of the folder that
    /// the import's does not: `p004.md（附件1.xlsx、现场照片.jpg）`. The build no longer publishes them.
    pub unlinked: Vec<String>,
}

/// Writes an imported issue under `content`. The issue folder is built beside the target and
/// swapped in, so a failure leaves the old folder as it was; an existing folder is replaced only
/// with `force`, and what in it the import does not produce (the print PDF, pictures and
/// attachments, folders of them) is kept. Markdown the import overwrites with other text or
/// does not write is named in [`Written`], and the replaced folder is then kept beside the new
/// one, hidden (`.02.import-old`, which the build passes over), so that no correction is lost.
/// `site.toml` and `about.md` are written only when absent: they are the office's to edit.
pub fn write(content: &Path, imported: &Imported, force: bool) -> Result<Written, ImportError> {
    let dir = content.join(imported.dir());
    if dir.exists() && !force {
        return Err(ImportError::Exists { dir });
    }
    let mut files = imported.issue_files()?;
    // The print PDF the office named in the issue.toml replaced stays named (the import never
    // names one): else the next build would publish the issue without it, and say nothing.
    if let Some(pdf) = force.then(|| named_pdf(&dir.join("issue.toml"))).flatten() {
        let meta = crate::content::IssueMeta { pdf: Some(pdf), ..imported.meta.clone() };
        files[0].1 = to_toml("issue.toml", &meta)?;
    }
    let site = imported.site_toml()?;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ImportError::Io { path, source }
    };
    let parent = dir.parent().unwrap_or(content);
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let leaf = format!("{:02}", imported.meta.number);
    let tmp = parent.join(format!(".{leaf}.import-new"));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
    }
    // a folder kept by an earlier replacement stays: this one's is named after it
    let old = (1..).map(|n| parent.join(if n == 1 { format!(".{leaf}.import-old") } else { format!(".{leaf}.import-old-{n}") })).find(|p| !p.exists()).expect("a free name");
    std::fs::create_dir(&tmp).map_err(io(&tmp))?;
    for (name, text) in &files {
        let path = tmp.join(name);
        std::fs::write(&path, text).map_err(io(&path))?;
    }
    let (mut overwritten, mut removed, mut kept, mut unlinked) = (Vec::new(), Vec::new(), None, Vec::new());
    if dir.exists() {
        let mut items: Vec<_> = std::fs::read_dir(&dir).map_err(io(&dir))?.collect::<std::io::Result<_>>().map_err(io(&dir))?;
        items.sort_by_key(|item| item.file_name());
        // the office's own files beside the documents, which its Markdown may link
        let own: Vec<String> = items
            .iter()
            .map(|item| item.file_name().to_string_lossy().into_owned())
            .filter(|name| name != "issue.toml" && !name.ends_with(".md"))
            .collect();
        for item in items {
            let name = item.file_name();
            let generated = name == "issue.toml" || Path::new(&name).extension().is_some_and(|e| e == "md");
            if !generated {
                copy_tree(&item.path(), &tmp.join(&name)).map_err(io(&item.path()))?;
                continue;
            }
            let name = name.to_string_lossy().into_owned();
            let was = std::fs::read(item.path()).map_err(io(&item.path()))?;
            match files.iter().find(|(file, _)| *file == name) {
                Some((_, text)) if text.as_bytes() != was => {
                    // a picture or an attachment the corrected text linked and the import's does not
                    let (was, now) = (String::from_utf8_lossy(&was), crate::links::percent_decode(text));
                    let was = crate::links::percent_decode(&was);
                    let lost: Vec<&str> = own.iter().filter(|f| linked(&was, f) && !linked(&now, f)).map(String::as_str).collect();
                    if !lost.is_empty() {
                        unlinked.push(format!("{name}（{}）", lost.join("、")));
                    }
                    overwritten.push(name)
                }
                Some(_) => {}
                None => removed.push(name),
            }
        }
        std::fs::rename(&dir, &old).map_err(io(&dir))?;
        std::fs::rename(&tmp, &dir).map_err(io(&dir))?;
        if overwritten.is_empty() && removed.is_empty() {
            std::fs::remove_dir_all(&old).map_err(io(&old))?;
        } else {
            kept = Some(old);
        }
    } else {
        std::fs::rename(&tmp, &dir).map_err(io(&dir))?;
    }
    let site_path = content.join("site.toml");
    let site_toml = !site_path.exists();
    if site_toml {
        std::fs::write(&site_path, site).map_err(io(&site_path))?;
    }
    let about_path = content.join("about.md");
    let about_md = match imported.about_md() {
        Some(text) if !about_path.exists() => {
            std::fs::write(&about_path, text).map_err(io(&about_path))?;
            true
        }
        _ => false,
    };
    Ok(Written { dir, documents: imported.documents.len(), site_toml, about_md, overwritten, removed, kept, unlinked })
}

/// The print PDF an issue.toml names, if it can be read.
fn named_pdf(issue_toml: &Path) -> Option<String> {
    let text = std::fs::read_to_string(issue_toml).ok()?;
    text.parse::<toml::Table>().ok()?.get("pdf")?.as_str().map(str::to_string)
}

/// Whether Markdown, percent-decoded, links a file of its folder, or a folder of them
/// (`附件1.xlsx`, `images/1.png`).
fn linked(markdown: &str, name: &str) -> bool {
    markdown.contains(&format!("({name}")) || markdown.contains(&format!("(./{name}"))
}

/// Copies a file, or a folder with all in it, as it is (what the office put beside an issue).
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if !std::fs::symlink_metadata(from)?.is_dir() {
        return std::fs::copy(from, to).map(drop);
    }
    std::fs::create_dir(to)?;
    for item in std::fs::read_dir(from)? {
        let item = item?;
        copy_tree(&item.path(), &to.join(item.file_name()))?;
    }
    Ok(())
}

/// The command: reads `file` (UTF-8 or GBK), imports it as `year`/`issue` into `content`.
/// Returns a one-paragraph summary for the terminal.
pub fn run(file: &Path, year: u16, issue: u16, content: &Path, force: bool) -> anyhow::Result<String> {
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("{}: 无法读取：{e}", file.display()))?;
    let at = |e: ImportError| match e.line() {
        Some(line) => anyhow::anyhow!("{}:{line}: {e}", file.display()),
        None => anyhow::anyhow!("{}: {e}", file.display()),
    };
    let text = encoding::decode(&bytes).map_err(at)?;
    let imported = import(&text, year, issue).map_err(at)?;
    let written = write(content, &imported, force)?;
    let mut summary = format!("已导入 {}年第{}期：{} 篇文件 → {}", year, issue, written.documents, written.dir.display());
    for (made, name) in [(written.site_toml, "site.toml"), (written.about_md, "about.md")] {
        if made {
            summary.push_str(&format!("；新建 {}", content.join(name).display()));
        }
    }
    for (names, what) in [(&written.overwritten, "改动过的文件已按导入结果重写"), (&written.removed, "导入结果中没有的文件已移出")] {
        if !names.is_empty() {
            summary.push_str(&format!("\n注意：{what}：{}", names.join("、")));
        }
    }
    if !written.unlinked.is_empty() {
        summary.push_str(&format!("\n注意：重写的文件不再链接这些图片或附件，生成网站时将不再发布，请把链接补回：{}", written.unlinked.join("；")));
    }
    if let Some(kept) = &written.kept {
        summary.push_str(&format!("\n注意：原有的本期文件保存在 {}（隐藏文件夹，生成网站时不读取），核对改动后可删除", kept.display()));
    }
    for note in &imported.notes {
        summary.push_str("\n提示：");
        summary.push_str(note);
    }
    Ok(summary)
}
