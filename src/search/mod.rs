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
//! - `search/meta.js` — `gongbaoSearch.meta({...})`: number of shards, the field offsets, the
//!   facet values (issues, sections, issuers) and per document its facet codes. Loaded first.
//! - `search/t/<hex>.js` — `gongbaoSearch.shard(n, {key: postings, ...})`. A key is a token
//!   (one-token queries) or two tokens joined by a space (bigram); its shard is
//!   `fnv1a32(UTF-16 of key) % shards`, so the client needs no key table. Shard count grows with
//!   the index (≈16 KB per shard, at most 4,096).
//! - `search/d/<id>.js` — `gongbaoSearch.doc(id, {t,n,i,d,u,s,c,k})`: what a result shows
//!   (title, 发文字号, 发文机关, date, URL, issue, section, number of chunks).
//! - `search/x/<id>-<k>.js` — `gongbaoSearch.text(id, k, "...")`: the k-th chunk of 2,048 body
//!   tokens of the plain text, for excerpts, coded by character frequency ([`index::rank_code`]).
//! - `search/chars.js` — `gongbaoSearch.chars("...")`: the characters by frequency rank, to
//!   decode chunks.
//!
//! Document ids run newest first (成文日期, then issue, then print order), so ties in ranking
//! are broken by ascending id. Each document's tokens live in one position space: 发文字号 from
//! [`index::NUMBER_AT`], title from [`index::TITLE_AT`], 发文机关 from [`index::ISSUER_AT`], body
//! from [`index::BODY_AT`]; the field of a match is read off its position.
//!
//! Posting lists are bit streams, six bits per character ([`codec`]): per document a doc gap,
//! a count and, for a one-token key, the first position, for a bigram every position; the
//! exp-Golomb parameters follow from the list's document frequency and each document's span
//! (`meta.spans`), so none is stored. Meta and facets use base-45 numbers ([`index::push_number`]).
//!
//! Documents are indexed in parallel and merged in id order, keys sorted: same site, same
//! bytes, whatever the number of threads.
//!
//! Measured on the benchmark corpus (56.8 MB of text, `cargo bench --bench search`): index
//! 85.3 MB = 1.50× the text (postings 55.7 MB, excerpt text 28.8 MB); median query 138 KB.

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
