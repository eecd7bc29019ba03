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
//!   facet values (issues, sections, issuers) and per document its facet codes, position-space
//!   length (`spans`) and number of excerpt chunks (`chunks`), the first chunk of each pack
//!   (`packs`), the head parameters and the character table of the excerpt code (`chars`).
//! - `search/t/<hex>.js` — `gongbaoSearch.shard(n, {key: postings, ...})`. A key is a token
//!   (one-token queries) or two tokens joined by a space (bigram); its shard is
//!   `fnv1a32(UTF-16 of key) % shards`, so the client needs no key table. The shard count is
//!   the index size over [`index::SHARD_TARGET_BYTES`], at most [`index::MAX_SHARDS`].
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
//! doc gap, a count and, for a one-token key, the first position, for a bigram every position;
//! the exp-Golomb parameters follow from the list's document frequency and each document's
//! span (`meta.spans`), so none is stored. Meta and facets use base-45 numbers
//! ([`index::push_number`]).
//!
//! Documents are indexed in parallel and merged in id order, keys sorted, files assembled in
//! parallel but each from ordered data: same site, same bytes, whatever the number of threads.
//!
//! # Measured (`cargo bench --bench search`, benchmark corpus: 3,476 laws, 56.8 MB of text)
//!
//! FIGURES
//!
pub mod codec;
pub mod index;
pub mod lz;
pub mod normalize;

use crate::content::Site;
use crate::output::OutputFile;

/// Builds the search index of `site`. `texts[i]` is the plain text of the i-th document of
/// `site.documents()` (print order), as returned by the Markdown renderer. Returns files under
/// `search/`, sorted by path.
pub fn build_index(site: &Site, texts: &[String]) -> Vec<OutputFile> {
    index::build(site, texts)
}
