//! Front matter + Markdown rendering: never panics, and whatever the input, the HTML holds only
//! the tags and attributes the renderer itself writes, with safe link addresses.
#![no_main]

use std::path::Path;

use gongbao::content::{split_front_matter, FrontMatter};
use gongbao::render::markdown::{no_links, render};
use gongbao::render::sanitize::safe_url;
use libfuzzer_sys::fuzz_target;

const TAGS: &[&str] = &[
    "p", "a", "h1", "h2", "h3", "h4", "h5", "h6", "div", "em", "strong", "del", "s", "code", "pre", "ul", "ol", "li",
    "blockquote", "hr", "br", "img", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "sup", "sub",
];
const ATTRS: &[&str] = &["id", "class", "href", "aria-label", "title", "src", "alt", "start", "rowspan", "colspan", "style"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("fuzz.md");
    let (body, line) = match split_front_matter(path, text) {
        Ok((fm, _, body, line)) => {
            let _ = toml::from_str::<FrontMatter>(fm);
            (body, line)
        }
        Err(_) => (text, 1),
    };
    let r = render(body, path, line, &no_links).expect("render never fails");
    check(&r.html);
    for w in &r.warnings {
        assert!(w.line >= line, "warning before the body: {w}");
    }
});

/// Every `<` that starts a tag (html5ever escapes every other one) opens an allowed tag with
/// allowed attributes.
fn check(html: &str) {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let close = rest.starts_with('/');
        let tag_text = &rest[..rest.find('>').expect("tags are closed")];
        let name: String = tag_text.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        assert!(TAGS.contains(&name.as_str()), "tag <{name}> in {html}");
        if close {
            continue;
        }
        // attributes: name="value" pairs, values with " escaped as &quot;
        let mut attrs = &tag_text[name.len()..];
        while let Some(eq) = attrs.find("=\"") {
            let attr = attrs[..eq].trim();
            assert!(ATTRS.contains(&attr), "attribute {attr} in {html}");
            let end = attrs[eq + 2..].find('"').expect("quoted") + eq + 2;
            let value = &attrs[eq + 2..end];
            if attr == "href" || attr == "src" {
                let decoded = value.replace("&amp;", "&");
                assert!(safe_url(&decoded), "unsafe address {value} in {html}");
            }
            if attr == "style" {
                assert!(value.starts_with("text-align: "), "style {value}");
            }
            attrs = &attrs[end + 1..];
        }
    }
}
