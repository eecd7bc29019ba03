//! Stage 1: load `content/` into a validated [`Site`]. Every problem becomes a [`Diagnostic`]
//! naming the file and line; the stage fails as a whole so nothing half-valid is rendered.

mod load;
pub mod model;

pub use load::{load, load_scanned, read_text, scan, split_front_matter, Recall, Scan};

use crate::error::{Error, Result};
pub use model::*;

/// A full-width digit (１, as a Chinese input method types it) as its ASCII one; any other
/// character as it is.
pub fn ascii_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        c => c,
    }
}

/// The comparison form of a 发文字号: any bracket style (〔〕 [] 【】 () （） ［］ 〈〉 ﹝﹞ ﹙﹚ 〘〙),
/// full-width digits and white space all fold to one spelling, and so do leading zeros of the
/// serial number and a 号 left off after it: 惠政办发[2022]08 equals 惠政办发〔2022〕8号.
/// (Mirrored by `numberKey` in themes/default/static/wenhao.js.)
pub fn number_key(number: &str) -> String {
    let mut key: String = number
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '【' | '(' | '（' | '［' | '〈' | '〖' | '{' | '﹝' | '﹙' | '〘' => '〔',
            ']' | '】' | ')' | '）' | '］' | '〉' | '〗' | '}' | '﹞' | '﹚' | '〙' => '〕',
            c => ascii_digit(c),
        })
        .collect();
    // the serial number after the year: 〔2022〕08号 → 〔2022〕8号, 〔2022〕8 → 〔2022〕8号,
    // 〔2022〕第8号 → 〔2022〕8号
    if let Some(at) = key.rfind('〕').map(|i| i + '〕'.len_utf8()) {
        let serial = key[at..].strip_prefix('第').unwrap_or(&key[at..]);
        let digits = serial.trim_end_matches('号');
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && serial.len() - digits.len() <= '号'.len_utf8() {
            let trimmed = digits.trim_start_matches('0');
            key = format!("{}{}号", &key[..at], if trimmed.is_empty() { "0" } else { trimmed });
        }
    }
    key
}

/// The parts of a 发文字号's comparison key ([`number_key`]): the issuer code, the year where it
/// has one, and the serial. Three forms are numbers:
/// - 惠政办发〔2022〕8号: the year in brackets (the last pair: a code may hold one of its own,
///   法〔研〕发〔1987〕32号);
/// - 惠农区人民政府令第5号: a government's order (令, a 规章), counted without a year;
/// - 惠农区人民政府通告2023年第1号: a 通告 or 公告 counted by year.
pub fn number_parts(key: &str) -> Option<NumberParts<'_>> {
    let serial = |s: &str| s.strip_suffix('号').filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())).and_then(|d| d.parse().ok());
    let year_digits = |y: &str| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit());
    let parts = if let Some(close) = key.rfind('〕') {
        let open = key[..close].rfind('〔')?;
        let year = &key[open + '〔'.len_utf8()..close];
        NumberParts { code: &key[..open], year: Some(year).filter(|y| year_digits(y))?.into(), serial: serial(&key[close + '〕'.len_utf8()..])? }
    } else if let Some(at) = key.rfind("令第").filter(|&at| key[..at].chars().count() >= 2) {
        NumberParts { code: &key[..at + '令'.len_utf8()], year: None, serial: serial(&key[at + "令第".len()..])? }
    } else {
        let at = key.rfind("年第")?;
        let year = key[..at].get(at.checked_sub(4)?..)?;
        let code = &key[..at - 4];
        (code.chars().count() > 2 && (code.ends_with("通告") || code.ends_with("公告"))).then_some(())?;
        NumberParts { code, year: Some(year).filter(|y| year_digits(y))?.into(), serial: serial(&key[at + "年第".len()..])? }
    };
    (!parts.code.is_empty()).then_some(parts)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberParts<'a> {
    pub code: &'a str,
    pub year: Option<&'a str>,
    pub serial: u64,
}

impl NumberParts<'_> {
    /// A government's order (…令第5号), the one form counted without a year.
    pub fn is_order(&self) -> bool {
        self.year.is_none()
    }
}

/// CJK ideographs and the full-width punctuation printed between them: where text wraps a
/// line between two of them, the wrap is no space.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F   // CJK punctuation: 、。〔〕【】「」
        | 0x3400..=0x4DBF // extension A
        | 0x4E00..=0x9FFF // unified ideographs
        | 0xF900..=0xFAFF // compatibility ideographs
        | 0xFF00..=0xFFEF // full-width forms: （）：，；
        | 0x2018..=0x201F // “ ” ‘ ’
        | 0x2014 | 0x2026 // — …
        | 0x20000..=0x2FFFF)
}

/// Whether `c` is a control character HTML does not allow in text: any but tab, the line ends
/// and form feed. Invisible on the page, they come with text copied from PDF or Word.
pub fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')
}

/// The body without its stray control characters, and where each was (byte offset): `None`
/// when there are none, as in nearly every body, which one pass over its bytes tells.
pub fn without_controls(body: &str) -> Option<(String, Vec<(usize, char)>)> {
    // 0xC2 leads U+0080–U+009F (and some printable characters such as ·)
    let suspect = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f || b == 0xc2;
    // (folded a block at a time, which the compiler vectorises: the test passes over every body)
    if !body.as_bytes().chunks(64).any(|block| block.iter().fold(false, |found, &b| found | suspect(b))) {
        return None;
    }
    let removed: Vec<(usize, char)> = body.char_indices().filter(|&(_, c)| is_stray_control(c)).collect();
    (!removed.is_empty()).then(|| (body.chars().filter(|&c| !is_stray_control(c)).collect(), removed))
}

/// `text` as pages show it, without stray control characters: what the citations and the
/// link checker read, as the renderer does.
pub fn shown_text(text: &str) -> std::borrow::Cow<'_, str> {
    without_controls(text).map_or(std::borrow::Cow::Borrowed(text), |(clean, _)| std::borrow::Cow::Owned(clean))
}

/// Takes the Markdown bodies out of the site, in `site.documents()` order, for the renderer to
/// consume (and free one by one). What needs a line of a body afterwards (a broken link's
/// message) reads the source file again.
pub fn take_bodies(site: &mut Site) -> Vec<String> {
    site.issues.iter_mut().flat_map(|i| i.sections.iter_mut()).flat_map(|s| s.documents.iter_mut()).map(|d| std::mem::take(&mut d.body)).collect()
}

/// Reads the bodies [`load`] left unread of the documents `need` names (by their place in
/// `site.documents()` order). Fails if a file changed since it was loaded.
pub fn read_bodies(site: &mut Site, need: &(dyn Fn(usize) -> bool + Sync)) -> Result<()> {
    use rayon::prelude::*;
    let mut docs: Vec<&mut Document> = site.issues.iter_mut().flat_map(|i| i.sections.iter_mut()).flat_map(|s| s.documents.iter_mut()).collect();
    let diags = docs.par_iter_mut().enumerate().filter(|(i, d)| d.body_unread && need(*i)).filter_map(|(_, d)| load::read_body(d).err()).collect();
    Error::check(diags)
}

#[cfg(test)]
mod tests {
    use super::{number_key, number_parts};

    #[test]
    fn document_numbers_compare_in_any_bracket_style() {
        let key = number_key("惠政办发〔2022〕8号");
        for spelling in ["惠政办发[2022]8号", "惠政办发【2022】8号", "惠政办发(2022)8号", "惠政办发（２０２２）８号", "惠政办发 [2022] 8号"] {
            assert_eq!(number_key(spelling), key, "{spelling}");
        }
        for spelling in ["惠政办发﹝2022﹞8号", "惠政办发﹙2022﹚8号", "惠政办发〘2022〙8号", "惠政办发〔2022〕08号", "惠政办发〔2022〕8", "惠政办发〔2022〕 8 号"] {
            assert_eq!(number_key(spelling), key, "{spelling}");
        }
        assert_ne!(number_key("惠政办发〔2022〕18号"), key);
        assert_ne!(number_key("惠政办发〔2022〕80号"), key);
        // 第 before the serial, which GB/T 9704 leaves out and readers often type
        assert_eq!(number_key("惠政办发〔2022〕第08号"), key);
        assert_eq!(number_key("惠政办发〔2022〕第 8 号"), key);
        // a serial that is not all digits is left as written
        assert_eq!(number_key("惠政办发〔2022〕第八号"), "惠政办发〔2022〕第八号");
    }

    #[test]
    fn numbers_by_year_by_order_and_by_yearly_count() {
        let parts = |n: &str| number_parts(&number_key(n)).map(|p| (p.code.to_string(), p.year.map(str::to_string), p.serial));
        let some = |code: &str, year: Option<&str>, serial| Some((code.to_string(), year.map(str::to_string), serial));
        assert_eq!(parts("惠政办发[2022]08号"), some("惠政办发", Some("2022"), 8));
        assert_eq!(parts("法（研）发〔1987〕32号"), some("法〔研〕发", Some("1987"), 32));
        assert_eq!(parts("惠农区人民政府令第5号"), some("惠农区人民政府令", None, 5));
        assert_eq!(parts("国务院令 第 735 号"), some("国务院令", None, 735));
        assert_eq!(parts("惠农区人民政府通告2023年第1号"), some("惠农区人民政府通告", Some("2023"), 1));
        assert_eq!(parts("公告2023年第1号"), None, "a code before 公告");
        for not in ["〔2022〕8号", "令第5号", "市令第5号", "2023年第1号", "惠政办发〔22〕1号", "第5号", "惠农区人民政府令第五号", "自2023年第1号", "通告223年第1号"] {
            assert_eq!(parts(not), None, "{not}");
        }
    }
}
