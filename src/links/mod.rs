//! Links between documents and pages: checking that every internal link resolves.

mod check;
pub mod citations;
pub mod qr;

pub use check::{percent_decode, BrokenLink, LinkIndex, PageLinks};

use crate::content::Site;
use crate::error::Diagnostic;

/// Turns broken links of a build into content errors: a link on a document page is blamed on
/// the document's Markdown file, at the line where it is written when it is found there.
pub fn blame(broken: &[BrokenLink], site: &Site) -> Vec<Diagnostic> {
    broken
        .iter()
        .map(|b| {
            let link = percent_decode(&b.link);
            let message = format!("链接 {link} 无效：{}（页面 {}）", b.reason, b.page);
            match site.documents().find(|d| d.url == b.page) {
                Some(doc) => {
                    // the renderer consumed the body (content::take_bodies): read the file again
                    let source = std::fs::read_to_string(&doc.source).unwrap_or_default();
                    let mut body = source.lines().enumerate().skip(doc.body_line.saturating_sub(1));
                    let line = body.find(|(_, l)| l.contains(&*link)).map_or(0, |(n, _)| n + 1);
                    Diagnostic::new(&doc.source, line, message)
                }
                None => Diagnostic::new(format!("（模板生成的页面）{}", b.page), 0, message),
            }
        })
        .collect()
}
