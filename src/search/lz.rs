//! Compression of excerpt text (heads and packs), mirrored by `unpackTexts` in `search.js`.
//!
//! A file's texts are sequences of character ranks (see `alphabet` in [`super::index`]: ranks
//! go by frequency; the rarest characters, past the last of [`CLASS_ENDS`], have no rank in the
//! table but [`RARE`] + their code point). Each text is coded as a bit stream
//! ([`codec::BitWriter`], fifteen bits per character of a UTF-16 file) of:
//!
//! ```text
//! gamma(characters + 1)
//! events until that many characters:
//!     a literal: the event code of its rank's class, then truncated(rank − class start, class size);
//!                in class 4, truncated(code point, 0x110000)
//!     a copy:    the event code COPY, gamma(length − MIN_MATCH + 1),
//!                k = ⌊log₂ distance⌋ as truncated(k, ⌊log₂ before⌋ + 1), the low k bits of distance
//! ```
//!
//! A copy repeats `length` characters from `distance` back (it may overlap its own output) in
//! the file's text so far, earlier texts of the file included: the boilerplate that laws share
//! is stored once per file. `before` is how many characters the file's texts have so far.
//!
//! The event code is fixed by the format, from the event frequencies of the benchmark corpus
//! (about 26%, 27%, 21%, 2% and 0.01% of events are literals of the five classes, 24% copies):
//! `00` class 0, `01` class 1, `10` copy, `110` class 2, `1110` class 3, `1111` class 4. A code
//! that adapted to the archive would change every file with any count; this one changes a
//! file only when its text or the alphabet does. The rarest characters are coded by code point
//! (20 bits for all but the last planes), not by rank: a correction bringing a character the
//! archive never held (a rare name) then changes no other character's code, and so no file but
//! its own, and the table every query loads holds only the classes before (on the corpus, 663
//! characters with 980 occurrences in 19.7 million). Measured on the corpus: 5.4 bits per
//! character (deflate on 36 KB pieces of UTF-8: 6.8; the rank code and ASCII copies of format
//! 5: 7.9).

use super::codec::{truncated_code, units_of, BitReader, BitWriter};

pub const MIN_MATCH: usize = 3;
/// Where the literal classes end, by rank; the last class is every other character.
pub const CLASS_ENDS: [u32; 4] = [64, 256, 1024, 3072];
/// The rank of a character of the last class is this plus its code point.
pub const RARE: u32 = 1 << 24;
/// Code points: the range a character of the last class is coded in.
const CODE_POINTS: u32 = 0x11_0000;
/// Event codes: (bits, length) of the literal classes 0–4.
const LITERAL: [(u32, u32); 5] = [(0b00, 2), (0b01, 2), (0b110, 3), (0b1110, 4), (0b1111, 4)];
const COPY: (u32, u32) = (0b10, 2);
/// Candidates tried per position (the newest first).
const CHAIN: usize = 32;
/// A match this long is taken without looking further.
const GOOD_ENOUGH: usize = 48;
const HASH_BITS: u32 = 16;

fn ilog2(n: usize) -> u32 {
    usize::BITS - 1 - n.max(1).leading_zeros()
}

fn hash(t: &[u32]) -> usize {
    let h = t[0].wrapping_mul(0x9e37_79b1) ^ t[1].wrapping_mul(0x85eb_ca77) ^ t[2].wrapping_mul(0xc2b2_ae3d);
    (h >> (32 - HASH_BITS)) as usize
}

/// The base of the next file's positions in the head table ([`Chains`]), of `len` characters;
/// the table is cleared only when the bases run out of 32 bits.
fn file_base(head: &mut [u32], next_base: &mut u32, len: usize) -> u32 {
    let len = u32::try_from(len).expect("a file of under 4 G characters");
    if next_base.checked_add(len).is_none() {
        head.fill(0);
        *next_base = 1;
    }
    let base = *next_base;
    *next_base += len;
    base
}

/// The hash chains of one file: the newest position per hash of three characters, and per
/// position the previous one with the same hash (a collision only costs a failed compare), as
/// in deflate. Positions are stored plus `base`, so that the head table, a thread's own and
/// 256 KB, need not be cleared for each file (some 1,600 files on the 1× corpus, most of them
/// a few KB of text): an entry below the file's base is an earlier file's, that is none.
struct Chains<'a> {
    head: &'a mut [u32],
    prev: Vec<u32>,
    base: u32,
}

impl Chains<'_> {
    fn insert(&mut self, all: &[u32], i: usize) {
        if i + MIN_MATCH <= all.len() {
            let h = hash(&all[i..]);
            self.prev[i] = self.head[h];
            self.head[h] = self.base + i as u32;
        }
    }

    /// The position stored as `entry`, if it is this file's.
    fn position(&self, entry: u32) -> Option<usize> {
        entry.checked_sub(self.base).map(|i| i as usize)
    }
}

fn gamma_len(v: usize) -> u32 {
    2 * ilog2(v) + 1
}

/// The code of an alphabet of a given size: the rank range of each literal class.
pub struct Code {
    classes: [(u32, u32); 5],
    /// Each rank of the table as a literal, its bits and their count: asked for every
    /// character twice (what a chunk costs, what a copy saves) and written for every literal,
    /// where finding the class took a search and the truncated number a few steps more.
    literals: Vec<(u32, u8)>,
}

impl Code {
    /// The code of a table of `n` ≤ the last of [`CLASS_ENDS`] characters.
    pub fn new(n: u32) -> Code {
        let mut classes = [(RARE, CODE_POINTS); 5];
        let mut start = 0;
        for (slot, &end) in classes.iter_mut().zip(&CLASS_ENDS) {
            let end = end.min(n).max(start);
            *slot = (start, end - start);
            start = end;
        }
        let mut code = Code { classes, literals: Vec::new() };
        code.literals = (0..start).map(|r| code.class_literal(r)).map(|(bits, len)| (bits, len as u8)).collect();
        code
    }

    fn class_of(&self, r: u32) -> usize {
        self.classes.iter().position(|&(start, size)| r < start + size).expect("a rank inside the alphabet")
    }

    /// Rank `r` as a literal: its bits and their count.
    fn literal(&self, r: u32) -> (u32, u32) {
        match self.literals.get(r as usize) {
            Some(&(bits, len)) => (bits, len as u32),
            None => self.class_literal(r),
        }
    }

    /// Bits of rank `r` as a literal.
    pub fn literal_len(&self, r: u32) -> u32 {
        self.literal(r).1
    }

    /// The event code of the rank's class, then its place in the class (in class 4 its code
    /// point: 20 or 21 bits, which with the event code fit a word).
    fn class_literal(&self, r: u32) -> (u32, u32) {
        let j = self.class_of(r);
        let (bits, len) = truncated_code(r - self.classes[j].0, self.classes[j].1);
        ((LITERAL[j].0 << len) | bits, LITERAL[j].1 + len)
    }

    /// Codes the texts of one file, each a sequence of ranks.
    pub fn encode(&self, texts: &[Vec<u32>]) -> Vec<String> {
        let all: Vec<u32> = texts.iter().flatten().copied().collect();
        // bits of the literals before each position: what a copy of a stretch saves
        let mut before = Vec::with_capacity(all.len() + 1);
        before.push(0u64);
        for &r in &all {
            before.push(before.last().expect("starts with 0") + self.literal_len(r) as u64);
        }
        // positions as u32: a file's texts are far shorter than 4 G characters
        thread_local!(static HEAD: std::cell::RefCell<(Vec<u32>, u32)> = std::cell::RefCell::new((vec![0; 1 << HASH_BITS], 1)));
        HEAD.with_borrow_mut(|(head, next_base)| {
            let base = file_base(head, next_base, all.len());
            self.encode_with(texts, &all, &before, &mut Chains { head, prev: vec![0; all.len()], base })
        })
    }

    fn encode_with(&self, texts: &[Vec<u32>], all: &[u32], before: &[u64], chains: &mut Chains) -> Vec<String> {
        let mut out = Vec::with_capacity(texts.len());
        let mut i = 0;
        for text in texts {
            let end = i + text.len();
            let mut w = BitWriter::new();
            w.gamma(text.len() as u32 + 1);
            while i < end {
                // the longest earlier repeat of all[i..], not running past this text's end
                let (mut best_len, mut best_dist) = (0, 0);
                if i + MIN_MATCH <= end {
                    let mut cand = chains.position(chains.head[hash(&all[i..])]);
                    let mut tries = 0;
                    let limit = end - i;
                    while let Some(c) = cand.filter(|_| tries < CHAIN && best_len < limit) {
                        // only a candidate that matches one character past the best so far can
                        // beat it: most are turned away by one compare
                        if all[c + best_len] == all[i + best_len] {
                            let len = (0..limit).take_while(|&l| all[c + l] == all[i + l]).count();
                            if len > best_len {
                                (best_len, best_dist) = (len, i - c);
                                if len >= GOOD_ENOUGH {
                                    break;
                                }
                            }
                        }
                        tries += 1;
                        cand = chains.position(chains.prev[c]);
                    }
                }
                let copy_len = || {
                    let k = ilog2(best_dist);
                    (COPY.1 + gamma_len(best_len - MIN_MATCH + 1) + truncated_code(k, ilog2(i) + 1).1 + k) as u64
                };
                if best_len >= MIN_MATCH && copy_len() < before[i + best_len] - before[i] {
                    let k = ilog2(best_dist);
                    w.bits(COPY.0, COPY.1);
                    w.gamma((best_len - MIN_MATCH + 1) as u32);
                    w.truncated(k, ilog2(i) + 1);
                    w.bits((best_dist - (1 << k)) as u32, k);
                    for j in i..i + best_len {
                        chains.insert(all, j);
                    }
                    i += best_len;
                } else {
                    let (bits, len) = self.literal(all[i]);
                    w.bits(bits, len);
                    chains.insert(all, i);
                    i += 1;
                }
            }
            out.push(w.finish());
        }
        out
    }

    /// Inverse of [`Code::encode`] (tests; the client has its own): the ranks of every text.
    pub fn decode(&self, coded: &[String]) -> Option<Vec<Vec<u32>>> {
        let mut all: Vec<u32> = Vec::new();
        let mut out = Vec::new();
        for s in coded {
            let start = all.len();
            let units = units_of(s);
            let mut r = BitReader::new(&units);
            let len = r.gamma()? as usize - 1;
            while all.len() - start < len {
                let class = match r.bits(2)? {
                    0 => 0,
                    1 => 1,
                    2 => {
                        let length = r.gamma()? as usize - 1 + MIN_MATCH;
                        let k = r.truncated(ilog2(all.len()) + 1)?;
                        let distance = (1usize << k) + r.bits(k)? as usize;
                        let from = all.len().checked_sub(distance)?;
                        for j in 0..length {
                            all.push(all[from + j]);
                        }
                        continue;
                    }
                    _ => match r.bit()? {
                        0 => 2,
                        _ => 3 + r.bit()? as usize,
                    },
                };
                let (first, size) = self.classes[class];
                all.push(first + r.truncated(size)?);
            }
            if all.len() - start != len {
                return None;
            }
            out.push(all[start..].to_vec());
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_round_trip_and_repeats_shrink() {
        let phrase: Vec<u32> = vec![5, 900, 2500, 7, 7, 7, 3999, 12, 70];
        let mut a = Vec::new();
        for _ in 0..20 {
            a.extend(&phrase);
            a.push(3);
        }
        let b: Vec<u32> = phrase.iter().rev().copied().chain(phrase.iter().copied()).collect();
        let c = vec![1u32; 12]; // a copy overlapping its own output
        let texts = vec![a.clone(), b.clone(), vec![], c.clone()];
        let code = Code::new(3072);
        let texts: Vec<Vec<u32>> = texts.into_iter().map(|t| t.into_iter().map(|r| if r < 3072 { r } else { RARE + r }).collect()).collect();
        let coded = code.encode(&texts);
        assert_eq!(code.decode(&coded).unwrap(), texts);
        let chars = |s: &String| s.chars().count();
        // 200 characters of about 10 bits each as literals; a tenth of that with copies
        assert!(chars(&coded[0]) * 15 < 400, "{}", chars(&coded[0]));
        // b's second half repeats a's phrase: fewer characters than its literals take
        let b_alone = code.encode(std::slice::from_ref(&b));
        assert!(chars(&coded[1]) < chars(&b_alone[0]));
    }

    #[test]
    fn every_class_and_long_distances_round_trip() {
        let n = 3072;
        // ranks past the table are the rarest characters, by code point
        let rank = |i: u32| if i < n { i } else { RARE + 0x4e00 + i };
        let mut text: Vec<u32> = (0..70_000u32).map(|i| rank(i.wrapping_mul(2_654_435_761) % 5000)).collect();
        text.extend_from_within(3..3000); // a repeat from far back
        let texts = vec![text, vec![n - 1, 0, 63, 64, 255, 256, 1023, 1024, 3071, RARE, RARE + 0x20000, RARE + 0x10_ffff]];
        let code = Code::new(n);
        assert_eq!(code.decode(&code.encode(&texts)).unwrap(), texts);
        // a small alphabet leaves the last classes empty
        let small = vec![vec![0, 1, 2, 2, 1, 0, 1, 2]];
        let code = Code::new(3);
        assert_eq!(code.decode(&code.encode(&small)).unwrap(), small);
    }

    #[test]
    fn each_file_is_coded_alone_whatever_the_thread_coded_before() {
        let texts = vec![vec![5u32, 6, 7, 5, 6, 7, 8, 9, 10, 11], vec![8, 9, 10, 11, 5, 6, 7]];
        let code = Code::new(64);
        let first = code.encode(&texts);
        // the head table now holds this file's positions: the same texts again code the same
        assert_eq!(code.encode(&texts), first);
        assert_eq!(code.decode(&first).unwrap(), texts);
        // where the bases run out, the table is cleared and they start again
        let mut head = vec![7u32; 4];
        let mut next = u32::MAX - 5;
        assert_eq!(file_base(&mut head, &mut next, 10), 1);
        assert_eq!((head, next), (vec![0; 4], 11));
        let mut next = 100;
        assert_eq!(file_base(&mut [3], &mut next, 10), 100);
        assert_eq!(next, 110);
    }

    #[test]
    fn malformed_texts_read_as_none() {
        let code = Code::new(10);
        let coded = code.encode(&[vec![1, 2, 3, 1, 2, 3, 1, 2, 3]]);
        let cut: String = coded[0].chars().take(coded[0].chars().count() - 1).collect();
        assert_eq!(code.decode(&[cut]), None);
        assert_eq!(code.decode(&["\"".to_string()]), None);
    }
}
