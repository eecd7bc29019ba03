//! Building the index files. See the module documentation of [`crate::search`] for the format;
//! the constants and encoders here are mirrored in `search.js`.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::cache::Key;
use crate::content::{Document, Site};
use crate::error::Result;
use crate::output::OutputFile;

use super::keymap::{Hint, KeyMap};
use super::{codec, lz, shard, slices};
use super::normalize::{for_each_piece, Piece};

/// Where each field's tokens start in a document's position space. Gaps between the regions
/// keep bigrams and phrase checks from ever spanning two fields; a field longer than its region
/// is cut (a 发文字号 of 60 tokens or a title of 440 does not occur).
pub const NUMBER_AT: u32 = 0;
pub const TITLE_AT: u32 = 64;
pub const ISSUER_AT: u32 = 512;
pub const BODY_AT: u32 = 768;
/// Body positions per excerpt chunk: small enough that showing 10 results loads little text,
/// large enough that the corpus does not become tens of thousands of files.
pub const CHUNK_TOKENS: usize = 2048;
/// Body paragraphs (lines of the text) start at multiples of this, after a gap of at least one
/// position, so that no phrase spans two paragraphs and a correction inside a paragraph moves
/// the later paragraphs only when it carries the paragraph's length past a multiple: for an
/// insertion of d tokens, about d in this many times (see `place_paragraphs`). Measured on
/// the corpus (352,000 paragraphs of 53 tokens on average), against 56.08 MB with positions
/// running on: 8 → 55.79 MB, 16 → 55.98 MB (134 KB per query, median), 32 → 56.28 MB; the
/// slack costs bits, the bigrams no longer formed across paragraphs save them. Of eight
/// corrections of five characters, 16 kept six to some sixty files rewritten and 32 seven, where
/// each had rewritten 700–2,300. 32 since session 9: the full build got faster (3.6–3.8 s at
/// 1×), and a correction that crosses a multiple and rewrites the rest of its chunk (0.25–0.35 s)
/// went past 5% of it, where one that does not takes 0.13–0.18 s; halving how often that
/// happens cost, measured then against 16, 0.3 MB (56.1 against 55.8 MB) and 2.7 KB per query
/// (134.9 KB median, p95 447 KB).
pub const PARAGRAPH_ALIGN: usize = 32;
/// These four sizes trade files against bytes per query: a query loads whole files (meta, a
/// shard per key, a heads file per result, a pack per deep match). Measured on the corpus with
/// a 34 KB meta, format 6: 3,648 shards (11 KB aimed) and 32 KB packs give 5,246 files and a
/// median of 129 KB per query (p95 475 KB); 24 KB packs 5,464 files and 126 KB, 0.3 MB more
/// index. Format 5 (ASCII lists, rank-coded text): 4,096 shards (capped) and 24 KB packs
/// 6,066 files and 139 KB; 3,984 shards 146 KB; 48 KB packs 5,410 files and 149 KB; 14 KB
/// shards and 48 KB packs 4,842 files and 169 KB; 96 KB shards, 24-document heads and 224 KB
/// packs (format 4) 590 files and 768 KB.
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
/// Aimed size of a pack of excerpt chunks, measured as literals ([`lz::Code::literal_len`],
/// before copies), which copies take to about three fifths (19 KB packs on the corpus).
pub const PACK_TARGET_BYTES: usize = 32 * 1024;

/// Digits of the numbers in the meta file (and of the list lengths the build cache keeps): 88
/// printable ASCII characters, none of
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

/// Inverse of a sequence of [`push_number`]. `None` on a character outside the alphabet, a
/// truncated number or one past 64 bits.
pub fn decode_numbers(s: &str) -> Option<Vec<u64>> {
    let mut out = Vec::new();
    let (mut value, mut scale) = (0u64, 1u64);
    let mut open = false;
    for b in s.bytes() {
        let d = DIGITS.iter().position(|&x| x == b)? as u64;
        if d >= BASE {
            value = value.checked_add((d - BASE).checked_mul(scale)?)?;
            scale = scale.checked_mul(BASE)?;
            open = true;
        } else {
            out.push(value.checked_add(d.checked_mul(scale)?)?);
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
const FNV_PRIME: u32 = 0x01000193;

/// [`key_hash`] carried on over more UTF-16 units.
fn fnv_continue(mut h: u32, units: &[u16]) -> u32 {
    for &unit in units {
        h ^= unit as u32;
        h = h.wrapping_mul(FNV_PRIME);
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
    /// The token `id` names; a character is written into `buf` (no allocation per key: the
    /// build names 300,000 keys on the corpus).
    fn name<'a>(&'a self, id: u32, buf: &'a mut [u8; 4]) -> &'a str {
        if id < RUN_BASE {
            char::from_u32(id).expect("ids below RUN_BASE are characters").encode_utf8(buf)
        } else {
            &self.names[(id - RUN_BASE) as usize]
        }
    }
}

/// A token of a document: the token, its count, the field of its first occurrence, its body
/// location.
type TokenStats = (u32, u32, u32, Option<u32>);

/// One document's tokens, computed independently of all others (in parallel). Digit and letter
/// runs get ids local to the document (`RUN_BASE + i` → `runs[i]`), made global when the
/// documents are merged in id order.
struct DocTokens {
    runs: Vec<String>,
    /// Per key partition: (two-token key, position) in position order.
    bigrams: Vec<Vec<(u64, u32)>>,
    /// Per key partition, by token.
    unigrams: Vec<Vec<TokenStats>>,
    /// Byte offsets in the body text where excerpt chunks end (the last is the text's length).
    chunk_ends: Vec<usize>,
    /// Byte offset where the head (the body tokens before position [`HEAD_TOKENS`]) ends.
    head_end: usize,
    /// Length of the document's position space: [`BODY_AT`] + the last body position + 1.
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

/// Where a body position lies for the excerpt: 0 within the head's first [`HEAD_USE`]
/// positions, else 1 + its chunk.
fn body_location(pos: u32) -> u32 {
    let local = (pos - BODY_AT) as usize;
    if local < HEAD_USE {
        0
    } else {
        1 + (local / CHUNK_TOKENS) as u32
    }
}

/// What a document's fields put in the index, in the order of their position ranges: its
/// 发文字号, title and 发文机关. The state keeps them, so that a document retitled or removed
/// later has its entries taken out of the lists without its old front matter; in one string,
/// as a rebuild reads every document's back (one allocation each, not three).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct IndexedFields {
    text: String,
    /// Where the number and the title end in `text`.
    ends: [u32; 2],
}

impl IndexedFields {
    fn of(doc: &Document) -> IndexedFields {
        let number = doc.meta.number.as_deref().unwrap_or("");
        let text = [number, &doc.meta.title, &doc.meta.issuer].concat();
        IndexedFields { ends: [number.len() as u32, (number.len() + doc.meta.title.len()) as u32], text }
    }

    fn get(&self) -> [&str; 3] {
        let [a, b] = self.ends.map(|e| e as usize);
        [&self.text[..a], &self.text[a..b], &self.text[b..]]
    }
}

fn tokenize_document(fields: [&str; 3], body: &str) -> DocTokens {
    let mut runs: Vec<String> = Vec::new();
    let mut run_ids: HashMap<String, u32> = HashMap::new();
    let mut local = |piece: Piece| -> u32 {
        let t = match piece {
            Piece::Char(c) => return c as u32,
            Piece::Run(t) => t,
        };
        let mut chars = t.chars();
        if let (Some(c), None) = (chars.next(), chars.clone().next()) {
            return c as u32; // a run of one is that character's token
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
    for (text, (at, next)) in fields.into_iter().zip([(NUMBER_AT, TITLE_AT), (TITLE_AT, ISSUER_AT), (ISSUER_AT, BODY_AT)]) {
        let mut pos = at;
        // `next - 1`: leave a gap so no phrase runs from one field into the next
        for_each_piece(text, |_, _, t| {
            if pos < next - 1 {
                stream.push((local(t), pos));
                pos += 1;
            }
        });
    }
    let mut chunk_ends = Vec::new();
    let mut head_end = body.len();
    let mut end = 0usize; // the body's position space used so far
    place_paragraphs(body, |start, pos, t| {
        if pos >= HEAD_TOKENS && head_end == body.len() {
            head_end = start;
        }
        while (chunk_ends.len() + 1) * CHUNK_TOKENS <= pos {
            chunk_ends.push(start);
        }
        stream.push((local(t), BODY_AT + pos as u32));
        end = pos + 1;
    });
    chunk_ends.push(body.len());

    // Keys are bucketed by partition here, in parallel, so that each partition's thread later
    // touches only its own keys (a smaller map, fewer cache misses). The partition is the key's
    // shard hash (FNV-1a of its UTF-16 text, as the client computes it) modulo PARTS, and the
    // shard count a multiple of PARTS: so every shard's keys lie in one partition, which can
    // write its shards and be freed on its own.
    let token_units = |t: u32, h: u32| -> u32 {
        if t < 0x1_0000 {
            // a character of the Basic Multilingual Plane is one UTF-16 unit: nearly every token
            (h ^ t).wrapping_mul(FNV_PRIME)
        } else if t < RUN_BASE {
            let c = char::from_u32(t).expect("ids below RUN_BASE are characters");
            fnv_continue(h, c.encode_utf16(&mut [0u16; 2]))
        } else {
            runs[(t - RUN_BASE) as usize].encode_utf16().fold(h, |h, u| fnv_continue(h, &[u]))
        }
    };
    // room for an even share and a quarter more: growing sixteen lists cost copies
    let share = stream.len() / PARTS * 5 / 4 + 8;
    let mut bigrams: Vec<Vec<(u64, u32)>> = (0..PARTS).map(|_| Vec::with_capacity(share)).collect();
    for w in stream.windows(2) {
        if w[1].1 == w[0].1 + 1 {
            let h = token_units(w[1].0, fnv_continue(token_units(w[0].0, FNV_OFFSET), &[b' ' as u16]));
            bigrams[h as usize % PARTS].push((((w[0].0 as u64) << 32) | w[1].0 as u64, w[0].1));
        }
    }
    // Per token its count, field and body location, found through a table indexed by token
    // (a hash map cost a hashed probe per occurrence): characters by code point, in a table
    // each thread keeps and clears after the document; the document's runs in one of their own.
    thread_local!(static SLOTS: std::cell::RefCell<Vec<u32>> = std::cell::RefCell::new(vec![0; RUN_BASE as usize]));
    let mut stats: Vec<TokenStats> = Vec::new();
    SLOTS.with_borrow_mut(|slots| {
        let mut run_slots = vec![0u32; runs.len()];
        for &(t, pos) in &stream {
            let slot = if t < RUN_BASE { &mut slots[t as usize] } else { &mut run_slots[(t - RUN_BASE) as usize] };
            if *slot == 0 {
                stats.push((t, 0, field_of(pos), None));
                *slot = stats.len() as u32;
            }
            let e = &mut stats[*slot as usize - 1];
            e.1 += 1;
            if e.3.is_none() && pos >= BODY_AT {
                e.3 = Some(body_location(pos));
            }
        }
        for &(t, ..) in stats.iter().filter(|s| s.0 < RUN_BASE) {
            slots[t as usize] = 0;
        }
    });
    let mut unigrams: Vec<Vec<TokenStats>> = vec![Vec::new(); PARTS];
    for (t, c, f, b) in stats {
        unigrams[token_units(t, FNV_OFFSET) as usize % PARTS].push((t, c, f, b));
    }
    for list in &mut unigrams {
        list.sort_unstable_by_key(|u| u.0);
    }
    DocTokens { runs, bigrams, unigrams, chunk_ends, head_end, span: BODY_AT + end as u32 }
}

/// Calls `f(start, position, token)` for every token of a body `text`, `start` its byte offset
/// and `position` its place in the body's position space (from 0), which runs on by one within
/// a paragraph (a line) and between paragraphs jumps to a multiple of [`PARAGRAPH_ALIGN`], a
/// gap of at least one. A paragraph that would reach the last position of its excerpt chunk
/// starts the next chunk; one of a chunk or longer starts a chunk of its own. So a chunk's text
/// (from its first token) has its first token at the chunk's first position, a rule
/// `tokenAt` in `search.js` takes to find a match's token in a chunk; only a paragraph of
/// a chunk or more ending on a chunk's last position puts the next one a step later, where the
/// excerpt then centres a few tokens off (2 of the corpus's 350,000 paragraphs are that long).
fn place_paragraphs(text: &str, mut f: impl FnMut(usize, usize, Piece<'_>)) {
    /// A token of the line, held until the line's length places it: a character, or a run
    /// ending at this offset in the line's `runs`.
    enum Held {
        Char(char),
        Run(usize),
    }
    let mut next = 0usize;
    let mut offset = 0usize;
    // one line's tokens, by byte offset in `text`, and the normalised forms of its runs
    let (mut tokens, mut runs): (Vec<(usize, Held)>, String) = (Vec::new(), String::new());
    for line in text.split('\n') {
        tokens.clear();
        runs.clear();
        for_each_piece(line, |start, _, piece| {
            let held = match piece {
                Piece::Char(c) => Held::Char(c),
                Piece::Run(run) => {
                    runs.push_str(run);
                    Held::Run(runs.len())
                }
            };
            tokens.push((offset + start, held));
        });
        offset += line.len() + 1;
        if tokens.is_empty() {
            continue;
        }
        let boundary = (next / CHUNK_TOKENS + 1) * CHUNK_TOKENS;
        let at = if !next.is_multiple_of(CHUNK_TOKENS) && next + tokens.len() >= boundary { boundary } else { next };
        let mut from = 0;
        for (i, (start, held)) in tokens.iter().enumerate() {
            let piece = match *held {
                Held::Char(c) => Piece::Char(c),
                Held::Run(to) => Piece::Run(&runs[std::mem::replace(&mut from, to)..to]),
            };
            f(*start, at + i, piece);
        }
        next = (at + tokens.len() + 1).div_ceil(PARAGRAPH_ALIGN) * PARAGRAPH_ALIGN;
    }
}

/// Document ids: oldest 成文日期 first, then older issue, then later in print, so that "ties by
/// date, newest first" is descending id on the client, and the documents of a new issue take
/// the last ids and leave the others' in place (see [`update`]).
/// A document without a 成文日期 (a 大事记 printed unsigned) counts from its issue's 出版日期.
/// Indices are of `site.documents()`.
pub fn document_order(site: &Site) -> Vec<usize> {
    use crate::content::GDate;
    let dates: Vec<(GDate, (u16, u16))> = site.issues.iter().flat_map(|issue| issue.documents().map(move |d| (d.meta.date.unwrap_or_else(|| issue.published()), (d.year, d.issue)))).collect();
    let mut order: Vec<usize> = (0..dates.len()).collect();
    order.sort_by_key(|&i| (dates[i], Reverse(i)));
    order
}

/// Documents tokenised in parallel between two merges: bounds the memory of the token streams.
const BATCH: usize = 128;
/// Key partitions merged in parallel, each by one thread in document order.
const PARTS: usize = 16;
/// How many occurrences ahead the merge asks for where a key's postings go next: their slot in
/// the map twice this far ahead, and, once the slot is at hand, the end of their list this far
/// (see [`KeyMap::prefetch`]). The list's end: a further 0.98–0.99 of the full build's time
/// per pair, in ten alternating pairs in either order.
const AHEAD: usize = 8;
/// Marks a one-token key among the two-token keys `(a << 32) | b` (token ids are below 2³¹).
const UNIGRAM: u64 = 1 << 63;

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
    bytes: slices::List,
}

/// The keys of one partition and their postings, by key: one lookup finds both (a map to a
/// slot in a vector of postings cost a second cache miss per occurrence).
#[derive(Default)]
struct Partition {
    postings: KeyMap<Postings>,
    pool: slices::Pool,
}

impl Partition {
    fn add_position(&mut self, key: u64, hint: Option<Hint>, doc: u32, pos: u32) {
        let p = self.postings.entry_hinted(key, hint);
        // the low bit tells a new document (its delta, then the position) from a next position
        // in the same document (its gap): one varint for most occurrences
        if p.df == 0 || p.last_doc != doc {
            self.pool.push_varint(&mut p.bytes, (doc - if p.df == 0 { 0 } else { p.last_doc }) << 1);
            self.pool.push_varint(&mut p.bytes, pos);
            p.df += 1;
            p.last_doc = doc;
        } else {
            self.pool.push_varint(&mut p.bytes, (pos - p.last_pos - 1) << 1 | 1);
        }
        p.last_pos = pos;
    }

    fn add_unigram(&mut self, key: u64, doc: u32, count: u32, field: u32, body: Option<u32>) {
        let p = self.postings.entry(key);
        self.pool.push_varint(&mut p.bytes, doc - if p.df == 0 { 0 } else { p.last_doc });
        p.df += 1;
        p.last_doc = doc;
        for v in [count, field, body.map_or(0, |b| b + 1)] {
            self.pool.push_varint(&mut p.bytes, v);
        }
    }
}

/// Room to decode a key's postings in, reused from key to key: its bytes, per document (the
/// document, the range of its positions), the positions.
type Room = (Vec<u8>, Vec<(u32, usize, usize)>, Vec<u32>);

/// The bit-coded list of one key from its streamed postings.
fn encode_postings(key: u64, p: &Postings, pool: &slices::Pool, room: &mut Room, n_docs: u32, spans: &[u32]) -> codec::Bits {
    let (bytes, docs, positions) = room;
    pool.read(&p.bytes, bytes);
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
    docs.clear();
    positions.clear();
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

/// Per document (print order): the keys of its body and of its indexed and shown fields.
pub type DocKeys = (Key, Key);

/// What the next build needs to update the index in place (see [`update`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub shards: usize,
    /// The characters of the excerpt code in code order, and how often each occurs.
    pub alphabet: String,
    pub counts: Vec<(char, u64)>,
    /// Per document id.
    pub docs: Vec<DocState>,
    /// The first chunk of each pack: (document id, chunk).
    pub packs: Vec<(u32, u32)>,
    /// Per shard, the bit lengths of its lists (see [`shard::file`]).
    pub lists: Vec<String>,
    /// Per shard, a hash of its file as written. An update reads the shards it edits back from
    /// the output: one changed there since (by hand, or damaged) would carry the change into
    /// the file written anew, so the index is built anew instead.
    pub shard_hashes: Vec<u64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DocState {
    pub url: String,
    pub body: Key,
    pub fields: Key,
    /// Its fields as the lists hold them.
    pub indexed: IndexedFields,
    /// Its position space, exact.
    pub span: u32,
    /// Where its head ends in its text (bytes).
    pub head_end: u32,
    /// Per excerpt chunk: where it ends in the text (bytes), its size in the pack before
    /// compression, and a hash of its text (which picks pack boundaries).
    pub chunks: Vec<(u32, u32, u32)>,
    /// Postings it adds (positions of two-token keys, one-token keys): the index size, which
    /// sets the number of shards, is their sum.
    pub units: u64,
}

impl DocState {
    /// Where excerpt chunk `c` lies in the document's text (bytes).
    fn chunk(&self, c: usize) -> std::ops::Range<usize> {
        let start = if c == 0 { 0 } else { self.chunks[c - 1].0 as usize };
        start..self.chunks[c].0 as usize
    }
}

/// Shard bytes per posting unit ([`DocState::units`]), in tenths: 40.1 MB of shards for 20.5
/// million units on the corpus.
const UNIT_TENTH_BYTES: u64 = 20;

/// As many shards as the aimed shard size asks for, never more than MAX_SHARDS, never fewer
/// than PARTS, a multiple of PARTS (see tokenize_document): from a sum over documents, so that
/// an updated index counts the same as a new one. The count moves in steps of about a fifth
/// (PARTS × ⌈2^(k/4)⌉, the step nearest the aim): any other count is an index built anew, and
/// counted by sixteens it changed with nearly every new issue (13 documents at 1×).
fn shard_count(units: u64) -> usize {
    let aimed = ((units * UNIT_TENTH_BYTES / 10) as usize).div_ceil(SHARD_TARGET_BYTES).div_ceil(PARTS).clamp(1, MAX_SHARDS / PARTS);
    // ⌈2^(k/4)⌉ is the least s with s⁴ ≥ 2^k
    let step = |k: u32| (1usize..).find(|s| s.pow(4) >= 1 << k).expect("a root");
    let k = (0..).find(|&k| step(k) >= aimed).expect("the aim is at most step(32)");
    let (low, high) = (step(k.saturating_sub(1)), step(k));
    // the nearer by ratio (an aim on a step is nearer to it than to the one below)
    (if aimed * aimed > low * high { high } else { low }) * PARTS
}

/// Packs end where a chunk's hash says, once they hold PACK_MIN_BYTES (one chunk in
/// PACK_CUT_ODDS), or before a chunk that would take them past PACK_MAX_BYTES. A cut depends
/// only on the chunks since the last one, so after an edit the cuts fall where they were within
/// a pack or two, and the packs beyond are the same files.
const PACK_MIN_BYTES: usize = PACK_TARGET_BYTES * 7 / 8;
const PACK_MAX_BYTES: usize = PACK_TARGET_BYTES * 5 / 3;
const PACK_CUT_ODDS: u32 = 2;

#[derive(Default)]
struct PackCutter {
    size: usize,
    started: bool,
}

impl PackCutter {
    /// Whether a new pack starts with a chunk of `size` bytes and text hash `hash`.
    fn starts(&mut self, size: usize, hash: u32) -> bool {
        let cut = !self.started
            || (self.size >= PACK_MIN_BYTES && (hash.wrapping_mul(0x9e37_79b1) >> 16) < 0x1_0000 / PACK_CUT_ODDS)
            || self.size + size > PACK_MAX_BYTES;
        if cut {
            (self.size, self.started) = (0, true);
        }
        self.size += size;
        cut
    }
}

/// A hash of a chunk's text: xxh3, as FNV-1a's byte at a time cost 1.5% of a full build.
fn text_hash(text: &str) -> u32 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes()) as u32
}

/// How often each character occurs in `texts`, by character. Counted per thread in a table of
/// the Basic Multilingual Plane, with a map for the rest.
fn count_chars(texts: impl ParallelIterator<Item = Result<String>>) -> Result<Vec<(char, u64)>> {
    type Counts = (Vec<u64>, HashMap<char, u64>);
    let none = || (vec![0u64; 0x1_0000], HashMap::new());
    let (bmp, astral): Counts = texts
        .try_fold(none, |(mut bmp, mut astral): Counts, text| {
            for c in text?.chars() {
                match bmp.get_mut(c as usize) {
                    Some(n) => *n += 1,
                    None => *astral.entry(c).or_insert(0) += 1,
                }
            }
            Ok((bmp, astral))
        })
        .try_reduce(none, |(mut a, mut x): Counts, (b, y): Counts| {
            a.iter_mut().zip(b).for_each(|(p, q)| *p += q);
            for (c, n) in y {
                *x.entry(c).or_insert(0) += n;
            }
            Ok((a, x))
        })?;
    let mut counts: Vec<(char, u64)> =
        bmp.iter().enumerate().filter_map(|(c, &n)| char::from_u32(c as u32).map(|c| (c, n))).chain(astral).filter(|&(_, n)| n > 0).collect();
    counts.sort_unstable();
    Ok(counts)
}

/// How many documents, the oldest by id, the excerpt code's characters are counted in: half
/// the document count the list code goes by ([`codec::doc_count`], a power of two), so that
/// a new issue, whose documents take the last ids, changes no excerpt file but its own (where
/// counting every document made it code every heads file and pack anew: at 1× a quarter of a
/// full build), until the count passes a power of two and the index is built anew anyway.
/// Half the archive or more, the oldest part, is a fair sample of its characters.
fn counted_docs(docs: usize) -> usize {
    (codec::doc_count(docs as u32) as usize / 2).clamp(1.min(docs), docs)
}

/// The characters of the excerpt code's table, in code order: the most frequent first, in the
/// classes of [`lz::CLASS_ENDS`], each class in code point order; the rarer ones are not in it
/// ([`lz::RARE`]). Frequency is counted in quarter octaves: a correction moves no character's
/// code unless it moves a character from one class to another.
fn alphabet(counts: &[(char, u64)]) -> Vec<char> {
    // ⌊4 log₂ n⌋ = ⌊log₂ n⁴⌋
    let band = |n: u64| 127 - (n as u128).pow(4).leading_zeros();
    let mut ranked: Vec<(u32, char)> = counts.iter().map(|&(c, n)| (band(n), c)).collect();
    ranked.sort_unstable_by_key(|&(b, c)| (Reverse(b), c));
    let mut chars: Vec<char> = ranked.into_iter().map(|(_, c)| c).collect();
    let mut start = 0;
    chars.truncate(lz::CLASS_ENDS[3] as usize);
    for end in lz::CLASS_ENDS.iter().map(|&e| e as usize) {
        let end = end.clamp(start, chars.len());
        chars[start..end].sort_unstable();
        start = end;
    }
    chars
}

/// Each character's rank in `alphabet`, by code point ([`lz::RARE`] + the code point for one
/// not in it).
fn rank_table(alphabet: &[char]) -> Vec<u32> {
    let mut rank: Vec<u32> = (0..0x11_0000).map(|c| lz::RARE + c).collect();
    for (r, &c) in alphabet.iter().enumerate() {
        rank[c as usize] = r as u32;
    }
    rank
}

/// What an excerpt chunk costs as literals, before copies, in bytes: what cuts the packs.
fn chunk_size(chunk: &str, rank: &[u32], code: &lz::Code) -> u32 {
    (chunk.chars().map(|c| code.literal_len(rank[c as usize]) as usize).sum::<usize>() / 8 + 3) as u32
}

/// Everything a document adds besides its postings.
fn doc_state(doc: &Document, keys: &DocKeys, indexed: IndexedFields, tokens: &DocTokens, text: &str, rank: &[u32], code: &lz::Code) -> DocState {
    let mut start = 0;
    let chunks = tokens
        .chunk_ends
        .iter()
        .map(|&end| {
            let chunk = &text[std::mem::replace(&mut start, end)..end];
            (end as u32, chunk_size(chunk, rank, code), text_hash(chunk))
        })
        .collect();
    let units = tokens.bigrams.iter().map(|b| b.len() as u64).sum::<u64>() + tokens.unigrams.iter().map(|u| u.len() as u64).sum::<u64>();
    DocState { url: doc.url.clone(), body: keys.0, fields: keys.1, indexed, span: tokens.span, head_end: tokens.head_end as u32, chunks, units }
}

/// The display record of a document, as its heads file holds it: `[date, number, title, url]`,
/// the URL as its slug alone where it is `<year>/<issue, two digits>/<slug>.html`, which the
/// client rebuilds from the issue facet (60 KB less on the corpus), and for a document no longer
/// in force its status (已废止, 已失效) fifth, so that no reader takes it for the law.
fn record(d: &Document) -> String {
    let url = if d.url == format!("{}/{:02}/{}.html", d.year, d.issue, d.slug) { &d.slug } else { &d.url };
    let date = d.meta.date.map(|d| d.chinese()).unwrap_or_default();
    let json = match d.status_text() {
        "有效" => serde_json::json!([date, d.meta.number, d.meta.title, url]),
        status => serde_json::json!([date, d.meta.number, d.meta.title, url, status]),
    }
    .to_string();
    crate::output::script_safe_json(&json)
}

/// Heads file `h`: documents `first …` with their records and their heads' text.
fn heads_file(h: usize, first: usize, records: &[String], heads: &[Vec<u32>], code: &lz::Code) -> OutputFile {
    let mut js = format!("gongbaoSearch.heads({h},{first},[{}],", records.join(","));
    push_string_array(&mut js, &code.encode(heads));
    js.push_str(");\n");
    OutputFile::new(head_path(h), super::utf16_script(&js))
}

/// A pack to write: its first chunk (document id, chunk), and its chunks as ranks.
type Pack = ((u32, u32), Vec<Vec<u32>>);

/// The pack starting with chunk `c` of document `id`.
fn pack_file(id: u32, c: u32, chunks: &[Vec<u32>], code: &lz::Code) -> OutputFile {
    let mut js = format!("gongbaoSearch.pack({id},{c},");
    push_string_array(&mut js, &code.encode(chunks));
    js.push_str(");\n");
    OutputFile::new(pack_path(id, c), super::utf16_script(&js))
}

/// See [`crate::search::build_index`].
pub fn build(site: &Site, keys: &[DocKeys], text: &(dyn Fn(usize) -> Result<String> + Sync), emit: &(dyn Fn(OutputFile) -> Result<()> + Sync)) -> Result<State> {
    let docs: Vec<&Document> = site.documents().collect();
    let order = document_order(site);

    // Excerpt text is coded by character (see `alphabet`), counted first so that each
    // document's excerpt files can be written as soon as it is indexed: each text is asked
    // for twice, and only a batch of them is held at a time.
    let counts = count_chars((0..counted_docs(order.len())).into_par_iter().map(|id| text(order[id])))?;
    let chars = alphabet(&counts);
    let rank = rank_table(&chars);
    let code = lz::Code::new(chars.len() as u32);
    let ranks_of = |text: &str| -> Vec<u32> { text.chars().map(|c| rank[c as usize]).collect() };
    let mut state = State { shards: 0, alphabet: chars.iter().collect(), counts, docs: Vec::with_capacity(docs.len()), packs: Vec::new(), lists: Vec::new(), shard_hashes: Vec::new() };

    // Heads: per HEAD_DOCS documents in id order, their display records and the beginning of
    // their text, which is all the results page needs for a match near the start of the body
    // (or none in it). Packs: every excerpt chunk in (document id, chunk) order, cut into files
    // (see PackCutter), for matches further in.
    const { assert!(BATCH.is_multiple_of(HEAD_DOCS), "a heads file never spans two batches") };
    let mut cutter = PackCutter::default();
    let mut open_pack: Vec<Vec<u32>> = Vec::new(); // the chunks of the last pack, not yet full

    // Documents are tokenised in parallel and streamed into the key partitions in id order,
    // each partition by one thread: the result does not depend on the number of threads.
    let mut interner = Interner::default();
    let mut parts: Vec<Partition> = (0..PARTS).map(|_| Partition::default()).collect();
    for (b, batch) in order.chunks(BATCH).enumerate() {
        let first = b * BATCH;
        let batch_texts: Vec<String> = batch.par_iter().map(|&i| text(i)).collect::<Result<_>>()?;
        let fields: Vec<IndexedFields> = batch.iter().map(|&i| IndexedFields::of(docs[i])).collect();
        let tokens: Vec<DocTokens> = fields.par_iter().zip(&batch_texts).map(|(f, text)| tokenize_document(f.get(), text)).collect();
        let globals: Vec<Vec<u32>> = tokens.iter().map(|d| d.runs.iter().map(|r| interner.id(r)).collect()).collect();
        parts.par_iter_mut().enumerate().for_each(|(q, part)| {
            let mut keys: Vec<u64> = Vec::new(); // a document's bigram keys with global token ids
            for (j, d) in tokens.iter().enumerate() {
                let id = (first + j) as u32;
                let map = |t: u32| if t < RUN_BASE { t } else { globals[j][(t - RUN_BASE) as usize] };
                for &(t, count, field, body) in &d.unigrams[q] {
                    part.add_unigram(UNIGRAM | map(t) as u64, id, count, field, body);
                }
                let bigrams = &d.bigrams[q];
                keys.clear();
                keys.extend(bigrams.iter().map(|&(key, _)| ((map((key >> 32) as u32) as u64) << 32) | map(key as u32) as u64));
                // where the nearer occurrences' keys were found, by occurrence modulo AHEAD
                let mut hints = [None; AHEAD];
                for (n, (&key, &(_, pos))) in keys.iter().zip(bigrams).enumerate() {
                    // fetched ahead: the slot of a later occurrence's key, the list end of a nearer one's
                    if let Some(&ahead) = keys.get(n + 2 * AHEAD) {
                        part.postings.prefetch(ahead);
                    }
                    let hint = hints[n % AHEAD];
                    hints[n % AHEAD] = keys.get(n + AHEAD).and_then(|&near| part.postings.get(near)).map(|(p, hint)| {
                        part.pool.prefetch(&p.bytes);
                        hint
                    });
                    part.add_position(key, hint, id, pos);
                }
            }
        });
        let states: Vec<DocState> =
            batch.par_iter().zip(fields).zip(&tokens).zip(&batch_texts).map(|(((&i, f), t), text)| doc_state(docs[i], &keys[i], f, t, text, &rank, &code)).collect();
        // This batch's heads files and the packs it completes; then its texts are dropped.
        (0..batch.len().div_ceil(HEAD_DOCS)).into_par_iter().try_for_each(|g| {
            let members = g * HEAD_DOCS..((g + 1) * HEAD_DOCS).min(batch.len());
            let records: Vec<String> = members.clone().map(|j| record(docs[batch[j]])).collect();
            let heads: Vec<Vec<u32>> = members.clone().map(|j| ranks_of(&batch_texts[j][..tokens[j].head_end])).collect();
            emit(heads_file(first / HEAD_DOCS + g, first + members.start, &records, &heads, &code))
        })?;
        // the chunks as ranks, in parallel: the loop that cuts the packs runs on one thread
        let mut ranked: Vec<Vec<Vec<u32>>> =
            states.par_iter().zip(&batch_texts).map(|(doc, text)| (0..doc.chunks.len()).map(|c| ranks_of(&text[doc.chunk(c)])).collect()).collect();
        let mut full: Vec<Pack> = Vec::new();
        for (j, doc) in states.iter().enumerate() {
            let id = (first + j) as u32;
            for (c, &(_, size, hash)) in doc.chunks.iter().enumerate() {
                if cutter.starts(size as usize, hash) {
                    if let Some(&at) = state.packs.last() {
                        full.push((at, std::mem::take(&mut open_pack)));
                    }
                    state.packs.push((id, c as u32));
                }
                open_pack.push(std::mem::take(&mut ranked[j][c]));
            }
        }
        full.par_iter().try_for_each(|((id, c), chunks)| emit(pack_file(*id, *c, chunks, &code)))?;
        state.docs.extend(states);
        // This batch's texts and the pages written meanwhile leave holes that growing lists
        // rarely fit: given back, they do not add up to a peak (30–50 MB on the 1× corpus).
        crate::memory::release_freed();
    }
    if let Some(&(id, c)) = state.packs.last() {
        emit(pack_file(id, c, &open_pack, &code))?;
    }

    // Key strings and their coded lists.
    let n_docs = docs.len() as u32;
    let spans: Vec<u32> = state.docs.iter().map(|d| coded_span(d.span)).collect();
    let name = |key: u64| -> String {
        let (mut a, mut b) = ([0; 4], [0; 4]);
        if key & UNIGRAM != 0 {
            unigram_key(interner.name(key as u32, &mut a))
        } else {
            bigram_key(interner.name((key >> 32) as u32, &mut a), interner.name(key as u32, &mut b))
        }
    };
    state.shards = shard_count(state.docs.iter().map(|d| d.units).sum());
    let shards = state.shards;
    // Each partition codes its keys, sorts them and writes its shards, then frees them.
    let lengths: Vec<Vec<(usize, String, u64)>> = parts.into_par_iter().map(|part| {
        let Partition { postings, pool } = part;
        let mut room = Room::default();
        let mut entries: Vec<(String, codec::Bits)> =
            postings.into_entries().map(|(key, p)| (name(key), encode_postings(key, &p, &pool, &mut room, n_docs, &spans))).collect();
        drop(pool);
        entries.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        let mut by_shard: BTreeMap<usize, Vec<(String, codec::Bits)>> = BTreeMap::new();
        for (key, data) in entries {
            by_shard.entry(key_hash(&key) as usize % shards).or_default().push((key, data));
        }
        let lengths = by_shard.into_iter().map(|(s, list)| {
            let (file, lengths) = shard::file(s, &list);
            let hash = shard_hash(&file);
            emit(file).map(|()| (s, lengths, hash))
        });
        // Its blocks and lists are freed here but not handed back to the system at once (as
        // the batch loop's are): the thread's next partition reuses them. Handed back, they
        // were faulted in anew, 10,000–28,000 pages a full build at 1× and 3×, for no lower
        // peak (183–188 and 373–378 MB either way).
        lengths.collect::<Result<Vec<_>>>()
    }).collect::<Result<_>>()?;
    let mut lists: Vec<Option<(String, u64)>> = vec![None; shards];
    for (s, l, hash) in lengths.into_iter().flatten() {
        lists[s] = Some((l, hash));
    }
    // A shard without keys is written too: the client loads the shard of every key it is asked.
    (state.lists, state.shard_hashes) = lists
        .into_iter()
        .enumerate()
        .map(|(s, l)| match l {
            Some(l) => Ok(l),
            None => {
                let file = shard::file(s, &[]).0;
                let hash = shard_hash(&file);
                emit(file).map(|()| (String::new(), hash))
            }
        })
        .collect::<Result<_>>()?;
    meta_files(site, &docs, &order, &state).into_iter().try_for_each(emit)?;
    Ok(state)
}

/// A document's span as lists code it: rounded up to a power of two, so that the meta file
/// holds one digit per document (its bit length), at the cost of under one bit per lone
/// position.
fn coded_span(span: u32) -> u32 {
    span.next_power_of_two()
}

/// `search/meta.js`, and `search/build.js`, which names the index as built (see [`build_name`]).
fn meta_files(site: &Site, docs: &[&Document], order: &[usize], state: &State) -> [OutputFile; 2] {
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
    for d in docs {
        index_of(&mut sections, d.meta.section.clone());
        index_of(&mut issuers, d.meta.issuer.clone());
    }
    // The issue as the zigzag difference from the previous document's: ids run by date, so
    // it is mostly 0, one digit.
    let mut facets = String::new();
    let mut last_issue = 0i64;
    for &i in order {
        let d = docs[i];
        let issue = index_of(&mut issues, (d.year, d.issue)) as i64;
        let delta = issue - last_issue;
        last_issue = issue;
        push_number(&mut facets, if delta >= 0 { 2 * delta as u64 } else { 2 * (-delta) as u64 - 1 });
        push_number(&mut facets, index_of(&mut sections, d.meta.section.clone()) as u64);
        push_number(&mut facets, index_of(&mut issuers, d.meta.issuer.clone()) as u64);
    }
    let (mut span_codes, mut chunk_codes, mut pack_codes) = (String::new(), String::new(), String::new());
    let mut first_chunk = Vec::with_capacity(state.docs.len());
    let mut global = 0;
    for d in &state.docs {
        push_number(&mut span_codes, coded_span(d.span).trailing_zeros() as u64);
        push_number(&mut chunk_codes, d.chunks.len() as u64);
        first_chunk.push(global);
        global += d.chunks.len() as u64;
    }
    let mut prev = 0;
    for &(id, c) in &state.packs {
        let start = first_chunk[id as usize] + c as u64;
        push_number(&mut pack_codes, start - prev);
        prev = start;
    }
    let meta = serde_json::json!({
        "version": 7,
        "docs": docs.len(),
        "shards": state.shards,
        "chunk": CHUNK_TOKENS,
        "paragraph": PARAGRAPH_ALIGN,
        "at": { "number": NUMBER_AT, "title": TITLE_AT, "issuer": ISSUER_AT, "body": BODY_AT },
        "issues": issues,
        "sections": sections,
        "issuers": issuers,
        "facets": facets,
        "spans": span_codes,
        "chunks": chunk_codes,
        "packs": pack_codes,
        "head": { "docs": HEAD_DOCS, "tokens": HEAD_TOKENS, "use": HEAD_USE },
        "chars": state.alphabet,
    });
    let meta = format!("gongbaoSearch.meta({});\n", crate::output::script_safe_json(&meta.to_string()));
    let build = format!("gongbaoSearch.build(\"{}\");\n", build_name(&meta, state));
    [OutputFile::new("search/meta.js", meta), OutputFile::new("search/build.js", build)]
}

/// A name for the index as built, which changes whenever any of its files does. On a web
/// server a browser may keep index files from before a rebuild, and files of two builds
/// together give wrong results (other shards, other document ids): the client asks for
/// `build.js` anew on each page and for every other index file under this name (see
/// `scriptLoader` in `search.js`). Made from what the files are made from, not from where the
/// content lies, so that the same content gives the same name, incremental build or full: the
/// gongbao version (a new one may code the same content otherwise), the meta file, each
/// document's fields and excerpt chunks (their texts' hashes), the shards' list lengths.
fn build_name(meta: &str, state: &State) -> String {
    let mut h = crate::cache::Hasher::new(b"search build");
    h.bytes(env!("CARGO_PKG_VERSION").as_bytes()).bytes(meta.as_bytes());
    for d in &state.docs {
        h.bytes(&d.fields).value(&(d.span, d.head_end, &d.chunks));
    }
    h.value(&state.lists);
    h.key()[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// One document's part of one key's list.
#[derive(Debug, Clone, PartialEq)]
enum Entry {
    Positions(Vec<u32>),
    Where { count: u32, field: u32, body: Option<u32> },
}

/// A change to one key's list: the document id, whether it had an entry, its entry now.
type EntryEdit = (u32, bool, Option<Entry>);

/// A document's entries by key.
fn doc_entries(tokens: &DocTokens) -> HashMap<String, Entry> {
    let name = |t: u32| -> String {
        if t < RUN_BASE {
            char::from_u32(t).expect("ids below RUN_BASE are characters").to_string()
        } else {
            tokens.runs[(t - RUN_BASE) as usize].clone()
        }
    };
    let mut entries = HashMap::new();
    for &(t, count, field, body) in tokens.unigrams.iter().flatten() {
        entries.insert(unigram_key(&name(t)), Entry::Where { count, field, body });
    }
    for &(key, pos) in tokens.bigrams.iter().flatten() {
        let key = bigram_key(&name((key >> 32) as u32), &name(key as u32));
        match entries.entry(key).or_insert_with(|| Entry::Positions(Vec::new())) {
            Entry::Positions(list) => list.push(pos),
            Entry::Where { .. } => unreachable!("bigram keys hold a space, token keys never do"),
        }
    }
    entries
}

/// One key's list with the entries of some documents replaced: (document, whether the old
/// list holds it, its entry now). `None` when the old list cannot be read, `Some(None)` when
/// nothing is left.
fn edit_list(key: &str, old: Option<&codec::Bits>, edits: &[(u32, bool, Option<Entry>)], n_docs: u32, old_spans: &[u32], spans: &[u32]) -> Option<Option<codec::Bits>> {
    if key.contains(' ') {
        let edits: Vec<codec::Edit<Vec<u32>>> = edits
            .iter()
            .map(|(doc, was, now)| codec::Edit { doc: *doc, was: *was, now: now.as_ref().and_then(|e| if let Entry::Positions(p) = e { Some(p.clone()) } else { None }) })
            .collect();
        codec::splice_bigram(old, n_docs, old_spans, spans, &edits)
    } else {
        let edits: Vec<codec::Edit<codec::Unigram>> = edits
            .iter()
            .map(|&(doc, was, ref now)| codec::Edit {
                doc,
                was,
                now: match now {
                    Some(Entry::Where { count, field, body }) => Some(codec::Unigram { doc, count: *count, field: *field, body: *body }),
                    _ => None,
                },
            })
            .collect();
        codec::splice_unigram(old, n_docs, &edits)
    }
}

/// How many ids, from the first one that names another document on, [`update`] takes out and
/// puts back before building anew is the quicker. Each costs it far more than a build spends on
/// one document: the document is tokenised twice and its lists edited in most shards, and
/// past some twenty ids nearly every shard is read and written again. Measured on the 1×
/// corpus (3,476 documents; the index built anew in 1.5–1.6 s): 2 ids 0.28–0.50 s, 8 ids
/// 0.69–0.82 s, 21 ids 1.2 s, 52 ids 1.0–1.25 s, 99 ids 1.8–1.9 s. In a small site either
/// is quick.
fn moved_limit(docs: usize) -> usize {
    (docs / 64).max(16)
}

/// The most documents whose text or fields changed that [`update`] takes: each costs it two
/// tokenisations and its entries' edits, so that past some fraction of the archive a new
/// index is quicker (the content folder copied or named by another path, which changes every
/// body's key, took the update at 1× 6.1 s against 1.5 s for a new index).
fn changed_limit(docs: usize) -> usize {
    (docs / 8).max(16)
}

/// Brings the index of a previous build (`old`, its files under `previous`) up to date with
/// the site, reading the texts it needs with `text` (by print index), writing only the files
/// that change and taking the others with `link`, when the change allows. The files are the
/// same bytes as [`build`] would write.
///
/// Document ids run oldest first, so most changes keep a long run of them: a body or a title
/// corrected keeps every id, a new issue takes the last ones, a document withdrawn from a
/// recent issue moves only the few after it. Up to the first id that now names another
/// document, a document whose body or fields changed is taken out of the lists as it was (its
/// previous text at hand in `old_text` by body key, its fields as the state keeps them) and put
/// back as it is; from that id on, every id is, as long as those are at most
/// [`moved_limit`]. The shard count and the list code's document count must stay. `None`
/// (having written nothing) when the change is of another kind, or the previous files cannot be
/// read: then build anew.
#[allow(clippy::too_many_arguments)]
pub fn update(
    site: &Site,
    keys: &[DocKeys],
    text: &(dyn Fn(usize) -> Result<String> + Sync),
    old: State,
    old_text: &(dyn Fn(&Key) -> Option<String> + Sync),
    previous: &std::path::Path,
    emit: &(dyn Fn(OutputFile) -> Result<()> + Sync),
    link: &(dyn Fn(&str) -> Result<bool> + Sync),
) -> Result<Option<State>> {
    let docs: Vec<&Document> = site.documents().collect();
    let order = document_order(site);
    let (n, old_n) = (order.len(), old.docs.len());
    let stay = order.iter().zip(&old.docs).take_while(|(&i, o)| docs[i].url == o.url).count();
    if n.max(old_n) - stay > moved_limit(n) || codec::doc_count(n as u32) != codec::doc_count(old_n as u32) || old.lists.len() != old.shards {
        return Ok(None);
    }
    // Every shard has a file (an empty one too): one missing means the previous output is
    // not what the state describes.
    let shards: Vec<String> = (0..old.shards).map(shard_path).collect();
    if !crate::output::files_present(previous, &shards).into_iter().all(|f| f) {
        return Ok(None);
    }
    let changed: Vec<usize> =
        (0..n.max(old_n)).filter(|&id| id >= stay || keys[order[id]] != (old.docs[id].body, old.docs[id].fields)).collect();
    if changed.len() > changed_limit(n) {
        return Ok(None);
    }
    // What each changed id held and holds: the text of its document then and now (none past
    // the old or the new count).
    let old_texts: Option<Vec<Option<String>>> = changed.iter().map(|&id| old.docs.get(id).map_or(Some(None), |d| old_text(&d.body).map(Some))).collect();
    let Some(old_texts) = old_texts else {
        return Ok(None);
    };
    // The others' texts are read where a file needs them.
    let edited_texts: Vec<Option<String>> = changed.iter().map(|&id| (id < n).then(|| text(order[id])).transpose()).collect::<Result<_>>()?;
    let new_text = |id: usize| -> Result<std::borrow::Cow<str>> {
        Ok(match changed.binary_search(&id) {
            Ok(k) => std::borrow::Cow::Borrowed(edited_texts[k].as_deref().expect("a changed id below the count has a text")),
            Err(_) => std::borrow::Cow::Owned(text(order[id])?),
        })
    };

    // The excerpt code follows from the characters of the oldest documents (the document
    // count's power of two stays, and so does how many those are).
    let mut counts: BTreeMap<char, i64> = old.counts.iter().map(|&(c, n)| (c, n as i64)).collect();
    let counted = counted_docs(n);
    for (_, (was, is)) in changed.iter().zip(old_texts.iter().zip(&edited_texts)).filter(|(&id, _)| id < counted) {
        was.iter().flat_map(|t| t.chars()).for_each(|c| *counts.entry(c).or_default() -= 1);
        is.iter().flat_map(|t| t.chars()).for_each(|c| *counts.entry(c).or_default() += 1);
    }
    let counts: Vec<(char, u64)> = counts.into_iter().filter(|&(_, n)| n > 0).map(|(c, n)| (c, n as u64)).collect();
    let chars = alphabet(&counts);
    // A character entering the table (see `alphabet`), or one moving to another code class,
    // changes the code of every excerpt (one past the table is coded by code point): then the
    // heads and packs are all coded anew (their texts read back), while the lists, which do
    // not depend on it, are still edited in place.
    let alphabet: String = chars.iter().collect();
    let recode = alphabet != old.alphabet;
    let rank = rank_table(&chars);
    let code = lz::Code::new(chars.len() as u32);
    let ranks_of = |text: &str| -> Vec<u32> { text.chars().map(|c| rank[c as usize]).collect() };

    let before: Vec<Option<DocTokens>> =
        changed.par_iter().zip(&old_texts).map(|(&id, text)| text.as_ref().map(|text| tokenize_document(old.docs[id].indexed.get(), text))).collect();
    let fields: Vec<IndexedFields> = changed.iter().map(|&id| order.get(id).map(|&i| IndexedFields::of(docs[i])).unwrap_or_default()).collect();
    let after: Vec<Option<DocTokens>> =
        fields.par_iter().zip(&edited_texts).map(|(f, text)| text.as_ref().map(|text| tokenize_document(f.get(), text))).collect();
    let old_spans: Vec<u32> = old.docs.iter().map(|d| coded_span(d.span)).collect();
    let old_ranges: std::collections::HashSet<((u32, u32), (u32, u32))> =
        old.packs.iter().zip(old.packs.iter().skip(1).copied().chain([(old_n as u32, 0)])).map(|(&a, b)| (a, b)).collect();
    let mut state = State { counts, alphabet, ..old };
    state.docs.truncate(n);
    let is_changed = |id: u32| changed.binary_search(&(id as usize)).is_ok();
    for (((&id, tokens), text), f) in changed.iter().zip(&after).zip(&edited_texts).zip(fields) {
        let (Some(tokens), Some(text)) = (tokens, text) else { continue };
        let doc = doc_state(docs[order[id]], &keys[order[id]], f, tokens, text, &rank, &code);
        match state.docs.get_mut(id) {
            Some(d) => *d = doc,
            None => state.docs.push(doc), // new ids come in order, after the others
        }
    }
    if shard_count(state.docs.iter().map(|d| d.units).sum()) != state.shards {
        return Ok(None);
    }

    // Shards: the lists of the keys whose entries changed, edited in the previous files.
    let n_docs = order.len() as u32;
    let spans: Vec<u32> = state.docs.iter().map(|d| coded_span(d.span)).collect();
    let mut edits: BTreeMap<String, Vec<EntryEdit>> = BTreeMap::new();
    for (k, &id) in changed.iter().enumerate() {
        let entries = |tokens: &Option<DocTokens>| tokens.as_ref().map(doc_entries).unwrap_or_default();
        let (was, is) = (entries(&before[k]), entries(&after[k]));
        // a list codes a lone position against the document's span
        let respan = old_spans.get(id) != spans.get(id);
        for key in was.keys().chain(is.keys().filter(|key| !was.contains_key(*key))) {
            let (x, y) = (was.get(key), is.get(key));
            if x != y || (respan && key.contains(' ')) {
                edits.entry(key.clone()).or_default().push((id as u32, x.is_some(), y.cloned()));
            }
        }
    }
    let mut by_shard: BTreeMap<usize, Vec<(String, Vec<EntryEdit>)>> = BTreeMap::new();
    for (key, list) in edits {
        by_shard.entry(key_hash(&key) as usize % state.shards).or_default().push((key, list));
    }
    // Each edited shard is made into its file at once, which is all that is held of it until
    // the files are written: a new issue edits most shards, and holding them read and their
    // edited lists as well took an update at 3× past the full build's peak memory.
    let edited: Option<Vec<(usize, (OutputFile, String))>> = by_shard
        .into_par_iter()
        .map(|(s, edits)| {
            let bytes = std::fs::read(previous.join(shard_path(s))).ok()?;
            if state.shard_hashes.get(s) != Some(&xxh3_64(&bytes)) {
                return None; // changed in the output since it was written
            }
            let shard = shard::read(&bytes, s, &state.lists[s])?;
            let lists = edits.into_iter().map(|(key, edits)| Some((key.clone(), edit_list(&key, shard.list(&key).as_ref(), &edits, n_docs, &old_spans, &spans)?))).collect::<Option<_>>()?;
            Some((s, shard.edited(&lists)))
        })
        .collect();
    let Some(edited) = edited else { return Ok(None) };

    if recode {
        // the others' chunk sizes, which cut the packs, follow from the code too (read only now
        // that nothing can make the update give up)
        state.docs.par_iter_mut().enumerate().filter(|(id, _)| !is_changed(*id as u32)).try_for_each(|(id, d)| -> Result<()> {
            let text = text(order[id])?;
            let mut start = 0;
            for chunk in &mut d.chunks {
                let end = chunk.0 as usize;
                chunk.1 = chunk_size(&text[std::mem::replace(&mut start, end)..end], &rank, &code);
            }
            Ok(())
        })?;
    }

    // Packs: the cuts over all chunks; a pack is taken as it was when it has the same chunks
    // as before and none of them changed.
    let mut chunk_at: Vec<(u32, u32)> = Vec::new(); // global chunk → (id, chunk)
    let mut cutter = PackCutter::default();
    let mut packs: Vec<usize> = Vec::new(); // global index of each pack's first chunk
    for (id, d) in state.docs.iter().enumerate() {
        for (c, &(_, size, hash)) in d.chunks.iter().enumerate() {
            if cutter.starts(size as usize, hash) {
                packs.push(chunk_at.len());
            }
            chunk_at.push((id as u32, c as u32));
        }
    }
    packs.push(chunk_at.len());
    chunk_at.push((state.docs.len() as u32, 0)); // the end

    // Nothing is written before this point.
    state.packs = packs[..packs.len() - 1].iter().map(|&g| chunk_at[g]).collect();
    packs.par_windows(2).try_for_each(|w| {
        let (a, b) = (chunk_at[w[0]], chunk_at[w[1]]);
        let touched = recode || (w[0]..w[1]).any(|g| is_changed(chunk_at[g].0));
        if !touched && old_ranges.contains(&(a, b)) && link(&pack_path(a.0, a.1))? {
            return Ok(());
        }
        let mut chunks: Vec<Vec<u32>> = Vec::with_capacity(w[1] - w[0]);
        let mut doc: Option<(u32, std::borrow::Cow<str>)> = None; // read once for its chunks
        for &(id, c) in &chunk_at[w[0]..w[1]] {
            if doc.as_ref().is_none_or(|(d, _)| *d != id) {
                doc = Some((id, new_text(id as usize)?));
            }
            let text = &doc.as_ref().expect("just set").1;
            chunks.push(ranks_of(&text[state.docs[id as usize].chunk(c as usize)]));
        }
        emit(pack_file(a.0, a.1, &chunks, &code))
    })?;
    (0..n.div_ceil(HEAD_DOCS)).into_par_iter().try_for_each(|h| {
        let members = h * HEAD_DOCS..((h + 1) * HEAD_DOCS).min(n);
        let were = h * HEAD_DOCS..((h + 1) * HEAD_DOCS).min(old_n);
        if !recode && members == were && !members.clone().any(|id| is_changed(id as u32)) && link(&head_path(h))? {
            return Ok(());
        }
        let records: Vec<String> = members.clone().map(|id| record(docs[order[id]])).collect();
        let texts: Vec<Vec<u32>> = members.clone().map(|id| Ok(ranks_of(&new_text(id)?[..state.docs[id].head_end as usize]))).collect::<Result<_>>()?;
        emit(heads_file(h, members.start, &records, &texts, &code))
    })?;
    let rewritten: std::collections::HashSet<usize> = edited.iter().map(|(s, _)| *s).collect();
    (0..state.shards).into_par_iter().filter(|s| !rewritten.contains(s)).try_for_each(|s| link(&shard_path(s)).map(drop))?;
    // Made in parallel, written by one thread: threads creating files in one folder contend
    // for its lock, and the kernel spins the waiting one (15% of a correction's CPU here).
    for (s, (file, lengths)) in edited {
        state.shard_hashes[s] = shard_hash(&file);
        emit(file)?;
        state.lists[s] = lengths;
    }
    meta_files(site, &docs, &order, &state).into_iter().try_for_each(emit)?;
    Ok(Some(state))
}

fn shard_hash(file: &OutputFile) -> u64 {
    xxh3_64(&file.bytes)
}

pub fn shard_path(s: usize) -> String {
    format!("search/t/{s:03x}.js")
}
pub fn head_path(h: usize) -> String {
    format!("search/h/{h}.js")
}
pub fn pack_path(id: u32, c: u32) -> String {
    format!("search/p/{id}-{c}.js")
}

/// `["…","…"]` from strings that need no escaping (the encoders write only U+3000–U+AFFF).
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
        assert_eq!(decode_numbers(&"}".repeat(14)), None, "past 64 bits");
    }

    /// Body positions of `text` by line: each line's positions.
    fn placed(text: &str) -> Vec<Vec<usize>> {
        let mut lines: Vec<(usize, Vec<usize>)> = Vec::new();
        place_paragraphs(text, |start, pos, _| {
            let line = text[..start].matches('\n').count();
            match lines.last_mut() {
                Some((l, p)) if *l == line => p.push(pos),
                _ => lines.push((line, vec![pos])),
            }
        });
        lines.into_iter().map(|(_, p)| p).collect()
    }

    #[test]
    fn paragraphs_start_aligned_after_a_gap_and_a_chunk_holds_whole_ones() {
        let line = |n: usize| "字".repeat(n);
        let text = format!("{}\n\n{}\n{}\n{}", line(20), line(3), line(CHUNK_TOKENS - 40), line(CHUNK_TOKENS + 5));
        let p = placed(&text);
        assert_eq!(p.len(), 4);
        assert_eq!((p[0][0], p[0][19]), (0, 19));
        assert_eq!(p[1][0], 32, "the next multiple of {PARAGRAPH_ALIGN} after a gap; blank lines add nothing");
        assert!(p.iter().all(|l| l.windows(2).all(|w| w[1] == w[0] + 1)), "consecutive within a line");
        // 2 × the alignment + 2,008 would reach the chunk's last position: it starts chunk 1
        assert_eq!(p[2][0], CHUNK_TOKENS);
        // a paragraph longer than a chunk starts one of its own and runs across it
        assert_eq!(p[3][0], 2 * CHUNK_TOKENS);
        assert_eq!(*p[3].last().unwrap(), 3 * CHUNK_TOKENS + 4);
    }

    #[test]
    fn a_correction_inside_a_paragraph_moves_no_other_paragraph() {
        // forty paragraphs of distinct bigrams; a correction of two characters in the first,
        // whose 20 tokens stay within the same multiple of the alignment
        let chars: Vec<char> = ('\u{4e00}'..).take(400).collect();
        let paragraphs: Vec<String> = (0..40).map(|i| (0..if i == 0 { 20 } else { 30 }).map(|j| chars[(i * 31 + j * 7) % 400]).collect()).collect();
        let text = paragraphs.join("\n");
        let corrected = text.replacen(&paragraphs[0][..30], &format!("{}更正", &paragraphs[0][..30]), 1);
        let (before, after) = (placed(&text), placed(&corrected));
        assert_eq!(before[1..], after[1..], "the later paragraphs keep their positions");
        let (site, _) = crate::search::tests::build_with_texts();
        let fields = IndexedFields::of(site.documents().next().unwrap());
        let (was, is) = (doc_entries(&tokenize_document(fields.get(), &text)), doc_entries(&tokenize_document(fields.get(), &corrected)));
        let changed = was.keys().chain(is.keys()).filter(|k| was.get(*k) != is.get(*k)).collect::<std::collections::BTreeSet<_>>();
        // the first paragraph's keys from the correction on, and the two characters added
        assert!(changed.len() <= 2 * 12, "{} keys changed: {changed:?}", changed.len());
        assert!(!changed.is_empty());
    }

    /// The shard count changes only at steps of about a fifth of the index size, so that a new
    /// issue leaves it (and the index can be updated in place).
    #[test]
    fn the_shard_count_moves_in_steps_of_a_fifth() {
        // units for an aim of `shards` at SHARD_TARGET_BYTES each
        let units = |shards: usize| (shards * SHARD_TARGET_BYTES * 10) as u64 / UNIT_TENTH_BYTES;
        assert_eq!(shard_count(0), PARTS);
        // the 1× corpus aims at 3,560: the step nearest is 216 partitions' worth
        assert_eq!(shard_count(units(3560)), 3456);
        let counts: Vec<usize> = (1..=5000).map(|aim| shard_count(units(aim))).collect();
        assert!(counts.iter().all(|&c| c % PARTS == 0 && (PARTS..=MAX_SHARDS).contains(&c)));
        assert!(counts.windows(2).all(|w| w[0] <= w[1]), "never fewer for a larger index");
        let mut steps = counts.clone();
        steps.dedup();
        assert!(steps.len() <= 29, "{steps:?}");
        for w in steps.windows(2).skip(8) {
            assert!(w[1] * 100 <= w[0] * 125, "steps of a fifth or so: {w:?}");
        }
        // an index 1% larger keeps its count nearly always
        let kept = (100..4000).filter(|&aim| shard_count(units(aim)) == shard_count(units(aim * 101 / 100))).count();
        assert!(kept * 100 >= 3900 * 90, "{kept} of 3,900 kept");
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
    fn the_alphabet_goes_by_frequency_class_then_code_point() {
        // 100 characters, the first 64 ranks one class: a small count change inside a class
        // changes nothing, one across a class boundary does
        let counts: Vec<(char, u64)> = (0..100u32).map(|i| (char::from_u32(0x4e00 + i).unwrap(), 100_000 / (i as u64 + 1))).collect();
        let a = alphabet(&counts);
        assert_eq!(a.len(), 100);
        assert!(a[..64].windows(2).all(|w| w[0] < w[1]) && a[64..].windows(2).all(|w| w[0] < w[1]));
        // past the last class end, characters are coded by code point: the table stops there
        let many: Vec<(char, u64)> = (0..4000u32).map(|i| (char::from_u32(0x4e00 + i).unwrap(), 100_000 / (i as u64 + 1))).collect();
        let table = alphabet(&many);
        assert_eq!(table.len(), lz::CLASS_ENDS[3] as usize);
        let mut rare = many.clone();
        rare.push(('𠀀', 1));
        assert_eq!(alphabet(&rare), table, "a character new to the archive leaves the table as it was");
        assert_eq!(a[..64], counts[..64].iter().map(|&(c, _)| c).collect::<Vec<_>>()[..]);
        let mut nudged = counts.clone();
        nudged[10].1 += 1;
        assert_eq!(alphabet(&nudged), a);
        nudged[99].1 = 1_000_000;
        assert_ne!(alphabet(&nudged), a);
    }
}
