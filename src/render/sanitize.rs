//! Raw HTML in a document body: only what gazettes need passes — tables (with `rowspan` and
//! `colspan`), `<br>`, `<sup>` and `<sub>`. Everything else is removed and each removal becomes a
//! warning naming the file and line; the build goes on.
//!
//! Two layers:
//! 1. [`Cleaner`] reads every raw HTML fragment of the Markdown (blocks and inline tags), keeps
//!    allowed tags in a canonical spelling, turns the text between tags into ordinary Markdown
//!    text (escaped, linked and indexed like any other text), drops the rest and says so. Elements
//!    whose content is code or invisible (`<script>`, `<style>`, `<svg>`, `<iframe>`…) lose their
//!    content too.
//! 2. [`final_pass`] runs the whole rendered HTML through the `ammonia` allow-list sanitiser, with
//!    exactly the markup the renderer itself produces. Whatever the first layer might miss — or a
//!    Markdown feature such as heading attributes — cannot reach a page as executable code.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event};

use crate::error::Diagnostic;

/// Tags an author may write as raw HTML.
pub const AUTHOR_TAGS: &[&str] = &["table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "br", "sup", "sub"];

/// Elements removed together with everything inside them.
const DROP_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "template", "noscript",
    "noembed", "noframes", "textarea", "title", "xmp", "plaintext", "head", "audio", "video", "canvas",
];

/// Elements that begin and end a paragraph of their own: removed, their bounds stay as
/// [`PARAGRAPH_BREAK`], so that Word's `<p class=MsoNormal>`s pasted in one block stay as many
/// paragraphs.
const BLOCK_TAGS: &[&str] = &[
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "section", "article", "center", "pre", "address",
];

/// Marks where a removed block element began or ended, in the text [`Cleaner::clean`] returns:
/// Unicode's paragraph separator, which means that in text anyway.
pub const PARAGRAPH_BREAK: char = '\u{2029}';

/// Largest `rowspan`/`colspan` kept (browsers clamp at 65,534 and 1,000).
const MAX_SPAN: u32 = 1000;

/// Collects what was removed, per line, and turns raw HTML into safe events.
pub struct Cleaner<'f> {
    file: &'f Path,
    removed: BTreeMap<usize, Vec<String>>,
    /// Inside an element whose content is dropped, e.g. `script`.
    skipping: Option<String>,
}

/// A start or end tag as read by [`parse_tag`].
pub struct Tag {
    /// Lower case.
    pub name: String,
    pub closing: bool,
    /// Names in lower case, values as written (entities not decoded); `/` for `/>`.
    pub attrs: Vec<(String, Option<String>)>,
    /// Bytes of the source the tag takes, `<` to `>`.
    pub len: usize,
    /// No `>` before the end of the fragment.
    pub unterminated: bool,
}

impl<'f> Cleaner<'f> {
    pub fn new(file: &'f Path) -> Self {
        Cleaner { file, removed: BTreeMap::new(), skipping: None }
    }

    /// True while the content of a dropped element (`<script>…`) is being skipped: Markdown text
    /// events there are dropped too.
    pub fn skipping(&self) -> bool {
        self.skipping.is_some()
    }

    /// A block ended: an unclosed `<script>` does not swallow the rest of the document.
    pub fn end_block(&mut self) {
        self.skipping = None;
    }

    pub fn note(&mut self, line: usize, what: impl Into<String>) {
        let what = what.into();
        let list = self.removed.entry(line).or_default();
        if !list.contains(&what) {
            list.push(what);
        }
    }

    /// One warning per line, listing what was removed there.
    pub fn warnings(self) -> Vec<Diagnostic> {
        self.removed
            .into_iter()
            .map(|(line, what)| {
                Diagnostic::new(
                    self.file,
                    line,
                    format!(
                        "已删除不允许的 HTML：{}（正文中只允许表格 table/tr/th/td 及 rowspan、colspan，以及 <br>、<sup>、<sub>）",
                        what.join("、")
                    ),
                )
            })
            .collect()
    }

    /// Cleans one raw fragment that starts on `first_line`, into events: allowed tags as
    /// [`Event::Html`], text as [`Event::Text`].
    pub fn clean(&mut self, raw: &str, first_line: usize) -> Vec<Event<'static>> {
        let mut out: Vec<Event<'static>> = Vec::new();
        let mut text = String::new();
        let flush = |text: &mut String, out: &mut Vec<Event<'static>>| {
            if !text.is_empty() {
                out.push(Event::Text(CowStr::from(decode_entities(text))));
                text.clear();
            }
        };
        let mut i = 0;
        while i < raw.len() {
            let rest = &raw[i..];
            let line = first_line + raw[..i].matches('\n').count();
            if !rest.starts_with('<') {
                let end = rest.find('<').map_or(raw.len(), |e| i + e);
                if self.skipping.is_none() {
                    text.push_str(&raw[i..end]);
                }
                i = end;
                continue;
            }
            if let Some(body) = rest.strip_prefix("<!--") {
                let end = body.find("-->").map_or(raw.len(), |e| i + 4 + e + 3);
                if self.skipping.is_none() {
                    self.note(line, "HTML 注释 <!-- -->");
                }
                i = end;
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                let end = rest.find('>').map_or(raw.len(), |e| i + e + 1);
                if self.skipping.is_none() {
                    self.note(line, format!("{}…>", rest.chars().take(2).collect::<String>()));
                }
                i = end;
                continue;
            }
            let Some(tag) = parse_tag(rest) else {
                // A lone `<` is text.
                if self.skipping.is_none() {
                    text.push('<');
                }
                i += 1;
                continue;
            };
            i += tag.len;
            if let Some(open) = &self.skipping {
                if tag.closing && tag.name == *open {
                    self.skipping = None;
                }
                continue;
            }
            flush(&mut text, &mut out);
            self.tag(tag, line, &mut out);
        }
        flush(&mut text, &mut out);
        out
    }

    fn tag(&mut self, tag: Tag, line: usize, out: &mut Vec<Event<'static>>) {
        let name = tag.name.as_str();
        if tag.unterminated {
            self.note(line, format!("未闭合的标记 <{}", tag.name));
            return;
        }
        if DROP_WITH_CONTENT.contains(&name) {
            if !tag.closing {
                self.note(line, format!("<{name}> 及其内容"));
                let self_closing = tag.attrs.iter().any(|(k, _)| k == "/");
                if !self_closing {
                    self.skipping = Some(tag.name);
                }
            }
            return;
        }
        if !AUTHOR_TAGS.contains(&name) {
            if BLOCK_TAGS.contains(&name) {
                out.push(Event::Text(CowStr::from(PARAGRAPH_BREAK.to_string())));
            }
            if !tag.closing {
                let attrs: Vec<&str> = tag.attrs.iter().map(|(k, _)| k.as_str()).filter(|k| *k != "/").collect();
                if attrs.is_empty() {
                    self.note(line, format!("<{name}>（文字保留）"));
                } else {
                    self.note(line, format!("<{name}> 及其属性 {}（文字保留）", attrs.join(" ")));
                }
            }
            return;
        }
        if tag.closing {
            out.push(Event::Html(CowStr::from(format!("</{name}>"))));
            match name {
                "table" => out.push(Event::Html(CowStr::Borrowed("</div>\n"))),
                // cells and rows separate words in the searchable text
                "td" | "th" => out.push(Event::Text(CowStr::Borrowed("\t"))),
                "tr" => out.push(Event::Text(CowStr::Borrowed("\n"))),
                _ => {}
            }
            return;
        }
        let mut kept = String::new();
        let mut dropped = Vec::new();
        for (key, value) in &tag.attrs {
            if key == "/" {
                continue;
            }
            let span = matches!(name, "td" | "th") && matches!(key.as_str(), "rowspan" | "colspan");
            match value.as_deref().map(str::trim).and_then(|v| v.parse::<u32>().ok()) {
                Some(n) if span && (1..=MAX_SPAN).contains(&n) => kept.push_str(&format!(" {key}=\"{n}\"")),
                _ => dropped.push(key.as_str()),
            }
        }
        if !dropped.is_empty() {
            self.note(line, format!("<{name}> 的属性 {}", dropped.join(" ")));
        }
        if name == "table" {
            out.push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">")));
        }
        out.push(Event::Html(CowStr::from(format!("<{name}{kept}>"))));
        if name == "br" {
            out.push(Event::SoftBreak);
        }
    }
}

/// Reads a start or end tag at the start of `s` (which starts with `<`), as an HTML tokenizer
/// would: a name of ASCII letters, digits, `-` and `:`, then attributes with optional quoted or
/// unquoted values, up to `>`. `None` when `s` is not a tag (`< 3`, `<中`).
pub fn parse_tag(s: &str) -> Option<Tag> {
    let t = parse_tag_ref(s)?;
    let attrs = t.attrs.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v.map(str::to_string))).collect();
    Some(Tag { name: t.name.to_ascii_lowercase(), closing: t.closing, attrs, len: t.len, unterminated: t.unterminated })
}

/// A tag as [`parse_tag`] reads it, its name and attributes as slices of the source, in the
/// case they are written in: for reading many tags without a string each.
pub struct TagRef<'a> {
    pub name: &'a str,
    pub closing: bool,
    pub attrs: Vec<(&'a str, Option<&'a str>)>,
    pub len: usize,
    pub unterminated: bool,
}

/// See [`parse_tag`].
pub fn parse_tag_ref(s: &str) -> Option<TagRef<'_>> {
    let mut attrs = Vec::new();
    let shape = parse_tag_into(s, &mut attrs)?;
    Some(TagRef { name: shape.name, closing: shape.closing, attrs, len: shape.len, unterminated: shape.unterminated })
}

/// A tag's name and extent, its attributes left in the caller's vector.
pub struct TagShape<'a> {
    pub name: &'a str,
    pub closing: bool,
    pub len: usize,
    pub unterminated: bool,
}

/// [`parse_tag_ref`] into `attrs` (cleared first): the link check reads every tag of every
/// page, and a vector each cost an allocation per tag.
pub fn parse_tag_into<'a>(s: &'a str, attrs: &mut Vec<(&'a str, Option<&'a str>)>) -> Option<TagShape<'a>> {
    attrs.clear();
    let b = s.as_bytes();
    let mut j = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        j = 2;
    }
    if !b.get(j).is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let start = j;
    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
        j += 1;
    }
    let name = &s[start..j];
    loop {
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= b.len() {
            return Some(TagShape { name, closing, len: s.len(), unterminated: true });
        }
        match b[j] {
            b'>' => return Some(TagShape { name, closing, len: j + 1, unterminated: false }),
            b'/' => {
                if b.get(j + 1) == Some(&b'>') && !attrs.iter().any(|(k, _)| *k == "/") {
                    attrs.push((&s[j..j + 1], None));
                }
                j += 1;
                continue;
            }
            _ => {}
        }
        let key_start = j;
        j += 1; // a name may start with `=` or any other byte, as in the HTML tokenizer
        while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'>' | b'/' | b'=') {
            j += 1;
        }
        let key = &s[key_start..j];
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let mut value = None;
        if b.get(j) == Some(&b'=') {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            match b.get(j) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let Some(end) = s[j + 1..].find(q as char) else {
                        return Some(TagShape { name, closing, len: s.len(), unterminated: true });
                    };
                    value = Some(&s[j + 1..j + 1 + end]);
                    j += end + 2;
                }
                _ => {
                    let v = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = Some(&s[v..j]);
                }
            }
        }
        attrs.push((key, value));
    }
}

/// Character references in the text of raw HTML, decoded so the text can be escaped again.
/// Unknown names stay as written (and then show literally).
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map(|e| e + 1);
        let decoded = end.filter(|&e| rest[e..].starts_with(';') && e > 1).and_then(|e| {
            let name = &rest[1..e];
            let c = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().map(|n| char::from_u32(n).filter(|&c| c != '\0').unwrap_or('\u{fffd}'))
            } else if let Some(num) = name.strip_prefix('#') {
                num.parse::<u32>().ok().map(|n| char::from_u32(n).filter(|&c| c != '\0').unwrap_or('\u{fffd}'))
            } else {
                match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some('\u{a0}'),
                    "ensp" => Some('\u{2002}'),
                    "emsp" => Some('\u{2003}'),
                    "middot" => Some('·'),
                    "times" => Some('×'),
                    "divide" => Some('÷'),
                    "plusmn" => Some('±'),
                    "le" => Some('≤'),
                    "ge" => Some('≥'),
                    "deg" => Some('°'),
                    "hellip" => Some('…'),
                    "mdash" => Some('—'),
                    "ndash" => Some('–'),
                    _ => None,
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The scheme of a link or image address as a browser reads it (ASCII white space and control
/// characters ignored, any case), when it has one: `javascript`, `data`, `http`…
pub fn url_scheme(url: &str) -> Option<String> {
    let compact: String = url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control()).collect();
    let end = compact.find([':', '/', '?', '#'])?;
    (compact[end..].starts_with(':') && end > 0).then(|| compact[..end].to_ascii_lowercase())
}

/// Schemes a link in a gazette may use; anything else (`javascript:`, `data:`, `vbscript:`,
/// `file:`) is removed. Addresses without a scheme (relative links, `#第三条`) are kept.
pub const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

pub fn safe_url(url: &str) -> bool {
    url_scheme(url).is_none_or(|s| URL_SCHEMES.contains(&s.as_str()))
}

/// The second layer: the rendered HTML through `ammonia`, allowing only the renderer's own markup.
pub fn final_pass(html: &str) -> String {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let builder = BUILDER.get_or_init(|| {
        let tags: HashSet<&str> = [
            "p", "a", "h1", "h2", "h3", "h4", "h5", "h6", "div", "em", "strong", "del", "s", "code", "pre", "ul", "ol", "li",
            "blockquote", "hr", "br", "img", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "sup", "sub",
        ]
        .into_iter()
        .collect();
        let mut tag_attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
        // (tabindex and aria-hidden: a paragraph's ¶ link, for the mouse only)
        tag_attributes.insert("a", ["href", "aria-label", "title", "tabindex", "aria-hidden"].into_iter().collect());
        tag_attributes.insert("img", ["src", "alt", "title"].into_iter().collect());
        tag_attributes.insert("ol", ["start"].into_iter().collect());
        tag_attributes.insert("td", ["rowspan", "colspan"].into_iter().collect());
        tag_attributes.insert("th", ["rowspan", "colspan", "scope"].into_iter().collect());
        // A wide table scrolls in its own box, reachable by keyboard and named for screen readers.
        tag_attributes.insert("div", ["role", "tabindex", "aria-label"].into_iter().collect());
        let mut b = ammonia::Builder::empty();
        b.tags(tags)
            .tag_attributes(tag_attributes)
            .generic_attributes(["id", "class"].into_iter().collect())
            .url_schemes(URL_SCHEMES.iter().copied().collect())
            .link_rel(None)
            .strip_comments(true)
            .clean_content_tags(DROP_WITH_CONTENT.iter().copied().filter(|t| *t != "plaintext").collect());
        b
    });
    builder.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(raw: &str) -> (String, Vec<Diagnostic>) {
        let mut c = Cleaner::new(Path::new("t.md"));
        let events = c.clean(raw, 5);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        (html, c.warnings())
    }

    #[test]
    fn tables_with_spans_pass_and_the_rest_is_reported() {
        let (html, warnings) = clean("<table border=1>\n<tr><td rowspan=\"2\" style=\"color:red\" onclick=\"x()\">甲 &amp; 乙</td><td colspan='3'>丙<br/>丁</td></tr>\n</table>\n");
        assert_eq!(
            html,
            "<div class=\"table-wrap\"><table>\n<tr><td rowspan=\"2\">甲 &amp; 乙</td>\t<td colspan=\"3\">丙<br>\n丁</td>\t</tr>\n\n</table></div>\n\n"
        );
        let lines: Vec<usize> = warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [5, 6]);
        assert!(warnings[1].message.contains("<td> 的属性 style onclick"), "{}", warnings[1]);
        assert!(warnings[0].to_string().starts_with("t.md:5: 已删除不允许的 HTML：<table> 的属性 border"), "{}", warnings[0]);
    }

    #[test]
    fn scripts_lose_their_content_other_tags_keep_their_text() {
        let (html, warnings) = clean("<script>alert(1)</script><b onmouseover=alert(2)>粗</b><SCRIPT SRC=//x.js></SCRIPT>");
        assert_eq!(html, "粗");
        assert!(warnings[0].message.contains("<script> 及其内容"));
        assert!(warnings[0].message.contains("<b> 及其属性 onmouseover（文字保留）"));
        let (html, _) = clean("<svg><script>alert(1)</script><text>x</text></svg>后");
        assert_eq!(html, "后");
        let (html, w) = clean("a < b <中 <!-- <script>alert(1)</script> --> c");
        assert_eq!(html, "a &lt; b &lt;中  c");
        assert!(w[0].message.contains("注释"));
    }

    #[test]
    fn odd_tag_spellings_are_tags() {
        for raw in ["<img src=x onerror=alert(1)//>", "<img/src=x\nonerror=alert(1)>", "<a href=\"javascript:alert(1)\">x", "<scr<script>ipt>alert(1)</script>", "<img src=\"x\" onerror=\"alert(1)\"", "<iframe srcdoc='<script>alert(1)</script>'>"] {
            let (html, warnings) = clean(raw);
            assert!(!html.contains('<') || html.contains("&lt;"), "{raw}: {html}");
            assert!(!html.contains("onerror") && !html.contains("javascript"), "{raw}: {html}");
            assert!(!warnings.is_empty(), "{raw}");
        }
    }

    #[test]
    fn entities_decode_once() {
        assert_eq!(decode_entities("&lt;script&gt; &amp;amp; &#x4e2d;&#25991; &bogus; & &#0;"), "<script> &amp; 中文 &bogus; & \u{fffd}");
    }

    #[test]
    fn schemes_are_read_as_a_browser_does() {
        for bad in ["javascript:alert(1)", " JaVa\tScRiPt:alert(1)", "java\nscript:x", "data:text/html,<script>", "vbscript:x", "file:///etc/passwd"] {
            assert!(!safe_url(bad), "{bad}");
        }
        for good in ["https://www.gov.cn/", "../../2022/02/p001.html", "#第三条", "mailto:a@b.cn", "p001.html?x=a:b", "a/b:c"] {
            assert!(safe_url(good), "{good}");
        }
    }

    #[test]
    fn final_pass_keeps_rendered_markup_and_removes_the_rest() {
        let ours = "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"表1（可左右滚动）\"><table><caption class=\"visually-hidden\">表1</caption><thead><tr><th scope=\"col\" class=\"align-center\">a</th></tr></thead></table></div>\n<p id=\"p1\">x<a class=\"anchor\" href=\"#p1\" tabindex=\"-1\" aria-hidden=\"true\">¶</a></p>\n";
        assert_eq!(final_pass(ours), ours);
        let bad = "<h2 onclick=\"alert(1)\" id=\"x\">t</h2><a href=\"javascript:alert(1)\">l</a><th style=\"text-align: left\">c</th>";
        let out = final_pass(bad);
        assert!(!out.contains("onclick") && !out.contains("javascript") && !out.contains("style"), "{out}");
    }
}
