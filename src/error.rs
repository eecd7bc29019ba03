//! Errors that reach the user. Content problems are collected as [`Diagnostic`]s so that one
//! build reports every bad file at once; everything else is an [`Error`] with its context.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one content file, pointing at the line to fix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line number; 0 when the problem concerns the whole file.
    pub line: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(file: impl AsRef<Path>, line: usize, message: impl Into<String>) -> Self {
        Diagnostic { file: file.as_ref().to_path_buf(), line, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Every problem found in the content, sorted by file and line.
    #[error("{}", format_diagnostics(.0))]
    Content(Vec<Diagnostic>),
    #[error("{}: {}{source}", path.display(), io_hint(source))]
    Io { path: PathBuf, source: std::io::Error },
    #[error("模板错误：{0}")]
    Template(String),
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io { path: path.as_ref().to_path_buf(), source }
    }

    /// Content errors from a list, or `Ok` when the list is empty.
    pub fn check(mut diagnostics: Vec<Diagnostic>) -> Result<(), Error> {
        if diagnostics.is_empty() {
            return Ok(());
        }
        diagnostics.sort();
        diagnostics.dedup();
        Err(Error::Content(diagnostics))
    }
}

/// The usual causes of a failed write, in words an office user can act on.
fn io_hint(e: &std::io::Error) -> &'static str {
    #[cfg(unix)]
    match e.raw_os_error() {
        Some(28) => return "磁盘空间不足：",   // ENOSPC
        Some(122) => return "超出磁盘配额：",  // EDQUOT
        Some(30) => return "所在磁盘为只读：", // EROFS
        Some(36) => return "文件名过长：",     // ENAMETOOLONG
        Some(40) => return "符号链接层数过多（可能是循环链接）：", // ELOOP
        _ => {}
    }
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "没有写入或读取权限：",
        std::io::ErrorKind::NotFound => "找不到：",
        _ => "",
    }
}

fn format_diagnostics(list: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in list {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    out.push_str(&format!("内容有 {} 处错误，未生成网站（原有输出保持不变）。", list.len()));
    out
}

/// `text` with each control character but line ends and tabs written as `\u{1b}`.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.contains(hidden) {
        return text.into();
    }
    text.chars().map(|c| if hidden(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect::<String>().into()
}

/// 1-based line number of a byte offset in `text`.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
