//! The plain data of a gazette archive: a [`Site`] holds [`Issue`]s, an issue holds its
//! [`Section`]s in print order, a section holds its [`Document`]s. Templates receive these as is.

use serde::{Deserialize, Serialize};

/// `content/site.toml`: facts about the gazette itself.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// 刊名, e.g. 石嘴山市惠农区人民政府公报.
    pub name: String,
    /// 主办单位.
    pub publisher: String,
    /// 主管单位, when it differs from the publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisor: Option<String>,
    /// 刊号 or 准印号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The government portal the gazette belongs to (shown, linked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Where `public/` is published, e.g. `https://www.huinong.gov.cn/gongbao/`. Only used for
    /// canonical URLs; every link between pages stays relative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// The line of site.toml `base_url` is on (0: none), to name it if it is wrong: it is
    /// checked where `--base-url` can override it.
    #[serde(skip)]
    pub base_url_line: usize,
    /// 网站标识码 given by the national government website registry (政府网站标识码), shown in the
    /// SiteIDCode meta tag that portal inspections read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_id_code: Option<String>,
    /// A folder under `themes/` beside the content folder whose templates override the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
}

/// `url` as the address the site is published at, written as sitemaps and feeds need it, or
/// why it cannot be one. It must be a full http(s) address of a folder, with an ASCII host,
/// without spaces, query or fragment: every sitemap and feed entry, canonical link and QR code
/// is made from it. The scheme and host are written in lower case, the folder ends in `/`,
/// and characters other than ASCII in its path are percent-encoded (`/政府公报/`), as URLs in a
/// sitemap must be.
pub fn site_address(url: &str) -> std::result::Result<String, &'static str> {
    let (scheme, rest) = url.split_once("://").ok_or("不是完整网址")?;
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https") || url.contains(char::is_whitespace) || url.contains(['?', '#', '"', '<', '>', '\\']) {
        return Err("不是完整网址");
    }
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() {
        return Err("不是完整网址");
    }
    if !host.is_ascii() {
        return Err("的域名含有中文：请写作 ASCII 形式（punycode，如 xn--…）");
    }
    let last = path.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    if [".html", ".htm", ".shtml", ".php", ".jsp", ".asp", ".aspx"].iter().any(|page| last.ends_with(page)) {
        return Err("是一个网页的地址，应是网站所在目录的地址（去掉末尾的文件名）");
    }
    let mut address = format!("{scheme}://{}/", host.to_ascii_lowercase());
    for c in path.chars() {
        match c {
            c if c.is_ascii() => address.push(c),
            c => c.encode_utf8(&mut [0; 4]).bytes().for_each(|b| address.push_str(&format!("%{b:02X}"))),
        }
    }
    if !address.ends_with('/') {
        address.push('/');
    }
    Ok(address)
}

/// A calendar date as printed: 成文日期 always has a day, an issue's 出版日期 may only have a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GDate {
    pub year: u16,
    pub month: u8,
    pub day: Option<u8>,
}

impl GDate {
    /// Parses `2022-04-01`, `2022-04`, `2022年4月1日` or `2022年4月`; full-width digits are
    /// accepted, and so are Chinese numerals (`二〇二二年四月一日`, see [`arabic_numerals`]).
    pub fn parse(text: &str) -> Option<GDate> {
        GDate::read(text).filter(|d| d.exists())
    }

    /// Whether the calendar has this date (2022-04-31 is read, but does not exist).
    pub fn exists(&self) -> bool {
        (1000..=9999).contains(&self.year) && (1..=12).contains(&self.month) && self.day.is_none_or(|d| d >= 1 && d <= days_in_month(self.year, self.month))
    }

    /// The numbers of a date in any of the forms [`GDate::parse`] takes, unchecked: what a
    /// misprint or misread such as 2022年4月31日 was meant to say, to be told.
    pub fn read(text: &str) -> Option<GDate> {
        let ascii: String = arabic_numerals(text.trim())?
            .chars()
            .map(|c| match c {
                '年' | '月' | '－' | '/' | '.' | '．' => '-',
                '日' => ' ',
                c => super::ascii_digit(c),
            })
            .filter(|c| !c.is_whitespace())
            .collect();
        let ascii = ascii.trim_end_matches('-');
        let mut parts = ascii.split('-');
        let year: u16 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: Option<u8> = match parts.next() {
            Some(d) => Some(d.parse().ok()?),
            None => None,
        };
        (parts.next().is_none()).then_some(GDate { year, month, day })
    }

    /// `2022-04-01` or `2022-04`.
    pub fn iso(&self) -> String {
        match self.day {
            Some(d) => format!("{:04}-{:02}-{:02}", self.year, self.month, d),
            None => format!("{:04}-{:02}", self.year, self.month),
        }
    }

    /// `2022年4月1日` or `2022年4月`, as printed.
    pub fn chinese(&self) -> String {
        match self.day {
            Some(d) => format!("{}年{}月{}日", self.year, self.month, d),
            None => format!("{}年{}月", self.year, self.month),
        }
    }
}

/// Digits 0–9 as Chinese numerals. Extraction gives the zero of a year as 〇, ○, 零 or a
/// letter O (read as a zero only among other numerals).
const CHINESE_DIGITS: [&str; 10] = ["〇○零OoＯ", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// `text` with each run of Chinese numerals as an Arabic number: a year digit by digit
/// (二〇一一), a month or day counted with 十 (十二, 三十一). Official documents printed their
/// dates so until the national standard for their format (GB/T 9704-2012) chose Arabic
/// numerals, so older issues of a gazette sign every document that way. `None` for a run that
/// is no number (十十, 二三十).
pub fn arabic_numerals(text: &str) -> Option<std::borrow::Cow<'_, str>> {
    let digit = |c: char| CHINESE_DIGITS.iter().position(|d| d.contains(c));
    let numeral = |c: char| c == '十' || digit(c).is_some();
    let letter_o = |c: char| c.is_ascii_alphabetic() || c == 'Ｏ';
    if !text.chars().any(|c| numeral(c) && !letter_o(c)) {
        return Some(text.into());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(numeral) {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let end = run.find(|c: char| !numeral(c)).unwrap_or(run.len());
        let (run, after) = run.split_at(end);
        let digits: Vec<Option<usize>> = run.chars().map(digit).collect();
        let value = match run.split_once('十') {
            // 十, 十二, 二十, 三十一
            Some((tens, units)) => {
                let one = |s: &str, empty: usize| match s.chars().collect::<Vec<_>>()[..] {
                    [] => Some(empty),
                    [c] => digit(c).filter(|&d| d > 0),
                    _ => None,
                };
                (one(tens, 1)? * 10 + one(units, 0)?).to_string()
            }
            // only letters O: not a numeral (the O of a word)
            None if run.chars().all(letter_o) => run.to_string(),
            None => digits.iter().map(|d| d.map(|d| char::from(b'0' + d as u8))).collect::<Option<String>>()?,
        };
        out.push_str(&value);
        rest = after;
    }
    out.push_str(rest);
    Some(out.into())
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

impl Serialize for GDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for GDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let why = match GDate::read(&text) {
            _ if text.trim().is_empty() => "日期为空：请按印刷版填写".to_string(),
            Some(d) if d.exists() => return Ok(d),
            Some(GDate { year, month, day: Some(day) }) if (1..=12).contains(&month) && (1000..=9999).contains(&year) => {
                format!("日期「{text}」不存在：{year}年{month}月没有{day}日")
            }
            Some(GDate { month, .. }) if !(1..=12).contains(&month) => format!("日期「{text}」不存在：没有{month}月"),
            _ => format!("日期「{text}」无法识别"),
        };
        Err(serde::de::Error::custom(format!("{why}，应写作 2022-04-01 或 2022年4月1日")))
    }
}

/// A document's 成文日期 in its front matter: `""` where the print has none.
mod signed_date {
    use super::GDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &Option<GDate>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&date.as_ref().map_or_else(String::new, GDate::iso))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<GDate>, D::Error> {
        let text = String::deserialize(d)?;
        if text.trim().is_empty() {
            return Ok(None);
        }
        GDate::deserialize(serde::de::value::StrDeserializer::<D::Error>::new(&text)).map(Some)
    }
}

/// One line of the masthead (版权页) as printed: 主编：宋文祥.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MastheadEntry {
    pub label: String,
    pub value: String,
}

/// `content/<year>/<NN>/issue.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IssueMeta {
    pub year: u16,
    /// 期.
    pub number: u16,
    /// 总期号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_number: Option<u32>,
    /// 出版日期; a month is enough.
    pub date: GDate,
    /// 栏目, in print order.
    pub sections: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub masthead: Vec<MastheadEntry>,
    /// File name of the print PDF beside issue.toml.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf: Option<String>,
}

/// 效力状态.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum Status {
    #[serde(rename = "有效")]
    InForce,
    #[serde(rename = "废止")]
    Repealed,
    #[serde(rename = "失效")]
    Expired,
}

/// The TOML front matter of a document, between `+++` lines.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    /// 发文字号; 大事记 have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// 发文机关.
    pub issuer: String,
    /// 成文日期; none (`date = ""`, the key still written, so that it is not forgotten) for
    /// what is printed without a signature: a 大事记, a 政策解读.
    #[serde(with = "signed_date")]
    pub date: Option<GDate>,
    /// 栏目: one of the issue's sections.
    pub section: String,
    /// 起始页码 in the printed issue.
    pub page: u32,
    /// 公开属性, e.g. 此件公开发布.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<String>,
    /// 主送机关.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressee: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// 主题分类.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// 索引号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_id: Option<String>,
    /// Earlier paths of this document (e.g. `2022/02/old.html`): each gets a page that sends the
    /// reader on, so links printed in older notices keep working.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// What tells a file's bytes apart without reading them: its length, its modification and
/// status-change times (nanoseconds since 1970; the second changes with any write, even one
/// that sets the first back, as `cp -p` and `rsync -t` do) and its inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Stamp {
    pub len: u64,
    pub modified: i64,
    pub changed: i64,
    pub inode: u64,
}

impl Stamp {
    /// Whether stamps tell every change on the file system holding `dir`: only on local
    /// POSIX file systems. FAT and exFAT have no status-change time (Linux reports the
    /// modification time), network file systems answer from a cache of attributes that may be
    /// another host's older view, and FUSE ones may do either: there every file is read.
    #[cfg(target_os = "linux")]
    pub fn trusted_on(dir: &std::path::Path) -> bool {
        use std::os::unix::ffi::OsStrExt;
        // ext2/3/4, XFS, Btrfs, tmpfs, F2FS, overlayfs, ZFS, bcachefs, ntfs3
        const LOCAL: [u32; 9] = [0xEF53, 0x5846_5342, 0x9123_683E, 0x0102_1994, 0xF2F5_2010, 0x794C_7630, 0x2FC1_2FC1, 0xCA45_1A4E, 0x7366_746E];
        let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else { return false };
        // SAFETY: a valid C string and a zeroed plain struct for the call to fill.
        let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statfs(path.as_ptr(), &mut fs) } != 0 {
            return false;
        }
        LOCAL.contains(&(fs.f_type as u64 as u32))
    }

    #[cfg(not(target_os = "linux"))]
    pub fn trusted_on(_: &std::path::Path) -> bool {
        false
    }

    #[cfg(unix)]
    pub fn of(m: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| s.checked_mul(1_000_000_000)?.checked_add(n);
        Some(Stamp { len: m.len(), modified: ns(m.mtime(), m.mtime_nsec())?, changed: ns(m.ctime(), m.ctime_nsec())?, inode: m.ino() })
    }

    /// Elsewhere there is no status-change time to trust: every file is read.
    #[cfg(not(unix))]
    pub fn of(_: &std::fs::Metadata) -> Option<Stamp> {
        None
    }

    /// Whether this stamp, taken before `taken` (nanoseconds since 1970), is proof enough that
    /// the file has not changed since: the file's last change lies more than two seconds (FAT's
    /// time resolution, the coarsest here) before it, so a later change cannot have kept the
    /// same times.
    pub fn settled(&self, taken: i64) -> bool {
        self.modified.max(self.changed).saturating_add(2_000_000_000) < taken
    }
}

/// What reading a document file gives besides its body: what the build cache keeps of a file
/// that has not changed, so that it need not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Front {
    pub meta: FrontMatter,
    pub body_line: usize,
    pub section_line: usize,
    pub number_line: usize,
}

/// One document of an issue, with where it came from and where it goes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Document {
    #[serde(flatten)]
    pub meta: FrontMatter,
    /// Path of the page relative to the output root, e.g. `2022/02/p001.html`.
    pub url: String,
    /// The file stem, which fixes the URL.
    pub slug: String,
    pub year: u16,
    pub issue: u16,
    /// 2022年第2期.
    pub issue_title: String,
    /// The Markdown source file, relative to the content folder (for messages).
    #[serde(skip)]
    pub source: std::path::PathBuf,
    /// The Markdown body and the line of the file it starts on.
    #[serde(skip)]
    pub body: String,
    /// Set when only the front matter was read, the file being unchanged since the previous
    /// build (`body` is then empty; [`crate::content::read_bodies`] reads it where needed).
    #[serde(skip)]
    pub body_unread: bool,
    /// The source file's [`Stamp`] as it was read, where the system gives one.
    #[serde(skip)]
    pub stamp: Option<Stamp>,
    /// The lines of the front matter's `section` and `number` keys, for messages.
    #[serde(skip)]
    pub section_line: usize,
    #[serde(skip)]
    pub number_line: usize,
    #[serde(skip)]
    pub body_line: usize,
    /// Documents of the archive this one cites, and those citing it (filled by the links stage).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<DocRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cited_by: Vec<DocRef>,
    /// The later document whose text repeals this one (…同时废止).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repealed_by: Option<DocRef>,
}

impl Document {
    /// 效力状态 as pages, search results and open data show it: 已废止 when a later document of
    /// the archive repeals it or its front matter says so, 已失效, else 有效.
    pub fn status_text(&self) -> &'static str {
        match (&self.repealed_by, self.meta.status) {
            (Some(_), _) | (None, Some(Status::Repealed)) => "已废止",
            (None, Some(Status::Expired)) => "已失效",
            (None, Some(Status::InForce) | None) => "有效",
        }
    }
}

/// A reference to a document of the archive, as pages and data files show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct DocRef {
    pub url: String,
    pub title: String,
    pub number: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Section {
    pub name: String,
    pub documents: Vec<Document>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Issue {
    #[serde(flatten)]
    pub meta: IssueMeta,
    /// 2022年第2期.
    pub title: String,
    /// Output folder relative to the root, e.g. `2022/02`.
    pub dir: String,
    /// `2022/02/index.html`.
    pub url: String,
    /// Sections in print order with their documents in print order (the 目录).
    #[serde(rename = "toc")]
    pub sections: Vec<Section>,
    /// The print PDF named by `pdf` in issue.toml, checked to exist when loading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf_file: Option<PdfFile>,
    /// Its issue.toml, and that file's stamp when it was read or recalled.
    #[serde(skip)]
    pub source: std::path::PathBuf,
    #[serde(skip)]
    pub stamp: Option<Stamp>,
}

impl Issue {
    /// The day its pages were published: its 出版日期. An issue dated only by month counts from
    /// the 1st, so feeds and sitemaps (which need a day) stay in order; write the day in
    /// issue.toml to be exact.
    pub fn published(&self) -> GDate {
        GDate { day: Some(self.meta.date.day.unwrap_or(1)), ..self.meta.date }
    }
}

/// The print edition of an issue as a PDF, offered for download beside the issue page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PdfFile {
    /// Output path relative to the root, e.g. `2022/02/gongbao-2022-02.pdf`: ASCII whatever the
    /// source file is called, so it survives FAT32 sticks and every web server.
    pub url: String,
    pub bytes: u64,
    #[serde(skip)]
    pub source: std::path::PathBuf,
    /// The source file's [`Stamp`] when loaded, where the system gives one.
    #[serde(skip)]
    pub stamp: Option<Stamp>,
}

impl Issue {
    /// Documents in print order.
    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        self.sections.iter().flat_map(|s| s.documents.iter())
    }
}

/// A standalone page such as `about.md` (简介).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Page {
    pub title: String,
    #[serde(skip)]
    pub source: std::path::PathBuf,
    #[serde(skip)]
    pub body: String,
    #[serde(skip)]
    pub body_line: usize,
}

/// The whole archive. Issues are sorted oldest first (the order of `documents.json`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Site {
    pub config: SiteConfig,
    pub issues: Vec<Issue>,
    #[serde(skip)]
    pub about: Option<Page>,
}

impl Site {
    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        self.issues.iter().flat_map(|i| i.documents())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_is_settled_two_seconds_after_the_files_last_change() {
        let second = 1_000_000_000;
        let stamp = Stamp { len: 1, modified: 100 * second, changed: 103 * second, inode: 1 };
        assert!(!stamp.settled(105 * second), "changed 2 s before: a change in the same FAT tick would not show");
        assert!(stamp.settled(105 * second + 1));
        assert!(!Stamp { changed: 90 * second, ..stamp }.settled(101 * second), "modified 1 s before");
        assert!(!Stamp { modified: i64::MAX, ..stamp }.settled(i64::MAX), "a time in the future never settles");
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn stamps_are_trusted_on_local_file_systems_only() {
        assert!(!Stamp::trusted_on(std::path::Path::new("/proc")));
        assert!(!Stamp::trusted_on(std::path::Path::new("/no/such/folder")));
        assert!(Stamp::trusted_on(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))), "the repository's disk");
    }

    #[test]
    fn dates_parse_in_print_and_iso_forms() {
        let d = GDate::parse("2022年4月1日").unwrap();
        assert_eq!(d.iso(), "2022-04-01");
        assert_eq!(d.chinese(), "2022年4月1日");
        assert_eq!(GDate::parse("２０２２年４月１日"), Some(d));
        assert_eq!(GDate::parse("2022-04-01"), Some(d));
        assert_eq!(GDate::parse("2022．4．1"), Some(d), "full-width full stops, as an input method types them");
        assert_eq!(GDate::parse("2022-07").unwrap().chinese(), "2022年7月");
        assert_eq!(GDate::parse("2022 年 7 月").unwrap().iso(), "2022-07");
        for bad in ["2022-02-30", "2022-13-01", "四月", "", "2022-04-01-02", "2023-02-29"] {
            assert_eq!(GDate::parse(bad), None, "{bad}");
        }
        assert!(GDate::parse("2024-02-29").is_some());
    }

    #[test]
    fn dates_parse_in_chinese_numerals() {
        let iso = |t: &str| GDate::parse(t).map(|d| d.iso());
        assert_eq!(iso("二〇一一年十二月三十一日").as_deref(), Some("2011-12-31"));
        assert_eq!(iso("二○○八年一月十日").as_deref(), Some("2008-01-10"));
        assert_eq!(iso("二OO九年十月二十日").as_deref(), Some("2009-10-20"));
        assert_eq!(iso("二零一零年 二 月 九 日").as_deref(), Some("2010-02-09"));
        assert_eq!(iso("二〇一一年十一月").as_deref(), Some("2011-11"));
        assert_eq!(iso("2011年十一月二日").as_deref(), Some("2011-11-02"));
        for bad in ["二〇一一年十十月一日", "二〇一一年二三十月一日", "二〇一一年十三月一日", "二〇一一年二月三十日", "二〇一一年〇月一日", "二〇一一年二月〇日"] {
            assert_eq!(GDate::parse(bad), None, "{bad}");
        }
    }
}
