//! Links between documents and pages: checking that every internal link resolves.

mod check;
pub mod citations;
pub mod qr;

pub use check::{percent_decode, BrokenLink, LinkIndex, PageLinks};

use crate::content::Site;
use crate::error::Diagnostic;

/// Turns broken links of a build into content errors: a link on a document page (or the about
/// page) is blamed on its Markdown file, at each line where it is written as a link, or else
/// the first line that holds it at all.
pub fn blame(broken: &[BrokenLink], site: &Site) -> Vec<Diagnostic> {
    broken
        .iter()
        .flat_map(|b| {
            let link = percent_decode(&b.link);
            let message = format!("链接 {link} 无效：{}（页面 {}）", b.reason, b.page);
            let source = match site.documents().find(|d| d.url == b.page) {
                Some(doc) => Some((&doc.source, doc.body_line)),
                None => site.about.as_ref().filter(|_| b.page == "about.html").map(|p| (&p.source, p.body_line)),
            };
            let Some((path, body_line)) = source else {
                return vec![Diagnostic::new(format!("（模板生成的页面）{}", b.page), 0, message)];
            };
            // the renderer consumed the body (content::take_bodies): read the file again
            let text = crate::content::read_text(path).unwrap_or_default();
            let written = [b.link.as_str(), &*link];
            let lines = link_lines(&text, body_line, &written);
            lines.into_iter().map(|line| Diagnostic::new(path, line, message.clone())).collect()
        })
        .collect()
}

/// The lines of `text` from `first` on where one of `written` is a link's destination (`](…`,
/// `](<…`, or a reference definition `]: …`); else the first line that holds it; else 0.
fn link_lines(text: &str, first: usize, written: &[&str]) -> Vec<usize> {
    // as rendered: a control character inside an address was taken out (lines stay)
    let text = crate::content::shown_text(text);
    let body = || text.lines().enumerate().skip(first.saturating_sub(1));
    let as_link = |line: &str| {
        written.iter().any(|w| {
            ["](", "](<", "]: ", "]:"].iter().any(|before| {
                line.match_indices(before).any(|(i, _)| {
                    let rest = &line[i + before.len()..];
                    rest.strip_prefix(w).is_some_and(|after| after.is_empty() || after.starts_with([')', '>', ' ', '"', '\'']))
                })
            })
        })
    };
    let lines: Vec<usize> = body().filter(|(_, l)| as_link(l)).map(|(n, _)| n + 1).collect();
    if !lines.is_empty() {
        return lines;
    }
    vec![body().find(|(_, l)| written.iter().any(|w| l.contains(w))).map_or(0, |(n, _)| n + 1)]
}
