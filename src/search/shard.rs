//! The posting shard files, mirrored by `parseShard` in `search.js`.
//!
//! A shard is `gongbaoSearch.shard(n,"KEYS","LISTS");` in UTF-16 ([`super::utf16_script`]).
//! LISTS is the posting lists of the keys, in the order of KEYS, one bit stream
//! ([`codec`], fifteen bits per character) with no padding or length between lists: a list
//! ends where its code says (its document count, then per document its count). KEYS is:
//!
//! ```text
//! number(m), then m keys of two one-unit tokens: their two characters
//! the other keys, each: number(len(a) × 128 + min(len(b), 127)),
//!                       [number(len(b) − 127) if len(b) ≥ 127], a, b (b empty for one token)
//! ```
//!
//! Each group is in key order. Most keys are two CJK characters, so a key costs four bytes and
//! its list nothing but its bits. Lengths count UTF-16 code units of the string as JavaScript
//! sees it (a `"`, `\` or `/` in a token is escaped with a backslash in the file and counts
//! one). A number is base-2¹⁴ digits, least significant first, each the UTF-16 unit of
//! [`codec::unit`]; 2¹⁴ added marks a digit that more digits follow.
//!
//! Measured on the corpus against one length-prefixed, padded string per key: 1.4 MB less.

use std::collections::BTreeMap;

use super::codec::{group, unit, BitWriter, Bits, GROUP_BITS};
use super::index::shard_path;
use crate::output::OutputFile;

const MORE: u32 = 1 << 14;

fn push_number(out: &mut Vec<u16>, mut n: usize) {
    while n >= MORE as usize {
        out.push(unit(MORE | (n as u32 & (MORE - 1))));
        n >>= 14;
    }
    out.push(unit(n as u32));
}

fn read_number(units: &mut std::slice::Iter<u16>) -> Option<usize> {
    let (mut n, mut shift) = (0usize, 0);
    loop {
        let d = group(*units.next()?);
        if d == u16::MAX {
            return None;
        }
        let d = d as u32;
        if shift > 42 {
            return None;
        }
        n |= ((d & (MORE - 1)) as usize) << shift;
        if d < MORE {
            return Some(n);
        }
        shift += 14;
    }
}

fn prefix(s: usize) -> Vec<u16> {
    format!("gongbaoSearch.shard({s},\"").encode_utf16().collect()
}

const MIDDLE: &str = "\",\"";
const SUFFIX: &str = "\");\n";

/// A key's two tokens, and whether each is one UTF-16 unit.
fn tokens(key: &str) -> (&str, &str, bool) {
    let (a, b) = key.split_once(' ').unwrap_or((key, ""));
    let one = |t: &str| t.encode_utf16().count() == 1;
    (a, b, one(a) && one(b))
}

fn push_token(js: &mut Vec<u16>, t: &str) {
    for u in t.encode_utf16() {
        // `\/` is `/` to JavaScript: no `</` in an index file, as none in a page
        if [b'"', b'\\', b'/'].map(u16::from).contains(&u) {
            js.push(b'\\' as u16);
        }
        js.push(u);
    }
}

/// Shard file `s` holding `entries` (key, coded list), in key order, and the bit lengths of
/// its lists in file order as base-44 numbers ([`push_number`](super::index::push_number)):
/// what [`read`] needs to take the lists apart without decoding them.
pub fn file(s: usize, entries: &[(String, Bits)]) -> (OutputFile, String) {
    let (pairs, others): (Vec<_>, Vec<_>) = entries.iter().map(|(key, list)| (tokens(key), list)).partition(|((_, _, pair), _)| *pair);
    let mut js = prefix(s);
    push_number(&mut js, pairs.len());
    let mut lists = BitWriter::new();
    let mut lengths = String::new();
    for &((a, b, pair), list) in pairs.iter().chain(&others) {
        if !pair {
            let (la, lb) = (a.encode_utf16().count(), b.encode_utf16().count());
            push_number(&mut js, la * 128 + lb.min(127));
            if lb >= 127 {
                push_number(&mut js, lb - 127);
            }
        }
        push_token(&mut js, a);
        push_token(&mut js, b);
        lists.append(list);
        super::index::push_number(&mut lengths, list.len);
    }
    js.extend(MIDDLE.encode_utf16());
    js.extend(lists.finish_bits().units.iter().map(|&g| unit(g as u32)));
    js.extend(SUFFIX.encode_utf16());
    (OutputFile::new(shard_path(s), super::utf16_file(js)), lengths)
}

/// The keys of shard file `s` in file order, its key section as written, and its lists'
/// groups; `None` if it is not one.
fn parse(bytes: &[u8], s: usize) -> Option<(Vec<String>, Vec<u16>, Vec<u16>)> {
    let units: Vec<u16> = bytes.strip_prefix(&[0xff, 0xfe])?.chunks(2).map(|u| Some(u16::from_le_bytes(u.try_into().ok()?))).collect::<Option<_>>()?;
    let suffix: Vec<u16> = SUFFIX.encode_utf16().collect();
    let body = units.strip_prefix(&prefix(s)[..])?.strip_suffix(&suffix[..])?;
    let middle: Vec<u16> = MIDDLE.encode_utf16().collect();
    let split = body.windows(middle.len()).position(|w| w == middle)?;
    let mut keys = body[..split].iter();
    let token = |keys: &mut std::slice::Iter<u16>, len: usize| -> Option<String> {
        if len > keys.as_slice().len() {
            return None; // each unit of a token takes one or two of the file
        }
        let mut t = Vec::with_capacity(len);
        while t.len() < len {
            let u = *keys.next()?;
            t.push(if u == b'\\' as u16 { *keys.next()? } else { u });
        }
        String::from_utf16(&t).ok()
    };
    let pairs = read_number(&mut keys)?;
    let mut names = Vec::new();
    while !keys.as_slice().is_empty() || names.len() < pairs {
        let (la, lb) = if names.len() < pairs {
            (1, 1)
        } else {
            let head = read_number(&mut keys)?;
            (head / 128, head % 128 + if head % 128 == 127 { read_number(&mut keys)? } else { 0 })
        };
        let a = token(&mut keys, la)?;
        let b = token(&mut keys, lb)?;
        names.push(if b.is_empty() { a } else { format!("{a} {b}") });
    }
    let lists = body[split + middle.len()..].iter().copied().map(group).collect();
    Some((names, body[..split].to_vec(), lists))
}

/// The keys of shard file `s` (tests: what the index holds).
pub fn keys(bytes: &[u8], s: usize) -> Option<Vec<String>> {
    parse(bytes, s).map(|(keys, _, _)| keys)
}

/// A shard file as read back: its keys in file order, its key section as written, and where
/// each key's list lies in its bit stream.
pub struct Shard {
    s: usize,
    names: Vec<String>,
    key_section: Vec<u16>,
    lists: Vec<u16>,
    ranges: Vec<(u64, u64)>,
}

/// Shard file `s` as [`file`] wrote it, with the `lengths` it returned; `None` for anything
/// else.
pub fn read(bytes: &[u8], s: usize, lengths: &str) -> Option<Shard> {
    let (names, key_section, lists) = parse(bytes, s)?;
    let lengths = super::index::decode_numbers(lengths)?;
    if lengths.len() != names.len() {
        return None;
    }
    let mut end = 0u64;
    let ranges: Vec<(u64, u64)> = lengths
        .iter()
        .map(|&len| {
            end = end.checked_add(len)?;
            Some((end - len, end))
        })
        .collect::<Option<_>>()?;
    // the lists end where the lengths say, and hold only groups
    let whole = end.div_ceil(GROUP_BITS as u64) == lists.len() as u64 && lists.iter().all(|&g| g < 1 << GROUP_BITS);
    whole.then_some(Shard { s, names, key_section, lists, ranges })
}

impl Shard {
    /// The list of `key`, if the shard holds it.
    pub fn list(&self, key: &str) -> Option<Bits> {
        let i = self.names.iter().position(|n| n == key)?;
        Some(self.list_at(i))
    }

    fn list_at(&self, i: usize) -> Bits {
        let (from, to) = self.ranges[i];
        let mut w = BitWriter::new();
        w.append_range(&self.lists, from, to);
        w.finish_bits()
    }

    /// Every key and its list, in key order.
    pub fn entries(&self) -> BTreeMap<String, Bits> {
        self.names.iter().enumerate().map(|(i, n)| (n.clone(), self.list_at(i))).collect()
    }

    /// The file [`file`] writes for this shard with the lists of some keys replaced (`None`:
    /// removed, or not added), and its lengths. When no key comes or goes, the key section is
    /// taken as it is and the other lists' bits copied, none of them taken apart.
    pub fn edited(&self, edits: &BTreeMap<String, Option<Bits>>) -> (OutputFile, String) {
        let index: std::collections::HashMap<&str, usize> = self.names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
        let same_keys = edits.iter().all(|(key, list)| list.is_some() == index.contains_key(key.as_str()));
        if !same_keys {
            let mut entries = self.entries();
            for (key, list) in edits {
                match list {
                    Some(list) => entries.insert(key.clone(), list.clone()),
                    None => entries.remove(key),
                };
            }
            return file(self.s, &entries.into_iter().collect::<Vec<_>>());
        }
        let mut js = prefix(self.s);
        js.extend_from_slice(&self.key_section);
        let mut lists = BitWriter::new();
        let mut lengths = String::new();
        for (name, &(from, to)) in self.names.iter().zip(&self.ranges) {
            let len = match edits.get(name) {
                Some(Some(list)) => {
                    lists.append(list);
                    list.len
                }
                _ => {
                    lists.append_range(&self.lists, from, to);
                    to - from
                }
            };
            super::index::push_number(&mut lengths, len);
        }
        js.extend(MIDDLE.encode_utf16());
        js.extend(lists.finish_bits().units.iter().map(|&g| unit(g as u32)));
        js.extend(SUFFIX.encode_utf16());
        (OutputFile::new(shard_path(self.s), super::utf16_file(js)), lengths)
    }
}

#[cfg(test)]
mod tests {
    use super::super::codec;
    use super::*;

    #[test]
    fn shards_round_trip_with_any_token() {
        let long = "a".repeat(300);
        let spans = [5000, 1024, 70_000];
        let list = |n: u32| codec::encode_bigram(3, &spans, 3, [(0, &[770, 800 + n][..]), (1, &[5][..]), (2, &(0..n).map(|i| i * 3).collect::<Vec<_>>()[..])].into_iter());
        let one = |n: u32| codec::encode_unigram(3, 1, [codec::Unigram { doc: 2, count: n, field: 3, body: Some(1) }].into_iter());
        let entries: Vec<(String, Bits)> = vec![
            ("< /".into(), list(1)),
            ("\" \\".into(), list(2)),
            ("医 疗".into(), list(3)),
            ("𠀀 x".into(), list(20_000)),
            (format!("{long} {long}"), list(5)),
            (long.clone(), one(3)),
            ("法".into(), one(9)),
        ];
        let (f, lengths) = file(7, &entries);
        assert_eq!(&f.bytes[..2], &[0xff, 0xfe]);
        let text = String::from_utf16(&f.bytes[2..].chunks(2).map(|u| u16::from_le_bytes([u[0], u[1]])).collect::<Vec<_>>()).unwrap();
        assert!(!text.contains("</"));
        let back = read(&f.bytes, 7, &lengths).expect("reads back");
        assert_eq!(back.entries(), entries.iter().cloned().collect::<BTreeMap<_, _>>());
        // each list decodes from where the one before ended
        let lists = codec::units_of(&text[text.find("\",\"").unwrap() + 3..text.len() - SUFFIX.len()]);
        let mut r = codec::BitReader::new(&lists);
        assert_eq!(codec::read_bigram(&mut r, 3, &spans), codec::decode_bigram(3, &spans, &entries[0].1));
        assert!(read(&f.bytes, 8, &lengths).is_none(), "another shard's number");
        assert!(read(&f.bytes[..f.bytes.len() - 16], 7, &lengths).is_none(), "cut short");
        assert!(read(&f.bytes, 7, &file(7, &entries[1..]).1).is_none(), "lengths of another shard");
        let mut overflowing = String::new();
        for len in [u64::MAX, 1].into_iter().chain(std::iter::repeat_n(0, entries.len() - 2)) {
            super::super::index::push_number(&mut overflowing, len);
        }
        assert!(read(&f.bytes, 7, &overflowing).is_none(), "lengths that overflow");
        assert!(read(b"gongbaoSearch.shard(7,{});\n", 7, &lengths).is_none(), "not UTF-16");
        // a CJK bigram costs its two characters and its bits
        let (small, _) = file(0, &[("医 疗".into(), list(1))]);
        let bits = list(1).len.div_ceil(15) as usize;
        assert_eq!(small.bytes.len(), 2 + 2 * (prefix(0).len() + 1 + 2 + MIDDLE.len() + bits + SUFFIX.len()));
        assert_eq!(keys(&small.bytes, 0).unwrap(), ["医 疗"]);
    }

    #[test]
    fn an_edited_shard_is_the_file_written_anew() {
        let spans = [5000, 1024, 70_000];
        let list = |n: u32| codec::encode_bigram(3, &spans, 2, [(0, &[770, 800 + n][..]), (2, &(0..n).map(|i| i * 3).collect::<Vec<_>>()[..])].into_iter());
        let one = |n: u32| codec::encode_unigram(3, 1, [codec::Unigram { doc: 1, count: n, field: 3, body: Some(0) }].into_iter());
        let entries: BTreeMap<String, Bits> =
            [("医 疗".into(), list(3)), ("保 障".into(), list(40)), ("ab cd".into(), list(7)), ("法".into(), one(2)), ("条".into(), one(5))].into_iter().collect();
        let (f, lengths) = file(5, &entries.clone().into_iter().collect::<Vec<_>>());
        let shard = read(&f.bytes, 5, &lengths).unwrap();
        let cases: [Vec<(&str, Option<Bits>)>; 4] = [
            vec![("保 障", Some(list(41))), ("条", Some(one(6)))], // lists changed: the keys as they were
            vec![("医 药", Some(list(1)))],                        // a key added
            vec![("ab cd", None), ("法", Some(one(9)))],           // a key removed
            vec![("不 在", None)],                                 // nothing left of a key it never held
        ];
        for edits in cases {
            let mut expected = entries.clone();
            for (key, list) in &edits {
                match list {
                    Some(l) => expected.insert(key.to_string(), l.clone()),
                    None => expected.remove(*key),
                };
            }
            let edits: BTreeMap<String, Option<Bits>> = edits.into_iter().map(|(k, l)| (k.to_string(), l)).collect();
            let (got, got_lengths) = shard.edited(&edits);
            let (want, want_lengths) = file(5, &expected.into_iter().collect::<Vec<_>>());
            assert_eq!((got.bytes, got_lengths), (want.bytes, want_lengths), "{:?}", edits.keys().collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_forged_token_length_reads_as_none_not_an_abort() {
        for head in [vec![(1usize << 48) * 128], vec![127, 1 << 55]] {
            let mut js = prefix(0);
            push_number(&mut js, 0); // no pairs
            for n in head {
                push_number(&mut js, n);
            }
            js.extend("ab".encode_utf16());
            js.extend(MIDDLE.encode_utf16());
            js.push(unit(0));
            js.extend(SUFFIX.encode_utf16());
            assert!(read(&super::super::utf16_file(js), 0, "0").is_none());
        }
    }

    #[test]
    fn an_empty_shard_has_a_file_that_reads_back_empty() {
        let (f, lengths) = file(3, &[]);
        assert_eq!(lengths, "");
        assert_eq!(read(&f.bytes, 3, &lengths).map(|s| s.entries()), Some(BTreeMap::new()));
        assert_eq!(keys(&f.bytes, 3), Some(vec![]));
    }
}
