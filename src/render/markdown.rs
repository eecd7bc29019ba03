//! Markdown → HTML for gazette documents, plus the plain text the search index reads.
//!
//! Beyond CommonMark + GFM tables it does what official text needs: every heading gets a stable
//! id (its explicit `{#id}`, else one made from its text), tables scroll inside their own box on a
//! phone, the signature (发文机关 + 成文日期) is right-aligned as printed, and raw HTML is refused
//! with the line it is on, so nothing unescaped from content reaches a page.
//!
//! For accessibility (GB/T 37668) and a strict CSP: a body sits under its page's `h1` and a `正文`
//! `h2`, so its headings start at `h2`/`h3` and never skip a level; tables get a caption, column
//! header scopes and a keyboard-scrollable box; column alignment is a class, never a `style=`.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::sanitize::{final_pass, safe_url, Cleaner, PARAGRAPH_BREAK};
use crate::content::{is_cjk, without_controls};
use crate::error::{line_of_offset, Diagnostic};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub html: String,
    /// The visible text, one block per line: what search indexes and excerpts show.
    pub text: String,
    pub headings: Vec<Heading>,
    /// Raw HTML, link addresses and control characters that were removed, one warning per
    /// line: the build goes on.
    pub warnings: Vec<Diagnostic>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Finds the spans of a text that should link elsewhere (cited document numbers), with the href.
pub type Linker<'a> = &'a (dyn Fn(&str) -> Vec<(Range<usize>, String)> + Sync);

/// A [`Linker`] that links nothing.
pub fn no_links(_: &str) -> Vec<(Range<usize>, String)> {
    Vec::new()
}

/// Renders `body`, which starts on line `first_line` of `file`. Raw HTML is cleaned (see
/// [`super::sanitize`]); what was removed comes back as [`Rendered::warnings`]. Never fails on
/// any input: the `Result` is kept for callers that treat content errors alike.
pub fn render(body: &str, file: &Path, first_line: usize, linker: Linker) -> Result<Rendered, Vec<Diagnostic>> {
    let controls = without_controls(body);
    let removed = controls.as_ref().map(|(_, removed)| control_warnings(body, removed, file, first_line));
    // Only characters other than line ends are taken out, so lines are counted alike in both.
    let body = controls.as_ref().map_or(body, |(clean, _)| clean);
    let mut events: Vec<Event> = Vec::new();
    let mut cleaner = Cleaner::new(file);
    let line_at = |offset: usize| line_of_offset(body, offset) + first_line - 1;
    // An HTML block arrives line by line; it is cleaned as one piece, since a tag may span lines.
    let mut block: Option<(String, usize)> = None;
    // Per open link or image: false when its address was removed (the text stays).
    let mut links: Vec<bool> = Vec::new();
    // Whether the author wrote any HTML: only then can markup reach the page other than what
    // pulldown-cmark writes from escaped text and this renderer's own fixed tags.
    let mut raw_html = false;
    // where the open paragraph's events start, and its offset (its line is counted only for a
    // warning: counting it for each of a long text's paragraphs costs the square of its length)
    let mut paragraph: Option<(usize, usize)> = None;
    let mut tab_warnings = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) if !cleaner.skipping() => {
                paragraph = Some((events.len(), range.start));
                events.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) if paragraph.is_some() => {
                let (start, offset) = paragraph.take().expect("a paragraph is open");
                cleaner.end_block();
                match tab_rows(&events[start + 1..]) {
                    Some(Ok(rows)) => {
                        events.truncate(start);
                        push_table(&mut events, rows);
                    }
                    Some(Err(counts)) => {
                        tab_warnings.push(Diagnostic::new(
                            file,
                            line_at(offset),
                            format!("这几行用制表符（Tab）分隔，像是从表格粘贴的，但各行的列数不同（{counts}），只能显示为一段文字：请让每行的列数相同，或写成 Markdown 表格"),
                        ));
                        events.push(Event::End(TagEnd::Paragraph));
                    }
                    None => events.push(Event::End(TagEnd::Paragraph)),
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                raw_html = true;
                block = Some((String::new(), line_at(range.start)));
            }
            Event::Html(raw) if block.is_some() => {
                if let Some((text, _)) = block.as_mut() {
                    text.push_str(&raw);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((raw, line)) = block.take() {
                    let cleaned = cleaner.clean(&raw, line);
                    // A block whose tags all went (Word's <p class=MsoNormal>s, a <div>) is
                    // text: paragraphs, each with an id and a ¶ as any other, not text loose in
                    // the body.
                    if cleaned.iter().all(|e| matches!(e, Event::Text(_))) {
                        let text: String = cleaned.iter().map(|e| if let Event::Text(t) = e { t.as_ref() } else { "" }).collect();
                        for paragraph in text.split(PARAGRAPH_BREAK).map(html_text).filter(|p| !p.is_empty()) {
                            events.extend([Event::Start(Tag::Paragraph), Event::Text(CowStr::from(paragraph)), Event::End(TagEnd::Paragraph)]);
                        }
                    } else {
                        // in a table's cell, a paragraph of its own is a line
                        for e in cleaned {
                            match e {
                                Event::Text(t) if t.contains(PARAGRAPH_BREAK) => push_joined(&mut events, Event::Text(CowStr::from(t.replace(PARAGRAPH_BREAK, "\n")))),
                                e => push_joined(&mut events, e),
                            }
                        }
                    }
                }
                cleaner.end_block();
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                raw_html = true;
                for e in cleaner.clean(&raw, line_at(range.start)) {
                    push_joined(&mut events, e);
                }
            }
            Event::Text(_) | Event::Code(_) | Event::SoftBreak | Event::HardBreak if cleaner.skipping() => {}
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) if !safe_url(&dest_url) => {
                let shown: String = dest_url.chars().take(40).collect();
                cleaner.note(line_at(range.start), format!("链接地址 {shown}（文字保留）"));
                links.push(false);
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                links.push(true);
                push_joined(&mut events, Event::Start(Tag::Link { link_type, dest_url: with_scheme(dest_url), title: owned(title), id: owned(id) }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                links.push(true);
                push_joined(&mut events, Event::Start(Tag::Image { link_type, dest_url: with_scheme(dest_url), title: owned(title), id: owned(id) }));
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                if links.pop().unwrap_or(true) {
                    push_joined(&mut events, Event::End(end));
                }
            }
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                // `## 标题 {onclick=…}` would write any attribute: only the id and classes stay.
                if !attrs.is_empty() {
                    let names: Vec<String> = attrs.iter().map(|(k, _)| k.to_string()).collect();
                    cleaner.note(line_at(range.start), format!("标题的属性 {}", names.join(" ")));
                }
                let heading = Tag::Heading {
                    level,
                    id: id.map(owned),
                    classes: classes.into_iter().map(owned).collect(),
                    attrs: Vec::new(),
                };
                push_joined(&mut events, Event::Start(heading));
            }
            event => {
                if let Event::End(
                    TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::TableCell
                    | TagEnd::Item
                    | TagEnd::BlockQuote(_)
                    | TagEnd::CodeBlock
                    | TagEnd::FootnoteDefinition,
                ) = event
                {
                    cleaner.end_block();
                }
                push_joined(&mut events, event.into_static());
            }
        }
    }
    let mut rendered = transform(events, linker);
    // The allow-list pass over the whole body is the last line of defence behind the cleaner.
    // It costs three quarters of the Markdown stage, so it runs where it can matter: on bodies
    // whose author wrote HTML (link addresses and heading attributes are checked above anyway).
    if raw_html {
        rendered.html = final_pass(&rendered.html);
    }
    rendered.warnings = cleaner.warnings();
    rendered.warnings.extend(removed.into_iter().flatten());
    rendered.warnings.extend(tab_warnings);
    rendered.warnings.sort_by_key(|w| w.line);
    Ok(rendered)
}

/// A paragraph of two or more lines, each with tabs, is rows pasted from a spreadsheet or a
/// Word table (日期⇥值班领导⇥值班人员): its cells, when every line has as many (else their
/// counts, `3、2、3`). A paragraph of plain text only: a link or emphasis is written, not pasted.
fn tab_rows(events: &[Event]) -> Option<Result<Vec<Vec<String>>, String>> {
    // most paragraphs: one line, or no tab
    if !events.iter().any(|e| matches!(e, Event::SoftBreak | Event::HardBreak)) || !events.iter().any(|e| matches!(e, Event::Text(t) if t.contains('\t'))) {
        return None;
    }
    let mut lines = vec![String::new()];
    for e in events {
        match e {
            Event::Text(t) => lines.last_mut().expect("one line at least").push_str(t),
            Event::SoftBreak | Event::HardBreak => lines.push(String::new()),
            _ => return None,
        }
    }
    if lines.len() < 2 || !lines.iter().all(|l| l.contains('\t')) {
        return None;
    }
    let rows: Vec<Vec<String>> = lines.iter().map(|l| l.split('\t').map(|c| c.trim().to_string()).collect()).collect();
    if rows.iter().all(|r| r.len() == rows[0].len()) {
        Some(Ok(rows))
    } else {
        Some(Err(rows.iter().map(|r| r.len().to_string()).collect::<Vec<_>>().join("、")))
    }
}

/// The events of a table whose first row is its head, as a Markdown table's.
fn push_table(events: &mut Vec<Event<'static>>, rows: Vec<Vec<String>>) {
    let columns = rows[0].len();
    events.push(Event::Start(Tag::Table(vec![pulldown_cmark::Alignment::None; columns])));
    for (r, row) in rows.into_iter().enumerate() {
        events.push(Event::Start(if r == 0 { Tag::TableHead } else { Tag::TableRow }));
        for cell in row {
            events.push(Event::Start(Tag::TableCell));
            if !cell.is_empty() {
                events.push(Event::Text(CowStr::from(cell)));
            }
            events.push(Event::End(TagEnd::TableCell));
        }
        events.push(Event::End(if r == 0 { TagEnd::TableHead } else { TagEnd::TableRow }));
    }
    events.push(Event::End(TagEnd::Table));
}

/// One warning per line that had stray control characters, naming them.
fn control_warnings(body: &str, removed: &[(usize, char)], file: &Path, first_line: usize) -> Vec<Diagnostic> {
    let mut by_line: std::collections::BTreeMap<usize, Vec<String>> = std::collections::BTreeMap::new();
    for &(offset, c) in removed {
        let names = by_line.entry(line_of_offset(body, offset) + first_line - 1).or_default();
        let name = format!("U+{:04X}", c as u32);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    by_line
        .into_iter()
        .map(|(line, names)| Diagnostic::new(file, line, format!("已删除控制字符 {}（不可见，网页中无效；多见于从 PDF 或 Word 复制的文字）", names.join("、"))))
        .collect()
}

/// The parser splits text at characters such as [ ]; joined, a number like 惠政办发[2022]8号 is
/// one text again.
fn push_joined<'a>(events: &mut Vec<Event<'a>>, event: Event<'a>) {
    match (events.last_mut(), event) {
        (Some(Event::Text(prev)), Event::Text(next)) => *prev = CowStr::from(format!("{prev}{next}")),
        (_, event) => events.push(event),
    }
}

fn owned(s: CowStr<'_>) -> CowStr<'static> {
    CowStr::from(s.into_string())
}

/// A link to another host without a scheme (`//www.gov.cn/…`) takes the page's, which from a
/// USB stick is `file:` and leads nowhere: it is given `https:`, as government sites are served.
fn with_scheme(url: CowStr<'_>) -> CowStr<'static> {
    match url.strip_prefix("//") {
        Some(_) => CowStr::from(format!("https:{url}")),
        None => owned(url),
    }
}

/// Text of HTML as a browser shows it, for Chinese: a run of HTML white space is one space, or
/// none where the source wrapped a line between two CJK characters (Word wraps its HTML at
/// some 80 columns, mid-sentence); none at either end (a non-breaking space there is Word's
/// empty paragraph). The full-width space of an indent stays.
fn html_text(text: &str) -> String {
    let html_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}');
    let text = text.trim_matches(|c: char| html_space(c) || c == '\u{a0}');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(html_space) {
        let end = rest[start..].find(|c: char| !html_space(c)).map_or(rest.len(), |e| start + e);
        out.push_str(&rest[..start]);
        let before = rest[..start].chars().next_back();
        let after = rest[end..].chars().next();
        let wrapped = rest[start..end].contains('\n') && before.is_some_and(is_cjk) && after.is_some_and(is_cjk);
        if !wrapped {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Plain text of a Markdown body without rendering HTML (raw HTML is dropped).
pub fn plain_text(body: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(body, options()) {
        push_text(&mut text, &event);
    }
    text.trim_end().to_string()
}

fn push_text(text: &mut String, event: &Event) {
    match event {
        Event::Text(t) | Event::Code(t) => text.push_str(t),
        // A soft break is the source's line wrap inside a paragraph, where a phrase may run on;
        // a line of the text is where one cannot (the search index's paragraphs).
        Event::SoftBreak => text.push(' '),
        Event::HardBreak => text.push('\n'),
        Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableRow | TagEnd::TableHead | TagEnd::Item) if !text.ends_with('\n') => text.push('\n'),
        Event::End(TagEnd::TableCell) => text.push('\t'),
        _ => {}
    }
}

fn transform(events: Vec<Event>, linker: Linker) -> Rendered {
    let paragraphs = classify_paragraphs(&events);
    let mut open_paragraphs: Vec<Option<String>> = Vec::new();
    let mut out: Vec<Event> = Vec::with_capacity(events.len() + 16);
    let mut text = String::new();
    let mut headings = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut paragraph_index = 0;
    // The page gives the body an h2 (正文) to sit under, so the first heading may be h3.
    let mut last_level = 2u8;
    let mut last_heading = String::new();
    let mut tables = 0;
    let mut in_link_or_code = 0usize;
    let mut i = 0;
    while i < events.len() {
        let event = &events[i];
        push_text(&mut text, event);
        match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                // Gather the heading's inline events to know its text before opening it.
                let end = events[i..].iter().position(|e| matches!(e, Event::End(TagEnd::Heading(_)))).map_or(events.len(), |p| i + p);
                let inner = &events[i + 1..end];
                let mut heading_text = String::new();
                for e in inner {
                    // a heading wrapped in the source keeps the id it always had (no `-` there)
                    match e {
                        Event::SoftBreak => heading_text.push('\n'),
                        e => push_text(&mut heading_text, e),
                    }
                }
                let heading_text = heading_text.trim().to_string();
                let base = id.as_ref().map(|s| s.to_string()).unwrap_or_else(|| slugify(&heading_text));
                let id = unique_id(&mut used_ids, base);
                // h1 is the page title; a deeper heading than the one before + 1 is raised, so
                // screen reader users navigating by heading never meet a gap.
                let level_out = (*level as u8).clamp(2, last_level + 1);
                last_level = level_out;
                let level_out = HeadingLevel::try_from(level_out as usize).unwrap_or(HeadingLevel::H6);
                last_heading = heading_text.clone();
                headings.push(Heading { level: level_out as u8, id: id.clone(), text: heading_text });
                out.push(Event::Start(Tag::Heading {
                    level: level_out,
                    id: Some(CowStr::from(id.clone())),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
                for e in inner {
                    push_text(&mut text, e);
                    out.push(e.clone());
                }
                out.push(Event::Html(CowStr::from(anchor_link(&id))));
                // Cited numbers in headings are not linked. The closing tag carries the level
                // the heading was raised to.
                out.push(Event::End(TagEnd::Heading(level_out)));
                push_text(&mut text, &Event::End(TagEnd::Heading(level_out)));
                i = end + 1;
                continue;
            }
            Event::Start(Tag::Link { .. } | Tag::CodeBlock(_)) => {
                in_link_or_code += 1;
                out.push(event.clone());
            }
            Event::End(TagEnd::Link | TagEnd::CodeBlock) => {
                in_link_or_code -= 1;
                out.push(event.clone());
            }
            Event::Text(t) if in_link_or_code == 0 => {
                let mut last = 0;
                for (range, href) in linker(t) {
                    out.push(Event::Text(CowStr::from(t[last..range.start].to_string())));
                    out.push(Event::Html(CowStr::from(format!("<a class=\"cite\" href=\"{}\">", escape_attr(&href)))));
                    out.push(Event::Text(CowStr::from(t[range.clone()].to_string())));
                    out.push(Event::Html(CowStr::Borrowed("</a>")));
                    last = range.end;
                }
                out.push(Event::Text(CowStr::from(t[last..].to_string())));
            }
            Event::Start(Tag::Table(_)) => {
                // Named after the heading it sits under; hidden on screen and paper, where the
                // printed title line above the table already says what it is.
                tables += 1;
                let caption = if last_heading.is_empty() { format!("表{tables}") } else { format!("表{tables}：{last_heading}") };
                let caption = crate::render::escape_html(&caption);
                let class = if first_column_is_text(&events[i..]) { "table-wrap text-first" } else { "table-wrap" };
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"{class}\" role=\"region\" tabindex=\"0\" aria-label=\"{caption}（可左右滚动）\">"
                ))));
                out.push(event.clone());
                out.push(Event::Html(CowStr::from(format!("<caption class=\"visually-hidden\">{caption}</caption>"))));
            }
            Event::End(TagEnd::Table) => {
                out.push(event.clone());
                out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Start(Tag::Paragraph) => {
                let (class, base) = paragraphs.get(paragraph_index).cloned().unwrap_or_default();
                paragraph_index += 1;
                let id = base.map(|b| unique_id(&mut used_ids, b));
                let open = match (class, &id) {
                    (Some(class), _) => format!("<p class=\"{class}\">"),
                    (None, Some(id)) => format!("<p id=\"{}\">", escape_attr(id)),
                    (None, None) => "<p>".to_string(),
                };
                out.push(Event::Html(CowStr::from(open)));
                open_paragraphs.push(id);
            }
            Event::End(TagEnd::Paragraph) => {
                let close = match open_paragraphs.pop().flatten() {
                    Some(id) => format!("{}</p>\n", paragraph_link(&id)),
                    None => "</p>\n".to_string(),
                };
                out.push(Event::Html(CowStr::from(close)));
            }
            _ => out.push(event.clone()),
        }
        i += 1;
    }
    let mut html = String::with_capacity(text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    Rendered { html: table_attributes(&html), text: text.trim_end().to_string(), headings, warnings: Vec::new() }
}

/// pulldown-cmark writes column alignment as `style="text-align: …"`, which a CSP without
/// 'unsafe-inline' blocks, and header cells without a scope. Raw HTML has lost every style
/// attribute in the sanitiser, so these exact strings can only be the renderer's own tags.
fn table_attributes(html: &str) -> String {
    if !html.contains("<table>") {
        return html.to_string();
    }
    html.replace("<th>", "<th scope=\"col\">")
        .replace("<th style=", "<th scope=\"col\" style=")
        .replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"")
}

/// Per paragraph, its class and the base of its id. The printed signature and the disclosure
/// note are found by their text: a date alone on a line (2022年4月1日), the short issuer line right
/// above it, and （此件公开发布）. Every other top-level paragraph gets an id a notice can link to:
/// a clause its own number (第三条), any other paragraph its position (p12).
fn classify_paragraphs(events: &[Event]) -> Vec<(Option<&'static str>, Option<String>)> {
    let mut texts: Vec<(String, bool)> = Vec::new(); // (text, top-level paragraph)
    let mut depth_in_container = 0usize;
    let mut current: Option<String> = None;
    for event in events {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::Item | Tag::FootnoteDefinition(_)) => depth_in_container += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::Item | TagEnd::FootnoteDefinition) => {
                depth_in_container = depth_in_container.saturating_sub(1)
            }
            Event::Start(Tag::Paragraph) => current = Some(String::new()),
            Event::End(TagEnd::Paragraph) => {
                texts.push((current.take().unwrap_or_default(), depth_in_container == 0));
            }
            e => {
                if let Some(t) = current.as_mut() {
                    push_text(t, e);
                }
            }
        }
    }
    let mut classes: Vec<Option<&'static str>> = vec![None; texts.len()];
    for (i, (text, top)) in texts.iter().enumerate() {
        let text = text.trim();
        if !top {
            continue;
        }
        if is_date_line(text) {
            classes[i] = Some("signature");
            if i > 0 && texts[i - 1].1 && is_signer_line(texts[i - 1].0.trim()) {
                classes[i - 1] = Some("signature");
            }
        } else if text.starts_with('（') && text.ends_with('）') && text.contains("公开") && text.chars().count() <= 20 {
            classes[i] = Some("disclosure");
        }
    }
    let mut position = 0;
    texts
        .iter()
        .zip(classes)
        .map(|((text, top), class)| {
            if !top || class.is_some() {
                return (class, None);
            }
            position += 1;
            (None, Some(clause_number(text.trim()).unwrap_or_else(|| format!("p{position}"))))
        })
        .collect()
}

/// Whether the table starting `events` has text in its first column (1.考生准考证重号。), not a
/// 序号: a cell of more than six characters. A phone's narrow first column, kept for numbers,
/// would set such text one or two characters to a line.
fn first_column_is_text(events: &[Event]) -> bool {
    let (mut cell, mut first, mut longest) = (0usize, 0usize, 0usize);
    for event in events {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => cell = 0,
            Event::Start(Tag::TableCell) => {
                cell += 1;
                first = 0;
            }
            Event::Text(t) | Event::Code(t) if cell == 1 => first += t.chars().count(),
            Event::End(TagEnd::TableCell) if cell == 1 => longest = longest.max(first),
            Event::End(TagEnd::Table) => break,
            _ => {}
        }
    }
    longest > 6
}

/// `第十二条` when a paragraph opens with that clause number, `第十七条之一` with an article
/// inserted by an amendment (as lawyers cite it; not 第十七条之规定).
fn clause_number(text: &str) -> Option<String> {
    let rest = text.strip_prefix('第')?;
    let digits: String = rest.chars().take_while(|c| "零〇一二三四五六七八九十百千0123456789".contains(*c)).collect();
    let after = rest[digits.len()..].strip_prefix('条').filter(|_| !digits.is_empty())?;
    let inserted: String = after.strip_prefix('之').map(|r| r.chars().take_while(|c| "一二三四五六七八九十".contains(*c)).collect()).unwrap_or_default();
    Some(if inserted.is_empty() { format!("第{digits}条") } else { format!("第{digits}条之{inserted}") })
}

/// The ¶ link shown on hover or focus, so a reader can copy the address of one clause.
fn anchor_link(id: &str) -> String {
    format!("<a class=\"anchor\" href=\"#{}\" aria-label=\"本段链接\">¶</a>", escape_attr(id))
}

/// A paragraph's ¶ link, for the mouse only: a long law has two thousand paragraphs, and as
/// many stops for the Tab key and a screen reader's list of links, between the body and the
/// footer. Headings keep theirs.
fn paragraph_link(id: &str) -> String {
    format!("<a class=\"anchor\" href=\"#{}\" tabindex=\"-1\" aria-hidden=\"true\">¶</a>", escape_attr(id))
}

fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

fn is_date_line(text: &str) -> bool {
    text.chars().count() <= 12
        && text.ends_with('日')
        && text.contains('年')
        && crate::content::GDate::parse(text).is_some_and(|d| d.day.is_some())
}

fn is_signer_line(text: &str) -> bool {
    let n = text.chars().count();
    (2..=40).contains(&n) && !text.chars().any(|c| "。，；：:,;！？".contains(c))
}

/// An id from heading text: letters, digits and CJK kept, the rest dropped, so that
/// `一、重大行政决策的范围` gives `一重大行政决策的范围`.
fn slugify(text: &str) -> String {
    let id: String = text
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c == ' ' || c == '-' || c == '_' {
                Some('-')
            } else {
                None
            }
        })
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

fn unique_id(used: &mut HashMap<String, usize>, base: String) -> String {
    let count = used.entry(base.clone()).or_insert(0);
    *count += 1;
    if *count == 1 {
        base
    } else {
        let id = format!("{base}-{count}");
        used.insert(id.clone(), 1);
        id
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        render(md, Path::new("t.md"), 1, &no_links).unwrap().html
    }

    #[test]
    fn headings_get_stable_unique_ids() {
        let r = render("### 一、总体要求\n\n### 一、总体要求\n\n## 附件1 {#fujian-1}\n", Path::new("t.md"), 1, &no_links).unwrap();
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["一总体要求", "一总体要求-2", "fujian-1"]);
        assert!(r.html.contains("<h3 id=\"一总体要求\">一、总体要求<a class=\"anchor\" href=\"#一总体要求\" aria-label=\"本段链接\">¶</a></h3>"), "{}", r.html);
    }

    /// A heading's ¶ link is a stop for the Tab key; a paragraph's, of which a law has
    /// thousands, is for the mouse only, with or without raw HTML in the body (the final pass).
    #[test]
    fn paragraph_links_are_for_the_mouse_and_heading_links_for_all() {
        for md in ["### 第一章\n\n第一条 为了规范管理。\n", "### 第一章\n\n第一条 为了规范管理。<b>x</b>\n"] {
            let out = html(md);
            assert!(out.contains("第一章<a class=\"anchor\" href=\"#第一章\" aria-label=\"本段链接\">¶</a></h3>"), "{out}");
            assert!(out.contains("<a class=\"anchor\" href=\"#第一条\" tabindex=\"-1\" aria-hidden=\"true\">¶</a></p>"), "{out}");
        }
    }

    #[test]
    fn raw_html_is_cleaned_and_each_removal_is_a_warning_with_its_line() {
        let r = render(
            "第一段\n\n<script>alert(1)</script>\n\n文字<b>粗</b>，H<sub>2</sub>O，[链接](javascript:alert(3))\n\n## 标题 {onclick=alert(4)}\n",
            Path::new("d.md"),
            10,
            &no_links,
        )
        .unwrap();
        let lines: Vec<usize> = r.warnings.iter().map(|d| d.line).collect();
        assert_eq!(lines, [12, 14, 16], "{:?}", r.warnings);
        assert!(r.warnings[0].to_string().starts_with("d.md:12: 已删除不允许的 HTML：<script> 及其内容"), "{}", r.warnings[0]);
        assert!(r.warnings[1].message.contains("<b>（文字保留）、链接地址 javascript:alert(3)"), "{}", r.warnings[1]);
        assert!(r.html.contains("文字粗，H<sub>2</sub>O，链接<a class=\"anchor\""), "{}", r.html);
        assert!(!r.html.contains("alert"), "{}", r.html);
        // the removed block leaves no line of its own in the text
        assert_eq!(r.text, "第一段\n文字粗，H2O，链接\n标题");
    }

    #[test]
    fn control_characters_are_removed_and_each_line_is_a_warning() {
        let md = "第一段\u{1b}[31m红\u{7}\u{1b}\n\n第二\u{85}段·\t\u{c}\n\n- 列表\u{0}项\n";
        let r = render(md, Path::new("c.md"), 5, &no_links).unwrap();
        assert!(!r.html.chars().chain(r.text.chars()).any(crate::content::is_stray_control), "{:?}", r.html);
        assert!(r.html.contains("第一段[31m红") && r.html.contains("第二段·") && r.html.contains("列表项"), "{}", r.html);
        let shown: Vec<String> = r.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[0].starts_with("c.md:5: 已删除控制字符 U+001B、U+0007（"), "{}", shown[0]);
        assert!(shown[1].starts_with("c.md:7: 已删除控制字符 U+0085（"), "{}", shown[1]);
        assert!(shown[2].starts_with("c.md:9: 已删除控制字符 U+0000（"), "{}", shown[2]);
        assert!(render("第一段·\t文字\u{c}\r\n", Path::new("c.md"), 1, &no_links).unwrap().warnings.is_empty());
    }

    #[test]
    fn html_tables_keep_spans_and_their_text_is_searchable_and_linked() {
        let linker = |t: &str| t.find("惠政办发").map(|s| (s..s + "惠政办发〔2022〕8号".len(), "p001.html".to_string())).into_iter().collect();
        let md = "<table>\n<tr><th colspan=\"2\">序号</th></tr>\n<tr><td rowspan=2>1</td><td>依据惠政办发〔2022〕8号</td></tr>\n</table>\n\n后文\n";
        let r = render(md, Path::new("t.md"), 1, &linker).unwrap();
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert!(r.html.starts_with("<div class=\"table-wrap\"><table>"), "{}", r.html);
        assert!(r.html.contains("<th colspan=\"2\">序号</th>"), "{}", r.html);
        assert!(r.html.contains("<td rowspan=\"2\">1</td>"), "{}", r.html);
        assert!(r.html.contains("依据<a class=\"cite\" href=\"p001.html\">惠政办发〔2022〕8号</a>"), "{}", r.html);
        assert!(r.text.contains("序号") && r.text.contains("依据惠政办发〔2022〕8号"), "{}", r.text);
        // Word writes a cell's text as paragraphs: each a line of the cell, no marker left
        let r = render("<table><tr><td><p class=MsoNormal>甲</p><p class=MsoNormal>乙</p></td></tr></table>\n", Path::new("t.md"), 1, &no_links).unwrap();
        assert!(r.html.contains("<td>\n甲\n\n乙\n</td>") && !r.html.contains(PARAGRAPH_BREAK), "{}", r.html);
        assert!(r.text.contains("甲\n\n乙"), "{:?}", r.text);
    }

    #[test]
    fn html_white_space_is_one_space_and_none_where_a_chinese_line_wrapped() {
        assert_eq!(html_text("\n  第一行\n第二行 and\n  English\t\u{a0}"), "第一行第二行 and English");
        assert_eq!(html_text("　　缩进保留，末尾\r\n"), "　　缩进保留，末尾");
        assert_eq!(html_text("中文 空格"), "中文 空格");
    }

    #[test]
    fn clauses_and_paragraphs_get_ids_to_link_to() {
        let out = html("总则。\n\n第一条 为了规范……\n\n第十二条 本办法自印发之日起施行。\n\n- 列表项\n\n第一条 附件中的同号条款。\n\n第十二条之一 修正案增加的条款。\n\n第十二条之规定不在此列。\n");
        for id in ["p1", "第一条", "第十二条", "第一条-2", "第十二条之一", "第十二条-2"] {
            assert!(out.contains(&format!("<p id=\"{id}\">")), "{id}: {out}");
            assert!(out.contains(&format!("href=\"#{id}\"")), "{id}: {out}");
        }
        assert!(out.contains("<li>列表项</li>"), "list items carry no ids: {out}");
    }

    #[test]
    fn a_table_with_text_in_its_first_column_keeps_that_column_wide() {
        assert!(html("| 偶发事件 | 处置办法 |\n|---|---|\n| 1.考生准考证重号。 | 立即报告。 |\n").starts_with("<div class=\"table-wrap text-first\""));
        assert!(html("| 序号 | 名称 |\n|---|---|\n| 12 | 很长很长很长很长的名称 |\n").starts_with("<div class=\"table-wrap\""));
    }

    #[test]
    fn rows_pasted_with_tabs_are_a_table_as_written_ones_are() {
        let pasted = "值班安排：\n\n日期\t值班领导\t值班人员\n10月1日\t杨超\t李子萌\n10月2日\t\t陈云\n";
        let r = render(pasted, Path::new("t.md"), 1, &no_links).unwrap();
        let written = html("值班安排：\n\n| 日期 | 值班领导 | 值班人员 |\n|---|---|---|\n| 10月1日 | 杨超 | 李子萌 |\n| 10月2日 |  | 陈云 |\n");
        assert_eq!(r.html, written);
        assert!(r.html.contains("<th scope=\"col\">值班领导</th>") && r.html.contains("<td>陈云</td>"), "{}", r.html);
        assert!(r.warnings.is_empty());
        // rows of unlike lengths (a wrapped cell) stay text, with a word where
        let r = render("前言。\n\n日期\t值班领导\n10月1日\t杨超\t李子萌\n", Path::new("t.md"), 1, &no_links).unwrap();
        assert!(!r.html.contains("<table"), "{}", r.html);
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(r.warnings[0].line, 3);
        assert!(r.warnings[0].message.contains("各行的列数不同（2、3）"), "{}", r.warnings[0].message);
        // a single line with a tab is text
        assert!(!html("甲\t乙\n").contains("<table"));
    }

    #[test]
    fn tables_scroll_in_their_own_box() {
        let out = html("| 序号 | 名称 |\n|---|---|\n| 1 | 甲 |\n");
        assert!(out.starts_with("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"表1（可左右滚动）\"><table><caption class=\"visually-hidden\">表1</caption>"), "{out}");
        assert!(out.contains("<th scope=\"col\">序号</th>"), "{out}");
    }

    #[test]
    fn tables_are_named_by_their_heading_and_aligned_without_style_attributes() {
        let out = html("## 附件 {#fujian}\n\n| 序号 | 金额 | 备注 |\n|:---:|---:|:---|\n| 1 | 2 | 甲 |\n\n| a |\n|---|\n| b |\n");
        assert!(out.contains("<caption class=\"visually-hidden\">表1：附件</caption>"), "{out}");
        assert!(out.contains("<caption class=\"visually-hidden\">表2：附件</caption>"), "{out}");
        assert!(out.contains("<th scope=\"col\" class=\"align-center\">序号</th>"), "{out}");
        assert!(out.contains("<td class=\"align-right\">2</td>"), "{out}");
        assert!(!out.contains("style="), "{out}");
    }

    #[test]
    fn body_headings_never_skip_a_level_and_are_never_h1() {
        let r = render("# 方案\n\n#### （一）\n\n### 一、\n\n###### 1.\n\n## 附件\n", Path::new("t.md"), 1, &no_links).unwrap();
        let levels: Vec<u8> = r.headings.iter().map(|h| h.level).collect();
        assert_eq!(levels, [2, 3, 3, 4, 2]);
        assert!(r.html.contains("<h3 id=\"一-2\">一、<a class=\"anchor\""), "{}", r.html);
        assert!(r.html.contains("<h4 id=\"1\">1.<a class=\"anchor\""), "{}", r.html);
        // A body that starts at ### keeps it: the page's 正文 h2 is above.
        assert!(html("### 一、总体要求\n").starts_with("<h3 "));
    }

    #[test]
    fn signature_and_disclosure_are_marked() {
        let out = html("正文。\n\n惠农区人民政府办公室\n\n2022年4月1日\n\n（此件公开发布）\n");
        assert!(out.contains("<p id=\"p1\">正文。<a class=\"anchor\" href=\"#p1\""), "{out}");
        assert!(out.contains("<p class=\"signature\">惠农区人民政府办公室</p>"), "{out}");
        assert!(out.contains("<p class=\"signature\">2022年4月1日</p>"), "{out}");
        assert!(out.contains("<p class=\"disclosure\">（此件公开发布）</p>"), "{out}");
    }

    #[test]
    fn cited_numbers_become_links_outside_links_and_code() {
        let linker = |t: &str| t.find("惠政办发").map(|s| (s..s + "惠政办发[2022]8号".len(), "../../2022/02/p001.html".to_string())).into_iter().collect();
        let r = render("见惠政办发[2022]8号。\n\n[惠政办发[2022]8号](x.html)\n\n    惠政办发[2022]8号\n", Path::new("t.md"), 1, &linker).unwrap();
        assert!(r.html.contains("<p id=\"p1\">见<a class=\"cite\" href=\"../../2022/02/p001.html\">惠政办发[2022]8号</a>。<a class=\"anchor\""), "{}", r.html);
        assert_eq!(r.html.matches("class=\"cite\"").count(), 1, "{}", r.html);
        assert!(r.text.starts_with("见惠政办发[2022]8号。"));
    }

    #[test]
    fn text_is_escaped_and_extracted() {
        let r = render("甲 \\<b\\> & 乙\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", Path::new("t.md"), 1, &no_links).unwrap();
        assert!(r.html.contains("甲 &lt;b&gt; &amp; 乙"), "{}", r.html);
        assert_eq!(r.text, "甲 <b> & 乙\na\tb\t\n1\t2");
        assert_eq!(plain_text("## 标题\n\n段落"), "标题\n段落");
        // a soft break is a space in the text, and adds nothing to a heading's id
        assert_eq!(plain_text("做好防汛\n抗旱工作"), "做好防汛 抗旱工作");
        let wrapped = render("第一部分\n总则\n---\n", std::path::Path::new("x.md"), 1, &|_| Vec::new()).unwrap();
        assert_eq!(wrapped.headings[0].id, "第一部分总则");
    }
}
