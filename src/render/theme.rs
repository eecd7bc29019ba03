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
    /// The site's theme folder (`themes/mytheme` beside the content folder, as that was given)
    /// and the templates it overrides, which its errors name there.
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
            origin = Some((dir.display().to_string(), own));
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
        // Tera names a template that does not parse, and pest where it stopped
        let texts: BTreeMap<String, String> = templates.iter().cloned().collect();
        tera.add_raw_templates(templates).map_err(|e| Error::Template(parse_error(&e, &texts, &place).unwrap_or_else(|| describe(&e, &place))))?;
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

/// A template that does not parse, as `file:line: what is wrong`, in Chinese. Where its block
/// tags do not pair up, the tag left open (or closed twice) is named at its own line: the
/// parser stops only where the pairing fails, often far below (an `{% if %}` left open at the
/// top of a page is reported at its `{% endblock %}`).
fn parse_error(error: &tera::Error, texts: &BTreeMap<String, String>, place: &dyn Fn(&str) -> String) -> Option<String> {
    let tera::ErrorKind::Msg(said) = &error.kind else { return None };
    let name = said.strip_prefix("Failed to parse ")?.trim_matches(['\'', '`']);
    let text = texts.get(name)?;
    let pest = std::error::Error::source(error)?.to_string();
    let (line, column) = pest.lines().find_map(|l| l.trim().strip_prefix("--> "))?.split_once(':')?;
    let (line, column): (usize, usize) = (line.parse().ok()?, column.parse().ok()?);
    let place = place(name);
    if let Some((at, unpaired)) = unpaired_tag(text) {
        let stopped = format!("第 {line} 行");
        let stopped = if at == line || unpaired.contains(&stopped) { String::new() } else { format!("（语法分析停在{stopped}）") };
        return Some(format!("{place}:{at}: {unpaired}{stopped}"));
    }
    let what = pest.lines().find_map(|l| l.trim().strip_prefix("= ")).unwrap_or("");
    let source = text.lines().nth(line - 1).unwrap_or("").trim_end();
    Some(format!("{place}:{line}:{column}: 语法错误：{}\n  {line} | {source}", pest_in_chinese(what)))
}

/// The first block tag of a template that does not pair up, and its line: one left open, an
/// end for another block, or an end without a start. Comments and `{% raw %}` are passed over.
fn unpaired_tag(text: &str) -> Option<(usize, String)> {
    const BLOCKS: [&str; 6] = ["if", "for", "block", "macro", "filter", "raw"];
    let line_at = |i: usize| text[..i].matches('\n').count() + 1;
    let mut open: Vec<(&str, usize)> = Vec::new();
    let mut i = 0;
    while let Some(start) = text[i..].find(['{']).map(|s| s + i) {
        let rest = &text[start..];
        let close = if rest.starts_with("{#") { "#}" } else if rest.starts_with("{%") { "%}" } else { i = start + 1; continue };
        let Some(len) = rest.find(close) else { return Some((line_at(start), format!("{} 没有对应的 {close}", &rest[..2]))) };
        i = start + len + 2;
        if close == "#}" {
            continue;
        }
        let tag = rest[2..len].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let word = tag.split_whitespace().next().unwrap_or("");
        let line = line_at(start);
        if BLOCKS.contains(&word) {
            if word == "raw" {
                // its text is not Tera's to read: on to its end tag
                match text[i..].find("endraw") {
                    Some(end) => i += end,
                    None => return Some((line, "{% raw %} 没有对应的 {% endraw %}".into())),
                }
            }
            open.push((word, line));
        } else if let Some(block) = word.strip_prefix("end").filter(|b| BLOCKS.contains(b)) {
            // an end that no open block takes is itself the stray one; else the blocks opened
            // after its start were left open
            if !open.iter().any(|&(start, _)| start == block) {
                return Some((line, format!("{{% end{block} %}} 前面没有对应的 {{% {block} %}}")));
            }
            match open.pop() {
                Some((start, at)) if start != block => return Some((at, format!("{{% {start} %}} 到第 {line} 行的 {{% end{block} %}} 之前没有对应的 {{% end{start} %}}"))),
                _ => {}
            }
        }
    }
    open.pop().map(|(start, at)| (at, format!("{{% {start} %}} 没有对应的 {{% end{start} %}}")))
}

/// Pest's "unexpected …; expected …" with Tera's names for what it expected, in Chinese where
/// known (the common ones); a name not listed stays as Tera words it.
fn pest_in_chinese(said: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("unexpected ", "此处不应有"),
        ("; expected ", "；此处应为"),
        ("expected ", "此处应为"),
        (", or ", " 或 "),
        (", ", "、"),
        (" or ", " 或 "),
        ("some content", "内容"),
        ("tag", "标签"),
        ("end of input", "文件结尾"),
        ("an `elif` tag", "{% elif %}"),
        ("an `else` tag", "{% else %}"),
        ("an endif tag (`{% endif %}`)", "{% endif %}"),
        ("an endfor tag (`{% endfor %}`)", "{% endfor %}"),
        ("an endfilter tag (`{% endfilter %}`)", "{% endfilter %}"),
        ("an endblock tag (`{% endblock block_name %}`", "{% endblock 名称 %}"),
        ("`{% endmacro %}`", "{% endmacro %}"),
        ("`{% endraw %}`", "{% endraw %}"),
        ("an `if` tag", "{% if %}"),
        ("a forloop (`{% for i in something %}...{% endfor %}", "{% for … in … %}"),
        ("a block tag (`{% block block_name %}`", "{% block 名称 %}"),
        ("an extends tag (`{% extends \"myfile\" %}`", "{% extends \"文件\" %}"),
        ("a variable end (`}}`)", "}}"),
        ("a variable start (`{{`)", "{{"),
        ("a comment end (`#}`)", "#}"),
        ("`%}` or `-%}`", "%}"),
        ("`{{`, `{%` or `{#`", "{{、{% 或 {#"),
        ("an identifier (must start with a-z)", "名称（以英文字母开头）"),
        ("a dotted identifier (identifiers separated by `.`)", "名称（可用 . 连接）"),
        ("a square bracketed identifier (identifiers separated by `.` or `[]`s)", "名称（可用 . 或 [] 连接）"),
        ("an expression with an optional filter", "表达式"),
        ("an expression", "表达式"),
        ("any expressions", "表达式"),
        ("a string or a concatenation of strings", "字符串"),
        ("a string", "字符串"),
        ("a value", "值"),
        ("an integer", "整数"),
        ("a filter", "过滤器"),
        ("a comparison operator", "比较运算符"),
        ("a mathematical operator", "运算符"),
        ("a keyword argument: `key=value` where `value` can be any expressions", "参数 名称=值"),
        ("an array of values", "数组"),
        ("a function call", "函数调用"),
        ("a test", "测试"),
        ("`true` or `false`", "true 或 false"),
    ];
    let mut out = String::new();
    let mut rest = said;
    while let Some(c) = rest.chars().next() {
        // the longest of the words starting here
        if let Some((en, zh)) = WORDS.iter().filter(|(en, _)| rest.starts_with(en)).max_by_key(|(en, _)| en.len()) {
            out.push_str(zh);
            rest = &rest[en.len()..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    // Tera quotes operators in backticks (`==`): plain after Chinese words
    out.replace('`', "")
}

/// Tera's error and its causes, in Chinese where Tera's words are known: what it was doing
/// (the template, named by `place`), then what went wrong. A message Tera words freely is given
/// as it is (a template that does not parse is told by [`parse_error`]).
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

    /// The error of a site theme whose `page.html` is `template`.
    fn syntax_error_of(template: &str) -> String {
        let files = BTreeMap::from([("templates/page.html".to_string(), template.as_bytes().to_vec())]);
        match Theme::from_files(files, Some(("themes/mine".into(), BTreeSet::from(["page.html".to_string()])))) {
            Err(Error::Template(message)) => message,
            _ => panic!("{template} is taken"),
        }
    }

    #[test]
    fn syntax_errors_name_the_line_to_fix_in_chinese() {
        let place = "themes/mine/templates/page.html";
        assert_eq!(syntax_error_of("<p>\n{{ title }</p>"), format!("{place}:2:10: 语法错误：此处应为or、and、not、<=、>=、<、>、==、!=、+、-、*、/、%、过滤器 或 }}}}\n  2 | {{{{ title }}</p>"));
        assert_eq!(syntax_error_of("{% for x in %}{% endfor %}"), format!("{place}:1:13: 语法错误：此处应为表达式 或 数组\n  1 | {{% for x in %}}{{% endfor %}}"));
        // a block left open is named at its start, not where the parser stopped
        assert_eq!(syntax_error_of("{% block main %}\n{% if a %}\n<p></p>\n{% endblock main %}"), format!("{place}:2: {{% if %}} 到第 4 行的 {{% endblock %}} 之前没有对应的 {{% endif %}}"));
        assert_eq!(syntax_error_of("{% if a %}\n<p>{% for x in y %}</p>\n"), format!("{place}:2: {{% for %}} 没有对应的 {{% endfor %}}（语法分析停在第 3 行）"));
        assert_eq!(syntax_error_of("<p></p>\n{% endif %}"), format!("{place}:2: {{% endif %}} 前面没有对应的 {{% if %}}"));
        assert_eq!(syntax_error_of("{# a note\n<p>{% if a %}{% endif %}</p>"), format!("{place}:1: {{# 没有对应的 #}}（语法分析停在第 2 行）"));
        // tags in comments and raw text do not count
        assert_eq!(syntax_error_of("{# {% if %} #}{% raw %}{% for %}{% endraw %}\n{% endif %}"), format!("{place}:2: {{% endif %}} 前面没有对应的 {{% if %}}"));
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
