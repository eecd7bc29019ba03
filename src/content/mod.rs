//! Stage 1: load `content/` into a validated [`Site`]. Every problem becomes a [`Diagnostic`]
//! naming the file and line; the stage fails as a whole so nothing half-valid is rendered.

mod load;
pub mod model;

pub use load::{load, load_scanned, read_text, scan, split_front_matter, Recall, Scan};

use crate::error::{Error, Result};
pub use model::*;

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
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
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
    use super::number_key;

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
}
