//! Building the index files. See the module documentation of [`crate::search`] for the format;
//! the constants and encoders here are mirrored in `search.js`.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use crate::content::{Document, Site};
use crate::output::OutputFile;

use super::{codec, lz};
use super::normalize::for_each_token;

/// Where each field's tokens start in a document's position space. Gaps between the regions
/// keep bigrams and phrase checks from ever spanning two fields; a field longer than its region
/// is cut (a 发文字号 of 60 tokens or a title of 440 does not occur).
pub const NUMBER_AT: u32 = 0;
pub const TITLE_AT: u32 = 64;
pub const ISSUER_AT: u32 = 512;
pub const BODY_AT: u32 = 768;
/// Body tokens per excerpt chunk: small enough that showing 10 results loads ~30 KB of text,
/// large enough that the corpus does not become tens of thousands of files.
pub const CHUNK_TOKENS: usize = 2048;
/// Aimed posting shard size; the shard count follows from the index size, up to MAX_SHARDS.
/// These four sizes trade files against bytes per query (a query loads whole files). Measured on
/// the corpus: 96 KB shards, 24-document heads and 224 KB packs gave 590 files but 768 KB per
/// query (median); the values here give 3,543 files (written in about 1 s) and 235 KB.
pub const SHARD_TARGET_BYTES: usize = 24 * 1024;
pub const MAX_SHARDS: usize = 4096;
/// Aimed size of a pack of excerpt chunks and display records.
/// Body tokens of a document's head, and how far into it a match may lie for its excerpt
/// (about 140 characters from 40 before the match) to come from the head alone.
pub const HEAD_TOKENS: usize = 400;
pub const HEAD_USE: usize = 256;
/// Documents per heads file.
pub const HEAD_DOCS: usize = 4;
/// Measured before compression (rank codes), which takes this to about half.
pub const PACK_TARGET_BYTES: usize = 48 * 1024;

/// Digits of the posting encoding: 90 printable ASCII characters, none of which needs escaping
/// in a JS string literal (no `"`, no `\`). Digits 0–44 end a number, 45–89 continue it.
pub const DIGITS: &[u8; 90] =
    b"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}";
const BASE: u64 = 45;

/// Appends `n` as little-endian base-45 digits, the last one marked as terminal.
pub fn push_number(out: &mut String, mut n: u64) {
    while n >= BASE {
        out.push(DIGITS[(BASE + n % BASE) as usize] as char);
        n /= BASE;
    }
    out.push(DIGITS[n as usize] as char);
}

/// Inverse of a sequence of [`push_number`]. `None` on a character outside the alphabet or a
/// truncated number.
pub fn decode_numbers(s: &str) -> Option<Vec<u64>> {
    let mut out = Vec::new();
    let (mut value, mut scale) = (0u64, 1u64);
    let mut open = false;
    for b in s.bytes() {
        let d = DIGITS.iter().position(|&x| x == b)? as u64;
        if d >= BASE {
            value += (d - BASE) * scale;
            scale *= BASE;
            open = true;
        } else {
            out.push(value + d * scale);
            value = 0;
            scale = 1;
            open = false;
        }
    }
    (!open).then_some(out)
}

/// FNV-1a over the UTF-16 code units of a key: what JavaScript's `charCodeAt` sees, so the
/// client finds a key's shard without any table.
pub fn key_hash(key: &str) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for unit in key.encode_utf16() {
        h ^= unit as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h
}

/// The key of a one-token query and of a two-token sequence.
pub fn unigram_key(t: &str) -> String {
    t.to_string()
}
pub fn bigram_key(a: &str, b: &str) -> String {
    format!("{a} {b}")
}

/// Characters of the text chunks are stored by frequency rank: the most frequent 93 as one
/// UTF-8 byte, the next 1,920 as two, the rest as three, roughly halving CJK text (3 bytes per
/// character in UTF-8) with a decoder of a few lines. Code points that are not safe raw inside a
/// JS string literal (`"`, `\`, controls, U+2028/2029, surrogates) are never used as codes.
pub fn rank_code(rank: usize) -> char {
    const ASCII: usize = 93;
    const TWO: usize = 0x800 - 0x80;
    if rank < ASCII {
        let mut n = rank;
        for b in 0x20u8..0x7f {
            if b == b'"' || b == b'\\' {
                continue;
            }
            if n == 0 {
                return b as char;
            }
            n -= 1;
        }
        unreachable!()
    }
    let mut r = (rank - ASCII) as u32;
    if (r as usize) < TWO {
        return char::from_u32(0x80 + r).unwrap();
    }
    r -= TWO as u32;
    let mut cp = 0x800 + r;
    if cp >= 0x2028 {
        cp += 2;
    }
    if cp >= 0xd800 {
        cp += 0x800;
    }
    char::from_u32(cp).expect("more distinct characters than the text code can hold")
}

/// Interns multi-character tokens (digit and letter runs) above the Unicode range, so that a
/// token is a `u32` and a bigram a `u64` while the build walks millions of them.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

const RUN_BASE: u32 = 0x110000;

impl Interner {
    fn id(&mut self, t: &str) -> u32 {
        let mut chars = t.chars();
        if let (Some(c), None) = (chars.next(), chars.clone().next()) {
            return c as u32;
        }
        if let Some(&id) = self.ids.get(t) {
            return id;
        }
        let id = RUN_BASE + self.names.len() as u32;
        self.names.push(t.to_string());
        self.ids.insert(t.to_string(), id);
        id
    }
    fn name(&self, id: u32) -> String {
        if id < RUN_BASE {
            char::from_u32(id).unwrap().to_string()
        } else {
            self.names[(id - RUN_BASE) as usize].clone()
        }
    }
}

/// A multiplicative hasher for the integer keys of the build's maps (SipHash costs a third of
/// the build on the corpus). Iteration order never reaches the output: keys are sorted.
#[derive(Default, Clone, Copy)]
struct IntHasher(u64);

impl Hasher for IntHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type IntMap<K, V> = HashMap<K, V, BuildHasherDefault<IntHasher>>;

/// One document's part of the index, computed independently of all others (in parallel).
/// Digit and letter runs get ids local to the document (`RUN_BASE + i` → `runs[i]`), made
/// global when the parts are merged in document order.
struct DocPart {
    runs: Vec<String>,
    /// (token, count, first position), by token.
    unigrams: Vec<(u32, u32, u32)>,
    /// (bigram, positions), by bigram; the positions ascend.
    bigrams: Vec<(u64, Vec<u32>)>,
    /// Excerpt chunks of the body text.
    chunks: Vec<String>,
    /// The body text up to token [`HEAD_TOKENS`].
    head: String,
    /// Length of the document's position space: [`BODY_AT`] + body tokens.
    span: u32,
}

fn index_document(doc: &Document, body: &str) -> DocPart {
    let mut runs: Vec<String> = Vec::new();
    let mut run_ids: HashMap<String, u32> = HashMap::new();
    let mut local = |t: &str| -> u32 {
        let mut chars = t.chars();
        if let (Some(c), None) = (chars.next(), chars.clone().next()) {
            return c as u32;
        }
        if let Some(&id) = run_ids.get(t) {
            return id;
        }
        let id = RUN_BASE + runs.len() as u32;
        runs.push(t.to_string());
        run_ids.insert(t.to_string(), id);
        id
    };
    let mut stream: Vec<(u32, u32)> = Vec::new(); // (token, position)
    let fields: [(&str, u32, u32); 3] = [
        (doc.meta.number.as_deref().unwrap_or(""), NUMBER_AT, TITLE_AT),
        (&doc.meta.title, TITLE_AT, ISSUER_AT),
        (&doc.meta.issuer, ISSUER_AT, BODY_AT),
    ];
    for (text, at, next) in fields {
        let mut pos = at;
        // `next - 1`: leave a gap so no phrase runs from one field into the next
        for_each_token(text, |_, _, t| {
            if pos < next - 1 {
                stream.push((local(t), pos));
                pos += 1;
            }
        });
    }
    // Body tokens, cutting the text into chunks at token starts.
    let mut chunks = Vec::new();
    let mut chunk_start = 0usize;
    let mut n = 0usize;
    let mut head_end = body.len();
    for_each_token(body, |start, _, t| {
        if n == HEAD_TOKENS {
            head_end = start;
        }
        if n > 0 && n % CHUNK_TOKENS == 0 {
            chunks.push(body[chunk_start..start].to_string());
            chunk_start = start;
        }
        stream.push((local(t), BODY_AT + n as u32));
        n += 1;
    });
    chunks.push(body[chunk_start..].to_string());

    let mut bi: Vec<(u64, u32)> = stream
        .windows(2)
        .filter(|w| w[1].1 == w[0].1 + 1)
        .map(|w| (((w[0].0 as u64) << 32) | w[1].0 as u64, w[0].1))
        .collect();
    bi.sort_unstable();
    let mut bigrams: Vec<(u64, Vec<u32>)> = Vec::new();
    for (key, pos) in bi {
        match bigrams.last_mut() {
            Some((k, list)) if *k == key => list.push(pos),
            _ => bigrams.push((key, vec![pos])),
        }
    }
    stream.sort_unstable();
    let mut unigrams: Vec<(u32, u32, u32)> = Vec::new();
    for (t, pos) in stream {
        match unigrams.last_mut() {
            Some((k, count, _)) if *k == t => *count += 1,
            _ => unigrams.push((t, 1, pos)),
        }
    }
    DocPart { runs, unigrams, bigrams, chunks, head: body[..head_end].to_string(), span: BODY_AT + n as u32 }
}

/// Document ids: newest 成文日期 first, then newer issue, then print order, so that "ties by
/// date, newest first" is simply ascending id on the client.
pub fn document_order(docs: &[&Document]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| (Reverse(docs[i].meta.date), Reverse((docs[i].year, docs[i].issue)), i));
    order
}

fn js_string(s: &str) -> String {
    crate::output::script_safe_json(&serde_json::to_string(s).expect("strings serialise"))
}

/// Documents indexed in parallel between two merges: bounds the memory of the parts.
const BATCH: usize = 256;
/// Key partitions merged in parallel.
const PARTS: usize = 8;

fn partition(key: u64) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 61) as usize
}

/// See [`crate::search::build_index`].
pub fn build<S: AsRef<str> + Sync>(site: &Site, texts: &[S]) -> Vec<OutputFile> {
    let docs: Vec<&Document> = site.documents().collect();
    assert_eq!(docs.len(), texts.len(), "build_index: one text per document, in print order");
    let order = document_order(&docs);

    // Each document on its own in parallel; merged in id order, so the result does not depend
    // on the number of threads. Per key: doc, count, then positions (bigram) or first (token).
    let mut interner = Interner::default();
    // Keys are split into PARTS partitions merged in parallel, each in document order.
    let mut unigram_parts: Vec<IntMap<u32, Vec<u32>>> = (0..PARTS).map(|_| IntMap::default()).collect();
    let mut bigram_parts: Vec<IntMap<u64, Vec<u32>>> = (0..PARTS).map(|_| IntMap::default()).collect();
    let mut chunks: Vec<Vec<String>> = Vec::with_capacity(docs.len());
    let mut heads: Vec<String> = Vec::with_capacity(docs.len());
    let mut spans: Vec<u32> = Vec::with_capacity(docs.len());
    for (b, batch) in order.chunks(BATCH).enumerate() {
        let parts: Vec<DocPart> = batch.par_iter().map(|&i| index_document(docs[i], texts[i].as_ref())).collect();
        let globals: Vec<Vec<u32>> = parts.iter().map(|p| p.runs.iter().map(|r| interner.id(r)).collect()).collect();
        unigram_parts.par_iter_mut().zip(bigram_parts.par_iter_mut()).enumerate().for_each(|(q, (unigrams, bigrams))| {
            for (j, part) in parts.iter().enumerate() {
                let id = (b * BATCH + j) as u32;
                let global = &globals[j];
                let map = |t: u32| if t < RUN_BASE { t } else { global[(t - RUN_BASE) as usize] };
                for &(t, count, first) in &part.unigrams {
                    let t = map(t);
                    if partition(t as u64) == q {
                        unigrams.entry(t).or_default().extend([id, count, first]);
                    }
                }
                for (key, positions) in &part.bigrams {
                    let key = ((map((key >> 32) as u32) as u64) << 32) | map(*key as u32) as u64;
                    if partition(key) == q {
                        let list = bigrams.entry(key).or_default();
                        list.extend([id, positions.len() as u32]);
                        list.extend(positions);
                    }
                }
            }
        });
        for part in parts {
            chunks.push(part.chunks);
            heads.push(part.head);
            spans.push(part.span);
        }
    }

    // Key strings and their coded lists, sorted by key.
    let n_docs = docs.len() as u32;
    let mut raw: Vec<(String, Vec<u32>, bool)> = Vec::with_capacity(
        unigram_parts.iter().map(|m| m.len()).sum::<usize>() + bigram_parts.iter().map(|m| m.len()).sum::<usize>(),
    );
    raw.extend(unigram_parts.into_iter().flatten().map(|(t, list)| (unigram_key(&interner.name(t)), list, false)));
    raw.extend(bigram_parts.into_iter().flatten().map(|(key, list)| {
        (bigram_key(&interner.name((key >> 32) as u32), &interner.name(key as u32)), list, true)
    }));
    raw.par_sort_unstable_by(|x, y| x.0.cmp(&y.0));
    let entries: Vec<(String, String)> =
        raw.into_par_iter().map(|(key, list, bigram)| (key, codec::encode_list(n_docs, &spans, &list, bigram))).collect();

    // Into shards by key hash: as many as the aimed shard size asks for, never more than
    // MAX_SHARDS (the file budget), never fewer than one.
    let total: usize = entries.iter().map(|(k, v)| k.len() + v.len() + 6).sum();
    let shards = total.div_ceil(SHARD_TARGET_BYTES).clamp(1, MAX_SHARDS);
    let mut shard_entries: Vec<Vec<(String, String)>> = vec![Vec::new(); shards];
    for (key, data) in entries {
        let s = key_hash(&key) as usize % shards;
        shard_entries[s].push((key, data));
    }

    let mut files: Vec<OutputFile> = shard_entries
        .par_iter()
        .enumerate()
        .filter(|(_, list)| !list.is_empty())
        .map(|(s, list)| {
            let mut js = format!("gongbaoSearch.shard({s},{{");
            for (j, (key, data)) in list.iter().enumerate() {
                if j > 0 {
                    js.push(',');
                }
                js.push_str(&js_string(key));
                js.push_str(":\"");
                js.push_str(data);
                js.push('"');
            }
            js.push_str("});\n");
            OutputFile::new(shard_path(s), js)
        })
        .collect();

    // Text chunks, coded by character frequency.
    let freq: HashMap<char, u64> = chunks
        .par_iter()
        .fold(HashMap::new, |mut m, doc_chunks| {
            for c in doc_chunks.iter().flat_map(|s| s.chars()) {
                *m.entry(c).or_insert(0) += 1;
            }
            m
        })
        .reduce(HashMap::new, |mut a, b| {
            for (c, n) in b {
                *a.entry(c).or_insert(0) += n;
            }
            a
        });
    let mut ranked: Vec<(char, u64)> = freq.into_iter().collect();
    ranked.sort_by_key(|&(c, n)| (Reverse(n), c));
    let rank: HashMap<char, u32> = ranked.iter().enumerate().map(|(r, &(c, _))| (c, r as u32)).collect();
    let alphabet: String = ranked.iter().map(|&(c, _)| c).collect();
    let head_ranks: Vec<Vec<u32>> = heads.par_iter().map(|text| text.chars().map(|c| rank[&c]).collect()).collect();
    drop(heads);
    let ranks: Vec<Vec<Vec<u32>>> = chunks
        .par_iter()
        .map(|doc_chunks| doc_chunks.iter().map(|text| text.chars().map(|c| rank[&c]).collect()).collect())
        .collect();
    drop(chunks);

    // Facets: issues newest first, sections and issuers in print order, for the filter menus.
    let mut issues: Vec<(u16, u16, String)> = Vec::new();
    let mut sections: Vec<String> = Vec::new();
    let mut issuers: Vec<String> = Vec::new();
    fn index_of<T: PartialEq>(list: &mut Vec<T>, v: T) -> usize {
        match list.iter().position(|x| *x == v) {
            Some(i) => i,
            None => {
                list.push(v);
                list.len() - 1
            }
        }
    }
    for issue in site.issues.iter().rev() {
        index_of(&mut issues, (issue.meta.year, issue.meta.number, issue.title.clone()));
    }
    for d in &docs {
        index_of(&mut sections, d.meta.section.clone());
        index_of(&mut issuers, d.meta.issuer.clone());
    }
    let mut facets = String::new();
    for &i in &order {
        let d = docs[i];
        push_number(&mut facets, index_of(&mut issues, (d.year, d.issue, d.issue_title.clone())) as u64);
        push_number(&mut facets, index_of(&mut sections, d.meta.section.clone()) as u64);
        push_number(&mut facets, index_of(&mut issuers, d.meta.issuer.clone()) as u64);
    }

    // Heads: per HEAD_DOCS documents in id order, their display records and the beginning of
    // their text, which is all the results page needs for a match near the start of the body
    // (or none in it). Packs: every excerpt chunk in (document id, chunk) order, cut into files
    // of about PACK_TARGET_BYTES, for matches further in.
    let record = |id: usize| -> String {
        let d = docs[order[id]];
        let json = serde_json::json!({ "t": d.meta.title, "n": d.meta.number, "d": d.meta.date.chinese(), "u": d.url }).to_string();
        crate::output::script_safe_json(&json)
    };
    let mut pack_starts: Vec<usize> = Vec::new(); // global chunk index of each pack's first chunk
    let mut members: Vec<Vec<(usize, usize)>> = Vec::new(); // (doc id, chunk) per pack
    let (mut global, mut size) = (0usize, usize::MAX);
    for (id, doc_chunks) in ranks.iter().enumerate() {
        for (k, text) in doc_chunks.iter().enumerate() {
            if size >= PACK_TARGET_BYTES {
                pack_starts.push(global);
                members.push(Vec::new());
                size = 0;
            }
            members.last_mut().unwrap().push((id, k));
            // what the chunk costs before compression, in UTF-8 bytes
            size += text.iter().map(|&r| rank_code(r as usize + 1).len_utf8()).sum::<usize>() + 3;
            global += 1;
        }
    }
    let head_files: Vec<OutputFile> = head_ranks
        .par_chunks(HEAD_DOCS)
        .enumerate()
        .map(|(h, texts)| {
            let first = h * HEAD_DOCS;
            let mut js = format!("gongbaoSearch.heads({h},{first},[");
            for j in 0..texts.len() {
                if j > 0 {
                    js.push(',');
                }
                js.push_str(&record(first + j));
            }
            js.push_str("],");
            push_string_array(&mut js, &lz::encode(texts));
            js.push_str(");\n");
            OutputFile::new(head_path(h), js)
        })
        .collect();
    files.extend(head_files);
    let pack_files: Vec<OutputFile> = members
        .par_iter()
        .enumerate()
        .map(|(p, list)| {
            let mut js = format!("gongbaoSearch.pack({p},{},", pack_starts[p]);
            let texts: Vec<Vec<u32>> = list.iter().map(|&(id, k)| ranks[id][k].clone()).collect();
            push_string_array(&mut js, &lz::encode(&texts));
            js.push_str(");\n");
            OutputFile::new(pack_path(p), js)
        })
        .collect();
    files.extend(pack_files);

    let mut span_codes = String::new();
    for &span in &spans {
        push_number(&mut span_codes, span as u64);
    }
    let mut chunk_counts = String::new();
    for doc_chunks in &ranks {
        push_number(&mut chunk_counts, doc_chunks.len() as u64);
    }
    let mut pack_codes = String::new();
    let mut prev = 0;
    for &start in &pack_starts {
        push_number(&mut pack_codes, (start - prev) as u64);
        prev = start;
    }
    let meta = serde_json::json!({
        "version": 3,
        "docs": docs.len(),
        "shards": shards,
        "chunk": CHUNK_TOKENS,
        "at": { "number": NUMBER_AT, "title": TITLE_AT, "issuer": ISSUER_AT, "body": BODY_AT },
        "issues": issues.iter().map(|(y, n, t)| serde_json::json!({ "year": y, "number": n, "title": t })).collect::<Vec<_>>(),
        "sections": sections,
        "issuers": issuers,
        "facets": facets,
        "spans": span_codes,
        "chunks": chunk_counts,
        "packs": pack_codes,
        "head": { "docs": HEAD_DOCS, "tokens": HEAD_TOKENS, "use": HEAD_USE },
        "chars": alphabet,
    });
    files.push(OutputFile::new("search/meta.js", format!("gongbaoSearch.meta({});\n", crate::output::script_safe_json(&meta.to_string()))));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

pub fn shard_path(s: usize) -> String {
    format!("search/t/{s:03x}.js")
}
pub fn head_path(h: usize) -> String {
    format!("search/h/{h}.js")
}
pub fn pack_path(p: usize) -> String {
    format!("search/p/{p}.js")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_through_the_posting_alphabet() {
        let values = [0u64, 1, 44, 45, 46, 2024, 2025, 2026, 91124, 91125, 1 << 40, u32::MAX as u64];
        let mut s = String::new();
        for &v in &values {
            push_number(&mut s, v);
        }
        assert_eq!(decode_numbers(&s).unwrap(), values);
        assert!(!s.contains('"') && !s.contains('\\'));
        // small numbers take one character, the common case for gaps and counts
        let mut one = String::new();
        push_number(&mut one, 44);
        assert_eq!(one.len(), 1);
        // a continuation digit with nothing after it is an error, not a silent zero
        assert_eq!(decode_numbers(&s[..s.len() - 1]), None);
        assert_eq!(decode_numbers("~"), None);
        assert_eq!(decode_numbers("\""), None);
    }

    #[test]
    fn key_hash_matches_fnv1a_over_utf16() {
        // reference values computed by hand-run FNV-1a (32-bit) on the UTF-16 units
        assert_eq!(key_hash(""), 0x811c9dc5);
        assert_eq!(key_hash("a"), 0xe40c292c);
        // non-BMP characters hash as their two surrogates, like charCodeAt in JS
        let mut h: u32 = 0x811c9dc5;
        for u in [0xd840u32, 0xdc00] {
            h ^= u;
            h = h.wrapping_mul(0x01000193);
        }
        assert_eq!(key_hash("𠀀"), h);
    }

    #[test]
    fn rank_codes_are_distinct_and_safe_in_js_strings() {
        let mut seen = std::collections::HashSet::new();
        for r in 0..60_000 {
            let c = rank_code(r);
            assert!(seen.insert(c), "rank {r} reuses {c:?}");
            assert!(c != '"' && c != '\\' && c >= ' ' && c != '\u{7f}', "rank {r}");
            assert!(c != '\u{2028}' && c != '\u{2029}');
            let expected_len = if r < 93 { 1 } else if r < 93 + 1920 { 2 } else { 3 };
            assert_eq!(c.len_utf8(), expected_len, "rank {r}");
        }
    }
}

/// `["…","…"]` from strings that need no escaping (the encoders write only printable ASCII
/// other than `"` and `\\`).
fn push_string_array(js: &mut String, items: &[String]) {
    js.push('[');
    for (j, item) in items.iter().enumerate() {
        if j > 0 {
            js.push(',');
        }
        js.push('"');
        js.push_str(item);
        js.push('"');
    }
    js.push(']');
}
