//! Themes: Tera templates plus static assets. The default theme is compiled into the binary
//! (see build.rs); a site may name a theme folder whose files override the default ones.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sha2::{Digest, Sha256};
use tera::Tera;
use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::output::OutputFile;

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

pub struct Theme {
    pub tera: Tera,
    /// Static file name (`style.css`) → its output path with a content hash (`assets/style.1a2b3c4d.css`),
    /// so web servers may cache assets forever and a new build is never served stale CSS.
    pub assets: BTreeMap<String, String>,
    pub static_files: Vec<OutputFile>,
    /// Hash of every file of the theme: a page made with another theme is made anew.
    pub key: crate::cache::Key,
    /// The site's theme folder (`themes/mytheme`) and the templates it overrides, which its
    /// errors name there.
    origin: Option<(String, BTreeSet<String>)>,
}

impl Theme {
    /// The default theme, overridden file by file by `themes/<name>/` beside the content folder.
    pub fn load(content: &Path, name: Option<&str>) -> Result<Theme> {
        let mut files: BTreeMap<String, Vec<u8>> =
            DEFAULT_THEME.iter().map(|(path, bytes)| (path.to_string(), bytes.to_vec())).collect();
        let mut origin = None;
        if let Some(name) = name.filter(|n| *n != "default") {
            let mut own = BTreeSet::new();
            let dir = content.parent().unwrap_or(Path::new(".")).join("themes").join(name);
            if !dir.is_dir() {
                return Err(Error::Other(format!(
                    "site.toml 指定的主题 theme = \"{name}\" 不存在：找不到目录 {}",
                    dir.display()
                )));
            }
            for entry in WalkDir::new(&dir).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::Other(format!("{}: {e}", dir.display())))?;
                if entry.file_type().is_file() {
                    let rel = entry.path().strip_prefix(&dir).expect("inside theme dir");
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
                    if let Some(template) = rel.strip_prefix("templates/") {
                        own.insert(template.to_string());
                    }
                    files.insert(rel, bytes);
                }
            }
            origin = Some((format!("themes/{name}"), own));
        }
        Theme::from_files(files, origin)
    }

    fn from_files(files: BTreeMap<String, Vec<u8>>, origin: Option<(String, BTreeSet<String>)>) -> Result<Theme> {
        let place = |name: &str| template_place(origin.as_ref(), name);
        let mut templates = Vec::new();
        let mut assets = BTreeMap::new();
        let mut static_files = Vec::new();
        let mut key = crate::cache::Hasher::new(b"theme");
        for (path, bytes) in files {
            key.bytes(path.as_bytes()).bytes(&bytes);
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8(bytes).map_err(|_| Error::Template(format!("模板 {} 不是 UTF-8 编码", place(name))))?;
                templates.push((name.to_string(), text));
            } else if let Some(name) = path.strip_prefix("static/") {
                let hashed = hashed_name(name, &bytes);
                assets.insert(name.to_string(), hashed.clone());
                static_files.push(OutputFile::new(hashed, bytes));
            }
        }
        let mut tera = Tera::default();
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(templates).map_err(|e| Error::Template(describe(&e, &place)))?;
        Ok(Theme { tera, assets, static_files, key: key.key(), origin })
    }

    /// The page's bytes: rendered into a buffer, not a `String`, which Tera would check for
    /// UTF-8 once more after writing it (2% of a full build's CPU).
    pub fn render(&self, template: &str, context: &tera::Context) -> Result<Vec<u8>> {
        let mut page = Vec::new();
        self.tera.render_to(template, context, &mut page).map_err(|e| Error::Template(describe(&e, &|name| template_place(self.origin.as_ref(), name))))?;
        Ok(page)
    }
}

/// Tera's default escaper also encodes `/`, which turns every relative link into `..&#x2F;`:
/// valid, but unreadable and harder to check. These five characters are all HTML needs.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hash: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("assets/{stem}.{hash}.{ext}"),
        None => format!("assets/{name}.{hash}"),
    }
}

/// Where a template named `name` comes from: the site's theme folder where it overrides it
/// (`themes/mytheme/templates/document.html`), else the default theme's `templates/…`.
fn template_place(origin: Option<&(String, BTreeSet<String>)>, name: &str) -> String {
    match origin {
        Some((dir, own)) if own.contains(name) => format!("{dir}/templates/{name}"),
        _ => format!("templates/{name}"),
    }
}

/// Tera's error and its causes, in Chinese where Tera's words are known: what it was doing
/// (the template, named by `place`), then what went wrong. A message Tera words freely is given
/// as it is, and so is the parser's excerpt of the line (its list of what it expected stays
/// English).
fn describe(error: &tera::Error, place: &dyn Fn(&str) -> String) -> String {
    let mut parts = vec![in_chinese(error, place)];
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        parts.push(s.downcast_ref::<tera::Error>().map_or_else(|| s.to_string(), |e| in_chinese(e, place)));
        source = s.source();
    }
    parts.join("：")
}

/// One of Tera's errors, without its causes.
fn in_chinese(error: &tera::Error, place: &dyn Fn(&str) -> String) -> String {
    use tera::ErrorKind as K;
    match &error.kind {
        K::Msg(said) => {
            let quoted = |prefix: &str| said.strip_prefix(prefix).map(|rest| rest.trim_matches(['\'', '`']).to_string());
            if let Some(name) = quoted("Failed to render ") {
                format!("生成页面时模板 {} 出错", place(&name))
            } else if let Some(name) = quoted("Failed to parse ") {
                format!("模板 {} 有语法错误", place(&name))
            } else if let Some((variable, _)) = said.strip_prefix("Variable `").and_then(|rest| rest.split_once("` not found in context")) {
                format!("变量 {variable} 不存在（页面数据中没有这一项）")
            } else {
                said.replace("= expected ", "= 此处应为 ").replace("= unexpected ", "= 此处不应有 ")
            }
        }
        K::TemplateNotFound(name) => format!("找不到模板 {}", name.trim_matches(['[', ']'])),
        K::MissingParent { current, parent } => format!("模板 {current} 所继承（extends）的模板 {parent} 不存在"),
        K::CircularExtend { tpl, inheritance_chain } => format!("模板 {tpl} 的继承（extends）绕成了环：{}", inheritance_chain.join(" → ")),
        K::FilterNotFound(name) => format!("没有名为 {name} 的过滤器"),
        K::TestNotFound(name) => format!("没有名为 {name} 的测试"),
        K::FunctionNotFound(name) => format!("没有名为 {name} 的函数"),
        K::CallFilter(name) => format!("过滤器 {name} 出错"),
        K::CallTest(name) => format!("测试 {name} 出错"),
        K::CallFunction(name) => format!("函数 {name} 出错"),
        K::InvalidMacroDefinition(info) => format!("宏定义有误：{info}"),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders `template` as a page of a theme that has it; the message of its error.
    fn error_of(template: &str) -> String {
        let mut tera = tera::Tera::default();
        let rendered = tera.add_raw_template("page.html", template).and_then(|()| tera.render("page.html", &tera::Context::new()));
        describe(&rendered.expect_err("the template fails"), &|name| template_place(None, name))
    }

    #[test]
    fn template_errors_are_told_in_chinese() {
        assert_eq!(error_of("{{ \"标题\" | nosuchfilter }}"), "生成页面时模板 templates/page.html 出错：没有名为 nosuchfilter 的过滤器");
        assert_eq!(error_of("{{ doc.title }}"), "生成页面时模板 templates/page.html 出错：变量 doc.title 不存在（页面数据中没有这一项）");
        assert_eq!(error_of("{% include \"nothere.html\" %}"), "生成页面时模板 templates/page.html 出错：找不到模板 nothere.html");
        assert_eq!(error_of("{{ 1 | truncate(length=\"x\") }}").split('：').take(2).collect::<Vec<_>>(), ["生成页面时模板 templates/page.html 出错", "过滤器 truncate 出错"]);
        let parse = error_of("<p>{{ title }</p>");
        assert!(parse.starts_with("模板 templates/page.html 有语法错误： --> 1:"), "{parse}");
        assert!(parse.contains("= 此处应为 "), "{parse}");
    }

    #[test]
    fn default_theme_is_embedded_and_compiles() {
        let theme = Theme::load(Path::new("content"), None).unwrap();
        for t in ["base.html", "index.html", "issue.html", "document.html", "about.html", "404.html"] {
            assert!(theme.tera.get_template_names().any(|n| n == t), "{t}");
        }
        let css = &theme.assets["style.css"];
        assert!(css.starts_with("assets/style.") && css.ends_with(".css") && css.len() == "assets/style.12345678.css".len());
    }
}
