//! Building the index files. See the module documentation of [`crate::search`] for the format;
//! the constants and encoders here are mirrored in `search.js`.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use crate::content::{Document, Site};
use crate::error::Result;
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
/// Body tokens per excerpt chunk: small enough that showing 10 results loads little text,
/// large enough that the corpus does not become tens of thousands of files.
pub const CHUNK_TOKENS: usize = 2048;
/// These four sizes trade files against bytes per query: a query loads whole files (meta, a
/// shard per key, a heads file per result, a pack per deep match). Measured on the corpus with
/// a 34 KB meta: 4,096 shards (11 KB aimed, capped) and 24 KB packs give 6,066 files and a
/// median of 139 KB per query; 3,984 shards 146 KB; 48 KB packs 5,410 files and 149 KB; 14 KB
/// shards and 48 KB packs 4,842 files and 169 KB; 96 KB shards, 24-document heads and 224 KB
/// packs (before this format) 590 files and 768 KB.
///
/// Aimed posting shard size; the shard count follows from the index size, up to MAX_SHARDS.
pub const SHARD_TARGET_BYTES: usize = 11 * 1024;
pub const MAX_SHARDS: usize = 4096;
/// Body tokens of a document's head, and how far into it a match may lie for its excerpt
/// (about 140 characters from 40 before the match) to come from the head alone.
pub const HEAD_TOKENS: usize = 400;
pub const HEAD_USE: usize = 256;
/// Documents per heads file.
pub const HEAD_DOCS: usize = 4;
/// Aimed size of a pack of excerpt chunks, measured before compression (rank codes and
/// back-references), which takes it to about two thirds.
pub const PACK_TARGET_BYTES: usize = 24 * 1024;

/// Digits of the numbers in meta and excerpt files: 88 printable ASCII characters, none of
/// which needs escaping in a JS string literal (no `"`, no `\`) or in the JSON of an inline
/// script (no `<`, `>`, `&`, which `script_safe_json` would turn into six bytes each). Digits
/// 0–43 end a number, 44–87 continue it.
pub const DIGITS: &[u8; 88] =
    b"!#$%'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}";
pub const BASE: u64 = 44;

/// Appends `n` as little-endian base-44 digits, the last one marked as terminal.
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
    key.encode_utf16().fold(FNV_OFFSET, |h, u| fnv_continue(h, &[u]))
}

const FNV_OFFSET: u32 = 0x811c9dc5;

/// [`key_hash`] carried on over more UTF-16 units.
fn fnv_continue(mut h: u32, units: &[u16]) -> u32 {
    for &unit in units {
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
        // printable ASCII from the space on, skipping `"` (0x22) and `\` (0x5c)
        let mut b = 0x20 + rank as u32;
        if b >= 0x22 {
            b += 1;
        }
        if b >= 0x5c {
            b += 1;
        }
        return char::from_u32(b).unwrap();
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

/// UTF-8 length of [`rank_code`]`(rank)`.
pub fn rank_len(rank: usize) -> usize {
    if rank < 93 {
        1
    } else if rank < 93 + 0x800 - 0x80 {
        2
    } else {
        3
    }
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

/// One document's tokens, computed independently of all others (in parallel). Digit and letter
/// runs get ids local to the document (`RUN_BASE + i` → `runs[i]`), made global when the
/// documents are merged in id order.
struct DocTokens {
    runs: Vec<String>,
    /// Per key partition: (two-token key, position) in position order.
    bigrams: Vec<Vec<(u64, u32)>>,
    /// Per key partition, by token: count, field of the first occurrence, body location.
    unigrams: Vec<Vec<(u32, u32, u32, Option<u32>)>>,
    /// Byte offsets in the body text where excerpt chunks end (the last is the text's length).
    chunk_ends: Vec<usize>,
    /// Byte offset where the head (the first [`HEAD_TOKENS`] body tokens) ends.
    head_end: usize,
    /// Length of the document's position space: [`BODY_AT`] + body tokens.
    span: u32,
}

fn field_of(pos: u32) -> u32 {
    match pos {
        p if p < TITLE_AT => 0,
        p if p < ISSUER_AT => 1,
        p if p < BODY_AT => 2,
        _ => 3,
    }
}

/// Where a body position lies for the excerpt: 0 within the head's first [`HEAD_USE`] tokens,
/// else 1 + its chunk.
fn body_location(pos: u32) -> u32 {
    let local = (pos - BODY_AT) as usize;
    if local < HEAD_USE {
        0
    } else {
        1 + (local / CHUNK_TOKENS) as u32
    }
}

fn tokenize_document(doc: &Document, body: &str) -> DocTokens {
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
    let mut stream: Vec<(u32, u32)> = Vec::with_capacity(body.len() / 3 + 64);
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
    let mut chunk_ends = Vec::new();
    let mut n = 0usize;
    let mut head_end = body.len();
    for_each_token(body, |start, _, t| {
        if n == HEAD_TOKENS {
            head_end = start;
        }
        if n > 0 && n % CHUNK_TOKENS == 0 {
            chunk_ends.push(start);
        }
        stream.push((local(t), BODY_AT + n as u32));
        n += 1;
    });
    chunk_ends.push(body.len());

    // Keys are bucketed by partition here, in parallel, so that each partition's thread later
    // touches only its own keys (a smaller map, fewer cache misses). The partition is the key's
    // shard hash (FNV-1a of its UTF-16 text, as the client computes it) modulo PARTS, and the
    // shard count a multiple of PARTS: so every shard's keys lie in one partition, which can
    // write its shards and be freed on its own.
    let token_units = |t: u32, h: u32| -> u32 {
        if t < RUN_BASE {
            let c = char::from_u32(t).expect("ids below RUN_BASE are characters");
            fnv_continue(h, c.encode_utf16(&mut [0u16; 2]))
        } else {
            runs[(t - RUN_BASE) as usize].encode_utf16().fold(h, |h, u| fnv_continue(h, &[u]))
        }
    };
    let mut bigrams: Vec<Vec<(u64, u32)>> = vec![Vec::new(); PARTS];
    for w in stream.windows(2) {
        if w[1].1 == w[0].1 + 1 {
            let h = token_units(w[1].0, fnv_continue(token_units(w[0].0, FNV_OFFSET), &[b' ' as u16]));
            bigrams[h as usize % PARTS].push((((w[0].0 as u64) << 32) | w[1].0 as u64, w[0].1));
        }
    }
    let mut seen: IntMap<u32, (u32, u32, Option<u32>)> = IntMap::default();
    for &(t, pos) in &stream {
        let e = seen.entry(t).or_insert((0, field_of(pos), None));
        e.0 += 1;
        if e.2.is_none() && pos >= BODY_AT {
            e.2 = Some(body_location(pos));
        }
    }
    let mut unigrams: Vec<Vec<(u32, u32, u32, Option<u32>)>> = vec![Vec::new(); PARTS];
    for (t, (c, f, b)) in seen {
        unigrams[token_units(t, FNV_OFFSET) as usize % PARTS].push((t, c, f, b));
    }
    for list in &mut unigrams {
        list.sort_unstable_by_key(|u| u.0);
    }
    DocTokens { runs, bigrams, unigrams, chunk_ends, head_end, span: BODY_AT + n as u32 }
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

/// Documents tokenised in parallel between two merges: bounds the memory of the token streams.
const BATCH: usize = 128;
/// Key partitions merged in parallel, each by one thread in document order.
const PARTS: usize = 16;
/// Marks a one-token key among the two-token keys `(a << 32) | b` (token ids are below 2³¹).
const UNIGRAM: u64 = 1 << 63;

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(bytes: &[u8], i: &mut usize) -> u32 {
    let (mut v, mut shift) = (0u32, 0);
    loop {
        let b = bytes[*i];
        *i += 1;
        v |= ((b & 0x7f) as u32) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

/// One key's postings while the documents stream in, as varints: per occurrence (bigram)
/// either `gap << 1 | 1` (the next position in the same document) or `delta << 1` and the
/// position (a new document); per document (one token) the delta, count, field and body
/// location + 1 (0: none).
#[derive(Default)]
struct Postings {
    df: u32,
    last_doc: u32,
    last_pos: u32,
    bytes: Vec<u8>,
}

/// The keys of one partition and their postings, in order of first appearance.
#[derive(Default)]
struct Partition {
    slots: IntMap<u64, u32>,
    keys: Vec<u64>,
    postings: Vec<Postings>,
}

impl Partition {
    fn slot(&mut self, key: u64) -> &mut Postings {
        let next = self.keys.len() as u32;
        let slot = *self.slots.entry(key).or_insert(next) as usize;
        if slot == self.keys.len() {
            self.keys.push(key);
            self.postings.push(Postings::default());
        }
        &mut self.postings[slot]
    }

    fn add_position(&mut self, key: u64, doc: u32, pos: u32) {
        let p = self.slot(key);
        // the low bit tells a new document (its delta, then the position) from a next position
        // in the same document (its gap): one varint for most occurrences
        if p.df == 0 || p.last_doc != doc {
            push_varint(&mut p.bytes, (doc - if p.df == 0 { 0 } else { p.last_doc }) << 1);
            push_varint(&mut p.bytes, pos);
            p.df += 1;
            p.last_doc = doc;
        } else {
            push_varint(&mut p.bytes, (pos - p.last_pos - 1) << 1 | 1);
        }
        p.last_pos = pos;
    }

    fn add_unigram(&mut self, key: u64, doc: u32, count: u32, field: u32, body: Option<u32>) {
        let p = self.slot(key);
        push_varint(&mut p.bytes, doc - if p.df == 0 { 0 } else { p.last_doc });
        p.df += 1;
        p.last_doc = doc;
        for v in [count, field, body.map_or(0, |b| b + 1)] {
            push_varint(&mut p.bytes, v);
        }
    }
}

/// The bit-coded list of one key from its streamed postings.
fn encode_postings(key: u64, p: &Postings, n_docs: u32, spans: &[u32]) -> String {
    let bytes = &p.bytes;
    let mut i = 0;
    if key & UNIGRAM != 0 {
        let mut doc = 0u32;
        let entries = (0..p.df).map(|j| {
            let delta = read_varint(bytes, &mut i);
            doc = if j == 0 { delta } else { doc + delta };
            let count = read_varint(bytes, &mut i);
            let field = read_varint(bytes, &mut i);
            let body = read_varint(bytes, &mut i).checked_sub(1);
            codec::Unigram { doc, count, field, body }
        });
        return codec::encode_unigram(n_docs, p.df, entries);
    }
    let mut docs: Vec<(u32, usize, usize)> = Vec::with_capacity(p.df as usize);
    let mut positions: Vec<u32> = Vec::new();
    let (mut doc, mut pos) = (0u32, 0u32);
    while i < bytes.len() {
        let v = read_varint(bytes, &mut i);
        if v & 1 == 0 {
            doc = if docs.is_empty() { v >> 1 } else { doc + (v >> 1) };
            pos = read_varint(bytes, &mut i);
            if let Some(last) = docs.last_mut() {
                last.2 = positions.len();
            }
            docs.push((doc, positions.len(), 0));
        } else {
            pos += (v >> 1) + 1;
        }
        positions.push(pos);
    }
    if let Some(last) = docs.last_mut() {
        last.2 = positions.len();
    }
    codec::encode_bigram(n_docs, spans, p.df, docs.iter().map(|&(d, a, b)| (d, &positions[a..b])))
}

/// See [`crate::search::build_index`].
pub fn build(site: &Site, mut texts: Vec<String>, emit: &(dyn Fn(OutputFile) -> Result<()> + Sync)) -> Result<()> {
    let docs: Vec<&Document> = site.documents().collect();
    assert_eq!(docs.len(), texts.len(), "build_index: one text per document, in print order");
    let order = document_order(&docs);

    // Excerpt text is coded by character frequency rank (a dense table over all code points),
    // counted first so that each document's excerpt files can be written, and its text freed,
    // as soon as it has been indexed. Counted per thread in a table of the Basic Multilingual
    // Plane, with a map for the rest.
    type Counts = (Vec<u64>, HashMap<char, u64>);
    let (bmp, astral): Counts = texts
        .par_iter()
        .fold(
            || (vec![0u64; 0x1_0000], HashMap::new()),
            |(mut bmp, mut astral): Counts, text| {
                for c in text.chars() {
                    match bmp.get_mut(c as usize) {
                        Some(n) => *n += 1,
                        None => *astral.entry(c).or_insert(0) += 1,
                    }
                }
                (bmp, astral)
            },
        )
        .reduce(
            || (vec![0u64; 0x1_0000], HashMap::new()),
            |(mut a, mut x): Counts, (b, y): Counts| {
                a.iter_mut().zip(b).for_each(|(p, q)| *p += q);
                for (c, n) in y {
                    *x.entry(c).or_insert(0) += n;
                }
                (a, x)
            },
        );
    let counts = bmp.iter().enumerate().filter_map(|(c, &n)| char::from_u32(c as u32).map(|c| (c, n))).chain(astral);
    let mut ranked: Vec<(u64, char)> = counts.filter(|&(_, n)| n > 0).map(|(c, n)| (n, c)).collect();
    ranked.sort_by_key(|&(n, c)| (Reverse(n), c));
    let mut rank = vec![0u32; 0x11_0000];
    for (r, &(_, c)) in ranked.iter().enumerate() {
        rank[c as usize] = r as u32;
    }
    let alphabet: String = ranked.iter().map(|&(_, c)| c).collect();
    let ranks_of = |text: &str| -> Vec<u32> { text.chars().map(|c| rank[c as usize]).collect() };

    // Heads: per HEAD_DOCS documents in id order, their display records and the beginning of
    // their text, which is all the results page needs for a match near the start of the body
    // (or none in it). Packs: every excerpt chunk in (document id, chunk) order, cut into files
    // of about PACK_TARGET_BYTES, for matches further in.
    let record = |id: usize| -> String {
        let d = docs[order[id]];
        let json = serde_json::json!({ "t": d.meta.title, "n": d.meta.number, "d": d.meta.date.chinese(), "u": d.url }).to_string();
        crate::output::script_safe_json(&json)
    };
    let write_pack = |p: usize, start: usize, chunks: &[Vec<u32>]| -> Result<()> {
        let mut js = format!("gongbaoSearch.pack({p},{start},");
        push_string_array(&mut js, &lz::encode(chunks));
        js.push_str(");\n");
        emit(OutputFile::new(pack_path(p), js))
    };
    const { assert!(BATCH % HEAD_DOCS == 0, "a heads file never spans two batches") };
    let mut pack_starts: Vec<usize> = Vec::new(); // global chunk index of each pack's first chunk
    let mut open_pack: Vec<Vec<u32>> = Vec::new(); // the chunks of the last pack, not yet full
    let (mut global, mut size) = (0usize, usize::MAX);

    // Documents are tokenised in parallel and streamed into the key partitions in id order,
    // each partition by one thread: the result does not depend on the number of threads.
    let mut interner = Interner::default();
    let mut parts: Vec<Partition> = (0..PARTS).map(|_| Partition::default()).collect();
    let mut spans: Vec<u32> = Vec::with_capacity(docs.len());
    let mut chunk_counts: Vec<usize> = Vec::with_capacity(docs.len());
    for (b, batch) in order.chunks(BATCH).enumerate() {
        let first = b * BATCH;
        let batch_texts: Vec<String> = batch.iter().map(|&i| std::mem::take(&mut texts[i])).collect();
        let tokens: Vec<DocTokens> =
            batch.par_iter().zip(&batch_texts).map(|(&i, text)| tokenize_document(docs[i], text)).collect();
        let globals: Vec<Vec<u32>> = tokens.iter().map(|d| d.runs.iter().map(|r| interner.id(r)).collect()).collect();
        parts.par_iter_mut().enumerate().for_each(|(q, part)| {
            for (j, d) in tokens.iter().enumerate() {
                let id = (first + j) as u32;
                let map = |t: u32| if t < RUN_BASE { t } else { globals[j][(t - RUN_BASE) as usize] };
                for &(t, count, field, body) in &d.unigrams[q] {
                    part.add_unigram(UNIGRAM | map(t) as u64, id, count, field, body);
                }
                for &(key, pos) in &d.bigrams[q] {
                    part.add_position(((map((key >> 32) as u32) as u64) << 32) | map(key as u32) as u64, id, pos);
                }
            }
        });
        // This batch's heads files and the packs it completes; then its texts are dropped.
        (0..batch.len().div_ceil(HEAD_DOCS)).into_par_iter().try_for_each(|g| {
            let h = first / HEAD_DOCS + g;
            let members = g * HEAD_DOCS..((g + 1) * HEAD_DOCS).min(batch.len());
            let mut js = format!("gongbaoSearch.heads({h},{},[", first + members.start);
            for j in members.clone() {
                if j > members.start {
                    js.push(',');
                }
                js.push_str(&record(first + j));
            }
            js.push_str("],");
            let heads: Vec<Vec<u32>> = members.map(|j| ranks_of(&batch_texts[j][..tokens[j].head_end])).collect();
            push_string_array(&mut js, &lz::encode(&heads));
            js.push_str(");\n");
            emit(OutputFile::new(head_path(h), js))
        })?;
        let chunk_ranks: Vec<Vec<Vec<u32>>> = tokens
            .par_iter()
            .zip(&batch_texts)
            .map(|(d, text)| {
                let mut start = 0;
                d.chunk_ends.iter().map(|&end| ranks_of(&text[std::mem::replace(&mut start, end)..end])).collect()
            })
            .collect();
        let mut full: Vec<(usize, Vec<Vec<u32>>)> = Vec::new();
        for chunk in chunk_ranks.into_iter().flatten() {
            if size >= PACK_TARGET_BYTES {
                if !open_pack.is_empty() {
                    full.push((pack_starts.len() - 1, std::mem::take(&mut open_pack)));
                }
                pack_starts.push(global);
                size = 0;
            }
            // what the chunk costs before compression, in UTF-8 bytes
            size += chunk.iter().map(|&r| rank_len(r as usize + 1)).sum::<usize>() + 3;
            open_pack.push(chunk);
            global += 1;
        }
        full.par_iter().try_for_each(|(p, chunks)| write_pack(*p, pack_starts[*p], chunks))?;
        for d in tokens {
            // rounded up to a power of two: the meta file then holds one digit per document
            // (its bit length), at the cost of under one bit per lone position
            spans.push(d.span.next_power_of_two());
            chunk_counts.push(d.chunk_ends.len());
        }
    }
    if !open_pack.is_empty() {
        write_pack(pack_starts.len() - 1, pack_starts[pack_starts.len() - 1], &open_pack)?;
    }
    drop(texts);

    // Key strings and their coded lists.
    let n_docs = docs.len() as u32;
    let name = |key: u64| -> String {
        if key & UNIGRAM != 0 {
            unigram_key(&interner.name(key as u32))
        } else {
            bigram_key(&interner.name((key >> 32) as u32), &interner.name(key as u32))
        }
    };
    // As many shards as the aimed shard size asks for (estimated from the streamed postings:
    // on the corpus the shard files are 0.95 of their size), never more than
    // MAX_SHARDS, never fewer than PARTS, a multiple of PARTS (see tokenize_document).
    let streamed: usize = parts.iter().flat_map(|p| &p.postings).map(|p| p.bytes.len() + 8).sum();
    let shards = (streamed * 19 / 20).div_ceil(SHARD_TARGET_BYTES).clamp(PARTS, MAX_SHARDS).next_multiple_of(PARTS);
    // Each partition codes its keys, sorts them and writes its shards, then frees them.
    parts.into_par_iter().try_for_each(|part| {
        let Partition { keys, postings, .. } = part;
        let mut entries: Vec<(String, String)> =
            keys.into_iter().zip(postings).map(|(key, p)| (name(key), encode_postings(key, &p, n_docs, &spans))).collect();
        entries.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        let mut by_shard: BTreeMap<usize, Vec<(String, String)>> = BTreeMap::new();
        for (key, data) in entries {
            by_shard.entry(key_hash(&key) as usize % shards).or_default().push((key, data));
        }
        by_shard.into_iter().try_for_each(|(s, list)| {
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
            emit(OutputFile::new(shard_path(s), js))
        })
    })?;

    // Facets: issues newest first, sections and issuers in print order, for the filter menus.
    let mut issues: Vec<(u16, u16)> = Vec::new();
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
        index_of(&mut issues, (issue.meta.year, issue.meta.number));
    }
    for d in &docs {
        index_of(&mut sections, d.meta.section.clone());
        index_of(&mut issuers, d.meta.issuer.clone());
    }
    // The issue as the zigzag difference from the previous document's: ids run by date, so
    // it is mostly 0, one digit.
    let mut facets = String::new();
    let mut last_issue = 0i64;
    for &i in &order {
        let d = docs[i];
        let issue = index_of(&mut issues, (d.year, d.issue)) as i64;
        let delta = issue - last_issue;
        last_issue = issue;
        push_number(&mut facets, if delta >= 0 { 2 * delta as u64 } else { 2 * (-delta) as u64 - 1 });
        push_number(&mut facets, index_of(&mut sections, d.meta.section.clone()) as u64);
        push_number(&mut facets, index_of(&mut issuers, d.meta.issuer.clone()) as u64);
    }

    let mut span_codes = String::new();
    for &span in &spans {
        push_number(&mut span_codes, span.trailing_zeros() as u64);
    }
    let mut chunk_codes = String::new();
    for &n in &chunk_counts {
        push_number(&mut chunk_codes, n as u64);
    }
    let mut pack_codes = String::new();
    let mut prev = 0;
    for &start in &pack_starts {
        push_number(&mut pack_codes, (start - prev) as u64);
        prev = start;
    }
    let meta = serde_json::json!({
        "version": 4,
        "docs": docs.len(),
        "shards": shards,
        "chunk": CHUNK_TOKENS,
        "at": { "number": NUMBER_AT, "title": TITLE_AT, "issuer": ISSUER_AT, "body": BODY_AT },
        "issues": issues,
        "sections": sections,
        "issuers": issuers,
        "facets": facets,
        "spans": span_codes,
        "chunks": chunk_codes,
        "packs": pack_codes,
        "head": { "docs": HEAD_DOCS, "tokens": HEAD_TOKENS, "use": HEAD_USE },
        "chars": alphabet,
    });
    emit(OutputFile::new("search/meta.js", format!("gongbaoSearch.meta({});\n", crate::output::script_safe_json(&meta.to_string()))))
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
        let values = [0u64, 1, 43, 44, 45, 1935, 1936, 1937, 85183, 85184, 1 << 40, u32::MAX as u64];
        let mut s = String::new();
        for &v in &values {
            push_number(&mut s, v);
        }
        assert_eq!(decode_numbers(&s).unwrap(), values);
        assert!(!s.contains('"') && !s.contains('\\'));
        // small numbers take one character, the common case for gaps and counts
        let mut one = String::new();
        push_number(&mut one, 43);
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
