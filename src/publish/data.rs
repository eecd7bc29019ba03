//! Open data (政府数据开放): every document's metadata as JSON and as CSV, and each issue's 目录 as
//! JSON. The JSON field names are a public contract: fields are only ever added.

use serde::Serialize;

use crate::content::{Document, Issue, MastheadEntry, Site};
use crate::error::{Error, Result};
use crate::output::OutputFile;

/// One row of `data/documents.json`. Fields are only ever added: the original nine, then the
/// citation fields, then every remaining metadata field.
#[derive(Serialize)]
struct DocumentRecord<'a> {
    url: &'a str,
    year: u16,
    issue: u16,
    title: &'a str,
    number: Option<&'a str>,
    issuer: &'a str,
    date: String,
    section: &'a str,
    page: u32,
    /// 效力状态: 已废止 when a later document repeals it, else as declared (有效 by default).
    status: &'static str,
    repealed_by: Option<&'a str>,
    cites: Vec<&'a str>,
    cited_by: Vec<&'a str>,
    /// 2022年第2期.
    issue_title: &'a str,
    /// `2022/02/index.html`.
    issue_url: &'a str,
    /// The issue's 出版日期 as printed (`2022-07` when only the month is known).
    issue_date: String,
    disclosure: Option<&'a str>,
    addressee: Option<&'a str>,
    topic: Option<&'a str>,
    index_id: Option<&'a str>,
}

impl<'a> DocumentRecord<'a> {
    fn new(issue: &'a Issue, d: &'a Document) -> Self {
        let m = &d.meta;
        DocumentRecord {
            url: &d.url,
            year: d.year,
            issue: d.issue,
            title: &m.title,
            number: m.number.as_deref(),
            issuer: &m.issuer,
            date: m.date.map(|d| d.iso()).unwrap_or_default(),
            section: &m.section,
            page: m.page,
            status: d.status_text(),
            repealed_by: d.repealed_by.as_ref().map(|r| r.url.as_str()),
            cites: d.cites.iter().map(|r| r.url.as_str()).collect(),
            cited_by: d.cited_by.iter().map(|r| r.url.as_str()).collect(),
            issue_title: &issue.title,
            issue_url: &issue.url,
            issue_date: issue.meta.date.iso(),
            disclosure: m.disclosure.as_deref(),
            addressee: m.addressee.as_deref(),
            topic: m.topic.as_deref(),
            index_id: m.index_id.as_deref(),
        }
    }

    /// The CSV row, in the order of [`DOCUMENTS_CSV_COLUMNS`].
    fn csv_row(&self) -> [String; 17] {
        let opt = |v: Option<&str>| v.unwrap_or_default().to_string();
        [
            self.title.to_string(),
            opt(self.number),
            self.issuer.to_string(),
            self.date.clone(),
            self.section.to_string(),
            self.issue_title.to_string(),
            self.year.to_string(),
            self.issue.to_string(),
            self.issue_date.clone(),
            self.page.to_string(),
            opt(self.disclosure),
            opt(self.addressee),
            self.status.to_string(),
            opt(self.topic),
            opt(self.index_id),
            self.url.to_string(),
            self.issue_url.to_string(),
        ]
    }
}

/// The header of `data/documents.csv`, in Chinese since the people who open it in Excel are the
/// gazette's readers; README maps each column to its JSON field.
pub const DOCUMENTS_CSV_COLUMNS: [&str; 17] = [
    "标题", "发文字号", "发文机关", "成文日期", "栏目", "期次", "年份", "期号", "出版日期", "起始页码", "公开属性", "主送机关", "效力状态",
    "主题分类", "索引号", "网址", "本期目录网址",
];

/// `data/issues/2022-02.json`: one issue with its 目录 in print order.
#[derive(Serialize)]
struct IssueRecord<'a> {
    title: &'a str,
    year: u16,
    number: u16,
    total_number: Option<u32>,
    date: String,
    url: &'a str,
    /// The print PDF, when there is one.
    pdf: Option<PdfRecord<'a>>,
    masthead: &'a [MastheadEntry],
    toc: Vec<TocSection<'a>>,
}

#[derive(Serialize)]
struct PdfRecord<'a> {
    url: &'a str,
    bytes: u64,
}

#[derive(Serialize)]
struct TocSection<'a> {
    section: &'a str,
    documents: Vec<TocEntry<'a>>,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    title: &'a str,
    number: Option<&'a str>,
    page: u32,
    url: &'a str,
}

/// One row of `data/issues.json`, the list of issues (oldest first, as documents.json).
#[derive(Serialize)]
struct IssueIndexRecord<'a> {
    title: &'a str,
    year: u16,
    number: u16,
    date: String,
    url: &'a str,
    documents: usize,
    /// `data/issues/2022-02.json`.
    data: String,
}

/// Where an issue's JSON goes, relative to the output root.
pub fn issue_data_path(issue: &Issue) -> String {
    format!("data/issues/{}.json", issue.dir.replace('/', "-"))
}

/// Where [`files`] go.
pub fn paths(site: &Site) -> Vec<String> {
    ["data/documents.json", "data/documents.csv", "data/issues.json"].map(String::from).into_iter().chain(site.issues.iter().map(issue_data_path)).collect()
}

pub fn files(site: &Site) -> Result<Vec<OutputFile>> {
    let records: Vec<DocumentRecord> =
        site.issues.iter().flat_map(|i| i.documents().map(move |d| DocumentRecord::new(i, d))).collect();
    let mut files = vec![
        OutputFile::new("data/documents.json", json(&records)?),
        OutputFile::new("data/documents.csv", csv(&records)),
    ];
    let index: Vec<IssueIndexRecord> = site
        .issues
        .iter()
        .map(|i| IssueIndexRecord {
            title: &i.title,
            year: i.meta.year,
            number: i.meta.number,
            date: i.meta.date.iso(),
            url: &i.url,
            documents: i.documents().count(),
            data: issue_data_path(i),
        })
        .collect();
    files.push(OutputFile::new("data/issues.json", json(&index)?));
    for issue in &site.issues {
        let record = IssueRecord {
            title: &issue.title,
            year: issue.meta.year,
            number: issue.meta.number,
            total_number: issue.meta.total_number,
            date: issue.meta.date.iso(),
            url: &issue.url,
            pdf: issue.pdf_file.as_ref().map(|p| PdfRecord { url: &p.url, bytes: p.bytes }),
            masthead: &issue.meta.masthead,
            toc: issue
                .sections
                .iter()
                .map(|s| TocSection {
                    section: &s.name,
                    documents: s
                        .documents
                        .iter()
                        .map(|d| TocEntry { title: &d.meta.title, number: d.meta.number.as_deref(), page: d.meta.page, url: &d.url })
                        .collect(),
                })
                .collect(),
        };
        files.push(OutputFile::new(issue_data_path(issue), json(&record)?));
    }
    Ok(files)
}

/// Pretty JSON, escaped so that it stays inert even if someone inlines it in a page.
fn json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Other(e.to_string()))?;
    Ok((crate::output::script_safe_json(&text) + "\n").into_bytes())
}

/// RFC 4180 CSV with CRLF line ends, preceded by a UTF-8 BOM: without it Excel on a Chinese
/// Windows reads the file as GBK and shows mojibake.
fn csv(records: &[DocumentRecord]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let mut line = |fields: &mut dyn Iterator<Item = String>| {
        let fields: Vec<String> = fields.map(|f| csv_field(&f)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    line(&mut DOCUMENTS_CSV_COLUMNS.iter().map(|c| c.to_string()));
    for r in records {
        line(&mut r.csv_row().into_iter());
    }
    out.into_bytes()
}

/// One CSV field: quoted when it holds a comma, quote or line break. A value that Excel would run
/// as a formula (starting with = + - @) gets a leading apostrophe, which Excel shows as text.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("惠政办发〔2022〕8号"), "惠政办发〔2022〕8号");
        assert_eq!(csv_field("甲,乙"), "\"甲,乙\"");
        assert_eq!(csv_field("关于\"数字\"的通知"), "\"关于\"\"数字\"\"的通知\"");
        assert_eq!(csv_field("一\n二"), "\"一\n二\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1"), "'-1");
    }
}
