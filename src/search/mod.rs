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
//! data is grouped: a query loads `meta.js` (over http(s) after `build.js`), the posting shards
//! of its keys, and for the ten results it shows, their heads files and, for a match deep in a
//! long text, a pack.
//!
//! - `search/meta.js` — `gongbaoSearch.meta({...})`: number of shards, the field offsets, the
//!   chunk size and paragraph alignment, the facet values (issues as `[year, number]`, sections, issuers) and per document its facet
//!   codes (the issue as a difference from the previous document's), the bit length of its
//!   position space (`spans`, rounded up to a power of two so it takes one digit) and number of
//!   excerpt chunks (`chunks`), the first chunk of each pack (`packs`), the head parameters and
//!   the character table of the excerpt code (`chars`). About 34 KB for the 3,476-document
//!   corpus: every query loads it.
//! - `search/build.js` — `gongbaoSearch.build("<name>")`: a name for the index as built, which
//!   changes whenever any of its files does. Over http(s) the client asks for it anew on each
//!   page (`?t=` the time of asking) and for every other index file under it (`?v=`
//!   the name), so that files a browser kept from an earlier build are not taken for this
//!   one's; a page left open asks for it again alongside each later search, shows results
//!   that needed files from the server only once the name is confirmed, and if the name
//!   changed drops what it holds and searches again. From `file://` nothing is cached: `build.js` is
//!   not loaded and no names are added. (A deploy copying files one by one should copy
//!   `build.js` last: see the README.)
//! - `search/t/<hex>.js` — `gongbaoSearch.shard(n, "keys", "lists")` ([`shard`]). A key is a
//!   token (one-token queries) or two tokens joined by a space (bigram); its shard is
//!   `fnv1a32(UTF-16 of key) % shards`, so the client needs no key table. The shard count is
//!   the index size over [`index::SHARD_TARGET_BYTES`], at most [`index::MAX_SHARDS`], a
//!   multiple of the build's 16 key partitions, and moves in steps of about a fifth, so that a
//!   new issue leaves it and the index can be updated in place.
//! - `search/h/<n>.js` — `gongbaoSearch.heads(n, first, [records], [texts])`: for documents
//!   `first … first + HEAD_DOCS − 1`, what a result shows (`[date, 发文字号, title, URL]`;
//!   issue, section and issuer come from the facets) and the body text up to body position
//!   [`index::HEAD_TOKENS`]. A result whose first body match lies within [`index::HEAD_USE`]
//!   positions (or that matches only in its title or number) needs nothing else.
//! - `search/p/<id>-<c>.js` — `gongbaoSearch.pack(id, c, [texts])`: excerpt chunks of
//!   [`index::CHUNK_TOKENS`] body positions, all documents' chunks in (id, chunk) order, cut
//!   into packs of about [`index::PACK_TARGET_BYTES`] (before copies), from chunk `c` of
//!   document `id` on. A pack ends where a chunk's hash picks, once it holds 7/8 of the aim
//!   (or before it would pass 5/3 of it), so cuts depend only on nearby text.
//!
//! Shards, heads and packs are UTF-16 files with a byte order mark (`utf16_file`): their
//! bit codes are characters of U+3000–U+AFFF, 15 bits in two bytes. Excerpt text (heads and
//! packs) is coded per file by [`lz`]: characters by frequency rank in five classes (ranks go
//! by frequency class, and within a class by code point) and repeats as copies within the
//! file, decoded by `unpackTexts` in `search.js`.
//!
//! # Updated in place
//!
//! No file depends on text far from it: a shard on its keys' lists, a heads file on its four
//! documents, a pack on its chunks, the shard count on a sum over documents, and the list
//! code on the document count rounded up to a power of two. Document ids run oldest first, so
//! a body or title corrected keeps every id, a new issue's documents take the last ids, and a
//! recent document withdrawn or back-filled moves only the few after it. So after such changes
//! the previous index is brought up to date ([`update_index`], from the state the build cache
//! keeps): in the lists of the keys whose entries changed, the changed documents' entries
//! (and the moved ids') are coded anew and the others' bits copied from the previous shards
//! ([`codec`]'s splice), the heads and packs holding changed or new text written, and the rest
//! linked; the result is the same bytes as a new index (tested). The excerpt code's table
//! counts the characters of the oldest documents only (half the document count rounded up to
//! a power of two), so a new issue never changes it; a correction there may: a character
//! entering the table (its 3,072 most frequent characters: any new one while it holds fewer,
//! or one displacing another at its cut), or one moving to another code class, changes the
//! code, and then every heads file and pack is coded anew from the texts the cache keeps, the
//! lists still edited in place (a tenth of the index's work). A change that moves more ids than
//! [`index::update`] takes (an old document withdrawn or back-filled), or passes a power of
//! two in the document count, builds it anew.
//!
//! Results rank by 发文字号 matches, title matches, a title that begins with a term (and
//! before all these, within the top 发文字号 rank, a title that is the whole query: see
//! `exactTitlesFirst` in search.js), then occurrences. Document ids run oldest first (成文日期,
//! then issue, then later in print first), so ties in ranking ("newest first") are broken by
//! descending id. Each document's tokens live in one position space: 发文字号 from
//! [`index::NUMBER_AT`], title from [`index::TITLE_AT`], 发文机关 from [`index::ISSUER_AT`], body
//! from [`index::BODY_AT`]; the field of a match is read off its position. In the body, each
//! paragraph (line of the text) starts at a multiple of [`index::PARAGRAPH_ALIGN`] after a gap,
//! and one that would reach the last position of its excerpt chunk starts the next chunk: so a
//! phrase matches within a paragraph, a chunk is a position range holding whole paragraphs, and
//! a correction inside a paragraph moves only that paragraph's later positions, not the
//! document's (its lists change, not the two thousand lists of every later bigram).
//!
//! Posting lists are bit streams, fifteen bits per character ([`codec`]): per document a
//! doc gap and a count, then for a bigram every position, for a one-token key only the field of
//! its first occurrence and where in the body it first occurs (head, or which chunk): a
//! one-token query needs no phrase check, so its positions would be dead weight. The Rice and
//! truncated-binary parameters follow from the list's document frequency and each document's
//! span, so none is stored. Meta and facets use base-44 numbers ([`index::push_number`]).
//!
//! Documents are tokenised in parallel, a batch at a time (their texts asked for one by one:
//! the build reads them back from its cache, see [`write_index`]), and streamed in id order
//! into 16 key partitions (the key's shard hash modulo 16), each filled by one thread; a key's
//! postings are varints until the end, when its document frequency is known and it is
//! bit-coded. The varints of a partition's 20,000 keys lie in chained slices of a few large
//! blocks ([`slices`]), not a vector each, and what a batch frees is handed back to the system
//! ([`crate::memory`]): the partitions are most of the build's memory at the end. Every shard
//! lies in one partition, so each partition codes, sorts and writes its shards and is freed on
//! its own. Files are assembled from ordered data: same site, same bytes, whatever the number
//! of threads.
//!
//! # Measured (`cargo bench --bench search`, benchmark corpus: 3,476 laws, 56.8 MB of text)
//!
//! | | first version | session 1 | format 5 | format 6 (now) | target |
//! |---|---|---|---|---|---|
//! | index on disk | 85.3 MB = 1.50× | 73.0 MB = 1.28× | 70.5 MB = 1.24× | 55.9 MB = 0.98× | ≤ 1.0× |
//! | files | 18,442 | 3,543 | 6,097 | 5,246 (3,648 shards, 869 heads, 728 packs, meta) | |
//! | build in memory (shared 2-core machine) | 12.1 s | 5.5 s | 2.4 s | 2.7–2.9 s | ≤ 5 s |
//! | build peak memory | 324 MB | 338 MB | 96 MB | 85–113 MB | ≤ 500 MB |
//! | bytes per query, median / p95 | 138 KB / 478 KB | 235 KB / 674 KB | 139 KB / 506 KB | 129 KB / 475 KB | ≤ 150 KB / ≤ 1 MB |
//! | Chromium `file://` first query, median / p95 | 292 / 510 ms | 194 / 357 ms | 158 / 262 ms | 177–214 / 268–333 ms | ≤ 300 ms |
//! | Chromium warm, median / p95 | 159 ms (page reload) | 19 / 53 ms | 20 / 38 ms | 11–22 / 35–58 ms | ≤ 50 ms |
//! | exact result sets | 32/32 | 32/32 | 32/32 | 32/32 | 32/32 |
//!
//! Where the size goes (format 6): postings 40.1 MB, 0.71× the text: 38.6 MB of lists and
//! 1.3 MB of keys. Exact phrase results need every bigram position (or the text of every
//! candidate, megabytes for 第十二条); the corpus has 18.8 million of them at 11.3 bits each
//! after Rice coding, plus 5.5 bits of document gap and 2.2 of count per (key, document)
//! entry: 266 Mbit, 35.5 MB at 15 bits per two bytes; the one-token lists are most of the
//! rest. Excerpts need the text: 15.8 MB for heads and packs, 5.4 bits per character (deflate
//! on 36 KB pieces: 6.8). What format 6 changed, on the corpus:
//!
//! - lists 15 bits per UTF-16 character instead of 13 per two ASCII bytes: −7.4 MB;
//! - excerpt text as a bit code of literal classes and copies instead of 1–3 byte rank codes
//!   and ASCII copies: −5.2 MB;
//! - a shard's lists one bit stream, and two-character keys without a length: −1.4 MB;
//! - records as arrays, URLs as slugs: −0.2 MB; 32 KB packs instead of 24: −0.3 MB.
//!
//! Format 7 (session 8) places body paragraphs at multiples of [`index::PARAGRAPH_ALIGN`] and
//! codes the rarest excerpt characters by code point (see [`lz`]): 55.8 MB, 5,196 files (3,584
//! shards, 869 heads, 742 packs, meta of 32 KB), 132 KB per query in the median (454 KB p95),
//! 32/32 exact; a correction inside a paragraph writes some sixty files instead of 700–2,300.
//!
//! Tried and not taken: interpolative coding of positions (11.5 bits against Rice's 11.4),
//! a Rice parameter per list for counts (0.1 MB), finer literal classes (8 classes: 0.1 MB,
//! at the cost of the alphabet moving more often, which codes every excerpt anew).
//!
//! The file count and the bytes per query pull against each other (see the constants in
//! [`index`]): a query loads whole files, so it costs about (index size ÷ file count) × files
//! touched, and every file costs its creation when the site is built.
//!
pub mod codec;
pub mod index;
pub mod keymap;
pub mod lz;
pub mod normalize;
pub mod shard;
pub mod slices;

use crate::cache::{Hasher, Key};
use crate::content::Site;
use crate::error::Result;
use crate::output::OutputFile;

pub use index::{update as update_index, State};

/// What each document's part of the index is made from (print order): the key of its body
/// (see [`crate::render::body_keys`]) and of the fields the index holds and shows.
pub fn doc_keys(site: &Site, body_keys: &[Key]) -> Vec<index::DocKeys> {
    site.documents().zip(body_keys).map(|(d, body)| (*body, Hasher::new(b"fields").value(&(&d.meta, &d.url, d.year, d.issue, d.status_text())).key())).collect()
}

/// Builds the search index of `site`. `text(i)` is the plain text of the i-th document of
/// `site.documents()` (print order), as returned by the Markdown renderer: it is asked for
/// each text twice (to count its characters, then to index it), and only a batch of texts is
/// held at a time. Each file under `search/` goes to `emit` as soon as it is made, from several
/// threads: the index is never held whole in memory. The first error from `text` or `emit`
/// stops the build and is returned. Returns what [`update_index`] needs to bring it up to date
/// later: after body edits, it writes only the files that change (the same files as this
/// would write) and links the rest.
pub fn write_index(site: &Site, keys: &[index::DocKeys], text: &(dyn Fn(usize) -> Result<String> + Sync), emit: &(dyn Fn(OutputFile) -> Result<()> + Sync)) -> Result<State> {
    index::build(site, keys, text, emit)
}

/// What the build cache keeps of the index for the next build ([`State`]; none when no index
/// was made), in postcard rather than JSON: 1.7 MB at 3×, where JSON took 4 MB (a key as an
/// array of sixteen numbers), and a rebuild reads it back whole (a further body changed at 3×:
/// 0.37 → 0.34 s over five alternating runs).
pub fn state_bytes(state: Option<&State>) -> Vec<u8> {
    postcard::to_allocvec(&state).expect("plain data serialises")
}

/// [`state_bytes`] read back; `None` when there is no state or the bytes are not one.
pub fn state_from_bytes(bytes: &[u8]) -> Option<State> {
    postcard::from_bytes::<Option<State>>(bytes).ok().flatten()
}

/// A script file in UTF-16LE with a byte order mark: the index's bit codes are characters of
/// U+3000–U+AFFF, two bytes each so, three in UTF-8. A BOM decides a script's encoding before
/// any `charset` a server sends, and on `file://` alike.
fn utf16_script(js: &str) -> Vec<u8> {
    utf16_file(js.encode_utf16().collect())
}

fn utf16_file(units: Vec<u16>) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(2 + 2 * units.len());
    bytes.extend([0xff, 0xfe]);
    bytes.extend(units.into_iter().flat_map(u16::to_le_bytes));
    bytes
}

/// [`write_index`] into memory, sorted by path (benchmarks and tests).
pub fn build_index(site: &Site, texts: &[String]) -> Vec<OutputFile> {
    let keys = doc_keys(site, &vec![Key::default(); texts.len()]);
    let files = std::sync::Mutex::new(Vec::new());
    write_index(site, &keys, &|i| Ok(texts[i].clone()), &|file| {
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
    /// The search fixture site and its documents' texts.
    pub(crate) fn build_with_texts() -> (crate::content::Site, Vec<String>) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search-site");
        let site = crate::content::load(&dir, None).expect("fixture loads");
        let texts: Vec<String> = site
            .documents()
            .map(|d| crate::render::markdown::render(&d.body, &d.source, d.body_line, &|_| Vec::new()).expect("renders").text)
            .collect();
        (site, texts)
    }

    /// The index of the search fixture site, built in a pool of `threads` threads.
    fn build_with(threads: usize) -> Vec<(String, Vec<u8>)> {
        let (site, texts) = build_with_texts();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| super::build_index(&site, &texts)).into_iter().map(|f| (f.path.to_string(), f.bytes.to_vec())).collect()
    }

    /// The fixture site grown to 60 documents (copies of its own, each text with its number),
    /// and their texts.
    fn grown() -> (crate::content::Site, Vec<String>) {
        let (mut site, texts) = build_with_texts();
        let mut by_url: std::collections::HashMap<String, String> = site.documents().map(|d| d.url.clone()).zip(texts).collect();
        let originals: Vec<crate::content::Document> = site.documents().cloned().collect();
        for n in 0..60 - originals.len() {
            let mut copy = originals[n % originals.len()].clone();
            let text = format!("{}\n第{n}份。", by_url[&copy.url]);
            copy.url = format!("{}/c{n}.html", copy.url.rsplit_once('/').unwrap().0);
            copy.meta.title = format!("{}（之{n}）", copy.meta.title);
            copy.meta.number = None;
            by_url.insert(copy.url.clone(), text);
            site.issues[0].sections[0].documents.push(copy);
        }
        let texts = site.documents().map(|d| by_url[&d.url].clone()).collect();
        (site, texts)
    }

    /// The index of `site` written into a folder, and the state for updating it.
    fn written(dir: &std::path::Path, site: &crate::content::Site, texts: &[String]) -> super::State {
        super::write_index(site, &keys(site, texts), &|i| Ok(texts[i].clone()), &|f| {
            let path = dir.join(&f.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &f.bytes).unwrap();
            Ok(())
        })
        .unwrap()
    }

    #[test]
    fn the_state_reads_back_as_it_was_written() {
        let (site, texts) = grown();
        let dir = tempfile::tempdir().unwrap();
        let state = written(dir.path(), &site, &texts);
        let bytes = super::state_bytes(Some(&state));
        let back = super::state_from_bytes(&bytes).expect("reads back");
        assert_eq!(super::state_bytes(Some(&back)), bytes);
        assert_eq!((back.shards, &back.alphabet, &back.counts, &back.docs, &back.packs, &back.lists), (state.shards, &state.alphabet, &state.counts, &state.docs, &state.packs, &state.lists));
        assert!(super::state_from_bytes(&super::state_bytes(None)).is_none());
        assert!(super::state_from_bytes(&bytes[..bytes.len() / 2]).is_none(), "a cut state is none");
    }

    /// `text` with its last two thirds moved first: the same characters, every position moved.
    fn rotated(text: &str) -> String {
        let k = text.char_indices().nth(text.chars().count() / 3).unwrap().0;
        format!("{}{}", &text[k..], &text[..k])
    }

    /// Body keys from the texts themselves.
    fn keys(site: &crate::content::Site, texts: &[String]) -> Vec<super::index::DocKeys> {
        super::doc_keys(site, &texts.iter().map(|t| body_key(t)).collect::<Vec<_>>())
    }

    fn body_key(text: &str) -> crate::cache::Key {
        crate::cache::Hasher::new(b"t").bytes(text.as_bytes()).key()
    }

    #[test]
    fn an_index_updated_after_body_edits_is_the_index_built_anew() {
        let (site, texts) = grown();
        let dir = tempfile::tempdir().unwrap();
        let old = written(dir.path(), &site, &texts);
        // Two bodies edited without changing which characters the texts hold (the excerpt code
        // stays): one rotated, one reversed; every position in them moves.
        let mut edited = texts.clone();
        edited[1] = rotated(&texts[1]);
        edited[3] = texts[3].chars().rev().collect();
        let old_keys = keys(&site, &texts);
        let old_text = |key: &crate::cache::Key| old_keys.iter().zip(&texts).find(|((body, _), _)| body == key).map(|(_, t)| t.clone());
        type Emit<'a> = &'a (dyn Fn(crate::output::OutputFile) -> crate::Result<()> + Sync);
        type Link<'a> = &'a (dyn Fn(&str) -> crate::Result<bool> + Sync);
        let update = |edited: &[String], emit: Emit, link: Link| {
            super::update_index(&site, &keys(&site, edited), &|i| Ok(edited[i].clone()), old.clone(), &old_text, dir.path(), emit, link).unwrap()
        };
        let emitted = std::sync::Mutex::new(Vec::new());
        let linked = std::sync::Mutex::new(Vec::new());
        let state = update(
            &edited,
            &|f| {
                emitted.lock().unwrap().push((f.path, f.bytes));
                Ok(())
            },
            &|path| {
                let exists = dir.path().join(path).is_file();
                if exists {
                    linked.lock().unwrap().push(path.to_string());
                }
                Ok(exists)
            },
        )
        .expect("a body edit is updated in place");
        let linked: Vec<String> = linked.into_inner().unwrap();
        let mut files: Vec<(String, Vec<u8>)> = emitted.into_inner().unwrap();
        let emitted_count = files.len();
        files.extend(linked.iter().map(|p| (p.clone(), std::fs::read(dir.path().join(p)).unwrap())));
        files.sort();
        let anew: Vec<(String, Vec<u8>)> = super::build_index(&site, &edited).into_iter().map(|f| (f.path, f.bytes)).collect();
        // build_index keys bodies with zeros: compare the files, and the states' other parts
        assert_eq!(files.iter().map(|f| &f.0).collect::<Vec<_>>(), anew.iter().map(|f| &f.0).collect::<Vec<_>>());
        for ((path, a), (_, b)) in files.iter().zip(&anew) {
            assert!(a == b, "{path} differs from the index built anew");
        }
        // the heads and packs of the other documents are taken as they were
        for kind in ["search/h/", "search/p/"] {
            assert!(linked.iter().any(|p| p.starts_with(kind)), "{emitted_count} of {} files written, none of {kind} taken", files.len());
        }
        assert_eq!(state.docs.len(), old.docs.len());

        // The excerpt code counts the characters of the oldest documents: a character the
        // texts never held, in the newest document, changes no other file's code.
        let order = super::index::document_order(&site);
        let (oldest, newest) = (order[0], order[order.len() - 1]);
        let mut corrected = texts.clone();
        corrected[newest].push('龘');
        assert_code_stays(&site, &old, &texts, &corrected, dir.path());
        // In the oldest, it changes the excerpt code: every heads file and pack is coded anew,
        // the lists are still edited in place.
        let mut edited = texts.clone();
        edited[oldest].push('龘');
        let out = tempfile::tempdir().unwrap();
        let state = update_into(&site, &old, &texts, &edited, dir.path(), out.path()).expect("a new character is updated in place");
        let full = tempfile::tempdir().unwrap();
        let anew = written(full.path(), &site, &edited);
        assert_ne!(state.alphabet, old.alphabet);
        assert_eq!((&state.alphabet, &state.docs, &state.packs, &state.lists, &state.shard_hashes), (&anew.alphabet, &anew.docs, &anew.packs, &anew.lists, &anew.shard_hashes));
        assert!(files_of(out.path()) == files_of(full.path()), "the same files as built anew");

        // In an archive of more characters than the table holds, the rarest are coded by code
        // point: a new one (a rare name) changes no other file's code, nothing is coded anew.
        {
            let mut large = texts.clone();
            large[0].push_str(&('\u{3400}'..).take(3200).collect::<String>());
            let dir = tempfile::tempdir().unwrap();
            let old = written(dir.path(), &site, &large);
            let mut corrected = large.clone();
            corrected[3].push('龘');
            assert_code_stays(&site, &old, &large, &corrected, dir.path());
        }

        // A new issue: its documents are the newest and take the last ids.
        let mut later = site.clone();
        for n in 0..2 {
            let mut doc = later.documents().next().unwrap().clone();
            doc.url = format!("2099/01/n{n}.html");
            doc.meta.title = format!("新一期的第{n}份文件");
            doc.meta.number = None;
            doc.meta.date = doc.meta.date.map(|d| crate::content::GDate { year: 2099, ..d });
            later.issues[0].sections[0].documents.push(doc);
        }
        let by_url: std::collections::HashMap<String, String> = site.documents().map(|d| d.url.clone()).zip(texts.iter().cloned()).collect();
        // real text, with a character the archive never held
        let texts_later: Vec<String> = later.documents().map(|d| by_url.get(&d.url).cloned().unwrap_or_else(|| format!("{}𠀀", texts[0]))).collect();
        let appended = std::sync::Mutex::new(Vec::new());
        let state = super::update_index(
            &later,
            &keys(&later, &texts_later),
            &|i| Ok(texts_later[i].clone()),
            old.clone(),
            &old_text,
            dir.path(),
            &|f| {
                appended.lock().unwrap().push((f.path, f.bytes));
                Ok(())
            },
            &|path| Ok(dir.path().join(path).is_file().then(|| appended.lock().unwrap().push((path.to_string(), std::fs::read(dir.path().join(path)).unwrap()))).is_some()),
        )
        .unwrap()
        .expect("a new issue is added in place");
        assert_eq!(state.docs.len(), old.docs.len() + 2);
        let mut files = appended.into_inner().unwrap();
        files.sort();
        let anew: Vec<(String, Vec<u8>)> = super::build_index(&later, &texts_later).into_iter().map(|f| (f.path, f.bytes)).collect();
        assert_eq!(files.iter().map(|f| &f.0).collect::<Vec<_>>(), anew.iter().map(|f| &f.0).collect::<Vec<_>>());
        for ((path, a), (_, b)) in files.iter().zip(&anew) {
            assert!(a == b, "{path} differs from the index built anew after an issue was added");
        }
        // and the excerpt code stays: of the heads files and packs, only those holding the new
        // documents are new or changed
        assert_eq!(state.alphabet, old.alphabet);
        let excerpts_changed: Vec<&String> = files
            .iter()
            .filter(|(p, b)| (p.starts_with("search/h/") || p.starts_with("search/p/")) && std::fs::read(dir.path().join(p)).ok().as_ref() != Some(b))
            .map(|(p, _)| p)
            .collect();
        assert!(excerpts_changed.len() <= 3, "{excerpts_changed:?}");
    }

    #[test]
    fn same_bytes_whatever_the_number_of_threads() {
        let one = build_with(1);
        assert!(one.iter().any(|(p, _)| p.starts_with("search/t/")) && one.iter().any(|(p, _)| p.starts_with("search/h/")));
        assert_eq!(one, build_with(2));
        assert_eq!(one, build_with(3));
    }

    /// The index of `texts` (state `old`, its files in `dir`) updated to `corrected`, which adds
    /// a character the excerpt code leaves out: the code's table stays, and the files are those
    /// built anew, with at most five of them changed (the corrected document's shards, heads
    /// file and pack, `meta.js` and `build.js`).
    fn assert_code_stays(site: &crate::content::Site, old: &super::State, texts: &[String], corrected: &[String], dir: &std::path::Path) {
        let out = tempfile::tempdir().unwrap();
        let state = update_into(site, old, texts, corrected, dir, out.path()).expect("the character is updated in place");
        let full = tempfile::tempdir().unwrap();
        let anew = written(full.path(), site, corrected);
        assert_eq!(state.alphabet, old.alphabet, "the table stays");
        assert_eq!((&state.docs, &state.packs, &state.lists, &state.shard_hashes), (&anew.docs, &anew.packs, &anew.lists, &anew.shard_hashes));
        assert!(files_of(out.path()) == files_of(full.path()), "the same files as built anew");
        let changed = files_of(out.path()).into_iter().filter(|(p, b)| std::fs::read(dir.join(p)).ok().as_ref() != Some(b)).count();
        assert!(changed <= 5, "{changed} files changed");
    }

    /// Updates the index in `dir` (of `old_texts`, state `old`) to `site` with `new_texts`,
    /// writing into `out` and copying what it takes as it was: the new state, or `None`.
    fn update_into(site: &crate::content::Site, old: &super::State, old_texts: &[String], new_texts: &[String], dir: &std::path::Path, out: &std::path::Path) -> Option<super::State> {
        let old_text = |key: &crate::cache::Key| old_texts.iter().find(|t| body_key(t) == *key).cloned();
        let put = |path: &str, bytes: &[u8]| {
            let path = out.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        };
        let emit = |f: crate::output::OutputFile| {
            put(&f.path, &f.bytes);
            Ok(())
        };
        let link = |p: &str| Ok(std::fs::read(dir.join(p)).map(|bytes| put(p, &bytes)).is_ok());
        super::update_index(site, &keys(site, new_texts), &|i| Ok(new_texts[i].clone()), old.clone(), &old_text, dir, &emit, &link).unwrap()
    }

    fn files_of(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().strip_prefix(dir).unwrap().to_str().unwrap().to_string(), std::fs::read(e.path()).unwrap()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn an_update_of_an_update_is_the_index_built_anew() {
        let (site, texts) = grown();
        let d0 = tempfile::tempdir().unwrap();
        let s0 = written(d0.path(), &site, &texts);
        let mut e1 = texts.clone();
        e1[1] = rotated(&texts[1]);
        let mut e2 = e1.clone();
        e2[3] = e1[3].chars().rev().collect();
        e2[7] = e1[7].chars().rev().collect();
        let (mut state, mut dir, mut before) = (s0, d0, texts);
        for edited in [e1, e2] {
            let out = tempfile::tempdir().unwrap();
            let next = update_into(&site, &state, &before, &edited, dir.path(), out.path()).expect("in place");
            let full = tempfile::tempdir().unwrap();
            let anew = written(full.path(), &site, &edited);
            assert_eq!(next.lists, anew.lists, "the list lengths the cache keeps");
            assert!(files_of(out.path()) == files_of(full.path()), "the files");
            (state, dir, before) = (next, out, edited);
        }
    }

    /// Ids run oldest first: a title corrected keeps every id, a recent document withdrawn or
    /// back-filled moves the few after it. Both are updated in place, to the same files as
    /// built anew; a change that moves most ids is built anew.
    #[test]
    fn an_index_updated_after_retitles_and_withdrawals_is_the_index_built_anew() {
        let (site, texts) = grown();
        let dir = tempfile::tempdir().unwrap();
        let old = written(dir.path(), &site, &texts);
        let by_url: std::collections::HashMap<String, String> = site.documents().map(|d| d.url.clone()).zip(texts.iter().cloned()).collect();
        let texts_of = |site: &crate::content::Site| -> Vec<String> { site.documents().map(|d| by_url.get(&d.url).cloned().unwrap_or_else(|| "补登的文件。".to_string())).collect() };
        let by_id: Vec<String> = {
            let docs: Vec<&crate::content::Document> = site.documents().collect();
            super::index::document_order(&site).into_iter().map(|i| docs[i].url.clone()).collect()
        };
        let changed = |f: &dyn Fn(&mut Vec<crate::content::Document>)| {
            let mut s = site.clone();
            f(&mut s.issues[0].sections[0].documents);
            s
        };
        let retitled = changed(&|docs| {
            let d = docs.iter_mut().find(|d| d.url == by_id[10]).unwrap();
            d.meta.title.push_str("（更正）");
            d.meta.number = Some("惠政发〔2022〕99号".to_string());
        });
        let withdrawn = |ids: &[usize]| changed(&|docs| docs.retain(|d| !ids.iter().any(|&id| by_id[id] == d.url)));
        let back_filled = changed(&|docs| {
            let mut d = docs.iter().find(|d| d.url == by_id[57]).unwrap().clone();
            d.url = format!("{}/补登.html", d.url.rsplit_once('/').unwrap().0);
            d.meta.title = "补登的文件".to_string();
            docs.push(d);
        });
        for (what, site, packs_kept) in [
            ("a title and number corrected", retitled, true),
            ("the newest withdrawn", withdrawn(&[59]), false),
            ("two recent ones withdrawn", withdrawn(&[52, 56]), false),
            ("a recent one back-filled", back_filled, false),
        ] {
            let new_texts = texts_of(&site);
            let out = tempfile::tempdir().unwrap();
            let state = update_into(&site, &old, &texts, &new_texts, dir.path(), out.path()).unwrap_or_else(|| panic!("{what}: updated in place"));
            let full = tempfile::tempdir().unwrap();
            let anew = written(full.path(), &site, &new_texts);
            assert_eq!((&state.alphabet, &state.docs, &state.packs, &state.lists, &state.shard_hashes), (&anew.alphabet, &anew.docs, &anew.packs, &anew.lists, &anew.shard_hashes), "{what}");
            assert!(files_of(out.path()) == files_of(full.path()), "{what}: the same files as built anew");
            if packs_kept {
                let packs = files_of(out.path()).into_iter().filter(|(p, _)| p.starts_with("search/p/")).collect::<Vec<_>>();
                assert!(packs.iter().all(|(p, b)| std::fs::read(dir.path().join(p)).ok().as_ref() == Some(b)), "{what}: no excerpt changes");
            }
        }
        // The oldest withdrawn moves every other id: built anew.
        let site = withdrawn(&[0]);
        let out = tempfile::tempdir().unwrap();
        assert!(update_into(&site, &old, &texts, &texts_of(&site), dir.path(), out.path()).is_none());
        assert!(files_of(out.path()).is_empty(), "nothing written");
    }

    /// Past an eighth of the archive (at least 16 documents), changed texts are built anew:
    /// the content folder copied or named by another path changes every body's key.
    #[test]
    fn an_index_with_most_texts_changed_is_built_anew() {
        let (site, texts) = grown();
        let dir = tempfile::tempdir().unwrap();
        let old = written(dir.path(), &site, &texts);
        let edited = |count: usize| -> Vec<String> { texts.iter().enumerate().map(|(i, t)| if i < count { format!("{t}\n更正。") } else { t.clone() }).collect() };
        let out = tempfile::tempdir().unwrap();
        assert!(update_into(&site, &old, &texts, &edited(16), dir.path(), out.path()).is_some(), "16 of 60 in place");
        let out = tempfile::tempdir().unwrap();
        assert!(update_into(&site, &old, &texts, &edited(17), dir.path(), out.path()).is_none(), "17 of 60 anew");
        assert!(files_of(out.path()).is_empty(), "nothing written");
    }

    #[test]
    fn a_previous_output_without_a_shard_file_is_built_anew() {
        let (site, texts) = grown();
        let dir = tempfile::tempdir().unwrap();
        let old = written(dir.path(), &site, &texts);
        // one character appended: a few shards rewritten, the others taken as they were
        let mut edited = texts.clone();
        edited[3].push(texts[3].chars().find(|c| !c.is_whitespace()).unwrap());
        // whether the update would have rewritten that shard or taken it as it was
        for s in 0..old.shards {
            let path = dir.path().join(super::index::shard_path(s));
            let bytes = std::fs::read(&path).unwrap();
            std::fs::remove_file(&path).unwrap();
            let out = tempfile::tempdir().unwrap();
            assert!(update_into(&site, &old, &texts, &edited, dir.path(), out.path()).is_none(), "shard {s}");
            assert!(files_of(out.path()).is_empty(), "nothing written");
            std::fs::write(&path, bytes).unwrap();
        }
    }
}
