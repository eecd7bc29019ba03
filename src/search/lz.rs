//! Compression of the excerpt text of a pack, mirrored by `unpackText` in `search.js`.
//!
//! Characters are first replaced by their frequency rank (see [`super::index::rank_code`]);
//! then repeats are replaced by back-references, LZ77-style, within the pack (each chunk may
//! refer to any text before it in the same pack, so the boilerplate that laws share is stored
//! once per pack). A coded chunk is a JS string of:
//!
//! - a literal: `rank_code(rank + 1)`, one to three UTF-8 bytes;
//! - a copy: the marker `rank_code(0)` (a space), then `length − MIN_MATCH` and
//!   `distance − 1` as numbers of [`super::index::push_number`] (base-44 ASCII digits): copy
//!   `length` characters starting `distance` characters back, one by one (a copy may overlap
//!   its own output).
//!
//! Lengths and distances count characters (Unicode scalar values). A copy is written only when
//! it is shorter than the literals it replaces.

use std::collections::HashMap;

use super::index::{push_number, rank_code, BASE};

pub const MIN_MATCH: usize = 3;
/// Longest distance: three base-44 digits.
pub const MAX_DISTANCE: usize = (BASE * BASE * BASE) as usize;
pub const MAX_LENGTH: usize = MIN_MATCH + (BASE * BASE) as usize - 1;
/// Candidates tried per position (the newest first).
const CHAIN: usize = 8;
/// A match this long is taken without looking further.
const GOOD_ENOUGH: usize = 48;
const HASH_BITS: u32 = 16;

fn number_len(n: usize) -> usize {
    let mut len = 1;
    let mut n = n / BASE as usize;
    while n > 0 {
        len += 1;
        n /= BASE as usize;
    }
    len
}

/// Codes the chunks of one pack, each a sequence of character ranks.
pub fn encode(chunks: &[Vec<u32>]) -> Vec<String> {
    let text: Vec<u32> = chunks.iter().flatten().copied().collect();
    let cost: Vec<u8> = text.iter().map(|&r| rank_code(r as usize + 1).len_utf8() as u8).collect();
    // hash chains as in deflate: the newest position per hash of three characters, and per
    // position the previous one with the same hash (a collision only costs a failed compare)
    let mut head: Vec<usize> = vec![usize::MAX; 1 << HASH_BITS];
    let mut prev: Vec<usize> = vec![usize::MAX; text.len()];
    fn hash(t: &[u32]) -> usize {
        let h = t[0].wrapping_mul(0x9e37_79b1) ^ t[1].wrapping_mul(0x85eb_ca77) ^ t[2].wrapping_mul(0xc2b2_ae3d);
        (h >> (32 - HASH_BITS)) as usize
    }
    fn insert(text: &[u32], head: &mut [usize], prev: &mut [usize], i: usize) {
        if i + MIN_MATCH <= text.len() {
            let h = hash(&text[i..]);
            prev[i] = head[h];
            head[h] = i;
        }
    }
    let mut out = Vec::with_capacity(chunks.len());
    let mut i = 0;
    for chunk in chunks {
        let end = i + chunk.len();
        let mut coded = String::new();
        while i < end {
            // the longest earlier repeat of text[i..], not running past this chunk's end
            let (mut best_len, mut best_dist) = (0, 0);
            if i + MIN_MATCH <= end {
                let first = head[hash(&text[i..])];
                let mut cand = (first != usize::MAX).then_some(first);
                let mut tries = 0;
                while let Some(c) = cand {
                    if i - c > MAX_DISTANCE || tries == CHAIN {
                        break;
                    }
                    let limit = (end - i).min(MAX_LENGTH);
                    let mut len = 0;
                    while len < limit && text[c + len] == text[i + len] {
                        len += 1;
                    }
                    if len > best_len {
                        best_len = len;
                        best_dist = i - c;
                        if len >= GOOD_ENOUGH {
                            break;
                        }
                    }
                    tries += 1;
                    cand = (prev[c] != usize::MAX).then_some(prev[c]);
                }
            }
            let literal_cost: usize = if best_len >= MIN_MATCH { cost[i..i + best_len].iter().map(|&c| c as usize).sum() } else { 0 };
            let copy_cost = 1 + number_len(best_len.saturating_sub(MIN_MATCH)) + number_len(best_dist.saturating_sub(1));
            if best_len >= MIN_MATCH && copy_cost < literal_cost {
                coded.push(rank_code(0));
                push_number(&mut coded, (best_len - MIN_MATCH) as u64);
                push_number(&mut coded, (best_dist - 1) as u64);
                for j in i..i + best_len {
                    insert(&text, &mut head, &mut prev, j);
                }
                i += best_len;
            } else {
                coded.push(rank_code(text[i] as usize + 1));
                insert(&text, &mut head, &mut prev, i);
                i += 1;
            }
        }
        out.push(coded);
    }
    out
}

/// Inverse of [`encode`] (tests; the client has its own): the ranks of every chunk.
pub fn decode(coded: &[String]) -> Option<Vec<Vec<u32>>> {
    let ranks: HashMap<char, u32> = (0..70_000).map(|r| (rank_code(r), r as u32)).collect();
    let digit = |b: char| super::index::DIGITS.iter().position(|&x| x as char == b);
    let mut text: Vec<u32> = Vec::new();
    let mut out = Vec::new();
    for s in coded {
        let start = text.len();
        let mut chars = s.chars();
        let number = |chars: &mut std::str::Chars| -> Option<usize> {
            let (mut v, mut scale) = (0usize, 1usize);
            loop {
                let d = digit(chars.next()?)?;
                if d >= BASE as usize {
                    v += (d - BASE as usize) * scale;
                    scale *= BASE as usize;
                } else {
                    return Some(v + d * scale);
                }
            }
        };
        while let Some(c) = chars.next() {
            let r = *ranks.get(&c)?;
            if r == 0 {
                let len = number(&mut chars)? + MIN_MATCH;
                let dist = number(&mut chars)? + 1;
                let from = text.len().checked_sub(dist)?;
                for j in 0..len {
                    text.push(text[from + j]);
                }
            } else {
                text.push(r - 1);
            }
        }
        out.push(text[start..].to_vec());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_round_trip_and_repeats_shrink() {
        let phrase: Vec<u32> = vec![5, 900, 2500, 7, 7, 7, 40_000, 12];
        let mut a = Vec::new();
        for _ in 0..20 {
            a.extend(&phrase);
            a.push(3);
        }
        let b: Vec<u32> = phrase.iter().rev().copied().chain(phrase.iter().copied()).collect();
        let c = vec![1u32, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]; // a copy overlapping its own output
        let chunks = vec![a.clone(), b.clone(), vec![], c.clone()];
        let coded = encode(&chunks);
        assert_eq!(decode(&coded).unwrap(), chunks);
        let plain: usize = a.iter().map(|&r| rank_code(r as usize + 1).len_utf8()).sum();
        assert!(coded[0].len() * 3 < plain, "{} vs {plain}", coded[0].len());
        // b starts with nothing to copy from a's order... but its second half repeats a
        assert!(coded[1].len() < b.iter().map(|&r| rank_code(r as usize + 1).len_utf8()).sum());
        for s in &coded {
            assert!(!s.contains('"') && !s.contains('\\'));
        }
    }

    #[test]
    fn long_distances_and_lengths_stay_in_range() {
        let mut text: Vec<u32> = (0..MAX_DISTANCE as u32 + 500).map(|i| i % 60_000).collect();
        text.extend(0..3000u32); // a repeat farther back than MAX_DISTANCE for its start
        let chunks = vec![text];
        assert_eq!(decode(&encode(&chunks)).unwrap(), chunks);
    }
}
