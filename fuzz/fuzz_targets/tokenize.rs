//! The search normaliser and tokeniser: one character in, one out; tokens are ordered,
//! non-overlapping ranges of the original text whose normal form is the token.
#![no_main]

use gongbao::search::normalize::{normalize, normalize_char, token_strings, tokenize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    assert_eq!(normalize(text).chars().count(), text.chars().count());
    let tokens = tokenize(text);
    let mut last = 0;
    for t in &tokens {
        assert!(t.start >= last && t.start < t.end && t.end <= text.len(), "{t:?}");
        let original: String = text[t.start..t.end].chars().map(normalize_char).filter(|c| !gongbao::search::normalize::is_space(*c)).collect();
        assert_eq!(original, t.text);
        last = t.end;
    }
    let strings: Vec<String> = tokens.into_iter().map(|t| t.text).collect();
    assert_eq!(strings, token_strings(text));
    // normalisation is idempotent: the tokens, joined by spaces, tokenise to themselves
    assert_eq!(token_strings(&strings.join(" ")), strings);
});
