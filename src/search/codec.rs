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

/// `v` in `[0, n)` as a truncated binary number: its bits and their count, ⌊log₂ n⌋ or
/// ⌈log₂ n⌉ (none for n ≤ 1).
pub fn truncated_code(v: u32, n: u32) -> (u32, u32) {
    if n <= 1 {
        return (0, 0);
    }
    let b = 32 - (n - 1).leading_zeros(); // ⌈log₂ n⌉
    let short = ((1u64 << b) - n as u64) as u32;
    if v < short {
        (v, b - 1)
    } else {
        (v + short, b)
    }
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

    /// `v` in `[0, n)` as a truncated binary number (see [`truncated_code`]).
    pub fn truncated(&mut self, v: u32, n: u32) {
        debug_assert!(v < n);
        let (bits, len) = truncated_code(v, n);
        self.bits(bits, len);
    }

    /// Appends the bits of `b`.
    pub fn append(&mut self, b: &Bits) {
        self.append_range(&b.units, 0, b.len);
    }

    /// Appends bits `from..to` of the groups `units`: a group at a time once the source is on
    /// a group boundary (the groups as they are when this writer is on one too).
    pub fn append_range(&mut self, units: &[u16], from: u64, to: u64) {
        let g = GROUP_BITS as u64;
        let mut at = from;
        let lead = ((g - at % g) % g).min(to.saturating_sub(at)) as u32;
        if lead > 0 {
            let used = (at % g) as u32;
            self.put((units[(at / g) as usize] >> (GROUP_BITS - used - lead)) as u64, lead);
            at += lead as u64;
        }
        if at >= to {
            return;
        }
        let (first, full) = ((at / g) as usize, (to / g) as usize);
        if self.bits == 0 {
            self.out.extend_from_slice(&units[first..full]);
        } else {
            // each group out is the bits waiting in `acc` and the top of the next group in
            let (waiting, mut acc) = (self.bits, self.acc);
            self.out.reserve(full - first);
            for &x in &units[first..full] {
                acc = (acc << GROUP_BITS) | x as u64;
                self.out.push((acc >> waiting) as u16 & ((1 << GROUP_BITS) - 1));
                acc &= (1 << waiting) - 1;
            }
            self.acc = acc;
        }
        self.len += (full - first) as u64 * g;
        let rest = (to % g) as u32;
        if rest > 0 {
            self.put((units[full] >> (GROUP_BITS - rest)) as u64, rest);
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
    #[cfg(test)]
    pub fn take(&mut self, n: u64) -> Option<Bits> {
        let start = self.consumed();
        self.skip(n)?;
        let mut w = BitWriter::new();
        w.append_range(self.s, start, start + n);
        Some(w.finish_bits())
    }

    /// Reads past the next `n` bits, whole groups without reading them into the window.
    #[cfg(test)]
    fn skip(&mut self, n: u64) -> Option<()> {
        if n <= self.bits as u64 {
            self.bits -= n as u32;
            return Some(());
        }
        let n = n - self.bits as u64;
        let groups = (n / GROUP_BITS as u64) as usize;
        let skipped = self.s.get(self.pos..self.end)?.get(..groups)?;
        if skipped.iter().any(|&g| g >= 1 << GROUP_BITS) {
            return None; // a value no group has: the input ends there
        }
        self.pos += groups;
        (self.acc, self.bits) = (0, 0);
        self.bits((n % GROUP_BITS as u64) as u32).map(drop)
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

    /// Reads past `count` Rice codes of parameter `k`: in one step each where the window holds
    /// the whole code (a splice reads past most positions of every list it edits).
    pub fn skip_rice(&mut self, k: u32, count: u32) -> Option<()> {
        for _ in 0..count {
            if self.bits < RICE_ESCAPE + 1 + k {
                self.refill();
            }
            let q = if self.bits == 0 { u32::MAX } else { (self.acc << (64 - self.bits)).leading_ones() };
            if q < RICE_ESCAPE && q + 1 + k <= self.bits {
                self.bits -= q + 1 + k;
            } else {
                self.rice(k)?;
            }
        }
        Some(())
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

/// Writes a two-token key's positions in one document: a lone position is uniform in the
/// document's span (truncated binary); more are Rice-coded gaps.
fn write_positions(w: &mut BitWriter, span: u32, positions: &[u32]) {
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
}

#[cfg(test)]
fn read_positions(r: &mut BitReader, span: u32, count: u32) -> Option<Vec<u32>> {
    if count == 1 {
        return Some(vec![r.truncated(span)?]);
    }
    let k = pos_k(span, count);
    let mut positions = Vec::with_capacity(count as usize);
    let mut last: i64 = -1;
    for _ in 0..count {
        let p = (last + 1 + r.rice(k)? as i64) as u32;
        positions.push(p);
        last = p as i64;
    }
    Some(positions)
}

/// Reads past one document's positions, keeping nothing.
fn skip_positions(r: &mut BitReader, span: u32, count: u32) -> Option<()> {
    if count == 1 {
        return r.truncated(span).map(drop);
    }
    r.skip_rice(pos_k(span, count), count)
}

/// Writes where a one-token key occurs in one document.
fn write_where(w: &mut BitWriter, e: &Unigram) {
    w.bits(e.field, 2);
    if e.field != 3 {
        w.bits(e.body.is_some() as u32, 1);
    }
    if let Some(b) = e.body {
        w.gamma(b + 1);
    }
}

fn read_where(r: &mut BitReader, doc: u32, count: u32) -> Option<Unigram> {
    let field = r.bits(2)?;
    let in_body = field == 3 || r.bit()? == 1;
    let body = if in_body { Some(r.gamma()? - 1) } else { None };
    Some(Unigram { doc, count, field, body })
}

/// Encodes a two-token key's postings: per document, ascending, its positions (ascending).
pub fn encode_bigram<'a>(total_docs: u32, spans: &[u32], df: u32, entries: impl Iterator<Item = (u32, &'a [u32])>) -> Bits {
    let entries = entries.map(|(doc, positions)| (doc, positions.len() as u32, positions));
    encode_list(total_docs, df, entries, |w, doc, positions| write_positions(w, spans[doc as usize], positions))
}

/// Encodes a one-token key's postings: per document its count and [`Unigram`] location in
/// two to a few bits, not its positions (a one-token query needs no phrase check).
pub fn encode_unigram(total_docs: u32, df: u32, entries: impl Iterator<Item = Unigram>) -> Bits {
    encode_list(total_docs, df, entries.map(|e| (e.doc, e.count, e)), |w, _, e| write_where(w, &e))
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
#[cfg(test)]
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

/// Inverse of [`encode_bigram`]: (doc, positions) per document (tests: the build splices lists
/// without decoding them, the client has its own reader).
#[cfg(test)]
pub fn decode_bigram(total_docs: u32, spans: &[u32], s: &Bits) -> Option<Vec<(u32, Vec<u32>)>> {
    read_bigram(&mut BitReader::new(&s.units), total_docs, spans)
}

/// Inverse of [`encode_unigram`].
#[cfg(test)]
pub fn decode_unigram(total_docs: u32, s: &Bits) -> Option<Vec<Unigram>> {
    read_unigram(&mut BitReader::new(&s.units), total_docs)
}

/// [`decode_bigram`] from where `r` is.
#[cfg(test)]
pub fn read_bigram(r: &mut BitReader, total_docs: u32, spans: &[u32]) -> Option<Vec<(u32, Vec<u32>)>> {
    read_list(r, total_docs, |r, doc, count| Some((doc, read_positions(r, *spans.get(doc as usize)?, count)?)))
}

/// [`decode_unigram`] from where `r` is.
#[cfg(test)]
pub fn read_unigram(r: &mut BitReader, total_docs: u32) -> Option<Vec<Unigram>> {
    read_list(r, total_docs, read_where)
}

/// One document's change to a list: whether the list held it before, and what it holds now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit<T> {
    pub doc: u32,
    pub was: bool,
    pub now: Option<T>,
}

/// [`encode_bigram`] of a list with some documents' entries changed (`edits`, by document),
/// the others' taken from `old` without decoding them; see [`splice_list`].
pub fn splice_bigram(old: Option<&Bits>, total_docs: u32, old_spans: &[u32], spans: &[u32], edits: &[Edit<Vec<u32>>]) -> Option<Option<Bits>> {
    splice_list(
        old,
        total_docs,
        edits,
        |positions| positions.len() as u32,
        |r, doc, count| skip_positions(r, *old_spans.get(doc as usize)?, count),
        |w, doc, positions| write_positions(w, spans[doc as usize], positions),
    )
}

/// [`encode_unigram`] of a list with some documents' entries changed.
pub fn splice_unigram(old: Option<&Bits>, total_docs: u32, edits: &[Edit<Unigram>]) -> Option<Option<Bits>> {
    splice_list(old, total_docs, edits, |e| e.count, |r, doc, count| read_where(r, doc, count).map(drop), |w, _, e| write_where(w, e))
}

/// The list `old` (none: empty) with the entries of the documents in `edits` (ascending)
/// replaced, as [`encode_list`] would write it; `Some(None)` when no document is left, `None`
/// when `old` does not read as a list holding the documents the edits say it held.
///
/// A correction changes one document of some thousand lists, long ones among them: they are
/// not decoded and coded again. The other documents' entries are read past (`skip`) and their
/// bits copied; once the last edit is written, the rest of the old list is copied whole when
/// its document gaps still count from the same document under the same parameter (the
/// document count unchanged).
fn splice_list<T>(
    old: Option<&Bits>,
    total_docs: u32,
    edits: &[Edit<T>],
    count: impl Fn(&T) -> u32,
    skip: impl Fn(&mut BitReader, u32, u32) -> Option<()>,
    write: impl Fn(&mut BitWriter, u32, &T),
) -> Option<Option<Bits>> {
    let empty = Bits::default();
    let old = old.unwrap_or(&empty);
    let mut r = BitReader::new(&old.units);
    let old_df = if old.len == 0 { 0 } else { r.gamma()? };
    let came = edits.iter().filter(|e| !e.was && e.now.is_some()).count() as u32;
    let gone = edits.iter().filter(|e| e.was && e.now.is_none()).count() as u32;
    let df = old_df.checked_add(came)?.checked_sub(gone)?;
    let (old_dk, dk) = (doc_k(total_docs, old_df), doc_k(total_docs, df));
    let mut w = BitWriter::new();
    if df > 0 {
        w.gamma(df);
    }
    // the last document written, and the last one read from the old list
    let (mut prev, mut old_prev) = (-1i64, -1i64);
    let put = |w: &mut BitWriter, prev: &mut i64, doc: u32, entry: &T| {
        w.rice((doc as i64 - *prev - 1) as u32, dk);
        w.gamma(count(entry));
        write(w, doc, entry);
        *prev = doc as i64;
    };
    let mut edits = edits.iter().peekable();
    // Where a run of old entries starts whose bits stay as they are (each follows the same
    // document as before, under the same parameter): copied in one go when the run ends, not
    // entry by entry (a new issue appends to the end of thousands of long lists).
    let mut run: Option<u64> = None;
    let flush = |w: &mut BitWriter, run: &mut Option<u64>, end: u64| {
        if let Some(from) = run.take() {
            w.append_range(&old.units, from, end);
        }
    };
    for _ in 0..old_df {
        let start = r.consumed();
        if edits.peek().is_none() && dk == old_dk && prev == old_prev {
            flush(&mut w, &mut run, start);
            w.append_range(&old.units, start, old.len);
            return Some(Some(w.finish_bits()));
        }
        let before = old_prev;
        let doc = u32::try_from(old_prev + 1 + r.rice(old_dk)? as i64).ok()?;
        old_prev = doc as i64;
        let n = r.gamma()?;
        let from = r.consumed();
        skip(&mut r, doc, n)?;
        while let Some(e) = edits.next_if(|e| e.doc < doc) {
            if e.was {
                return None; // the old list should have held it
            }
            if let Some(entry) = &e.now {
                flush(&mut w, &mut run, start);
                put(&mut w, &mut prev, e.doc, entry);
            }
        }
        if let Some(e) = edits.next_if(|e| e.doc == doc) {
            if !e.was {
                return None;
            }
            flush(&mut w, &mut run, start);
            if let Some(entry) = &e.now {
                put(&mut w, &mut prev, doc, entry);
            }
            continue;
        }
        if dk == old_dk && prev == before {
            run.get_or_insert(start);
        } else {
            flush(&mut w, &mut run, start);
            w.rice((doc as i64 - prev - 1) as u32, dk);
            w.gamma(n);
            w.append_range(&old.units, from, r.consumed());
        }
        prev = doc as i64;
    }
    flush(&mut w, &mut run, r.consumed());
    for e in edits {
        if e.was {
            return None;
        }
        if let Some(entry) = &e.now {
            put(&mut w, &mut prev, e.doc, entry);
        }
    }
    // nothing left is still checked against the old list: every document of it removed
    (r.consumed() == old.len).then(|| (df > 0).then(|| w.finish_bits()))
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
    fn a_spliced_list_is_the_list_coded_anew() {
        // a small generator, so that the cases are the same on every run
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u32| -> u32 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as u32
        };
        let total = 64u32;
        let old_spans: Vec<u32> = (0..total).map(|_| 800 + next(5000)).collect();
        for case in 0..300 {
            // the edited documents' spans may change; the others' never do
            let mut spans = old_spans.clone();
            let held: Vec<u32> = (0..total).filter(|_| next(3) == 0).collect();
            let positions = |doc: u32, span: &[u32], next: &mut dyn FnMut(u32) -> u32| -> Vec<u32> {
                let mut p: Vec<u32> = (0..1 + next(if case % 2 == 0 { 3 } else { 40 })).map(|_| next(span[doc as usize])).collect();
                p.sort_unstable();
                p.dedup();
                p
            };
            let old: Vec<(u32, Vec<u32>)> = held.iter().map(|&d| (d, positions(d, &old_spans, &mut next))).collect();
            let edited: Vec<u32> = {
                let mut e: Vec<u32> = (0..1 + next(4)).map(|_| if next(4) == 0 { total - 1 - next(3) } else { next(total) }).collect();
                e.sort_unstable();
                e.dedup();
                e
            };
            let mut new: Vec<(u32, Vec<u32>)> = old.iter().filter(|(d, _)| !edited.contains(d)).cloned().collect();
            let mut edits = Vec::new();
            for &doc in &edited {
                if next(4) == 0 {
                    spans[doc as usize] = 800 + next(5000);
                }
                let now = (next(3) != 0).then(|| positions(doc, &spans, &mut next));
                if let Some(p) = &now {
                    new.push((doc, p.clone()));
                }
                edits.push(Edit { doc, was: held.contains(&doc), now });
            }
            new.sort_unstable_by_key(|(d, _)| *d);
            let code = |list: &[(u32, Vec<u32>)], spans: &[u32]| encode_bigram(total, spans, list.len() as u32, list.iter().map(|(d, p)| (*d, p.as_slice())));
            let before = (!old.is_empty()).then(|| code(&old, &old_spans));
            let expected = (!new.is_empty()).then(|| code(&new, &spans));
            assert_eq!(splice_bigram(before.as_ref(), total, &old_spans, &spans, &edits), Some(expected), "case {case}: {edits:?}");

            let where_of = |e: &(u32, Vec<u32>)| {
                let field = e.1[0] % 4; // a field of 3 (the body) has a body location
                Unigram { doc: e.0, count: e.1.len() as u32, field, body: (field == 3 || !e.1[0].is_multiple_of(3)).then_some(e.1[0] % 9) }
            };
            let code = |list: &[(u32, Vec<u32>)]| encode_unigram(total, list.len() as u32, list.iter().map(where_of));
            let before = (!old.is_empty()).then(|| code(&old));
            let unigram_edits: Vec<Edit<Unigram>> =
                edits.iter().map(|e| Edit { doc: e.doc, was: e.was, now: e.now.as_ref().map(|p| where_of(&(e.doc, p.clone()))) }).collect();
            assert_eq!(splice_unigram(before.as_ref(), total, &unigram_edits), Some((!new.is_empty()).then(|| code(&new))), "case {case}");
        }
        // edits that do not fit the old list: it is not read as another list
        let list = encode_unigram(8, 1, [Unigram { doc: 3, count: 1, field: 3, body: Some(0) }].into_iter());
        let now = Some(Unigram { doc: 5, count: 1, field: 3, body: None });
        assert_eq!(splice_unigram(Some(&list), 8, &[Edit { doc: 5, was: true, now }]), None, "a document it never held");
        assert_eq!(splice_unigram(Some(&list), 8, &[Edit { doc: 3, was: false, now }]), None, "a document it held");
        assert_eq!(splice_unigram(Some(&list), 8, &[Edit { doc: 5, was: true, now: None }]), None, "all removed, but not the one it held");
        assert_eq!(splice_unigram(Some(&list), 8, &[Edit { doc: 3, was: true, now: None }]), Some(None), "all removed");
        let cut = Bits { units: list.units.clone(), len: list.len - 1 };
        assert_eq!(splice_unigram(Some(&cut), 8, &[Edit { doc: 5, was: false, now }]), None, "cut short");
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
