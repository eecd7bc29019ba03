//! Normalisation and tokenisation shared, rule for rule, with `themes/default/static/search.js`
//! (`normalizeChar`, `tokenize`). If one side changes, the other must change with it: the index
//! is built here and queried there, and a mismatch silently loses results. The node tests run
//! both sides over the same fixtures to catch that.
//!
//! Normalisation is one character to one character (never dropping or adding), so offsets in
//! normalised text are offsets in the original text and the client can mark matches in the
//! original wording:
//! - full-width ASCII forms (Ａ１，) fold to ASCII, the ideographic space to a space;
//! - Latin capitals fold to lower case;
//! - every bracket style used in 发文字号 (〔〕 [] 【】 () （） ［］ 〈〉 〖〗 {}) folds to 〔〕, the same
//!   set as [`crate::content::number_key`], so 惠政办发[2022]8号 finds 惠政办发〔2022〕8号.
//!
//! Tokens: a run of ASCII digits is one token, a run of ASCII letters is one token, white space
//! separates and is not a token, every other character is a token of its own. So a CJK phrase is
//! a sequence of one-character tokens (searched by bigrams), while `31` in 31号 does not match
//! inside 131号 and `2022` does not match inside 20221. A run of digits is read as a number:
//! its leading zeros go (`08` is `8`, `000` is `0`), as [`crate::content::number_key`] drops
//! them, so 〔2022〕08号 finds 〔2022〕8号 and 2022年5月 finds 2022年05月; but not after a digit
//! and a point, where they are a fraction's (0.05 is not 0.5).

/// White space: what JavaScript's `\s` matches plus U+0085, so both sides split alike.
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Zero-width characters pasted from Word or web pages: invisible, so a reader searching
/// 医疗保障 must find 医疗\u{200b}保障, and 2022 must find 20\u{200b}22. They are passed over
/// as if absent, even inside a run of digits or letters (where a space would split it).
pub fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}')
}

/// The comparison form of one character.
pub fn normalize_char(c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        c => c,
    };
    match c {
        '[' | '【' | '(' | '〈' | '〖' | '{' | '﹝' | '﹙' | '〘' => '〔',
        ']' | '】' | ')' | '〉' | '〗' | '}' | '﹞' | '﹚' | '〙' => '〕',
        'A'..='Z' => c.to_ascii_lowercase(),
        c => c,
    }
}

/// The normalised form of a whole string (same length in characters).
pub fn normalize(text: &str) -> String {
    text.chars().map(normalize_char).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    Digit,
    Letter,
    Other,
}

fn class(c: char) -> Class {
    match c {
        '0'..='9' => Class::Digit,
        'a'..='z' => Class::Letter,
        c if is_space(c) => Class::Space,
        _ => Class::Other,
    }
}

/// A token of a text: its normalised form and its byte range in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// A token as [`for_each_piece`] gives it: one character (nearly every token of Chinese text),
/// or a run of digits or of letters, normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Char(char),
    Run(&'a str),
}

/// Calls `f(start, end, token)` for every token of `text`, in order, `start..end` its byte
/// range in `text`. A one-character token comes as its character: the index build walks ~19
/// million tokens on the benchmark corpus, nearly all of them single characters.
pub fn for_each_piece(text: &str, mut f: impl FnMut(usize, usize, Piece<'_>)) {
    let mut run = String::new();
    let mut run_class = Class::Space;
    let mut run_start = 0;
    let mut fraction = false;
    for (i, c) in text.char_indices() {
        // nearly every character of the text: a CJK ideograph is its own token, unchanged
        if ('\u{4e00}'..='\u{9fff}').contains(&c) && run_class == Class::Space {
            f(i, i + 3, Piece::Char(c));
            continue;
        }
        if is_zero_width(c) {
            continue;
        }
        let n = normalize_char(c);
        let k = class(n);
        if run_class != Class::Space {
            if k == run_class {
                run.push(n);
                continue;
            }
            f(run_start, i, Piece::Run(as_token(&run, run_class, fraction)));
            run.clear();
            run_class = Class::Space;
        }
        match k {
            Class::Space => {}
            Class::Other => f(i, i + c.len_utf8(), Piece::Char(n)),
            Class::Digit | Class::Letter => {
                run_start = i;
                run_class = k;
                // digits right after `<digit>.` are a fraction's (looked back at only here: a
                // run starts rarely, a character is read nearly 20 million times a build)
                let mut behind = text[..i].chars().rev().filter(|&c| !is_zero_width(c)).map(normalize_char);
                fraction = k == Class::Digit && behind.next() == Some('.') && behind.next().is_some_and(|c| c.is_ascii_digit());
                run.push(n);
            }
        }
    }
    if run_class != Class::Space {
        f(run_start, text.len(), Piece::Run(as_token(&run, run_class, fraction)));
    }
}

/// A run's token: a number without its leading zeros (one zero stays of a run of zeros),
/// unless it is the `fraction` of a decimal number.
fn as_token(run: &str, class: Class, fraction: bool) -> &str {
    match class {
        Class::Digit if !fraction => {
            let zeros = run.len() - run.trim_start_matches('0').len();
            &run[zeros.min(run.len() - 1)..]
        }
        _ => run,
    }
}

/// Calls `f(start, end, normalised)` for every token of `text`, in order.
pub fn for_each_token(text: &str, mut f: impl FnMut(usize, usize, &str)) {
    let mut one = [0u8; 4];
    for_each_piece(text, |start, end, piece| match piece {
        Piece::Char(c) => f(start, end, c.encode_utf8(&mut one)),
        Piece::Run(run) => f(start, end, run),
    });
}

pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for_each_token(text, |start, end, t| out.push(Token { text: t.to_string(), start, end }));
    out
}

/// Just the normalised token strings.
pub fn token_strings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |_, _, t| out.push(t.to_string()));
    out
}

/// True when the token sequence `query` occurs in `text` as consecutive tokens: the meaning of
/// a match, within a field or a line (paragraph) of the body. Tests use it as the independent
/// truth; the index must agree with it exactly.
pub fn contains_tokens(text: &[String], query: &[String]) -> bool {
    !query.is_empty() && text.windows(query.len()).any(|w| w == query)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::number_key;

    #[test]
    fn full_width_case_and_brackets_fold() {
        assert_eq!(normalize("ＡＢｃ１２３，"), "abc123,");
        assert_eq!(normalize("GB/T 2260"), "gb/t 2260");
        assert_eq!(normalize("惠政办发［2022］8号"), "惠政办发〔2022〕8号");
        assert_eq!(normalize("（一）【附件】"), "〔一〕〔附件〕");
        // one character in, one character out, so offsets survive
        let s = "第１２条　（Ａ）";
        assert_eq!(normalize(s).chars().count(), s.chars().count());
    }

    #[test]
    fn bracket_folding_agrees_with_number_key() {
        // number_key also drops spaces and folds digits: tokens (which skip spaces) must agree
        for spelling in ["惠政办发[2022]8号", "惠政办发【2022】8号", "惠政办发(2022)8号", "惠政办发（２０２２）８号", "惠政办发 〔2022〕 8号", "惠政办发〖2022〗8号"] {
            assert_eq!(token_strings(spelling), token_strings(&number_key(spelling)), "{spelling}");
            assert_eq!(token_strings(spelling), token_strings("惠政办发〔2022〕8号"), "{spelling}");
        }
    }

    #[test]
    fn tokens_are_characters_digit_runs_and_letter_runs() {
        assert_eq!(token_strings("惠政办发〔2022〕31号"), ["惠", "政", "办", "发", "〔", "2022", "〕", "31", "号"]);
        assert_eq!(token_strings("GB2312编码 v2.0"), ["gb", "2312", "编", "码", "v", "2", ".", "0"]);
        assert_eq!(token_strings("医疗 保障\n基金"), ["医", "疗", "保", "障", "基", "金"]);
        assert_eq!(token_strings("２０２２年５月"), ["2022", "年", "5", "月"]);
        assert!(token_strings(" \u{3000}\t\u{feff}").is_empty());
        // zero-width characters are passed over, inside runs too
        assert_eq!(token_strings("20\u{200b}22年 医\u{200b}疗 a\u{feff}b 0.\u{2060}05"), ["2022", "年", "医", "疗", "ab", "0", ".", "05"]);
        // numbers without their leading zeros, as number_key reads them
        assert_eq!(token_strings("〔2022〕08号 2022年05月 000 0.50 007a"), ["〔", "2022", "〕", "8", "号", "2022", "年", "5", "月", "0", "0", ".", "50", "7", "a"]);
        // but a fraction keeps its zeros: 0.05 is not 0.5
        assert_eq!(token_strings("0.05 ０．０５ 1.005 10:05 .05 v2.05"), ["0", ".", "05", "0", ".", "05", "1", ".", "005", "10", ":", "5", ".", "5", "v", "2", ".", "05"]);
        for spelling in ["惠政办发〔2022〕08号", "惠政办发〔2022〕8号", "惠政办发〔02022〕008号"] {
            assert_eq!(token_strings(spelling), token_strings(&number_key(spelling)), "{spelling}");
        }
        // a character outside the BMP is one token, as in JavaScript's for…of
        assert_eq!(token_strings("𠀀字"), ["𠀀", "字"]);
    }

    #[test]
    fn single_characters_come_as_characters_runs_as_text() {
        let mut pieces = Vec::new();
        for_each_piece("惠政（２０２２）ＡＢ 5号", |start, end, p| pieces.push((start, end, format!("{p:?}"))));
        let expected = [(0, 3, "Char('惠')"), (3, 6, "Char('政')"), (6, 9, "Char('〔')"), (9, 21, "Run(\"2022\")"), (21, 24, "Char('〕')"), (24, 30, "Run(\"ab\")"), (31, 32, "Run(\"5\")"), (32, 35, "Char('号')")];
        let expected: Vec<(usize, usize, String)> = expected.iter().map(|&(a, b, p)| (a, b, p.to_string())).collect();
        assert_eq!(pieces, expected);
    }

    #[test]
    fn token_ranges_point_into_the_original_text() {
        let text = "关于 印发（２０２２）";
        let toks = tokenize(text);
        let originals: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(originals, ["关", "于", "印", "发", "（", "２０２２", "）"]);
    }

    #[test]
    fn matches_respect_number_boundaries() {
        let text = token_strings("惠政办发〔2022〕131号");
        assert!(contains_tokens(&text, &token_strings("131号")));
        assert!(!contains_tokens(&text, &token_strings("31号")));
        assert!(contains_tokens(&text, &token_strings("办发[2022]")));
        assert!(!contains_tokens(&text, &token_strings("")));
    }
}
