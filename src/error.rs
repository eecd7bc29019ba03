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
    #[error("{}: {}", path.display(), io_words(source))]
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

/// What a failed read or write met, in words an office user can act on, with the system's
/// error number for whoever helps them; a cause without words here in the system's own.
pub fn io_words(e: &std::io::Error) -> String {
    #[cfg(unix)]
    let words = match e.raw_os_error() {
        Some(28) => Some("磁盘空间不足"),   // ENOSPC
        Some(122) => Some("超出磁盘配额"),  // EDQUOT
        Some(30) => Some("所在磁盘为只读"), // EROFS
        Some(36) => Some("文件名过长"),     // ENAMETOOLONG
        Some(40) => Some("符号链接层数过多（可能是循环链接）"), // ELOOP
        Some(20) => Some("路径中有一段是文件，不是文件夹"),    // ENOTDIR
        Some(21) => Some("是文件夹，不是文件"),                // EISDIR
        Some(17) => Some("已有同名的文件或文件夹"),            // EEXIST
        Some(5) => Some("读写出错（磁盘或 U 盘可能有故障）"),  // EIO
        _ => None,
    };
    #[cfg(not(unix))]
    let words = None;
    let words = words.or(match e.kind() {
        std::io::ErrorKind::PermissionDenied => Some("没有读写权限"),
        std::io::ErrorKind::NotFound => Some("找不到"),
        _ => None,
    });
    match (words, e.raw_os_error()) {
        (Some(words), Some(n)) => format!("{words}（系统错误 {n}）"),
        (Some(words), None) => words.to_string(),
        (None, _) => e.to_string(),
    }
}

fn format_diagnostics(list: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in list {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    out.push_str(&format!("内容有 {} 处错误，未生成网站（输出目录未作任何改动）。", list.len()));
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
