//! QR codes for printed documents: a reader of the paper copy scans it and lands on the
//! document's permanent URL. Made at build time as inline SVG, so nothing is fetched.
//!
//! The `qrcode` crate encodes the URL and lays out the modules; the mask is chosen and the SVG
//! drawn here. The crate scores the eight masks through a boxed closure per module, and its
//! SVG draws each dark module as a square of its own: with a `base_url`, that was 1.8 s of a
//! 1× full build's 5 s of processor time and 10 KB of each document page. The same mask is
//! chosen here from words of bits, a row or column each (the tests compare every module with
//! the crate's own code, and the score with one counted module by module), and each row's run
//! of dark modules is one rectangle.

use std::fmt::Write as _;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{bits, ec, Color, EcLevel};

/// The masks in the order the crate tries them: of equal penalties, the first wins.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// Modules of light around the code, as the standard asks.
const QUIET: usize = 4;

/// The smallest size the image is drawn at, in CSS pixels (print sizes it by the stylesheet).
const MIN_SIZE: usize = 132;

/// An inline `<svg>` QR code for `url`, or `None` if the URL is too long to encode.
pub fn svg_for(url: &str) -> Option<String> {
    let (dark, n) = modules(url)?;
    let side = n + 2 * QUIET;
    let pixels = side * MIN_SIZE.div_ceil(side);
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"本文网址的二维码\" class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" \
         width=\"{pixels}\" height=\"{pixels}\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\""
    );
    for (y, row) in dark.chunks(n).enumerate() {
        let mut x = 0;
        while x < n {
            let run = row[x..].iter().take_while(|&&d| d).count();
            if run > 0 {
                let _ = write!(svg, "M{} {}h{run}v1h-{run}z", x + QUIET, y + QUIET);
            }
            x += run + row[x + run..].iter().take_while(|&&d| !d).count();
        }
    }
    svg.push_str("\"/></svg>");
    Some(svg)
}

/// The QR code of `url` at error correction level M: whether each module is dark, row by row,
/// and the number of modules a side.
fn modules(url: &str) -> Option<(Vec<bool>, usize)> {
    let (masked, n) = masked_codes(percent_encoded(url).as_bytes())?;
    masked.into_iter().min_by_key(|dark| penalty(dark, n)).map(|dark| (dark, n))
}

/// The code of `data` at level M under each of [`MASKS`], in their order, and its modules a side.
fn masked_codes(data: &[u8]) -> Option<(Vec<Vec<bool>>, usize)> {
    let bits = bits::encode_auto(data, EcLevel::M).ok()?;
    let version = bits.version();
    let (data, ec) = ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let masked = MASKS.map(|mask| {
        let mut masked = canvas.clone();
        masked.apply_mask(mask);
        masked.into_colors().into_iter().map(|c| c == Color::Dark).collect()
    });
    Some((masked.into(), version.width() as usize))
}

/// `url` with every byte of a non-ASCII character written `%XX`: the crate would take the
/// UTF-8 of a Chinese path (https://…/公报/) for Shift JIS, and a phone read it as other
/// characters. A browser reads the percent-encoded address as the same one.
fn percent_encoded(url: &str) -> std::borrow::Cow<'_, str> {
    if url.is_ascii() {
        return url.into();
    }
    let mut out = String::with_capacity(url.len() * 2);
    for b in url.bytes() {
        if b.is_ascii() {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out.into()
}

/// A masked code's penalty by the standard's four rules (ISO/IEC 18004, 7.8.3), scored as the
/// crate scores them, so that the same mask wins. Up to 64 modules a side (version 11: a URL of
/// up to some 180 characters) each row and column is a word and each rule a few operations on
/// it, all positions at once: scored module by module, the eight masks were 5% of a build with
/// a `base_url`.
fn penalty(dark: &[bool], n: usize) -> usize {
    if n > 64 {
        return penalty_by_module(dark, n);
    }
    // bit x of rows[y] and bit y of cols[x]: the module at (x, y) is dark
    let (mut rows, mut cols) = ([0u64; 64], [0u64; 64]);
    for (y, line) in dark.chunks(n).enumerate() {
        for (x, &d) in line.iter().enumerate() {
            rows[y] |= (d as u64) << x;
            cols[x] |= (d as u64) << y;
        }
    }
    let (rows, cols) = (&rows[..n], &cols[..n]);
    let full = u64::MAX >> (64 - n);
    // the positions where a window of k modules starts inside the line
    let starts = |k: usize| full >> (k - 1);
    let mut score = 0;
    for lines in [rows, cols] {
        let mut finders = 0;
        for &dark in lines {
            let light = !dark & full;
            // five alike from here; and here the first of them (the module before is the other
            // colour, or there is none)
            let dark5 = dark & dark >> 1 & dark >> 2 & dark >> 3 & dark >> 4 & starts(5);
            let light5 = light & light >> 1 & light >> 2 & light >> 3 & light >> 4 & starts(5);
            let first = (dark5 & !(dark << 1)) | (light5 & !(light << 1));
            score += (dark5.count_ones() + light5.count_ones() + 2 * first.count_ones()) as usize;
            let finder = dark & light >> 1 & dark >> 2 & dark >> 3 & dark >> 4 & light >> 5 & dark >> 6 & starts(7);
            let dark_before = dark << 1 | dark << 2 | dark << 3 | dark << 4;
            let dark_after = dark >> 7 | dark >> 8 | dark >> 9 | dark >> 10;
            finders += 40 * (finder & !(dark_before & dark_after)).count_ones() as usize;
        }
        score += finders - 360;
    }
    for pair in rows.windows(2) {
        let (upper, lower) = (pair[0], pair[1]);
        let (upper_light, lower_light) = (!upper & full, !lower & full);
        let dark4 = upper & upper >> 1 & lower & lower >> 1;
        let light4 = upper_light & upper_light >> 1 & lower_light & lower_light >> 1;
        score += 3 * ((dark4 | light4) & starts(2)).count_ones() as usize;
    }
    let ratio = rows.iter().map(|r| r.count_ones() as usize).sum::<usize>() * 200 / (n * n);
    score + ratio.abs_diff(100)
}

/// [`penalty`] module by module, for codes too large for a word per row.
fn penalty_by_module(dark: &[bool], n: usize) -> usize {
    // Counted without branches: on the modules of a code, which look random, a branch per
    // module was mispredicted half the time.
    let columns: Vec<bool> = (0..n * n).map(|i| dark[(i % n) * n + i / n]).collect();
    let mut score = 0;
    for grid in [dark, &columns] {
        let mut finders = 0;
        for line in grid.chunks(n) {
            // a run of five or more modules of one colour: its length − 2, that is one for each
            // five alike in a row it holds, and two more for the first of them
            for (j, w) in line.windows(5).enumerate() {
                let alike = (w[0] & w[1] & w[2] & w[3] & w[4]) | !(w[0] | w[1] | w[2] | w[3] | w[4]);
                let first = j == 0 || line[j - 1] != w[0];
                score += alike as usize * (1 + 2 * first as usize);
            }
            // dark-light-dark×3-light-dark without four light modules on either side: 40 (the
            // code's own finder patterns match 9 times in each direction, which are not counted)
            for (j, w) in line.windows(7).enumerate() {
                if w[0] & !w[1] & w[2] & w[3] & w[4] & !w[5] & w[6] {
                    let dark_in = |modules: &[bool]| modules.contains(&true);
                    if !dark_in(&line[j.saturating_sub(4)..j]) || !dark_in(&line[j + 7..(j + 11).min(n)]) {
                        finders += 40;
                    }
                }
            }
        }
        score += finders - 360;
    }
    // each 2×2 block of one colour: 3
    for (upper, lower) in dark.chunks(n).zip(dark.chunks(n).skip(1)) {
        for x in 0..n - 1 {
            let (a, b, c, d) = (upper[x], upper[x + 1], lower[x], lower[x + 1]);
            score += 3 * ((a & b & c & d) | !(a | b | c | d)) as usize;
        }
    }
    // the share of dark modules away from half: a point a half percent
    let ratio = dark.iter().filter(|&&d| d).count() * 200 / dark.len();
    score + ratio.abs_diff(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_becomes_an_inline_svg() {
        let svg = svg_for("https://www.huinong.gov.cn/gongbao/2022/02/p001.html").unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"本文网址的二维码\" class=\"qr\""), "{svg}");
        assert!(svg.contains("<path") && svg.ends_with("</svg>"), "{svg}");
        assert!(svg.contains("width=\"164\" height=\"164\" viewBox=\"0 0 41 41\""), "a 33-module code drawn at 4 px a module: {svg}");
        assert!(!svg.contains("style="), "inline styles break a strict CSP");
    }

    /// URLs of every length the archive makes and beyond, in the character classes a URL has.
    fn urls() -> impl Iterator<Item = String> {
        (0..400).map(|i| {
            let tail: String = (0..i % 150).map(|k| b"abcxyz0189-_./%ABC"[(i * 7 + k * 13) % 18] as char).collect();
            format!("https://www.gov{i}.cn/gongbao/{}/{:02}/p{i:03}{tail}.html", 1990 + i % 40, i % 12 + 1)
        })
    }

    #[test]
    fn the_modules_are_the_qrcode_crates_own_with_its_choice_of_mask() {
        for url in urls() {
            let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
            let expected: Vec<bool> = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
            assert_eq!(modules(&url), Some((expected, code.width())), "{url}");
        }
    }

    /// Every mask of every test URL and of a text filling each version from 1 to 11 (bytes at
    /// level M: 14, 26 … 251), scored by words as module by module.
    #[test]
    fn the_penalty_by_words_is_the_penalty_by_module() {
        let fills = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251].map(|bytes| "a".repeat(bytes));
        let mut widths = std::collections::BTreeSet::new();
        for url in urls().chain(fills) {
            let (masked, n) = masked_codes(url.as_bytes()).unwrap();
            for (dark, mask) in masked.iter().zip(MASKS) {
                assert_eq!(penalty(dark, n), penalty_by_module(dark, n), "{url} {mask:?}");
            }
            widths.insert(n);
        }
        assert_eq!(widths.into_iter().collect::<Vec<_>>(), (1..=11).map(|v| 17 + 4 * v).collect::<Vec<_>>());
    }

    #[test]
    fn a_chinese_path_is_percent_encoded_not_taken_for_shift_jis() {
        let url = "https://www.huinong.gov.cn/公报/2022/02/p001.html";
        let ascii = "https://www.huinong.gov.cn/%E5%85%AC%E6%8A%A5/2022/02/p001.html";
        assert_eq!(percent_encoded(url), ascii);
        let code = qrcode::QrCode::with_error_correction_level(ascii.as_bytes(), EcLevel::M).unwrap();
        let expected: Vec<bool> = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
        assert_eq!(modules(url), Some((expected, code.width())));
    }

    #[test]
    fn the_svg_draws_exactly_the_dark_modules() {
        for url in urls().step_by(7) {
            let (dark, n) = modules(&url).unwrap();
            let svg = svg_for(&url).unwrap();
            let d = &svg[svg.find(" d=\"").unwrap() + 4..svg.rfind("\"/>").unwrap()];
            let mut drawn = vec![false; n * n];
            for rect in d.split('M').skip(1) {
                // M{x} {y}h{run}v1h-{run}z
                let (xy, rest) = rect.split_once('h').unwrap();
                let (x, y) = xy.split_once(' ').unwrap();
                let (x, y): (usize, usize) = (x.parse::<usize>().unwrap() - QUIET, y.parse::<usize>().unwrap() - QUIET);
                let run: usize = rest.split_once('v').unwrap().0.parse().unwrap();
                assert_eq!(rest, format!("{run}v1h-{run}z"), "{rect}");
                for cell in &mut drawn[y * n + x..y * n + x + run] {
                    assert!(!*cell, "drawn twice: {rect}");
                    *cell = true;
                }
            }
            assert_eq!(drawn, dark, "{url}");
        }
    }

    #[test]
    fn a_url_too_long_for_any_code_has_none() {
        assert_eq!(svg_for(&format!("https://www.gov.cn/{}", "a".repeat(3000))), None);
    }
}
