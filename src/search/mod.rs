//! Chinese full-text search: an index built here, queried by `themes/default/static/search.js`
//! in the browser, from a web server or from `file://` alike.
//!
//! # Why this design
//!
//! Results must be *exact*: a document is a result iff it contains every query term as a
//! sequence of tokens (after [`normalize`]). Character bigrams give candidates, but a candidate
//! with 医疗, 疗保 and 保障 somewhere need not contain 医疗保障. Two ways to prove it: download the
//! candidates' text, or keep bigram *positions*. Text verification costs megabytes for common
//! phrases (第十二条 is in most of the 3,476 corpus laws), so positions it is: a query of n tokens
//! loads the posting lists of ⌈(n−1)/2⌉+1 bigrams that together cover it (offsets 0, 2, 4, …, n−2)
//! and checks they sit at p, p+2, … in the same document. That is exact without any text, and a
//! query costs the size of a few posting lists, whatever the number of matches.
//!
//! # Files (all classic scripts calling the global `gongbaoSearch`)
//!
//! The number of files is bounded (creating a file costs far more than writing its bytes), so
//! data is grouped: a query loads `meta.js`, the posting shards of its keys, and for the ten
//! results it shows, their heads files and, for a match deep in a long text, a pack.
//!
//! - `search/meta.js` — `gongbaoSearch.meta({...})`: number of shards, the field offsets, the
//!   facet values (issues as `[year, number]`, sections, issuers) and per document its facet
//!   codes (the issue as a difference from the previous document's), the bit length of its
//!   position space (`spans`, rounded up to a power of two so it takes one digit) and number of
//!   excerpt chunks (`chunks`), the first chunk of each pack (`packs`), the head parameters and
//!   the character table of the excerpt code (`chars`). About 34 KB for the 3,476-document
//!   corpus: every query loads it.
//! - `search/t/<hex>.js` — `gongbaoSearch.shard(n, {key: postings, ...})`. A key is a token
//!   (one-token queries) or two tokens joined by a space (bigram); its shard is
//!   `fnv1a32(UTF-16 of key) % shards`, so the client needs no key table. The shard count is
//!   the index size over [`index::SHARD_TARGET_BYTES`], at most [`index::MAX_SHARDS`], and a
//!   multiple of the build's 16 key partitions.
//! - `search/h/<n>.js` — `gongbaoSearch.heads(n, first, [records], [texts])`: for documents
//!   `first … first + HEAD_DOCS − 1`, what a result shows (title, 发文字号, date, URL; issue,
//!   section and issuer come from the facets) and the body text up to token
//!   [`index::HEAD_TOKENS`]. A result whose first body match lies within [`index::HEAD_USE`]
//!   tokens (or that matches only in its title or number) needs nothing else.
//! - `search/p/<n>.js` — `gongbaoSearch.pack(n, start, [texts])`: excerpt chunks of
//!   [`index::CHUNK_TOKENS`] body tokens, all documents' chunks in (id, chunk) order, cut
//!   into packs of about [`index::PACK_TARGET_BYTES`] (before compression); `start` is the
//!   global index of the pack's first chunk.
//!
//! Excerpt text (heads and packs) is coded per file by [`lz`]: characters by frequency rank
//! (one to three UTF-8 bytes, [`index::rank_code`]) and repeats as back-references within the
//! file, decoded by `unpackTexts` in `search.js`.
//!
//! Document ids run newest first (成文日期, then issue, then print order), so ties in ranking
//! are broken by ascending id. Each document's tokens live in one position space: 发文字号 from
//! [`index::NUMBER_AT`], title from [`index::TITLE_AT`], 发文机关 from [`index::ISSUER_AT`], body
//! from [`index::BODY_AT`]; the field of a match is read off its position.
//!
//! Posting lists are bit streams, thirteen bits per two characters ([`codec`]): per document a
//! doc gap and a count, then for a bigram every position, for a one-token key only the field of
//! its first occurrence and where in the body it first occurs (head, or which chunk): a
//! one-token query needs no phrase check, so its positions would be dead weight. The Rice and
//! truncated-binary parameters follow from the list's document frequency and each document's
//! span, so none is stored. Meta and facets use base-44 numbers ([`index::push_number`]).
//!
//! Documents are tokenised in parallel, a batch at a time, and streamed in id order into 16 key
//! partitions (the key's shard hash modulo 16), each filled by one thread; a key's postings are
//! varints until the end, when its document frequency is known and it is bit-coded. Every shard
//! lies in one partition, so each partition codes, sorts and writes its shards and is freed on
//! its own. Files are assembled from ordered data: same site, same bytes, whatever the number
//! of threads.
//!
//! # Measured (`cargo bench --bench search`, benchmark corpus: 3,476 laws, 56.8 MB of text)
//!
//! | | first version | session 1 | now | target |
//! |---|---|---|---|---|
//! | index on disk | 85.3 MB = 1.50× | 73.0 MB = 1.28× | 70.5 MB = 1.24× | ≤ 1.0× |
//! | files | 18,442 | 3,543 | 6,066 (4,096 shards, 869 heads, 1,100 packs, meta) | |
//! | build in memory (shared 2-core machine) | 12.1 s | 5.5 s | 2.4 s (2.1–2.9 over runs) | ≤ 5 s |
//! | build peak memory | 324 MB | 338 MB | 146 MB | ≤ 500 MB |
//! | bytes per query, median / p95 | 138 KB / 478 KB | 235 KB / 674 KB | 139 KB / 500 KB | ≤ 150 KB / ≤ 1 MB |
//! | Chromium `file://` first query, median / p95 | 292 / 510 ms | 194 / 357 ms | 158 / 262 ms | ≤ 300 ms |
//! | Chromium warm, median / p95 | 159 ms (page reload) | 19 / 53 ms | 20 / 38 ms | ≤ 50 ms |
//! | exact result sets | 32/32 | 32/32 | 32/32 | 32/32 |
//!
//! Why the size is not at 1.0×: exact phrase results need every bigram position (or the text of
//! every candidate, megabytes for 第十二条); the corpus has 18.8 million of them at 11.3 bits
//! each after Rice coding, plus 5.5 bits of document gap and 2.2 of count per (key, document)
//! entry: 266 Mbit, 41 MB as 6.5-bit characters, 49 MB with the keys. Excerpts need the text:
//! 19.4 MB in 24 KB packs, about what deflate reaches on pieces that size (zlib -9 on 48 KB
//! pieces: 16.3 MB binary, 20 MB in a JS-safe alphabet; xz gets 8 MB only with the whole corpus
//! as its window). Positions alone are 0.58× the text. Dropping the bigrams that start
//! with a pause mark (，。、；：) would save 3 MB and leave queries ending in "，X" unprovable.
//!
//! The file count and the bytes per query pull against each other (see the constants in
//! [`index`]): a query loads whole files, so it costs about (index size ÷ file count) × files
//! touched, and every file costs its creation when the site is built.
//!
pub mod codec;
pub mod index;
pub mod lz;
pub mod normalize;

use crate::cache::{Hasher, Key};
use crate::content::Site;
use crate::error::Result;
use crate::output::OutputFile;

/// Builds the search index of `site`. `texts[i]` is the plain text of the i-th document of
/// `site.documents()` (print order), as returned by the Markdown renderer; each is freed once
/// indexed. Each file under `search/` goes to `emit` as soon as it is made, from several
/// threads: the index is never held whole in memory. The first error from `emit` stops the
/// build and is returned.
pub fn write_index(site: &Site, texts: Vec<String>, emit: &(dyn Fn(OutputFile) -> Result<()> + Sync)) -> Result<()> {
    index::build(site, texts, emit)
}

/// What the index is made from: per document its body (`body_keys`, see
/// [`crate::render::body_keys`]) and the fields it indexes and shows, and the issues. The same
/// binary makes the same index from inputs with the same key.
pub fn inputs_key(site: &Site, body_keys: &[Key], version: &str) -> Key {
    let mut h = Hasher::new(version.as_bytes());
    h.bytes(b"search");
    for (d, key) in site.documents().zip(body_keys) {
        h.bytes(key).json(&(&d.meta, &d.url, d.year, d.issue));
    }
    h.json(&site.issues.iter().map(|i| (i.meta.year, i.meta.number)).collect::<Vec<_>>());
    h.key()
}

/// [`write_index`] into memory, sorted by path (benchmarks and tests).
pub fn build_index(site: &Site, texts: Vec<String>) -> Vec<OutputFile> {
    let files = std::sync::Mutex::new(Vec::new());
    write_index(site, texts, &|file| {
        files.lock().expect("no panic while holding the lock").push(file);
        Ok(())
    })
    .expect("collecting into memory cannot fail");
    let mut files = files.into_inner().expect("no panic while holding the lock");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

#[cfg(test)]
mod tests {
    /// The index of the search fixture site, built in a pool of `threads` threads.
    fn build_with(threads: usize) -> Vec<(String, Vec<u8>)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search-site");
        let site = crate::content::load(&dir).expect("fixture loads");
        let texts: Vec<String> = site
            .documents()
            .map(|d| crate::render::markdown::render(&d.body, &d.source, d.body_line, &|_| Vec::new()).expect("renders").text)
            .collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| super::build_index(&site, texts)).into_iter().map(|f| (f.path.to_string(), f.bytes.to_vec())).collect()
    }

    #[test]
    fn same_bytes_whatever_the_number_of_threads() {
        let one = build_with(1);
        assert!(one.iter().any(|(p, _)| p.starts_with("search/t/")) && one.iter().any(|(p, _)| p.starts_with("search/h/")));
        assert_eq!(one, build_with(2));
        assert_eq!(one, build_with(3));
    }
}
