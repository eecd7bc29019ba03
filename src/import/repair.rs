//! Body repair: turns the extracted lines of one part of a document into blocks.
//!
//! - A page's folio (`— 2 —`, `- 2 -`, `第2页`) is dropped: it is the print's, not the text's.
//! - A paragraph cut by a page break (`…成立惠` / blank / `农区“数字供销”…`) or wrapped in a
//!   narrow column is joined again when the first piece does not end a sentence and the second
//!   does not start a new item (an outline number, a `label：`, a date). After a blank line,
//!   a short heading (`（一）指导思想`, `区长`, `陈梓元同志`) is not joined with what follows.
//! - Outline numbering is made uniform: `一、` short headings → level 3, `（一）` short headings →
//!   level 4 (the half-width `(一)` of the extraction becomes `（一）`), everything else stays a
//!   paragraph with its printed number.
//! - Tab-separated rows become tables (see [`super::tables`]); people lists become one person per
//!   line (see [`super::people`]); the extraction's list marks (`- 1.制定…`) are dropped.

use super::people::{self, Person};
use super::tables::{self, TableBlock};
use super::text::{ends_sentence, full_date, has_punct, has_sentence_punct, key, label_prefix, len, marker, tidy_spaces, Marker};

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 2–4; `id` is an explicit anchor.
    Heading { level: u8, text: String, id: Option<String> },
    Para(String),
    Table(Vec<Vec<String>>),
    People(Vec<Person>),
}

pub fn blocks(lines: &[&str]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Option<String> = None;
    let mut blank_before = false;
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        // a folio stands where the page broke, as a blank line does
        if t.is_empty() || is_folio(t) || is_bare_folio(lines, i) {
            blank_before = true;
            i += 1;
            continue;
        }
        if lines[i].contains('\t') {
            flush(&mut para, &mut out);
            let (rows, next) = tables::collect(lines, i);
            out.push(match tables::classify(rows) {
                TableBlock::Table(rows) => Block::Table(rows),
                TableBlock::People(p) => Block::People(p),
            });
            i = next;
            blank_before = true;
            continue;
        }
        if let Some(first) = people::role_line(t) {
            flush(&mut para, &mut out);
            let (list, next) = collect_people(lines, i, first);
            out.push(Block::People(list));
            i = next;
            blank_before = true;
            continue;
        }
        let t = strip_list_dash(t);
        match para.as_mut() {
            Some(cur) if joins(cur, t, blank_before) => {
                let ascii_seam = cur.ends_with(|c: char| c.is_ascii_alphabetic()) && t.starts_with(|c: char| c.is_ascii_alphabetic());
                if ascii_seam {
                    cur.push(' ');
                }
                cur.push_str(t);
            }
            _ => {
                flush(&mut para, &mut out);
                para = Some(t.to_string());
            }
        }
        blank_before = false;
        i += 1;
    }
    flush(&mut para, &mut out);
    out
}

/// The people under a role line: further role lines, people lines and wrapped posts, across
/// blank lines.
fn collect_people(lines: &[&str], start: usize, first: Person) -> (Vec<Person>, usize) {
    let mut list = vec![first];
    let mut next = start + 1;
    for (j, line) in lines.iter().enumerate().skip(start + 1) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if line.contains('\t') {
            break;
        }
        if let Some(p) = people::role_line(t).or_else(|| people::person(t)) {
            list.push(p);
        } else if people::post_fragment(t) && j == next {
            list.last_mut().expect("starts with one person").post.push_str(t);
        } else {
            break;
        }
        next = j + 1;
    }
    (list, next)
}

/// A page number on a line of its own, as printed at a page's foot: `— 2 —`, `－2－`, `- 2 -`,
/// `第2页`. A bare number is not taken (a table's or a list's may stand alone).
pub(super) fn is_folio(t: &str) -> bool {
    // spaces gone, full-width digits and dashes ASCII
    let k = key(t);
    let number = |s: &str| (1..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let dashes = ['—', '-', '–', '‐', '﹣', '─'];
    let dashed = k.starts_with(dashes) && k.ends_with(dashes) && number(k.trim_start_matches(dashes).trim_end_matches(dashes));
    dashed || k.strip_prefix('第').and_then(|r| r.strip_suffix('页')).is_some_and(number)
}

/// A bare page number as pdftotext writes it (`5`), alone between blank lines or beside the
/// form feed of a page break: not a number of the text, which stands in a sentence, a table's
/// row (tab-separated) or a list item (`1.`). Left in, it was glued into the sentence the page
/// break cut (实施5限期整改).
fn is_bare_folio(lines: &[&str], i: usize) -> bool {
    let k = key(lines[i].trim());
    if !(1..=3).contains(&k.len()) || !k.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let blank = |j: Option<usize>| j.and_then(|j| lines.get(j)).is_none_or(|l| l.trim().is_empty());
    let feed = |j: Option<usize>| j.and_then(|j| lines.get(j)).is_some_and(|l| l.contains('\u{c}'));
    let (before, after) = (i.checked_sub(1), Some(i + 1));
    (blank(before) && blank(after)) || feed(before) || feed(Some(i)) || feed(after)
}

/// `- 1.制定…` → `1.制定…`: the dash is the extraction's list mark, not text of the gazette.
fn strip_list_dash(t: &str) -> &str {
    match t.strip_prefix("- ").or_else(|| t.strip_prefix("• ")) {
        Some(rest) if !rest.trim().is_empty() => rest.trim_start(),
        _ => t,
    }
}

/// Whether `next` continues the paragraph `cur`. A line that opens with 第十二条 continues a
/// sentence cut at a page break (…决策规定》 / 第十二条要求…): an article starts after one ends.
fn joins(cur: &str, next: &str, blank_between: bool) -> bool {
    let opens = marker(next).is_some_and(|(m, _)| m != Marker::Article);
    if ends_sentence(cur) || opens || label_prefix(next).is_some() || full_date(next).is_some() {
        return false;
    }
    if !blank_between {
        return true; // wrapped in a narrow column
    }
    !standalone(cur)
}

/// A short line that is complete without punctuation: a heading such as `（一）指导思想`,
/// `一、总体要求`, `区长`, `陈梓元同志`.
fn standalone(cur: &str) -> bool {
    match marker(cur) {
        Some((Marker::Chapter | Marker::Section, off)) => len(&cur[off..]) <= 20 && !has_sentence_punct(cur),
        Some(_) => false,
        None => len(cur) < 15 && !has_punct(cur),
    }
}

fn flush(para: &mut Option<String>, out: &mut Vec<Block>) {
    if let Some(p) = para.take() {
        out.push(classify(&p));
    }
}

/// A joined paragraph becomes a heading when it is an outline heading, else a paragraph.
fn classify(p: &str) -> Block {
    let text = normalize_marker(&tidy_spaces(p), p);
    let heading_text = |limit: usize| len(&text) <= limit && !has_sentence_punct(&text) && !ends_sentence(&text);
    // 第一章　总则, 第二节　一般规定: a name of Chinese characters (第一节 语文 8:00—10:30 is a
    // timetable's line)
    let named = |off: usize| text[off..].trim_start_matches('　').chars().all(|c| c.is_alphabetic() && !c.is_ascii());
    match marker(&text) {
        Some((Marker::Chapter, off)) if heading_text(40) && (!text.starts_with('第') || named(off)) => Block::Heading { level: 3, text, id: None },
        Some((Marker::Section, off)) if heading_text(48) && (!text.starts_with('第') || named(off)) => Block::Heading { level: 4, text, id: None },
        _ => Block::Para(text),
    }
}

/// `(一)` → `（一）`, `(1)` → `（1）`: one spelling of the outline numbers in every document;
/// `第一条为了` → `第一条　为了`, as regulations print their chapters and articles, where the
/// extraction (`printed`) had a space there (tidying took it out with the others).
fn normalize_marker(t: &str, printed: &str) -> String {
    let spaced = || marker(printed.trim_start()).is_some_and(|(_, off)| printed.trim_start()[..off].ends_with(char::is_whitespace));
    match marker(t) {
        Some((Marker::Chapter | Marker::Section | Marker::Article, off)) if t.starts_with('第') && off < t.len() && spaced() => {
            let head = t[..off].trim_end();
            format!("{head}　{}", &t[off..])
        }
        Some((Marker::Section | Marker::Minor, off)) if t.starts_with('(') => {
            let head = &t[..off];
            let Some(close) = head.find(')') else { return t.to_string() };
            format!("（{}）{}", &head[1..close], &t[off..])
        }
        _ => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<Block> {
        blocks(&text.lines().collect::<Vec<_>>())
    }

    #[test]
    fn chapters_and_articles_of_a_regulation() {
        let b = paras("第一章 总则\n\n第一条 为了加强城市绿化管理，制定本办法。\n\n第二条 本办法适用于\n\n本区。\n\n第一节　一般规定\n\n第三条 第三条所称绿化，是指种植。\n\n第十二条 附则。");
        assert_eq!(
            b,
            [
                Block::Heading { level: 3, text: "第一章　总则".into(), id: None },
                Block::Para("第一条　为了加强城市绿化管理，制定本办法。".into()),
                Block::Para("第二条　本办法适用于本区。".into()),
                Block::Heading { level: 4, text: "第一节　一般规定".into(), id: None },
                Block::Para("第三条　第三条所称绿化，是指种植。".into()),
                Block::Para("第十二条　附则。".into()),
            ]
        );
        // not a marker: a count (第5号), an article named in a sentence
        assert!(marker("第5号").is_none() && marker("第一季度").is_none());
        // a sentence cut at a page break before 第十二条 goes on; without a space after it in
        // print, no space is put there
        let b = paras("根据《宁夏回族自治区重大行政决策规定》\n\n第十二条要求，区人民政府决定。\n\n第十三条规定，另行通知。");
        assert_eq!(b, [Block::Para("根据《宁夏回族自治区重大行政决策规定》第十二条要求，区人民政府决定。".into()), Block::Para("第十三条规定，另行通知。".into())]);
        // a timetable is no regulation
        let b = paras("第一节 语文 8:00—10:30\n\n第二节 数学 15:00—17:00");
        assert_eq!(b, [Block::Para("第一节　语文8:00—10:30".into()), Block::Para("第二节　数学15:00—17:00".into())]);
    }

    #[test]
    fn page_break_cuts_are_joined() {
        let b = paras("——坚持政府引导。成立惠\n\n农区“数字供销”工作推进领导小组。\n\n下一段。");
        assert_eq!(b, [Block::Para("——坚持政府引导。成立惠农区“数字供销”工作推进领导小组。".into()), Block::Para("下一段。".into())]);
        // a numbered item cut at a page break is joined too
        let b = paras("(一)每半年至少组织分管的部门(单位)召开1次安全生\n\n产形势分析会。");
        assert_eq!(b, [Block::Para("（一）每半年至少组织分管的部门(单位)召开1次安全生产形势分析会。".into())]);
    }

    #[test]
    fn page_folios_are_dropped_and_the_cut_paragraph_joined() {
        for folio in ["— 2 —", "－2－", "- 12 -", "—１２—", "第 3 页"] {
            let b = paras(&format!("为进一步规范重大行政决策程序，\n\n{folio}\n\u{c}\n促进依法决策。"));
            assert_eq!(b, [Block::Para("为进一步规范重大行政决策程序，促进依法决策。".into())], "{folio}");
        }
        // not folios: a bare number, a dash list, a range
        for kept in ["2", "- 2.制定规划；", "— 2022年—"] {
            assert!(!is_folio(kept), "{kept}");
        }
    }

    #[test]
    fn bare_page_numbers_as_pdftotext_writes_them_are_dropped() {
        for page in ["\n\n5\n\n", "\n5\n\u{c}", "\n\u{c}5\n", "\n\n５\n\n", "\n\n12\n\u{c}\n"] {
            let b = paras(&format!("为落实大气污染防治要求，对未完成改造的企业实施{page}限期整改，整改期间实施错峰生产。"));
            assert_eq!(b, [Block::Para("为落实大气污染防治要求，对未完成改造的企业实施限期整改，整改期间实施错峰生产。".into())], "{page:?}");
        }
        // a page's number at the foot of a document's last page, or at the head of its first
        assert_eq!(paras("特此通知。\n\n13\n"), [Block::Para("特此通知。".into())]);
        assert_eq!(paras("1\n\n各乡镇人民政府：\n"), [Block::Para("各乡镇人民政府：".into())]);
        // a number in the text stays: in a line with others, or a year
        assert_eq!(paras("共计\n2022\n年完成。"), [Block::Para("共计2022年完成。".into())]);
    }

    #[test]
    fn headings_items_and_ended_sentences_are_not_joined() {
        let b = paras("一、总体要求\n\n（一）指导思想\n\n以习近平为指导。\n\n区长\n\n1.制定规划\n\n2.决定事项。\n\n处置步骤:\n\n牵头单位：甲局\n\n配合单位：乙局");
        assert_eq!(
            b,
            [
                Block::Heading { level: 3, text: "一、总体要求".into(), id: None },
                Block::Heading { level: 4, text: "（一）指导思想".into(), id: None },
                Block::Para("以习近平为指导。".into()),
                Block::Para("区长".into()),
                Block::Para("1.制定规划".into()),
                Block::Para("2.决定事项。".into()),
                Block::Para("处置步骤:".into()),
                Block::Para("牵头单位：甲局".into()),
                Block::Para("配合单位：乙局".into()),
            ]
        );
    }

    #[test]
    fn wrapped_column_lines_are_joined() {
        let b = paras("(六) 由于地震等自然灾害，或因极端天气\n造成洪涝等次生灾害\n应急处置措施\n\n1. 考前");
        let text = "（六）由于地震等自然灾害，或因极端天气造成洪涝等次生灾害应急处置措施".to_string();
        assert_eq!(b[0], Block::Heading { level: 4, text, id: None });
        assert_eq!(b[1], Block::Para("1.考前".into()));
    }

    #[test]
    fn long_numbered_paragraphs_stay_paragraphs() {
        let b = paras("（一）学习贯彻习近平新时代中国特色社会主义思想，统筹协调医疗保障基金监管工作。");
        assert!(matches!(&b[0], Block::Para(t) if t.starts_with("（一）")));
    }

    #[test]
    fn list_dashes_and_people() {
        let b = paras("- 1.制定政策；\n- 2.制定规划；\n\n组 长：刘占强 区委常委\n\n副组长：薛占江 区局长\n徐文华 区局长\n 袁 娜 区人力资源和社会保障\n 障局副局长\n\n领导小组负责统筹。");
        assert_eq!(b[0], Block::Para("1.制定政策；".into()));
        assert_eq!(b[1], Block::Para("2.制定规划；".into()));
        let Block::People(p) = &b[2] else { panic!("{:?}", b[2]) };
        assert_eq!(p.len(), 4);
        assert_eq!(p[3].post, "区人力资源和社会保障障局副局长");
        assert_eq!(b[3], Block::Para("领导小组负责统筹。".into()));
    }
}
