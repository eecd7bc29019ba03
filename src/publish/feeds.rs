//! `sitemap.xml`, `robots.txt` and two Atom feeds (`feeds/issues.xml`, `feeds/documents.xml`).
//! All of them need absolute URLs, so they exist only when a base_url is known. Dates are the
//! days the pages were published (see [`super::published`]), never the build time, so the same
//! content gives the same bytes.

use std::fmt::Write;

use super::BaseUrl;
use crate::content::{Document, GDate, Issue, Site};
use crate::output::OutputFile;

/// How many of the newest documents the documents feed carries: enough for a reader who checks
/// monthly, small enough to fetch often.
pub const DOCUMENT_FEED_ENTRIES: usize = 100;

/// Where [`files`] go.
pub const PATHS: [&str; 4] = ["sitemap.xml", "robots.txt", "feeds/issues.xml", "feeds/documents.xml"];

pub fn files(site: &Site, base: &BaseUrl) -> Vec<OutputFile> {
    // Paths from the host's root: a site under /gongbao/ is that folder of the portal, and
    // crawlers read robots.txt only at the root, where its lines belong.
    let path = base.path();
    let robots = format!(
        "# {}\n# 搜索引擎只读取网站根目录的 robots.txt：网站在子目录时，请把以下各行并入根目录的 robots.txt\nUser-agent: *\nAllow: {path}\nDisallow: {path}404.html\n\nSitemap: {}\n",
        one_line(&site.config.name),
        base.join("sitemap.xml")
    );
    let [sitemap_path, robots_path, issues_path, documents_path] = PATHS;
    vec![
        OutputFile::new(sitemap_path, sitemap(site, base)),
        OutputFile::new(robots_path, robots),
        OutputFile::new(issues_path, issues_feed(site, base)),
        OutputFile::new(documents_path, documents_feed(site, base)),
    ]
}

/// The pages that are about the whole archive; they change with each new issue.
const SITE_PAGES: [&str; 4] = ["index.html", "search.html", "wenhao.html", "about.html"];

/// Every page a reader can land on (redirects from old paths are not pages), with the day it was last published: a document or issue page
/// with its issue, the home, search and about pages with the newest issue.
fn sitemap(site: &Site, base: &BaseUrl) -> String {
    let mut urls: Vec<(String, GDate)> = Vec::new();
    if let Some(newest) = site.issues.last().map(Issue::published) {
        for page in SITE_PAGES {
            urls.push((page.to_string(), newest));
        }
    }
    for issue in site.issues.iter().rev() {
        urls.push((issue.url.clone(), issue.published()));
        for doc in issue.documents() {
            urls.push((doc.url.clone(), issue.published()));
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, date) in urls {
        let _ = writeln!(out, "  <url><loc>{}</loc><lastmod>{}</lastmod></url>", xml(&base.join(&url)), date.iso());
    }
    out.push_str("</urlset>\n");
    out
}

/// Issues, newest first.
fn issues_feed(site: &Site, base: &BaseUrl) -> String {
    let entries: Vec<Entry> = site
        .issues
        .iter()
        .rev()
        .map(|issue| {
            let count = issue.documents().count();
            let sections: Vec<&str> = issue.sections.iter().filter(|s| !s.documents.is_empty()).map(|s| s.name.as_str()).collect();
            Entry {
                title: format!("{} {}", site.config.name, issue.title),
                url: issue.url.clone(),
                date: issue.published(),
                summary: format!("{}出版，收录文件 {count} 篇（{}）。", issue.meta.date.chinese(), sections.join("、")),
                category: None,
            }
        })
        .collect();
    feed(site, base, "feeds/issues.xml", &format!("{} - 各期目录", site.config.name), &entries)
}

/// Documents, newest issue first and in print order within an issue, with 发文字号 and 成文日期.
fn documents_feed(site: &Site, base: &BaseUrl) -> String {
    let entries: Vec<Entry> = site
        .issues
        .iter()
        .rev()
        .flat_map(|issue| issue.documents().map(move |doc| (issue, doc)))
        .take(DOCUMENT_FEED_ENTRIES)
        .map(|(issue, doc)| document_entry(issue, doc))
        .collect();
    feed(site, base, "feeds/documents.xml", &format!("{} - 最新文件", site.config.name), &entries)
}

fn document_entry(issue: &Issue, doc: &Document) -> Entry {
    let m = &doc.meta;
    let mut summary = String::new();
    if let Some(number) = &m.number {
        let _ = write!(summary, "{number}　");
    }
    let _ = write!(summary, "{}　", m.issuer);
    if let Some(date) = m.date {
        let _ = write!(summary, "成文日期：{}　", date.chinese());
    }
    let _ = write!(summary, "刊载于{}第{}页", issue.title, m.page);
    Entry { title: m.title.clone(), url: doc.url.clone(), date: issue.published(), summary, category: Some(m.section.clone()) }
}

struct Entry {
    title: String,
    url: String,
    /// The day it was published; Atom's `updated` and `published`.
    date: GDate,
    summary: String,
    category: Option<String>,
}

fn feed(site: &Site, base: &BaseUrl, path: &str, title: &str, entries: &[Entry]) -> String {
    let updated = entries.iter().map(|e| e.date).max().or_else(|| site.issues.last().map(Issue::published));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    let _ = writeln!(out, "  <title>{}</title>", xml(title));
    let _ = writeln!(out, "  <id>{}</id>", xml(&base.join(path)));
    let _ = writeln!(out, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>", xml(&base.join(path)));
    let _ = writeln!(out, "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", xml(&base.join("index.html")));
    // Atom requires a feed date; an archive with no issue yet has only the epoch to offer.
    let _ = writeln!(out, "  <updated>{}</updated>", updated.map_or("1970-01-01T00:00:00Z".to_string(), timestamp));
    let _ = writeln!(out, "  <author><name>{}</name></author>", xml(&site.config.publisher));
    for e in entries {
        let url = xml(&base.join(&e.url));
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", xml(&e.title));
        let _ = writeln!(out, "    <id>{url}</id>");
        let _ = writeln!(out, "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>");
        let _ = writeln!(out, "    <published>{}</published>", timestamp(e.date));
        let _ = writeln!(out, "    <updated>{}</updated>", timestamp(e.date));
        if let Some(c) = &e.category {
            let _ = writeln!(out, "    <category term=\"{}\"/>", xml(c));
        }
        let _ = writeln!(out, "    <summary>{}</summary>", xml(&e.summary));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// RFC 3339 at midnight China time, which is what a printed date means.
fn timestamp(date: GDate) -> String {
    format!("{}T00:00:00+08:00", date.iso())
}

/// Escapes text for XML content and attributes as for HTML, and drops the control characters
/// XML 1.0 forbids (a TOML string may hold them as escapes); a feed with one of them fails to
/// parse whole.
fn xml(text: &str) -> String {
    let allowed = |c: &char| matches!(c, '\t' | '\n' | '\r') || !((*c as u32) < 0x20 || *c == '\u{fffe}' || *c == '\u{ffff}');
    crate::render::escape_html(&text.chars().filter(allowed).collect::<String>())
}

/// A value on one line (robots.txt comments end at a line break).
fn one_line(text: &str) -> String {
    text.split(['\n', '\r']).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn xml_text_is_escaped_and_stripped_of_forbidden_characters() {
        assert_eq!(xml("A&B <c> \"d\" 'e'"), "A&amp;B &lt;c&gt; &quot;d&quot; &#39;e&#39;");
        assert_eq!(xml("甲\u{1}乙\u{ffff}"), "甲乙");
    }
}
