//! Writes [`Block`]s as Markdown. Every piece of gazette text is escaped so that it renders as
//! the literal text it is: the renderer rejects raw HTML, and a printed `1.` must not become an
//! ordered list that renumbers, nor a leading `-` a bullet.

use super::people::Person;
use super::repair::Block;

pub fn render(blocks: &[Block]) -> String {
    let parts: Vec<String> = blocks.iter().map(block).collect();
    parts.join("\n\n")
}

fn block(b: &Block) -> String {
    match b {
        Block::Heading { level, text, id } => {
            let hashes = "#".repeat(usize::from(*level));
            match id {
                Some(id) => format!("{hashes} {} {{#{id}}}", inline(text)),
                None => format!("{hashes} {}", inline(text)),
            }
        }
        Block::Para(text) => line(text),
        Block::Table(rows) => table(rows),
        Block::People(list) => people(list),
    }
}

/// A GFM table with the first row as header.
fn table(rows: &[Vec<String>]) -> String {
    let row = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| if c.is_empty() { String::new() } else { inline(c) }).collect();
        format!("| {} |", cells.join(" | "))
    };
    let mut out = Vec::with_capacity(rows.len() + 1);
    if let Some((head, body)) = rows.split_first() {
        out.push(row(head));
        out.push(format!("|{}", " --- |".repeat(head.len())));
        out.extend(body.iter().map(|r| row(r)));
    }
    out.join("\n")
}

/// One paragraph per role, one person per line (hard line breaks).
fn people(list: &[Person]) -> String {
    let mut paras: Vec<Vec<String>> = Vec::new();
    for p in list {
        let text = match &p.role {
            Some(role) => format!("{role}：{}　{}", p.name, p.post),
            None => format!("{}　{}", p.name, p.post),
        };
        match (&p.role, paras.last_mut()) {
            (None, Some(para)) => para.push(line(&text)),
            _ => paras.push(vec![line(&text)]),
        }
    }
    paras.iter().map(|p| p.join("\\\n")).collect::<Vec<_>>().join("\n\n")
}

/// A whole line of text: inline escapes plus the escapes that only matter at a line start.
pub fn line(text: &str) -> String {
    let escaped = inline(text);
    let digits = escaped.len() - escaped.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && escaped[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &escaped[..digits], &escaped[digits..]);
    }
    if escaped.starts_with(['-', '+', '=']) {
        return format!("\\{escaped}");
    }
    escaped
}

/// Backslash-escapes every ASCII character that Markdown could read as syntax inside a line;
/// a web address (`http://…`, printed bare or as `<http://…>`) becomes a link to it.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let next = |s: &str| ["http://", "https://"].iter().filter_map(|scheme| s.find(scheme)).min();
    while let Some(at) = next(rest) {
        let url = web_address(&rest[at..]);
        let bracketed = rest[..at].ends_with('<') && rest[at + url.len()..].starts_with('>');
        let before = if bracketed { &rest[..at - 1] } else { &rest[..at] };
        escape_into(&mut out, before);
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &rest[at + url.len() + usize::from(bracketed)..];
    }
    escape_into(&mut out, rest);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '#' | '{' | '}' | '!') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// The web address `text` starts with: the characters an address may hold, less a full stop or
/// comma that ends the sentence round it.
fn web_address(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || "-._~:/?#@!$&'*+,;=%".contains(c))).unwrap_or(text.len());
    text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\''])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_text_stays_literal() {
        assert_eq!(line("1.制定规划"), "1\\.制定规划");
        assert_eq!(line("12)如果是"), "12\\)如果是");
        assert_eq!(line("-3012946"), "\\-3012946");
        // a web address is a link, printed in angle brackets or bare
        assert_eq!(line("网址：<http://a.cn/>"), "网址：<http://a.cn/>");
        assert_eq!(line("详见https://www.gov.cn/zhengce/a.html。<不是网址>"), "详见<https://www.gov.cn/zhengce/a.html>。\\<不是网址\\>");
        assert_eq!(line("见http://a.cn/x_1.html,及 http://b.cn"), "见<http://a.cn/x_1.html>,及 <http://b.cn>");
        assert_eq!(line("A&B | *x* # [y]"), "A\\&B \\| \\*x\\* \\# \\[y\\]");
        assert_eq!(line("2022年"), "2022年");
    }

    #[test]
    fn blocks_render() {
        let blocks = [
            Block::Heading { level: 2, text: "附件1　名单".into(), id: Some("fujian-1".into()) },
            Block::Table(vec![vec!["序号".into(), "名称".into()], vec!["1".into(), "a|b".into()]]),
            Block::People(vec![
                Person { role: Some("组长".into()), name: "刘占强".into(), post: "区长".into() },
                Person { role: Some("成员".into()), name: "宋文祥".into(), post: "主任".into() },
                Person { role: None, name: "李娜".into(), post: "主任".into() },
            ]),
        ];
        assert_eq!(
            render(&blocks),
            "## 附件1　名单 {#fujian-1}\n\n| 序号 | 名称 |\n| --- | --- |\n| 1 | a\\|b |\n\n组长：刘占强　区长\n\n成员：宋文祥　主任\\\n李娜　主任"
        );
    }
}
