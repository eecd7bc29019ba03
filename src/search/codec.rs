//! The bit code of posting lists, mirrored by `BitReader` and `readPostings` in `search.js`.
//!
//! A posting list is a stream of bits written into a JS string fifteen bits per character: a
//! 15-bit group `v` is the character U+3000 + `v` (U+3000–U+AFFF: no quote, backslash, line
//! terminator or surrogate, nothing to escape). Shard files are UTF-16, so that is 7.5 bits per
//! byte (the ASCII alphabet of format 5 carried 6.5). Counts are Elias-gamma; gaps are Rice
//! codes whose parameter is *derived from what the reader already knows* (number of documents,
//! the list's document frequency, a document's length in positions, the count), so no
//! parameter is stored, and a lone position is a truncated binary number over the document's
//! span. Each costs about log₂ of its
//! expected size plus 1–1.5 bits (the exp-Golomb code used before cost 0.5–2 bits more).
//!
//! A list for key k:
//!
//! ```text
//! gamma(df)
//! per document, ascending:
//!     rice(doc − previous doc − 1, doc_k(docs, df))
//!     gamma(count)
//!     for a two-token key, its positions:
//!         count = 1: truncated(p, span)
//!         count > 1: rice(p₀, pos_k(span, count)), rice(pᵢ − pᵢ₋₁ − 1, pos_k(span, count)) …
//!     for a one-token key, where it occurs (see [`Unigram`]), not its positions:
//!         bits(field, 2), [bit(in body) unless field = 3], [gamma(body location + 1)]
//! ```
//!
//! `span` is the document's position space length (`meta.spans`). Measured on the benchmark
//! corpus (18.8 million positions in 6.9 million (key, document) entries): positions 11.3
//! bits each, document gaps 5.5 and counts 2.2 bits per entry.

/// Bits per character, and the character of group 0.
pub const GROUP_BITS: u32 = 15;
pub const GROUP_BASE: u32 = 0x3000;

/// The UTF-16 unit (a character of U+3000–U+AFFF) that carries the 15-bit group `v`.
pub fn unit(v: u32) -> u16 {
    debug_assert!(v < 1 << GROUP_BITS);
    (GROUP_BASE + v) as u16
}

/// The group a UTF-16 unit carries; for any other unit `u16::MAX`, a value no group has, where
/// [`BitReader`] stops.
pub fn group(u: u16) -> u16 {
    let v = u.wrapping_sub(GROUP_BASE as u16);
    if v < 1 << GROUP_BITS {
        v
    } else {
        u16::MAX
    }
}

/// The groups of a string of group characters, for [`BitReader`].
pub fn units_of(s: &str) -> Vec<u16> {
    s.encode_utf16().map(group).collect()
}

/// ⌊log₂ n⌋, 0 for n ≤ 1.
fn ilog2(n: u64) -> u32 {
    if n <= 1 {
        0
    } else {
        63 - n.leading_zeros()
    }
}

/// Rice parameter of the document gaps of a list found in `df` of `docs` documents: about
/// log₂ of 0.69 × the mean gap, the best Rice parameter for geometric gaps. The count is
/// rounded up to a power of two ([`doc_count`]), so that adding an issue changes no list's
/// parameter (and so no shard) unless it crosses one; it costs the corpus under 0.1 MB.
pub fn doc_k(docs: u32, df: u32) -> u32 {
    ilog2(doc_count(docs) as u64 * 11 / 16 / df.max(1) as u64)
}

/// The document count the list code goes by: the next power of two.
pub fn doc_count(docs: u32) -> u32 {
    docs.next_power_of_two()
}

/// Rice parameter of the position gaps of a key found `count` ≥ 2 times in a document spanning
/// `span` positions.
pub fn pos_k(span: u32, count: u32) -> u32 {
    ilog2(span as u64 * 11 / 16 / count.max(1) as u64)
}

/// Rice quotients up to this are unary; larger ones escape to Elias-gamma, so a gap far from
/// its expected size (occurrences bunched in one article of a long law) costs log₂, not linear.
pub const RICE_ESCAPE: u32 = 16;

/// A coded list: its 15-bit groups, the last one padded with zero bits, and its length in
/// bits (lists follow one another in a shard without padding, see [`super::shard`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bits {
    pub units: Vec<u16>,
    pub len: u64,
}

/// Bits, most significant first, packed fifteen to a group (a character of the file).
#[derive(Default)]
pub struct BitWriter {
    out: Vec<u16>,
    acc: u64,
    bits: u32,
    len: u64,
}

impl BitWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the low `n` ≤ 32 bits of `v`.
    pub fn bits(&mut self, v: u32, n: u32) {
        self.put(v as u64, n);
    }

    /// Appends the low `n` ≤ 48 bits of `v` (fewer than 15 bits wait in `acc`, so at most 63).
    fn put(&mut self, v: u64, n: u32) {
        debug_assert!(n <= MAX_PUT);
        if n == 0 {
            return;
        }
        self.acc = (self.acc << n) | (v & ((1u64 << n) - 1));
        self.bits += n;
        self.len += n as u64;
        while self.bits >= GROUP_BITS {
            self.bits -= GROUP_BITS;
            self.out.push(((self.acc >> self.bits) & ((1 << GROUP_BITS) - 1)) as u16);
        }
        self.acc &= (1u64 << self.bits) - 1;
    }

    /// Elias-gamma of `v ≥ 1`: ⌊log₂ v⌋ zeros, then v in binary (the zeros are v's own
    /// leading zeros in 2⌊log₂ v⌋ + 1 bits).
    pub fn gamma(&mut self, v: u32) {
        debug_assert!(v >= 1);
        let n = ilog2(v as u64);
        if 2 * n < MAX_PUT {
            self.put(v as u64, 2 * n + 1);
        } else {
            self.put(0, n);
            self.put(v as u64, n + 1);
        }
    }

    /// Rice code of `v ≥ 0` with parameter `k`: the quotient `v >> k` in unary (ones ended by a
    /// zero) or, from [`RICE_ESCAPE`] on, that many ones and gamma(q − RICE_ESCAPE + 1); then
    /// the low k bits.
    pub fn rice(&mut self, v: u32, k: u32) {
        let q = v >> k;
        let low = v as u64 & ((1u64 << k) - 1);
        if q < RICE_ESCAPE && q + 1 + k <= MAX_PUT {
            // q ones, a zero, the low bits: one write
            self.put((((1u64 << q) - 1) << (k + 1)) | low, q + 1 + k);
        } else if q < RICE_ESCAPE {
            self.put(((1u64 << q) - 1) << 1, q + 1);
            self.put(low, k);
        } else {
            self.put((1 << RICE_ESCAPE) - 1, RICE_ESCAPE);
            self.gamma(q - RICE_ESCAPE + 1);
            self.put(low, k);
        }
    }

    /// `v` in `[0, n)` as a truncated binary number: ⌊log₂ n⌋ or ⌈log₂ n⌉ bits.
    pub fn truncated(&mut self, v: u32, n: u32) {
        debug_assert!(v < n);
        if n <= 1 {
            return;
        }
        let b = 32 - (n - 1).leading_zeros(); // ⌈log₂ n⌉
        let short = ((1u64 << b) - n as u64) as u32;
        if v < short {
            self.bits(v, b - 1);
        } else {
            self.bits(v + short, b);
        }
    }

    /// Appends the bits of `b`.
    pub fn append(&mut self, b: &Bits) {
        let full = (b.len / GROUP_BITS as u64) as usize;
        if self.bits == 0 {
            // on a group boundary: the groups as they are
            self.out.extend_from_slice(&b.units[..full]);
            self.len += full as u64 * GROUP_BITS as u64;
        } else {
            for pair in b.units[..full].chunks(2) {
                match *pair {
                    [x, y] => self.put(((x as u64) << GROUP_BITS) | y as u64, 2 * GROUP_BITS),
                    [x] => self.put(x as u64, GROUP_BITS),
                    _ => unreachable!("chunks of two"),
                }
            }
        }
        let rest = (b.len % GROUP_BITS as u64) as u32;
        if rest > 0 {
            self.put((b.units[full] >> (GROUP_BITS - rest)) as u64, rest);
        }
    }

    /// The characters, the last one padded with zero bits.
    pub fn finish(self) -> String {
        String::from_utf16(&self.finish_bits().units.iter().map(|&g| unit(g as u32)).collect::<Vec<_>>()).expect("group units are characters")
    }

    pub fn finish_bits(mut self) -> Bits {
        let len = self.len;
        if self.bits > 0 {
            let pad = GROUP_BITS - self.bits;
            self.bits(0, pad);
        }
        Bits { units: self.out, len }
    }
}

/// The most bits [`BitWriter::put`] takes at once.
const MAX_PUT: u32 = 64 - GROUP_BITS - 1;

/// Reads what [`BitWriter`] wrote (the build, to edit lists in place; the client has its own).
/// Bits are taken from a 64-bit window refilled a group at a time; a value no group has ends
/// the input there, so reading past it is `None`, as reading past the end is.
pub struct BitReader<'a> {
    s: &'a [u16],
    pos: usize,
    /// Where the input ends: its length, or a malformed group.
    end: usize,
    /// The low `bits` bits of `acc` are the next bits, most significant first.
    acc: u64,
    bits: u32,
}

impl<'a> BitReader<'a> {
    pub fn new(s: &'a [u16]) -> Self {
        BitReader { s, pos: 0, end: s.len(), acc: 0, bits: 0 }
    }

    /// Bits read so far.
    pub fn consumed(&self) -> u64 {
        self.pos as u64 * GROUP_BITS as u64 - self.bits as u64
    }

    /// The next `n` bits, as a list of their own.
    pub fn take(&mut self, mut n: u64) -> Option<Bits> {
        let mut w = BitWriter::new();
        while n > 0 {
            let k = n.min(2 * GROUP_BITS as u64) as u32;
            w.put(self.bits(k)? as u64, k);
            n -= k as u64;
        }
        Some(w.finish_bits())
    }

    fn refill(&mut self) {
        while self.bits <= 64 - GROUP_BITS {
            if self.pos >= self.end {
                return;
            }
            let group = self.s[self.pos];
            if group >= 1 << GROUP_BITS {
                self.end = self.pos; // not written by BitWriter: the input ends here
                return;
            }
            let group = group as u64;
            self.pos += 1;
            self.acc = (self.acc << GROUP_BITS) | group;
            self.bits += GROUP_BITS;
        }
    }

    /// The next `n` ≤ 32 bits.
    pub fn bits(&mut self, n: u32) -> Option<u32> {
        if self.bits < n {
            self.refill();
            if self.bits < n {
                return None;
            }
        }
        self.bits -= n;
        Some(((self.acc >> self.bits) & ((1u64 << n) - 1)) as u32)
    }

    pub fn bit(&mut self) -> Option<u32> {
        self.bits(1)
    }

    /// How many bits equal to `one` come next (at most `max`), consumed.
    fn run(&mut self, one: bool, max: u32) -> Option<u32> {
        let mut n = 0;
        while n < max {
            if self.bits == 0 {
                self.refill();
                if self.bits == 0 {
                    return None;
                }
            }
            let window = self.acc << (64 - self.bits); // the next bits, at the top
            let same = if one { window.leading_ones() } else { window.leading_zeros() }.min(self.bits).min(max - n);
            n += same;
            self.bits -= same;
            if self.bits > 0 && n < max {
                return Some(n); // the next bit differs
            }
        }
        Some(n)
    }

    pub fn gamma(&mut self) -> Option<u32> {
        let n = self.run(false, 32)?;
        if n > 31 {
            return None;
        }
        self.bit()?; // the leading one
        Some((1 << n) | self.bits(n)?)
    }

    pub fn rice(&mut self, k: u32) -> Option<u32> {
        let mut q = self.run(true, RICE_ESCAPE)?;
        if q < RICE_ESCAPE {
            self.bit()?; // the zero that ends it
        } else {
            q = self.gamma()? + RICE_ESCAPE - 1;
        }
        Some((q << k) | self.bits(k)?)
    }

    pub fn truncated(&mut self, n: u32) -> Option<u32> {
        if n <= 1 {
            return Some(0);
        }
        let b = 32 - (n - 1).leading_zeros();
        let short = ((1u64 << b) - n as u64) as u32;
        let v = self.bits(b - 1)?;
        if v < short {
            Some(v)
        } else {
            Some(((v << 1) | self.bit()?) - short)
        }
    }
}

/// Where a one-token key first occurs in a document: the field of its first occurrence
/// (0 发文字号, 1 title, 2 发文机关, 3 body) and, when it occurs in the body, where first:
/// `Some(0)` within the head's first [`super::index::HEAD_USE`] tokens, `Some(1 + c)` in
/// excerpt chunk `c` beyond that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unigram {
    pub doc: u32,
    pub count: u32,
    pub field: u32,
    pub body: Option<u32>,
}

/// Encodes a two-token key's postings: per document, ascending, its positions (ascending).
/// For a single occurrence the position is uniform in the document's span: truncated binary;
/// for more, Rice-coded gaps.
pub fn encode_bigram<'a>(total_docs: u32, spans: &[u32], df: u32, entries: impl Iterator<Item = (u32, &'a [u32])>) -> Bits {
    let entries = entries.map(|(doc, positions)| (doc, positions.len() as u32, positions));
    encode_list(total_docs, df, entries, |w, doc, positions| {
        let span = spans[doc as usize];
        if let [p] = positions {
            w.truncated(*p, span);
            return;
        }
        let k = pos_k(span, positions.len() as u32);
        let mut last: i64 = -1;
        for &p in positions {
            w.rice((p as i64 - last - 1) as u32, k);
            last = p as i64;
        }
    })
}

/// Encodes a one-token key's postings: per document its count and [`Unigram`] location in
/// two to a few bits, not its positions (a one-token query needs no phrase check).
pub fn encode_unigram(total_docs: u32, df: u32, entries: impl Iterator<Item = Unigram>) -> Bits {
    encode_list(total_docs, df, entries.map(|e| (e.doc, e.count, e)), |w, _, e| {
        w.bits(e.field, 2);
        if e.field != 3 {
            w.bits(e.body.is_some() as u32, 1);
        }
        if let Some(b) = e.body {
            w.gamma(b + 1);
        }
    })
}

/// Writes a list's header and, per document (ascending), its number and count; `entry`
/// writes the rest.
fn encode_list<T>(total_docs: u32, df: u32, entries: impl Iterator<Item = (u32, u32, T)>, mut entry: impl FnMut(&mut BitWriter, u32, T)) -> Bits {
    let mut w = BitWriter::new();
    w.gamma(df);
    let dk = doc_k(total_docs, df);
    let mut prev: i64 = -1;
    for (doc, count, rest) in entries {
        w.rice((doc as i64 - prev - 1) as u32, dk);
        prev = doc as i64;
        w.gamma(count);
        entry(&mut w, doc, rest);
    }
    w.finish_bits()
}

/// Reads a list's header and, per document, its number and count; `entry` reads the rest.
fn read_list<T>(r: &mut BitReader, total_docs: u32, mut entry: impl FnMut(&mut BitReader, u32, u32) -> Option<T>) -> Option<Vec<T>> {
    let df = r.gamma()?;
    let dk = doc_k(total_docs, df);
    let mut out = Vec::new();
    let mut prev: i64 = -1;
    for _ in 0..df {
        let doc = (prev + 1 + r.rice(dk)? as i64) as u32;
        prev = doc as i64;
        let count = r.gamma()?;
        out.push(entry(r, doc, count)?);
    }
    Some(out)
}

/// Inverse of [`encode_bigram`]: (doc, positions) per document.
pub fn decode_bigram(total_docs: u32, spans: &[u32], s: &Bits) -> Option<Vec<(u32, Vec<u32>)>> {
    read_bigram(&mut BitReader::new(&s.units), total_docs, spans)
}

/// Inverse of [`encode_unigram`].
pub fn decode_unigram(total_docs: u32, s: &Bits) -> Option<Vec<Unigram>> {
    read_unigram(&mut BitReader::new(&s.units), total_docs)
}

/// Reads past a two-token key's list, keeping nothing: where does it end?
pub fn skip_bigram(r: &mut BitReader, total_docs: u32, spans: &[u32]) -> Option<()> {
    read_list(r, total_docs, |r, doc, count| {
        let span = *spans.get(doc as usize)?;
        if count == 1 {
            r.truncated(span)?;
        } else {
            let k = pos_k(span, count);
            for _ in 0..count {
                r.rice(k)?;
            }
        }
        Some(())
    })
    .map(drop)
}

/// [`decode_bigram`] from where `r` is.
pub fn read_bigram(r: &mut BitReader, total_docs: u32, spans: &[u32]) -> Option<Vec<(u32, Vec<u32>)>> {
    read_list(r, total_docs, |r, doc, count| {
        let span = *spans.get(doc as usize)?;
        if count == 1 {
            return Some((doc, vec![r.truncated(span)?]));
        }
        let k = pos_k(span, count);
        let mut positions = Vec::new();
        let mut last: i64 = -1;
        for _ in 0..count {
            let p = (last + 1 + r.rice(k)? as i64) as u32;
            positions.push(p);
            last = p as i64;
        }
        Some((doc, positions))
    })
}

/// [`decode_unigram`] from where `r` is.
pub fn read_unigram(r: &mut BitReader, total_docs: u32) -> Option<Vec<Unigram>> {
    read_list(r, total_docs, |r, doc, count| {
        let field = r.bits(2)?;
        let in_body = field == 3 || r.bit()? == 1;
        let body = if in_body { Some(r.gamma()? - 1) } else { None };
        Some(Unigram { doc, count, field, body })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        let mut w = BitWriter::new();
        let values = [1u32, 2, 3, 7, 8, 1000, 65535, 65536, 1 << 24, u32::MAX >> 1];
        for &v in &values {
            w.gamma(v);
        }
        let s = w.finish();
        assert!(units_of(&s).iter().all(|&g| g < 1 << GROUP_BITS));
        let units = units_of(&s);
        let mut r = BitReader::new(&units);
        for &v in &values {
            assert_eq!(r.gamma(), Some(v));
        }
    }

    #[test]
    fn rice_and_truncated_round_trip() {
        let mut w = BitWriter::new();
        let cases: Vec<(u32, u32)> = [0u32, 1, 2, 5, 12, 17, 23].iter().flat_map(|&k| [0u32, 1, 63, 64, 4095, 99_999, 1 << 22, u32::MAX >> 2].map(move |v| (v, k))).collect();
        for &(v, k) in &cases {
            w.rice(v, k);
        }
        let ranges = [1u32, 2, 3, 5, 768, 1000, 1024, 1025, 7_000_000];
        for &n in &ranges {
            for v in [0, n / 3, n / 2, n - 1] {
                w.truncated(v, n);
            }
        }
        let s = w.finish();
        let units = units_of(&s);
        let mut r = BitReader::new(&units);
        for &(v, k) in &cases {
            assert_eq!(r.rice(k), Some(v), "v={v} k={k}");
        }
        for &n in &ranges {
            for v in [0, n / 3, n / 2, n - 1] {
                assert_eq!(r.truncated(n), Some(v), "v={v} n={n}");
            }
        }
    }

    #[test]
    fn a_malformed_or_short_list_reads_as_none_not_a_panic() {
        let mut w = BitWriter::new();
        w.rice(1000, 3);
        let s = w.finish();
        let cut: String = s.chars().take(s.chars().count() - 1).collect();
        assert_eq!(BitReader::new(&units_of(&cut)).rice(3), None, "cut short");
        let first = s.chars().next().unwrap();
        for bad in ['"', '!', '\u{2fff}', '\u{b000}', '\u{1f600}'] {
            // a character that carries no group
            let bad = format!("{first}{bad}{first}");
            let units = units_of(&bad);
            let mut r = BitReader::new(&units);
            assert!(r.bits(15).is_some());
            assert_eq!(r.bits(1), None, "{bad}");
        }
        assert_eq!(BitReader::new(&[]).gamma(), None);
        assert_eq!(BitReader::new(&[0; 5]).gamma(), None, "no one bit: no gamma code");
    }

    #[test]
    fn small_numbers_are_short() {
        // a gap near its expected size costs about log₂ + 1.5 bits; a lone position log₂ span
        let mut w = BitWriter::new();
        w.gamma(1);
        w.rice(100, pos_k(1000, 9)); // k = 6: 2 + 1 + 6 bits
        assert_eq!(w.finish().chars().count(), 1);
        let mut w = BitWriter::new();
        w.truncated(700, 1024);
        w.truncated(3, 768);
        assert_eq!(w.finish().chars().count(), 2); // 10 + 10 bits
        // a character holds 15 bits: 16 bits take two
        let mut w = BitWriter::new();
        w.bits(0xffff, 16);
        let s = w.finish();
        assert_eq!(s.chars().count(), 2);
        let units = units_of(&s);
        let mut r = BitReader::new(&units);
        assert_eq!(r.bits(16), Some(0xffff));
    }

    #[test]
    fn lists_round_trip() {
        let spans = [5000, 800, 120_000, 900];
        let bi: Vec<(u32, Vec<u32>)> = vec![(0, vec![770, 771, 4000]), (1, vec![5]), (2, vec![2, 64, 119_999]), (3, vec![899])];
        let s = encode_bigram(4, &spans, 4, bi.iter().map(|(d, p)| (*d, p.as_slice())));
        assert_eq!(decode_bigram(4, &spans, &s).unwrap(), bi);
        let uni = vec![
            Unigram { doc: 1, count: 7, field: 1, body: Some(0) },
            Unigram { doc: 2, count: 1, field: 0, body: None },
            Unigram { doc: 3, count: 4, field: 3, body: Some(5) },
        ];
        let s = encode_unigram(4, 3, uni.iter().copied());
        assert_eq!(decode_unigram(4, &s).unwrap(), uni);
        // a truncated list is an error, not a shorter list
        let half = Bits { units: s.units[..s.units.len() / 2].to_vec(), len: s.len / 2 };
        assert_eq!(decode_unigram(4, &half), None);
    }

    #[test]
    fn lists_follow_one_another_without_padding() {
        let spans = [5000, 800];
        let a = encode_bigram(2, &spans, 2, [(0u32, &[770u32, 900][..]), (1, &[5][..])].into_iter());
        let b = encode_unigram(2, 1, [Unigram { doc: 1, count: 3, field: 3, body: Some(2) }].into_iter());
        let mut w = BitWriter::new();
        w.append(&a);
        w.append(&b);
        w.append(&a);
        let all = w.finish_bits();
        assert_eq!(all.len, 2 * a.len + b.len);
        let mut r = BitReader::new(&all.units);
        assert_eq!(read_bigram(&mut r, 2, &spans), decode_bigram(2, &spans, &a));
        assert_eq!(r.consumed(), a.len);
        assert_eq!(read_unigram(&mut r, 2), decode_unigram(2, &b));
        assert_eq!(r.take(a.len).unwrap(), a);
    }
}
