//! Small text predicates shared by the import stages: comparison keys, CJK spacing, outline
//! markers and sentence ends. Kept free of any document structure so each can be tested alone.

pub use crate::content::is_cjk;

/// The comparison form of a title or a line: no white space, full-width ASCII folded to ASCII.
/// PDF extraction splits titles with spaces and mixes （ and (, so titles are matched on this.
pub fn key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Removes the spaces PDF extraction puts between Chinese characters, digits and punctuation
/// (`2022 年`, `关于 征集`, `不当, 启动`) while keeping spaces that separate Latin words.
pub fn tidy_spaces(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_whitespace() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        let left = out.chars().last();
        let right = chars.get(j).copied();
        let glue = |c: char| is_cjk(c) || c.is_ascii_digit() || c.is_ascii_punctuation();
        let drop = match (left, right) {
            (Some(l), Some(r)) => glue(l) && glue(r) && (is_cjk(l) || is_cjk(r)),
            _ => true,
        };
        if !drop {
            out.push(' ');
        }
        i = j;
    }
    out
}

/// Chinese numerals as used in outline numbering (一 … 十九, 二十 …).
fn is_cn_numeral(c: char) -> bool {
    "一二三四五六七八九十百零〇".contains(c)
}

/// The outline level of a line's leading number, and the byte length of that number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// 一、 or 第一章
    Chapter,
    /// （一）, (一) or 第一节
    Section,
    /// 第一条: an article of a regulation, a paragraph of its own.
    Article,
    /// 1. 1、 1．
    Item,
    /// (1) （1） ① a. ——: finer levels, kept as paragraphs.
    Minor,
}

/// Recognises the outline number at the start of `s` (already trimmed). Returns the level and
/// the byte offset where the text after the number (and any spaces) starts.
pub fn marker(s: &str) -> Option<(Marker, usize)> {
    let skip_ws = |i: usize| i + (s[i..].len() - s[i..].trim_start().len());
    let mut chars = s.char_indices().peekable();
    let (_, first) = *chars.peek()?;
    // the chapters, sections and articles of a regulation (规章, a 令's text)
    if let Some(rest) = s.strip_prefix('第') {
        let end = rest.char_indices().find(|&(_, c)| !is_cn_numeral(c)).map(|(i, _)| i)?;
        let unit = rest[end..].chars().next().filter(|_| end > 0)?;
        let level = match unit {
            '章' => Marker::Chapter,
            '节' => Marker::Section,
            '条' => Marker::Article,
            _ => return None,
        };
        return Some((level, skip_ws('第'.len_utf8() + end + unit.len_utf8())));
    }
    if is_cn_numeral(first) {
        let end = s.char_indices().find(|&(_, c)| !is_cn_numeral(c)).map(|(i, _)| i)?;
        if s[end..].starts_with('、') {
            return Some((Marker::Chapter, skip_ws(end + '、'.len_utf8())));
        }
        return None;
    }
    if first == '(' || first == '（' {
        let inner = first.len_utf8();
        let close = s[inner..].char_indices().find(|&(_, c)| c == ')' || c == '）').map(|(i, _)| i + inner)?;
        let num = s[inner..close].trim();
        let level = if !num.is_empty() && num.chars().all(is_cn_numeral) {
            Marker::Section
        } else if !num.is_empty() && num.len() <= 3 && num.chars().all(|c| c.is_ascii_digit()) {
            Marker::Minor
        } else {
            return None;
        };
        return Some((level, skip_ws(close + s[close..].chars().next()?.len_utf8())));
    }
    if first.is_ascii_digit() {
        let end = s.char_indices().find(|&(_, c)| !c.is_ascii_digit()).map(|(i, _)| i)?;
        if end > 3 {
            return None; // a year such as 2022年, not an item number
        }
        let rest = &s[end..];
        let sep = rest.chars().next()?;
        if matches!(sep, '.' | '、' | '．') {
            let after = end + sep.len_utf8();
            // "1.5万亩" is a number, not an item
            if s[after..].starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            return Some((Marker::Item, skip_ws(after)));
        }
        if sep == ')' {
            return Some((Marker::Minor, skip_ws(end + 1)));
        }
        return None;
    }
    if ('①'..='⑳').contains(&first) {
        return Some((Marker::Minor, skip_ws(first.len_utf8())));
    }
    if first.is_ascii_lowercase() && s[1..].starts_with('.') {
        return Some((Marker::Minor, skip_ws(2)));
    }
    if s.starts_with("——") {
        return Some((Marker::Minor, 0));
    }
    None
}

/// Whether a line ends a sentence (or a clause that introduces what follows), so that the next
/// line cannot be its continuation.
pub fn ends_sentence(s: &str) -> bool {
    let mut rev = s.trim_end().chars().rev();
    let mut last = match rev.next() {
        Some(c) => c,
        None => return true,
    };
    // 。” and 。） close a quotation or a parenthesis after the full stop
    if matches!(last, '”' | '’' | '」' | '）' | ')' | '》') {
        match rev.next() {
            Some(c) if is_terminal(c) => return true,
            _ => {}
        }
        last = ' ';
    }
    is_terminal(last)
}

fn is_terminal(c: char) -> bool {
    matches!(c, '。' | '；' | '！' | '？' | '：' | ':' | ';' | '!' | '?' | '…')
}

/// Whether a text contains punctuation that only occurs inside sentences, not in headings.
pub fn has_sentence_punct(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '。' | '；' | ';' | '！' | '？'))
}

/// Whether the text has any clause punctuation at all.
pub fn has_punct(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '，' | '、' | '。' | '；' | '：' | ',' | ';' | ':'))
}

/// `label：rest` with a short label (组 长：, 牵头单位：, 区财政局:) — the start of a new item.
pub fn label_prefix(s: &str) -> Option<(&str, &str)> {
    let idx = s.find(['：', ':'])?;
    let label = &s[..idx];
    let n = label.chars().filter(|c| !c.is_whitespace()).count();
    if n == 0 || n > 12 || label.chars().any(|c| matches!(c, '，' | '。' | '；' | ',' | '、' | '（' | '(')) {
        return None;
    }
    let colon = s[idx..].chars().next()?.len_utf8();
    Some((label.trim(), s[idx + colon..].trim()))
}

/// A whole 成文日期 line: `2022年4月1日` (spaces allowed).
pub fn full_date(s: &str) -> Option<crate::content::GDate> {
    whole_date(s).filter(|d| d.exists())
}

/// A line written as a whole date, which may not be one: 2022年4月31日.
pub fn date_shaped(s: &str) -> bool {
    whole_date(s).is_some()
}

/// The year, month and day a line is written as (digits or Chinese numerals), unchecked.
fn whole_date(s: &str) -> Option<crate::content::GDate> {
    let k = key(s);
    if !k.ends_with('日') || !k.contains('年') {
        return None;
    }
    crate::content::GDate::read(&k).filter(|d| d.day.is_some() && (1000..=9999).contains(&d.year))
}

/// Counts characters, the unit every length rule here is stated in.
pub fn len(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_that_do_not_exist_are_still_date_shaped() {
        for shaped in ["2022年4月31日", "2022 年 13 月 1 日", "二〇二二年四月三十一日", "2022年4月1日"] {
            assert!(date_shaped(shaped), "{shaped}");
        }
        for not in ["4月31日", "2022年4月", "2022年4月1日起", "共22年4月1日", "22年4月1日"] {
            assert!(!date_shaped(not), "{not}");
        }
    }

    #[test]
    fn keys_ignore_spaces_and_width() {
        assert_eq!(key("关于 征集 2022 年度（试行）"), "关于征集2022年度(试行)");
    }

    #[test]
    fn tidy_drops_extraction_spaces_but_keeps_latin_word_spaces() {
        assert_eq!(tidy_spaces("关于征集 2022 年度的通知"), "关于征集2022年度的通知");
        assert_eq!(tidy_spaces("处置不当, 启动问责"), "处置不当,启动问责");
        assert_eq!(tidy_spaces("思想 and 党的"), "思想 and 党的");
        assert_eq!(tidy_spaces("(区教育体育局: 0952-3977990; 考试)"), "(区教育体育局: 0952-3977990;考试)");
    }

    #[test]
    fn outline_markers_by_level() {
        assert_eq!(marker("一、总体要求"), Some((Marker::Chapter, "一、".len())));
        assert_eq!(marker("十一、附则").map(|m| m.0), Some(Marker::Chapter));
        assert_eq!(marker("（一）指导思想").map(|m| m.0), Some(Marker::Section));
        assert_eq!(marker("(二) 基本原则"), Some((Marker::Section, "(二) ".len())));
        assert_eq!(marker("1.制定").map(|m| m.0), Some(Marker::Item));
        assert_eq!(marker("10. 区气象局"), Some((Marker::Item, "10. ".len())));
        assert_eq!(marker("(1)黄色级").map(|m| m.0), Some(Marker::Minor));
        assert_eq!(marker("①县(区)").map(|m| m.0), Some(Marker::Minor));
        assert_eq!(marker("2022年4月1日"), None);
        assert_eq!(marker("1.5万亩"), None);
        assert_eq!(marker("一是明确"), None);
        assert_eq!(marker("(区教育体育局"), None);
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("现就有关事项通知如下："));
        assert!(ends_sentence("确保广大群众满意。”"));
        assert!(!ends_sentence("成立惠"));
        assert!(!ends_sentence("（此件公开发布）"));
        assert!(!ends_sentence("制度、"));
    }

    #[test]
    fn labels_and_dates() {
        assert_eq!(label_prefix("组 长：刘占强 区委常委"), Some(("组 长", "刘占强 区委常委")));
        assert_eq!(label_prefix("为进一步规范，根据：x"), None);
        assert_eq!(full_date("2022年4月1日").unwrap().iso(), "2022-04-01");
        assert_eq!(full_date("2022 年 7 月出版"), None);
    }
}
