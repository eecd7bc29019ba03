//! Reads the printed 目录: section headings in 【】 (or 〖〗［］[], or bare on a line of their own
//! before an entry), and entries in either layout of the seed —
//! one line (`title (惠政办发〔2022〕8号)<TAB>1`), two lines (title, then
//! `（惠政办发〔2022〕32号）……42`) — or without a number (`惠农区政府四月份大事记……60`).
//! The 目录 ends where the first entry's title starts the body.

use super::repair::is_folio;
use super::text::{key, tidy_spaces};
use super::ImportError;

#[derive(Debug, Clone, PartialEq)]
pub struct TocEntry {
    /// As printed, with extraction spaces removed.
    pub title: String,
    /// 发文字号 as printed in the 目录.
    pub number: Option<String>,
    pub page: u32,
    /// Section (栏目) name without 【】.
    pub section: String,
    /// 0-based line of the entry's page number, for messages.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toc {
    /// 0-based line of the 目录 heading.
    pub start: usize,
    /// 0-based line of the last entry.
    pub last_entry: usize,
    /// 0-based line where the body starts (the first document's title).
    pub body_start: usize,
    pub sections: Vec<String>,
    pub entries: Vec<TocEntry>,
    /// Lines of the 目录 before its last entry, passed over, that look like entries (a leader, a
    /// tab or a 发文字号): (0-based line, text), for the office to check.
    pub skipped: Vec<(usize, String)>,
    /// Section headings printed without brackets, read as such from where they stand: (0-based
    /// line, name), for the office to check.
    pub bare_sections: Vec<(usize, String)>,
    /// Whether the 目录 prints any section heading in brackets.
    pub bracketed: bool,
}

/// Section used for entries printed before any 【】 heading.
pub const DEFAULT_SECTION: &str = "文件";

pub fn parse(lines: &[&str]) -> Result<Toc, ImportError> {
    // A gazette prints its section headings one way: where the 目录 brackets any, a bare line
    // that reads like one is something else (a title's first line, an entry that lost its page).
    let toc = parse_with(lines, true)?;
    if toc.bare_sections.is_empty() || !toc.bracketed {
        return Ok(toc);
    }
    parse_with(lines, false)
}

fn parse_with(lines: &[&str], bare: bool) -> Result<Toc, ImportError> {
    let start = lines.iter().position(|l| is_toc_heading(&key(l))).ok_or(ImportError::NoToc)?;
    let mut bracketed = false;
    let mut sections: Vec<String> = Vec::new();
    let mut entries: Vec<TocEntry> = Vec::new();
    let mut pending: Vec<(usize, &str)> = Vec::new();
    let mut skipped: Vec<(usize, String)> = Vec::new();
    // lines held for a title that no entry took: told if they look like entries themselves
    // (and a heading not read as its entries' section, one over another, say)
    let mut pass_over = |pending: &mut Vec<(usize, &str)>| {
        for (i, line) in pending.drain(..) {
            if line.contains(['…', '⋯', '\t']) || line.contains("··") || split_number(line).is_some() || is_bare_section(line) {
                skipped.push((i, line.to_string()));
            }
        }
    };
    // A title wrapped onto its entry's line (or printed over its number's line) starts on the
    // lines held before it: from the first line from which the body holds the whole title.
    // Lines held before that are something else: a section's bare heading, a page's header or
    // footer.
    let held = |parts: &[(usize, &str)], tail: &str, after: usize| {
        let whole: String = parts.iter().map(|&(_, l)| l).chain([tail]).collect();
        (after..lines.len()).any(|j| match_title(lines, j, &key(&whole)).is_some())
    };
    // where the title starts in `pending`, if the body holds any such title
    let title_start = |pending: &[(usize, &str)], tail: &str| -> Option<usize> { (0..pending.len()).find(|&from| held(&pending[from..], tail, pending[from].0 + 1)) };
    let mut bare_sections: Vec<(usize, String)> = Vec::new();
    let mut body_start = None;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let k = key(line);
        if k.is_empty() {
            continue;
        }
        if let Some(first) = entries.first() {
            if entry_line(line).is_none() && match_title(lines, i, &key(&first.title)).is_some() {
                body_start = Some(i);
                break;
            }
        }
        if is_toc_heading(&k) {
            pass_over(&mut pending);
        } else if let Some(name) = section_name(&k) {
            bracketed = true;
            sections.push(name.to_string());
            pass_over(&mut pending);
        } else if let Some((text, page)) = entry_line(line) {
            let (tail, number) = match split_number(text) {
                Some(("", number)) if pending.is_empty() => return Err(ImportError::TocEntryWithoutTitle { line: i + 1, number: number.to_string() }),
                Some((tail, number)) => (tail, Some(number)),
                None => (text, None),
            };
            // Over a number's own line the held lines are the title, all of them unless the body
            // says otherwise (then the message that it is not found names the whole); on the
            // entry's line the title is there, and held lines only start it.
            let mut from = title_start(&pending, tail).unwrap_or(if tail.is_empty() { 0 } else { pending.len() });
            // A bare section heading printed again over the section's first document reads there
            // as the first line of its title too: the title without it wins if the body holds it
            // and it reads as a title in itself, not as the rest of a speech's or minutes' title
            // (在…会议上的讲话 / 区长 杨超, …纪要 / （第十五次）).
            let rest = || key(&pending[from + 1..].iter().map(|&(_, l)| l).chain([tail]).collect::<String>());
            if bare && from < pending.len() && is_bare_section(pending[from].1) && reads_as_title(&rest()) && held(&pending[from + 1..], tail, i + 1) {
                from += 1;
            }
            let title: String = pending[from..].iter().map(|&(_, l)| l).chain([tail]).collect();
            pending.truncate(from);
            // the last held line, or the last before a page's folio (— 3 —) under it
            let heading = pending.iter().rposition(|&(_, l)| !is_folio(l)).filter(|&h| bare && is_bare_section(pending[h].1));
            if let Some(h) = heading {
                let (at, name) = (pending[h].0, key(pending[h].1));
                pending.truncate(h);
                // (printed again on the 目录's next page, it is told once)
                if !sections.contains(&name) {
                    bare_sections.push((at, name.clone()));
                }
                sections.push(name);
            }
            pass_over(&mut pending);
            let section = match sections.last() {
                Some(s) => s.clone(),
                None => {
                    sections.push(DEFAULT_SECTION.to_string());
                    DEFAULT_SECTION.to_string()
                }
            };
            entries.push(TocEntry { title: tidy_spaces(&title), number: number.map(tidy_spaces), page, section, line: i });
        } else {
            pending.push((i, line.trim()));
        }
    }
    // (what is still held after the last entry is the masthead's, checked below)
    let Some(last) = entries.last() else {
        return Err(ImportError::EmptyToc { line: start + 1 });
    };
    let last_entry = last.line;
    // a heading after the last entry (over the first document) passed the masthead's lines over
    skipped.retain(|&(i, _)| i < last_entry);
    let Some(body_start) = body_start else {
        let first = &entries[0];
        return Err(ImportError::EntryNotFound { entry: first.describe(), reason: "正文中没有与之相同的标题".into(), line: first.line + 1 });
    };
    // An order printed as orders are, its number over the words that publish it and its
    // regulation's title below them: the body begins at the number.
    let body_start = match entries[0].number.as_deref().filter(|n| is_order(n)) {
        Some(number) => {
            let wanted = crate::content::number_key(number);
            (last.line + 1..body_start).find_map(|j| number_at(lines, last.line + 1, j, &wanted)).unwrap_or(body_start)
        }
        None => body_start,
    };
    // What lies between the 目录 and the first document is read as the masthead: a 发文字号 on a
    // line of its own there, not the value of a label line above it (准 印 号：), is a document
    // whose entry was not read (its text would go into the masthead, and the document would be
    // missing, silently).
    if let Some((i, number)) = (last.line + 1..body_start).find_map(|i| lone_number(lines, i).map(|n| (i, n))) {
        return Err(ImportError::UnlistedDocument { line: i + 1, number: number.to_string() });
    }
    // Sections printed without any entry under them are not sections of this issue; one printed
    // again (over its first document, or on the 目录's next page) is one section.
    let mut seen = std::collections::HashSet::new();
    sections.retain(|s| entries.iter().any(|e| &e.section == s) && seen.insert(s.clone()));
    Ok(Toc { start, last_entry, body_start, sections, entries, skipped, bare_sections, bracketed })
}

impl TocEntry {
    /// 「title」（number，第 N 页） for messages.
    pub fn describe(&self) -> String {
        match &self.number {
            Some(n) => format!("「{}」（{}，第 {} 页）", self.title, n, self.page),
            None => format!("「{}」（第 {} 页）", self.title, self.page),
        }
    }
}

/// The 目录's heading, printed on each of its pages: 目录 (目 录), or 本期目录.
fn is_toc_heading(k: &str) -> bool {
    matches!(k, "目录" | "本期目录")
}

/// A section heading's name: the line in 【】, or in 〖〗［］[] as other gazettes print it
/// (`k` is the line's [`key`], where ［］ are [] already).
fn section_name(k: &str) -> Option<&str> {
    [('【', '】'), ('〖', '〗'), ('[', ']')].into_iter().find_map(|(open, close)| k.strip_prefix(open)?.strip_suffix(close)).filter(|name| !name.is_empty())
}

/// What a section of a gazette is named for, at the end of its name: 区政府文件, 人事任免, 大事记 …
const SECTION_KINDS: [&str; 27] = [
    "文件", "公告", "通告", "公示", "通报", "令", "规章", "决定", "批复", "意见", "任免", "大事记", "解读", "问答", "动态", "信息", "专栏", "要闻",
    "报告", "纪要", "讲话", "数据", "统计", "选登", "摘编", "附录", "其他",
];

/// A line of the 目录 held before an entry and not part of its title that reads as a section's
/// heading printed without brackets (惠农区人民政府办公室文件): a short name of Chinese characters
/// only, ending in what such sections are named for. So not a page's folio, a running header or
/// a motto, nor a title's first line (惠农区人民政府办公室, over 关于…的通知); nor a motto in
/// spaced phrases (发布政令 宣传政策 通报信息), while a name may be letter-spaced or spaced once
/// (惠农区 大事记).
fn is_bare_section(line: &str) -> bool {
    let k = key(line);
    let phrases = line.split_whitespace().filter(|p| p.chars().count() >= 2).count();
    phrases <= 2
        && (2..=20).contains(&k.chars().count())
        && k.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '、' || c == '·')
        && SECTION_KINDS.iter().any(|kind| k.ends_with(kind))
        && !k.contains("关于")
        && !k.contains("公报")
}

/// Whether `k` (a title's [`key`]) reads as a document's whole title: a 公文's (…关于…的通知),
/// or one ending in what documents and sections are (…办法, …大事记), not in a name or a date.
fn reads_as_title(k: &str) -> bool {
    const DOCUMENT_KINDS: [&str; 10] = ["通知", "办法", "规定", "方案", "规划", "细则", "要点", "清单", "制度", "预案"];
    k.contains("关于") || SECTION_KINDS.iter().chain(&DOCUMENT_KINDS).any(|kind| k.ends_with(kind))
}

/// Whether `k` (a line's [`key`]) is the heading of one of `sections`: in brackets, or bare too
/// unless `bracketed`. The body may print it again, over the section's first document or atop
/// its pages.
pub fn is_section_heading(k: &str, sections: &[String], bracketed: bool) -> bool {
    let Some(name) = section_name(k).or((!bracketed).then_some(k)) else { return false };
    sections.iter().any(|s| s == name)
}

/// Splits an entry line into its text and page: the page is the trailing number, bare, in
/// parentheses (……（3）) or with 页 (……3页, 第3页), separated from the text by a tab or a leader
/// of dots (…… ··· ...), or, with 页, by a space. Returns `None` for any other line, so that
/// masthead lines such as `邮 编：753200` are not mistaken for entries.
fn entry_line(line: &str) -> Option<(&str, u32)> {
    let line = line.trim_end();
    let in_parentheses = line.strip_suffix(')').or_else(|| line.strip_suffix('）'));
    let with_page = line.strip_suffix('页');
    let numbered = in_parentheses.or(with_page).unwrap_or(line).trim_end();
    // digits as typeset, full width too (１７), which `key` makes ASCII
    let (rest, page) = numbered.split_at(numbered.trim_end_matches(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c)).len());
    if !(1..=4).contains(&page.chars().count()) {
        return None;
    }
    let rest = match (in_parentheses, with_page) {
        (Some(_), _) => rest.trim_end().strip_suffix('(').or_else(|| rest.trim_end().strip_suffix('（'))?,
        (None, Some(_)) => rest.strip_suffix('第').unwrap_or(rest),
        (None, None) => rest,
    };
    let text = rest.trim_end_matches(['…', '·', '.', '⋯', '－', '-']);
    let leader = &rest[text.len()..];
    let tabbed = text.ends_with('\t');
    let dots = leader.chars().count() >= 2 || leader.contains('…') || leader.contains('⋯');
    let spaced = with_page.is_some() && text.ends_with(char::is_whitespace);
    if !tabbed && !dots && !spaced {
        return None;
    }
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some((text, key(page).parse().ok()?))
}

/// `title (惠政办发〔2022〕8号)`, or the number after a space without parentheses, → (`title`,
/// `惠政办发〔2022〕8号`); a text that is only a number gives an empty title.
fn split_number(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    paren_number(text).or_else(|| {
        let (title, number) = text.rsplit_once(char::is_whitespace).unwrap_or(("", text));
        is_doc_number(number).then(|| (title.trim(), number))
    })
}

fn paren_number(text: &str) -> Option<(&str, &str)> {
    let inner_end = text.strip_suffix(')').or_else(|| text.strip_suffix('）'))?;
    // the parenthesis that opens the last: a number may hold its own, 温国土资发（2018）366号
    let mut depth = 0;
    let open = inner_end.char_indices().rev().find_map(|(i, c)| match c {
        ')' | '）' => {
            depth += 1;
            None
        }
        '(' | '（' if depth == 0 => Some(i),
        '(' | '（' => {
            depth -= 1;
            None
        }
        _ => None,
    })?;
    let number = inner_end[open..].trim_start_matches(['(', '（']).trim();
    if !is_doc_number(number) {
        return None;
    }
    Some((text[..open].trim(), number))
}

/// Line `i` if it is a 发文字号 on its own, as under a document's title, and not the value of a
/// label line above it (准 印 号：).
pub fn lone_number<'a>(lines: &[&'a str], i: usize) -> Option<&'a str> {
    let number = lines[i].trim();
    let label_above = || lines[..i].iter().rev().find(|l| !l.trim().is_empty()).is_some_and(|l| l.trim_end().ends_with(['：', ':']));
    (is_doc_number(number) && !label_above()).then_some(number)
}

/// Where the number whose key is `wanted` is printed, if line `i` is its last line: alone on
/// it, or after its first half on the non-empty line above, not above `from` (惠农区人民政府令 /
/// 第5号, as orders print it). Its first line.
pub fn number_at(lines: &[&str], from: usize, i: usize, wanted: &str) -> Option<usize> {
    if crate::content::number_key(lines[i].trim()) == wanted {
        return Some(i);
    }
    if lines[i].trim().is_empty() {
        return None;
    }
    let above = (from..i).rev().find(|&p| !lines[p].trim().is_empty())?;
    (crate::content::number_key(&format!("{}{}", lines[above].trim(), lines[i].trim())) == wanted).then_some(above)
}

/// Whether `number` is a government's order (惠农区人民政府令第5号).
pub fn is_order(number: &str) -> bool {
    crate::content::number_parts(&crate::content::number_key(number)).is_some_and(|p| p.is_order())
}

/// A 发文字号: 惠政办发〔2022〕8号, 惠农区人民政府令第5号,
/// 惠农区人民政府通告2023年第1号 (see [`crate::content::number_parts`]).
pub fn is_doc_number(s: &str) -> bool {
    let k = crate::content::number_key(s);
    k.chars().count() <= 30 && crate::content::number_parts(&k).is_some()
}

/// If the non-empty lines starting at `i`, with white space removed and joined, spell `title_key`
/// exactly, returns the last of those lines. Titles in the body may be split across lines.
pub fn match_title(lines: &[&str], i: usize, title_key: &str) -> Option<usize> {
    let mut acc = String::new();
    let mut used = 0;
    for (j, line) in lines.iter().enumerate().skip(i) {
        let k = key(line);
        if k.is_empty() {
            if used == 0 {
                return None;
            }
            continue;
        }
        acc.push_str(&k);
        used += 1;
        if acc == title_key {
            return Some(j);
        }
        if used >= 6 || !title_key.starts_with(&acc) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_in_any_of_the_brackets() {
        for line in ["【惠农区大事记】", "〖惠农区大事记〗", "［惠农区大事记］", "[惠农区大事记]"] {
            assert_eq!(section_name(&key(line)), Some("惠农区大事记"), "{line}");
        }
        assert_eq!(section_name(&key("【】")), None);
    }

    #[test]
    fn bare_section_headings_are_short_names() {
        for line in ["惠农区人民政府办公室文件", "惠 农 区 大 事 记", "惠农区 大事记", "人事任免", "政策解读、问答"] {
            assert!(is_bare_section(line), "{line}");
        }
        // a title's first line wrapped after its issuer, a running header, mottos
        for line in [
            "— 2 —",
            "惠农区人民政府公报",
            "2022年第2期",
            "发布政令 宣传政策 通报信息",
            "公开政务指导工作服务社会",
            "目 录",
            "惠农区人民政府办公室",
            "石嘴山市惠农区人民政府",
            "惠农区人民政府办公室印发",
            "惠农区人民政府办公室关于征集",
            "石嘴山市惠农区人民政府办公室关于印发实施方案的通知",
            "（惠政办发〔2022〕32号）",
            "主 编：宋文祥",
        ] {
            assert!(!is_bare_section(line), "{line}");
        }
    }

    #[test]
    fn entry_lines_need_a_leader() {
        assert_eq!(entry_line("关于征集的通知 (惠政办发〔2022〕8号)\t1"), Some(("关于征集的通知 (惠政办发〔2022〕8号)", 1)));
        assert_eq!(entry_line("（惠政办发〔2022〕32号）……………42"), Some(("（惠政办发〔2022〕32号）", 42)));
        assert_eq!(entry_line("惠农区政府四月份大事记……60"), Some(("惠农区政府四月份大事记", 60)));
        // the page in parentheses, as some gazettes print it
        assert_eq!(entry_line("惠农区政府四月份大事记……（60）"), Some(("惠农区政府四月份大事记", 60)));
        assert_eq!(entry_line("关于的通知（惠政办发〔2022〕8号）………(3)"), Some(("关于的通知（惠政办发〔2022〕8号）", 3)));
        assert_eq!(entry_line("实施方案（2022）"), None);
        // or with 页, after a space too
        assert_eq!(entry_line("关于的通知 (惠政办发〔2022〕8号) 第17页"), Some(("关于的通知 (惠政办发〔2022〕8号)", 17)));
        assert_eq!(entry_line("四月份大事记……60页"), Some(("四月份大事记", 60)));
        assert_eq!(entry_line("本期共64页"), None);
        assert_eq!(entry_line("四月份大事记……６０"), Some(("四月份大事记", 60)));
        assert_eq!(entry_line("四月份大事记……12345"), None);
        assert_eq!(entry_line("邮 编：753200"), None);
        assert_eq!(entry_line("2022"), None);
    }

    #[test]
    fn numbers_are_split_from_titles() {
        assert_eq!(split_number("关于的通知 (惠政办发〔2022〕8号)"), Some(("关于的通知", "惠政办发〔2022〕8号")));
        assert_eq!(split_number("（惠政办发〔2022〕32号）"), Some(("", "惠政办发〔2022〕32号")));
        assert_eq!(split_number("实施方案(2021年—2025年)"), None);
        // without parentheses: after a space, or alone
        assert_eq!(split_number("关于的通知　惠政办发〔2022〕8号"), Some(("关于的通知", "惠政办发〔2022〕8号")));
        assert_eq!(split_number("惠政办发〔2022〕8号"), Some(("", "惠政办发〔2022〕8号")));
        assert_eq!(split_number("关于征集 2022 年度事项的通知"), None);
        // numbers with brackets of their own, before the year's or around it
        assert_eq!(split_number("关于审理案件的意见 (法（研）发〔1987〕32号)"), Some(("关于审理案件的意见", "法（研）发〔1987〕32号")));
        assert_eq!(split_number("关于的批复（温国土资发（2018）366号）"), Some(("关于的批复", "温国土资发（2018）366号")));
        assert_eq!(split_number("（研）发〔1987〕32号)"), None);
        assert!(is_doc_number("惠政发[2021]105号"));
        assert!(is_doc_number("法（研）发〔1987〕32号"));
        assert!(!is_doc_number("〔2022〕8号"));
        assert!(!is_doc_number("2022年"));
        // a government's order, a notice counted by year
        assert_eq!(split_number("惠农区城市绿化管理办法 (惠农区人民政府令第5号)"), Some(("惠农区城市绿化管理办法", "惠农区人民政府令第5号")));
        assert_eq!(split_number("关于禁止燃放烟花爆竹的通告（惠农区人民政府通告2023年第1号）"), Some(("关于禁止燃放烟花爆竹的通告", "惠农区人民政府通告2023年第1号")));
        assert!(is_doc_number("区政府令第5号"));
    }

    #[test]
    fn both_layouts_and_sections() {
        let text = "封面\n目 录\n【文件】\n甲关于乙的通知 (惠政发〔2022〕1号)\t1\n丙关于丁的\n通知\n（惠政发〔2022〕2号）……5\n【大事记】\n四月份大事记……9\n主 编：某\n甲关于乙\n的通知\n惠政发〔2022〕1号\n";
        let lines: Vec<&str> = text.lines().collect();
        let toc = parse(&lines).unwrap();
        assert_eq!(toc.sections, ["文件", "大事记"]);
        let got: Vec<(&str, Option<&str>, u32, &str)> =
            toc.entries.iter().map(|e| (e.title.as_str(), e.number.as_deref(), e.page, e.section.as_str())).collect();
        assert_eq!(
            got,
            [
                ("甲关于乙的通知", Some("惠政发〔2022〕1号"), 1, "文件"),
                ("丙关于丁的通知", Some("惠政发〔2022〕2号"), 5, "文件"),
                ("四月份大事记", None, 9, "大事记"),
            ]
        );
        assert_eq!((toc.start, toc.last_entry, toc.body_start), (1, 8, 10));
    }

    /// An entry the 目录 parser does not read (here: its page in brackets it does not know) leaves
    /// its document between the 目录 and the first document found: an error naming the line.
    #[test]
    fn a_document_before_the_first_entry_found_is_an_error() {
        let text = "目 录\n甲关于乙的通知 (惠政发〔2022〕1号)【1】\n丙关于丁的通知 (惠政发〔2022〕2号)……5\n准 印 号：\n石新出管字〔2022〕第0093号\n甲关于乙的通知\n惠政发〔2022〕1号\n正文\n丙关于丁的通知\n惠政发〔2022〕2号\n";
        let lines: Vec<&str> = text.lines().collect();
        let err = parse(&lines).unwrap_err();
        assert!(matches!(&err, ImportError::UnlistedDocument { line: 7, number } if number == "惠政发〔2022〕1号"), "{err:?}");
        assert!(err.to_string().contains("第 7 行"), "{err}");
        // with the entry read, the masthead's number under its label is no document
        let read = text.replace("【1】", "……1");
        let lines: Vec<&str> = read.lines().collect();
        assert!(parse(&lines).is_ok());
    }

    #[test]
    fn missing_toc_and_missing_body_are_errors() {
        assert!(matches!(parse(&["正文"]), Err(ImportError::NoToc)));
        assert!(matches!(parse(&["目录", "正文"]), Err(ImportError::EmptyToc { .. })));
        assert!(matches!(parse(&["本 期 目 录", "正文"]), Err(ImportError::EmptyToc { .. })), "本期目录 is a 目录's heading too");
        let err = parse(&["目录", "甲的通知……1", "乙"]).unwrap_err();
        assert!(err.to_string().contains("甲的通知"), "{err}");
    }
}
