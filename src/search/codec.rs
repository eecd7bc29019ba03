//! The bit code of posting lists, mirrored by `BitReader` and `readPostings` in `search.js`.
//!
//! A posting list is a stream of bits written into a JS string thirteen bits per two
//! characters (a 13-bit group `v` is `ALPHABET[v / 92]`, `ALPHABET[v % 92]`; the alphabet is
//! the 92 printable ASCII characters other than space, `"` and `\`, nothing to escape): 6.5
//! bits per byte. Numbers use Elias-gamma for counts
//! and exponential-Golomb with a parameter *derived from what the reader already knows* (number
//! of documents, the list's document frequency, a document's length in positions, the count),
//! so no parameter is stored and every number costs about log₂ of its expected size plus 1–2
//! bits.
//!
//! A list for key k:
//!
//! ```text
//! gamma(df)
//! per document, ascending:
//!     expgolomb(doc − previous doc − 1, doc_k(docs, df))
//!     gamma(count)
//!     then, for a one-token key, its first position:
//!         expgolomb(first, pos_k(span, 1))
//!     for a two-token key, every position, first absolute then gaps − 1:
//!         expgolomb(p₀, pos_k(span, count)), expgolomb(pᵢ − pᵢ₋₁ − 1, pos_k(span, count)) …
//! ```
//!
//! `span` is the document's position space length (`meta.spans`).

pub const ALPHABET: &[u8; 92] =
    b"!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
/// Bits per pair of characters: 2^13 = 8,192 ≤ 92².
pub const GROUP_BITS: u32 = 13;

/// ⌊log₂ n⌋, 0 for n ≤ 1.
fn ilog2(n: u64) -> u32 {
    if n <= 1 {
        0
    } else {
        63 - n.leading_zeros()
    }
}

/// Exp-Golomb parameter of the document gaps of a list found in `df` of `docs` documents.
pub fn doc_k(docs: u32, df: u32) -> u32 {
    ilog2(docs as u64 / df.max(1) as u64)
}

/// Exp-Golomb parameter of positions of a key found `count` times in a document spanning
/// `span` positions: about the log of the mean gap.
pub fn pos_k(span: u32, count: u32) -> u32 {
    ilog2(span as u64 / (count as u64 + 1))
}

/// Bits, most significant first, packed thirteen to two characters.
#[derive(Default)]
pub struct BitWriter {
    out: String,
    acc: u64,
    bits: u32,
}

impl BitWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the low `n` bits of `v` (n ≤ 25).
    pub fn bits(&mut self, v: u32, n: u32) {
        debug_assert!(n <= 25);
        if n == 0 {
            return;
        }
        self.acc = (self.acc << n) | (v as u64 & ((1u64 << n) - 1));
        self.bits += n;
        while self.bits >= GROUP_BITS {
            self.bits -= GROUP_BITS;
            let group = ((self.acc >> self.bits) & ((1 << GROUP_BITS) - 1)) as usize;
            self.out.push(ALPHABET[group / 92] as char);
            self.out.push(ALPHABET[group % 92] as char);
        }
        self.acc &= (1u64 << self.bits) - 1;
    }

    /// Elias-gamma of `v ≥ 1`: ⌊log₂ v⌋ zeros, then v in binary.
    pub fn gamma(&mut self, v: u32) {
        debug_assert!(v >= 1);
        let n = ilog2(v as u64);
        self.bits(0, n);
        // v has n + 1 significant bits; write them in two parts to stay under 25 bits a call
        if n + 1 > 16 {
            self.bits(v >> 16, n + 1 - 16);
            self.bits(v & 0xffff, 16);
        } else {
            self.bits(v, n + 1);
        }
    }

    /// Exp-Golomb of `v ≥ 0` with parameter `k`: gamma(v >> k + 1), then the low k bits.
    pub fn expgolomb(&mut self, v: u32, k: u32) {
        self.gamma((v >> k) + 1);
        if k > 16 {
            self.bits(v >> 16, k - 16);
            self.bits(v & 0xffff, 16);
        } else {
            self.bits(v, k);
        }
    }

    /// The characters, the last one padded with zero bits.
    pub fn finish(mut self) -> String {
        if self.bits > 0 {
            let pad = GROUP_BITS - self.bits;
            self.bits(0, pad);
        }
        self.out
    }
}

/// Reads what [`BitWriter`] wrote (tests; the client has its own).
pub struct BitReader<'a> {
    s: &'a [u8],
    pos: usize,
    acc: u32,
    bits: u32,
}

impl<'a> BitReader<'a> {
    pub fn new(s: &'a str) -> Self {
        BitReader { s: s.as_bytes(), pos: 0, acc: 0, bits: 0 }
    }

    fn bit(&mut self) -> Option<u32> {
        if self.bits == 0 {
            let digit = |c: u8| ALPHABET.iter().position(|&a| a == c).map(|d| d as u32);
            let (hi, lo) = (digit(*self.s.get(self.pos)?)?, digit(*self.s.get(self.pos + 1)?)?);
            self.pos += 2;
            self.acc = hi * 92 + lo;
            if self.acc >= 1 << GROUP_BITS {
                return None;
            }
            self.bits = GROUP_BITS;
        }
        self.bits -= 1;
        Some((self.acc >> self.bits) & 1)
    }

    pub fn bits(&mut self, n: u32) -> Option<u32> {
        let mut v = 0;
        for _ in 0..n {
            v = (v << 1) | self.bit()?;
        }
        Some(v)
    }

    pub fn gamma(&mut self) -> Option<u32> {
        let mut n = 0;
        while self.bit()? == 0 {
            n += 1;
            if n > 31 {
                return None;
            }
        }
        Some((1 << n) | self.bits(n)?)
    }

    pub fn expgolomb(&mut self, k: u32) -> Option<u32> {
        let high = self.gamma()? - 1;
        Some((high << k) | self.bits(k)?)
    }
}

/// Encodes one key's postings. `entries` is, per document in ascending order, `doc, count`
/// followed by every position (a bigram) or by the first position (a one-token key).
pub fn encode_list(total_docs: u32, spans: &[u32], entries: &[u32], bigram: bool) -> String {
    let mut df = 0u32;
    let mut j = 0;
    while j < entries.len() {
        df += 1;
        j += if bigram { 2 + entries[j + 1] as usize } else { 3 };
    }
    let mut w = BitWriter::new();
    w.gamma(df);
    let dk = doc_k(total_docs, df);
    let mut prev: i64 = -1;
    let mut j = 0;
    while j < entries.len() {
        let (doc, count) = (entries[j], entries[j + 1]);
        w.expgolomb((doc as i64 - prev - 1) as u32, dk);
        prev = doc as i64;
        w.gamma(count);
        let span = spans[doc as usize];
        if bigram {
            let k = pos_k(span, count);
            let mut last: i64 = -1;
            for &p in &entries[j + 2..j + 2 + count as usize] {
                w.expgolomb((p as i64 - last - 1) as u32, k);
                last = p as i64;
            }
            j += 2 + count as usize;
        } else {
            w.expgolomb(entries[j + 2], pos_k(span, 1));
            j += 3;
        }
    }
    w.finish()
}

/// Inverse of [`encode_list`] (tests).
pub fn decode_list(total_docs: u32, spans: &[u32], s: &str, bigram: bool) -> Option<Vec<u32>> {
    let mut r = BitReader::new(s);
    let df = r.gamma()?;
    let dk = doc_k(total_docs, df);
    let mut out = Vec::new();
    let mut prev: i64 = -1;
    for _ in 0..df {
        let doc = (prev + 1 + r.expgolomb(dk)? as i64) as u32;
        prev = doc as i64;
        let count = r.gamma()?;
        out.extend([doc, count]);
        let span = *spans.get(doc as usize)?;
        if bigram {
            let k = pos_k(span, count);
            let mut last: i64 = -1;
            for _ in 0..count {
                let p = (last + 1 + r.expgolomb(k)? as i64) as u32;
                out.push(p);
                last = p as i64;
            }
        } else {
            out.push(r.expgolomb(pos_k(span, 1))?);
        }
    }
    Some(out)
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
        for k in [0, 1, 5, 12, 17, 20] {
            for &v in &[0u32, 1, 63, 64, 4095, 99_999, 1 << 22] {
                w.expgolomb(v, k);
            }
        }
        let s = w.finish();
        assert!(s.bytes().all(|b| ALPHABET.contains(&b)));
        let mut r = BitReader::new(&s);
        for &v in &values {
            assert_eq!(r.gamma(), Some(v));
        }
        for k in [0, 1, 5, 12, 17, 20] {
            for &v in &[0u32, 1, 63, 64, 4095, 99_999, 1 << 22] {
                assert_eq!(r.expgolomb(k), Some(v), "k={k}");
            }
        }
    }

    #[test]
    fn small_numbers_are_short() {
        // count 1 is a single bit; a gap near its expected size costs about log₂ + 2 bits
        let mut w = BitWriter::new();
        w.gamma(1);
        w.expgolomb(100, pos_k(1000, 9)); // k = 6: 3 + 6 bits
        assert_eq!(w.finish().len(), 2);
        // two characters hold 13 bits: 14 bits take four
        let mut w = BitWriter::new();
        w.bits(0x3fff, 14);
        let s = w.finish();
        assert_eq!(s.len(), 4);
        let mut r = BitReader::new(&s);
        assert_eq!(r.bits(14), Some(0x3fff));
    }

    #[test]
    fn lists_round_trip() {
        let spans = [5000, 800, 120_000, 900];
        let bi = [0, 3, 770, 771, 4000, 2, 1, 5, 3, 2, 64, 119_999];
        let s = encode_list(4, &spans, &bi, true);
        assert_eq!(decode_list(4, &spans, &s, true).unwrap(), bi);
        let uni = [1, 7, 790, 2, 1, 100_000, 3, 4, 899];
        let s = encode_list(4, &spans, &uni, false);
        assert_eq!(decode_list(4, &spans, &s, false).unwrap(), uni);
        // a truncated list is an error, not a shorter list
        assert_eq!(decode_list(4, &spans, &s[..s.len() / 2], false), None);
    }
}
