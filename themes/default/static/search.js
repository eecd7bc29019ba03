/* gongbao full-text search client.
 *
 * A classic script with no dependencies: the index (built by src/search/ in Rust) is a set of
 * script files that call the global `gongbaoSearch` when loaded through a <script> tag, which
 * works from file:// (a USB stick) as from a web server, where fetch/XHR/modules do not.
 *
 * The core (normalise, tokenise, decode, match, rank, excerpt) uses no DOM so node can test it
 * against a real index (tests/js/). Normalisation and tokenisation mirror
 * src/search/normalize.rs rule for rule; the index format mirrors src/search/ (codec.rs, shard.rs,
 * lz.rs, index.rs).
 * Content strings reach the page only as DOM text nodes, never through innerHTML.
 */
(function (root) {
  'use strict';

  var DIGITS = "!#$%'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}";
  var BASE = 44;
  var RICE_ESCAPE = 16; // codec.rs RICE_ESCAPE
  var DIGIT_VALUE = {};
  for (var di = 0; di < DIGITS.length; di++) DIGIT_VALUE[DIGITS.charCodeAt(di)] = di;
  var PAGE_SIZE = 10;
  // Titles that begin with the query whose records are compared with it (exactTitlesFirst).
  var EXACT_TITLE_CANDIDATES = 8;
  // Posting lists: 15 bits per character, U+3000 + the bits (mirror of src/search/codec.rs).
  var GROUP_BASE = 0x3000, GROUP_BITS = 15;
  // Excerpt text (mirror of src/search/lz.rs): literal classes by rank, shortest copy.
  var CLASS_ENDS = [64, 256, 1024, 3072], MIN_MATCH = 3;

  // ---- normalisation and tokens (mirror of normalize.rs) ----

  function isSpace(c) {
    return /\s/.test(c) || c === '\u0085';
  }

  /* Zero-width characters are passed over as if absent, inside runs too (is_zero_width). */
  function isZeroWidth(c) {
    return c === '\ufeff' || c === '\u200b' || c === '\u200c' || c === '\u200d' || c === '\u2060';
  }

  /* The index of the unit before `i` in `text` that is not zero-width; -1 if none. */
  function visibleBefore(text, i) {
    var j = i - 1;
    while (j >= 0 && isZeroWidth(text[j])) j--;
    return j;
  }

  function normalizeChar(c) {
    var cp = c.charCodeAt(0);
    if (c === '\u3000') c = ' ';
    else if (c.length === 1 && cp >= 0xff01 && cp <= 0xff5e) c = String.fromCharCode(cp - 0xfee0);
    switch (c) {
      case '[': case '【': case '(': case '〈': case '〖': case '{': case '﹝': case '﹙': case '〘': return '〔';
      case ']': case '】': case ')': case '〉': case '〗': case '}': case '﹞': case '﹚': case '〙': return '〕';
    }
    if (c >= 'A' && c <= 'Z') return c.toLowerCase();
    return c;
  }

  function charClass(c) {
    if (c >= '0' && c <= '9') return 1;
    if (c >= 'a' && c <= 'z') return 2;
    if (isSpace(c)) return 0;
    return 3;
  }

  /* Tokens of `text` with their UTF-16 ranges in the original string, and whether a line
   * break comes before them (`br`: a new paragraph, where the index starts a phrase anew). */
  function tokenize(text) {
    var out = [];
    var run = '', runClass = 0, runStart = 0, runBr = false, br = false, i = 0;
    var fraction = false;
    for (var ch of text) {
      if (isZeroWidth(ch)) { i += ch.length; continue; }
      var n = normalizeChar(ch);
      var k = charClass(n);
      if (runClass !== 0 && (k !== runClass || k === 3)) {
        out.push({ t: asToken(run, runClass, fraction), start: runStart, end: i, br: runBr });
        run = '';
        runClass = 0;
      }
      if (k !== 0) {
        if (runClass === 0) {
          runStart = i; runClass = k; runBr = br; br = false;
          // digits right after `<digit>.` are a fraction's ('.', '．' and digits are one unit each)
          var point = visibleBefore(text, i), digit = visibleBefore(text, point);
          fraction = k === 1 && digit >= 0 && normalizeChar(text[point]) === '.' && charClass(normalizeChar(text[digit])) === 1;
        }
        run += n;
      } else if (ch === '\n') {
        br = true;
      }
      i += ch.length;
    }
    if (runClass !== 0) out.push({ t: asToken(run, runClass, fraction), start: runStart, end: i, br: runBr });
    return out;
  }

  /* A run's token: a number without its leading zeros (08 is 8, 000 is 0) unless it is the
   * fraction of a decimal (0.05 is not 0.5), as in as_token. */
  function asToken(run, runClass, fraction) {
    return runClass === 1 && !fraction ? run.replace(/^0+(?=\d)/, '') : run;
  }

  // Quotation marks a reader puts round a phrase out of habit, and the 书名号 round a title
  // copied from a citation (a title is indexed without them): a term is matched without them.
  var QUOTES = '"\'“”‘’「」『』《》〈〉';

  /* A term as typed, without the quotation marks or 书名号 round it. */
  function unquoted(raw) {
    var from = 0, to = raw.length;
    while (from < to && QUOTES.indexOf(raw.charAt(from)) >= 0) from++;
    while (to > from && QUOTES.indexOf(raw.charAt(to - 1)) >= 0) to--;
    return raw.slice(from, to);
  }

  /* Terms of a query: separated by white space, all must match; repeated terms count once. A
   * document number is printed with 第 before its serial or without (惠政办发〔2022〕第8号 as a
   * 刊号 is, 〔2022〕8号 as GB/T 9704 has it): a term that holds one is found in either form
   * (`forms`, the term as typed first). */
  function parseQuery(q) {
    var terms = [], seen = {};
    String(q || '').replace(/([\]】)）］〉〗}﹞﹚〙〕])[\s\u0085]*(第?)[\s\u0085]*(?=[0-9０-９])/g, '$1$2').split(/[\s\u0085]+/).forEach(function (raw) {
      raw = unquoted(raw);
      var tokens = tokenize(raw).map(function (x) { return x.t; });
      if (!tokens.length) return;
      var id = tokens.join(' ');
      if (seen[id]) return;
      seen[id] = true;
      terms.push({ raw: raw, tokens: tokens, forms: [tokens].concat(serialForms(tokens)) });
    });
    return terms;
  }

  /* The other form of a document number in `tokens`: 〕第8 for 〕8, 〕8 for 〕第8, and an
   * order's 令第735号 for 令735号 (as people write 国务院令735号), 令735号 for 令第735号. */
  function serialForms(tokens) {
    for (var i = 0; i + 1 < tokens.length; i++) {
      if (tokens[i] !== '〕' && tokens[i] !== '令') continue;
      var serial = tokens[i] === '〕' || tokens[i + 2] === '号' || tokens[i + 3] === '号';
      if (serial && tokens[i + 1] === '第' && /^[0-9]/.test(tokens[i + 2] || '')) return [tokens.slice(0, i + 1).concat(tokens.slice(i + 2))];
      if (serial && /^[0-9]/.test(tokens[i + 1])) return [tokens.slice(0, i + 1).concat(['第'], tokens.slice(i + 1))];
    }
    return [];
  }

  /* The documents that hold a term in any of its forms: a hit's count summed, its first and
   * body positions the earliest, its excerpt chunks all of either form's. */
  function matchForms(term) {
    var result = matchTerm(term.forms[0]);
    term.forms.slice(1).forEach(function (form) {
      matchTerm(form).forEach(function (h, id) {
        var had = result.get(id);
        if (!had) { result.set(id, h); return; }
        var body = had.body < 0 ? h.body : h.body < 0 ? had.body : Math.min(had.body, h.body);
        var chunks = had.chunks.concat(h.chunks).sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
          .filter(function (c, i, all) { return !i || all[i - 1][0] !== c[0]; });
        result.set(id, { count: had.count + h.count, first: Math.min(had.first, h.first), body: body, chunks: chunks });
      });
    });
    return result;
  }

  // ---- index encoding (mirror of index.rs) ----

  function decodeNumbers(s) {
    var out = [], value = 0, scale = 1;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT_VALUE[s.charCodeAt(i)];
      if (d === undefined) throw new Error('bad posting digit');
      if (d >= BASE) { value += (d - BASE) * scale; scale *= BASE; }
      else { out.push(value + d * scale); value = 0; scale = 1; }
    }
    return out;
  }

  /* Reads the bit code of codec.rs from a string of U+3000 + 15-bit groups, from bit `offset`:
   * gamma, Rice and truncated binary numbers. */
  function BitReader(s, offset) {
    offset = offset || 0;
    this.s = s; this.i = Math.floor(offset / GROUP_BITS); this.acc = 0; this.n = 0;
    if (offset % GROUP_BITS) { this.refill(); this.n -= offset % GROUP_BITS; }
  }
  /* Bits read so far. */
  BitReader.prototype.consumed = function () {
    return this.i * GROUP_BITS - this.n;
  };
  BitReader.prototype.refill = function () {
    if (this.i >= this.s.length) throw new Error('truncated posting list');
    var v = this.s.charCodeAt(this.i++) - GROUP_BASE;
    if (!(v >= 0 && v < 1 << GROUP_BITS)) throw new Error('bad posting character');
    this.acc = v;
    this.n = GROUP_BITS;
  };
  BitReader.prototype.bit = function () {
    if (this.n === 0) this.refill();
    this.n--;
    return (this.acc >> this.n) & 1;
  };
  BitReader.prototype.bits = function (k) {
    var v = 0;
    while (k > 0) {
      if (this.n === 0) this.refill();
      var take = k < this.n ? k : this.n;
      this.n -= take;
      v = v * (1 << take) + ((this.acc >> this.n) & ((1 << take) - 1));
      k -= take;
    }
    return v;
  };
  BitReader.prototype.gamma = function () {
    var z = 0;
    while (this.bit() === 0) if (++z > 31) throw new Error('bad posting number');
    return (1 << z >>> 0) + this.bits(z);
  };
  /* Rice code with escape (codec.rs `rice`): the quotient in unary, from RICE_ESCAPE on in
   * gamma, then k low bits. */
  BitReader.prototype.rice = function (k) {
    var q = 0;
    while (q < RICE_ESCAPE && this.bit() === 1) q++;
    if (q === RICE_ESCAPE) q = this.gamma() + RICE_ESCAPE - 1;
    return q * Math.pow(2, k) + this.bits(k);
  };
  /* A number in [0, n) in truncated binary (codec.rs `truncated`). */
  BitReader.prototype.truncated = function (n) {
    if (n <= 1) return 0;
    var b = 32 - Math.clz32(n - 1), short = Math.pow(2, b) - n, v = this.bits(b - 1);
    return v < short ? v : v * 2 + this.bit() - short;
  };

  function ilog2(n) {
    return n <= 1 ? 0 : 31 - Math.clz32(n);
  }

  /* The document count the list code goes by: the next power of two (codec.rs doc_count). */
  function docCount() {
    var n = 1;
    while (n < data.meta.docs) n *= 2;
    return n;
  }

  /* One key's postings (codec.rs), read from `r` (only read past when `skip`): for a two-token
   * key [{doc, count, pos: [positions]}], for a one-token key [{doc, count, field, body}] with
   * the field of its first occurrence (0 发文字号, 1 title, 2 发文机关, 3 body) and where it
   * first occurs in the body: -1 nowhere, 0 within the head's first `head.use` positions, 1 + c
   * in excerpt chunk c beyond that. */
  function readPostings(r, bigram, skip) {
    var out = [], spans = spansOf();
    var df = r.gamma(), dk = ilog2(Math.floor(Math.floor(docCount() * 11 / 16) / df)), doc = -1;
    for (var d = 0; d < df; d++) {
      doc += r.rice(dk) + 1;
      var count = r.gamma();
      if (bigram) {
        var span = spans[doc], pos = skip ? null : new Array(count);
        if (span === undefined) throw new Error('bad posting document');
        if (count === 1) {
          var only = r.truncated(span);
          if (pos) pos[0] = only;
        } else {
          var k = ilog2(Math.floor(Math.floor(span * 11 / 16) / count)), p = -1;
          for (var c = 0; c < count; c++) { p += r.rice(k) + 1; if (pos) pos[c] = p; }
        }
        if (pos) out.push({ doc: doc, count: count, pos: pos });
      } else {
        var field = r.bits(2), inBody = field === 3 || r.bit() === 1, body = inBody ? r.gamma() - 1 : -1;
        if (!skip) out.push({ doc: doc, count: count, field: field, body: body });
      }
    }
    return out;
  }

  function spansOf() {
    // a document's position space, rounded up to a power of two: meta holds the exponent
    if (!data.spans) data.spans = decodeNumbers(data.meta.spans).map(function (b) { return Math.pow(2, b); });
    return data.spans;
  }

  function keyHash(key) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  /* Offsets of the bigrams that cover every token of an n-token phrase: 0, 2, 4, …, n−2. */
  function coverOffsets(n) {
    var out = [];
    for (var o = 0; o < n - 1; o += 2) out.push(o);
    if (out[out.length - 1] !== n - 2) out.push(n - 2);
    return out;
  }

  function termKeys(tokens) {
    if (tokens.length === 1) return [tokens[0]];
    return coverOffsets(tokens.length).map(function (o) { return tokens[o] + ' ' + tokens[o + 1]; });
  }

  function pad3hex(n) {
    var s = n.toString(16);
    while (s.length < 3) s = '0' + s;
    return s;
  }

  // ---- the data store, filled by the index scripts ----

  var data = { build: null, meta: null, facets: null, spans: null, chunkStarts: null, packStarts: null, shards: {}, docs: {}, heads: {}, texts: {}, alphabet: null, classes: null };
  var loader = null;
  var loads = {};
  var loadedBytes = null; // set by tests and the bench to record what a query loads
  var fetches = 0; // index files asked for so far, build.js aside (see run)

  function load(path) {
    if (!loads[path]) {
      if (path !== 'search/build.js') fetches++;
      loads[path] = loader(path).catch(function (e) { delete loads[path]; throw e; });
    }
    return loads[path];
  }

  /* The meta file; first, where the loader asks for index files under the index's name
   * (over http(s): see scriptLoader), that name (build.js). From file:// the name is not
   * needed, and meta.js does not wait for it. */
  function loadMeta() {
    if (!loader.named || loads['search/meta.js']) return load('search/meta.js');
    return load('search/build.js').then(function () { return load('search/meta.js'); });
  }

  /* Over http(s), a page that has its index's name asks for build.js again alongside each
   * later search (not before it), in case the site was rebuilt meanwhile; resolves to whether
   * the name is still the same. If not, a search that asked for files may have run on files of
   * two builds: its results are not shown, the page drops what it holds (forget) and searches
   * again. A check that fails to load keeps the name the page has. */
  function recheck() {
    if (!loader.named || data.build === null) return Promise.resolve(true);
    var before = data.build;
    delete loads['search/build.js'];
    return load('search/build.js').then(function () { return data.build === before; }, function () { return true; });
  }

  /* Drops every index file loaded but build.js (a rebuild's meta file resets the rest). */
  function forget() {
    data.shards = {}; data.docs = {}; data.heads = {}; data.texts = {};
    loads = { 'search/build.js': loads['search/build.js'] };
  }

  function shardPath(key) {
    return 'search/t/' + pad3hex(keyHash(key) % data.meta.shards) + '.js';
  }

  function postings(key) {
    var shard = data.shards[keyHash(key) % data.meta.shards];
    if (!shard || !shard.index.has(key)) return [];
    var j = shard.index.get(key);
    return readPostings(new BitReader(shard.lists, listStart(shard, j)), shard.bigrams[j], false);
  }

  /* A shard (src/search/shard.rs): its keys, then their lists as one bit stream, each list
   * ending where its code says. A list's start is found by reading through the ones before
   * it, once, when a query first asks for a key of the shard at or past it. */
  function parseShard(keys, lists) {
    var i = 0, bigrams = [], index = new Map(), MORE = 0x4000; // shard.rs MORE
    function number() {
      var value = 0, scale = 1;
      for (;;) {
        var d = keys.charCodeAt(i++) - GROUP_BASE;
        if (!(d >= 0 && d < 1 << GROUP_BITS)) throw new Error('bad shard');
        if (d < MORE) return value + d * scale;
        value += (d - MORE) * scale;
        scale *= MORE;
      }
    }
    var pairs = number();
    while (i < keys.length || bigrams.length < pairs) {
      var a = 1, b = 1;
      if (bigrams.length >= pairs) {
        var head = number();
        a = Math.floor(head / 128);
        b = head % 128;
        if (b === 127) b += number();
      }
      if (i + a + b > keys.length) throw new Error('bad shard');
      index.set(keys.substr(i, a) + (b ? ' ' + keys.substr(i + a, b) : ''), bigrams.length);
      bigrams.push(b > 0);
      i += a + b;
    }
    return { lists: lists, index: index, bigrams: bigrams, starts: [0], reader: new BitReader(lists, 0) };
  }

  /* Where the list of key number `j` of a shard starts in its bit stream. */
  function listStart(shard, j) {
    while (shard.starts.length <= j) {
      var from = shard.starts[shard.starts.length - 1];
      try {
        readPostings(shard.reader, shard.bigrams[shard.starts.length - 1], true);
      } catch (e) {
        shard.reader = new BitReader(shard.lists, from); // a later lookup starts over, not mid-list
        throw e;
      }
      shard.starts.push(shard.reader.consumed());
    }
    return shard.starts[j];
  }

  /* The excerpt chunk of body position `pos`. */
  function chunkAt(pos) {
    return Math.floor((pos - data.meta.at.body) / data.meta.chunk);
  }

  /* Map doc id → {count, first, body, chunks}: where and how often one term occurs; `chunks`
   * are the excerpt chunks it occurs in, each as [chunk, its first body position there]. */
  function matchTerm(tokens) {
    var at = data.meta.at, result = new Map();
    if (tokens.length === 1) {
      // A one-token key knows the field of its first occurrence and, coarsely, where in the
      // body it first occurs: enough to rank and to pick the text of the excerpt.
      var head = data.meta.head, chunk = data.meta.chunk;
      postings(tokens[0]).forEach(function (e) {
        var body = e.body < 0 ? -1 : e.body === 0 ? at.body : at.body + (e.body === 1 ? head.use : (e.body - 1) * chunk);
        var first = [at.number, at.title, at.issuer, body][e.field];
        result.set(e.doc, { count: e.count, first: first, body: body, chunks: body < 0 ? [] : [[chunkAt(body), body]] });
      });
      return result;
    }
    var offsets = coverOffsets(tokens.length);
    var lists = termKeys(tokens).map(function (key) {
      var docs = new Map();
      postings(key).forEach(function (e) { docs.set(e.doc, e.pos); });
      return docs;
    });
    // Start from the list with the fewest documents; check the others at their offsets.
    var base = 0;
    for (var b = 1; b < lists.length; b++) if (lists[b].size < lists[base].size) base = b;
    lists[base].forEach(function (basePos, docId) {
      var others = [];
      for (var l = 0; l < lists.length; l++) {
        var pl = lists[l].get(docId);
        if (!pl) return;
        others.push(pl);
      }
      var count = 0, first = -1, body = -1, chunks = [];
      for (var q = 0; q < basePos.length; q++) {
        var start = basePos[q] - offsets[base], ok = true;
        for (var m = 0; m < others.length && ok; m++) {
          if (m !== base) ok = has(others[m], start + offsets[m]);
        }
        if (!ok) continue;
        count++;
        if (first < 0) first = start;
        if (start < at.body) continue;
        if (body < 0) body = start;
        var c = chunkAt(start);
        if (!chunks.length || chunks[chunks.length - 1][0] !== c) chunks.push([c, start]);
      }
      if (count) result.set(docId, { count: count, first: first, body: body, chunks: chunks });
    });
    return result;
  }

  function has(sorted, v) {
    var lo = 0, hi = sorted.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] === v) return true;
      if (sorted[mid] < v) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }

  function facetsOf(id) {
    if (!data.facets) {
      // per document: issue (zigzag difference from the previous document's), section, issuer
      var nums = decodeNumbers(data.meta.facets), issue = 0;
      for (var i = 0; i < nums.length; i += 3) {
        var z = nums[i];
        issue += z % 2 ? -(z + 1) / 2 : z / 2;
        nums[i] = issue;
      }
      data.facets = nums;
    }
    return [data.facets[id * 3], data.facets[id * 3 + 1], data.facets[id * 3 + 2]];
  }

  /* Filters by value: {year: "2022", issue: "2022年第2期", section: "…", issuer: "…"}. */
  function filterTest(filters) {
    var m = data.meta, tests = [];
    filters = filters || {};
    if (filters.year) tests.push(function (f) { return String(m.issues[f[0]].year) === String(filters.year); });
    if (filters.issue) tests.push(function (f) { return m.issues[f[0]].title === filters.issue; });
    if (filters.section) tests.push(function (f) { return m.sections[f[1]] === filters.section; });
    if (filters.issuer) tests.push(function (f) { return m.issuers[f[2]] === filters.issuer; });
    return function (id) {
      if (!tests.length) return true;
      var f = facetsOf(id);
      return tests.every(function (t) { return t(f); });
    };
  }

  /* The ranked, filtered result set of a query (no display data). */
  function search(q, filters) {
    var terms = parseQuery(q);
    if (!terms.length) return Promise.resolve({ terms: terms, ids: [], hits: {} });
    return loadMeta().then(function () {
      var paths = {};
      terms.forEach(function (t) {
        t.forms.forEach(function (form) { termKeys(form).forEach(function (key) { paths[shardPath(key)] = true; }); });
      });
      return Promise.all(Object.keys(paths).sort().map(load));
    }).then(function () {
      var at = data.meta.at;
      var perTerm = terms.map(matchForms);
      perTerm.sort(function (a, b) { return a.size - b.size; });
      var keep = filterTest(filters), scored = [], hits = {}, unfiltered = 0;
      perTerm[0].forEach(function (_, id) {
        for (var t = 1; t < perTerm.length; t++) if (!perTerm[t].has(id)) return;
        unfiltered++; // what the filters leave out is told when they leave nothing
        if (!keep(id)) return;
        var numberHits = 0, titleHits = 0, titleStart = 0, count = 0, latestFirst = 0;
        var inChunk = new Map(); // chunk → [terms in it, first and last of their first positions]
        for (var i = 0; i < perTerm.length; i++) {
          var h = perTerm[i].get(id); // every term's: checked above
          if (h.first < at.title) numberHits++;
          else if (h.first < at.issuer) titleHits++;
          if (h.first === at.title) titleStart = 1;
          count += h.count;
          if (h.first > latestFirst) latestFirst = h.first;
          h.chunks.forEach(function (c) {
            var was = inChunk.get(c[0]);
            inChunk.set(c[0], was ? [was[0] + 1, Math.min(was[1], c[1]), Math.max(was[2], c[1])] : [1, c[1], c[1]]);
          });
        }
        // The excerpt comes from one chunk of the text: the one that holds the most of the
        // terms (the first of such), so that it can show why the document matched each.
        var best = null;
        inChunk.forEach(function (v, c) { if (!best || v[0] > best[1][0] || (v[0] === best[1][0] && c < best[0])) best = [c, v]; });
        hits[id] = best ? { body: best[1][1], last: best[1][2] } : { body: -1, last: -1 };
        scored.push([numberHits, titleHits, titleStart, count, latestFirst, id]);
      });
      // 发文字号 hits, then title hits, a title that begins with a term, then frequency, then
      // earliness; ids run oldest first.
      scored.sort(function (a, b) {
        return (b[0] - a[0]) || (b[1] - a[1]) || (b[2] - a[2]) || (b[3] - a[3]) || (a[4] - b[4]) || (b[5] - a[5]);
      });
      var result = { terms: terms, ids: scored.map(function (s) { return s[5]; }), hits: hits, unfiltered: unfiltered };
      return exactTitlesFirst(result, scored);
    });
  }

  /* Every document the filters keep, newest first (ids run oldest first): a search without a
   * query lists a year's, an issue's, a section's or an issuer's documents. Only the meta file
   * is read; a page of results loads its heads files as any search does. */
  function browse(filters) {
    return loadMeta().then(function () {
      var keep = filterTest(filters), ids = [];
      for (var id = data.meta.docs - 1; id >= 0; id--) if (keep(id)) ids.push(id);
      return { terms: [], ids: ids, hits: {} };
    });
  }

  // A national law is cited by its name without the state's (《刑法》 for 《中华人民共和国刑法》).
  var STATE_NAME = tokenize('中华人民共和国').map(function (t) { return t.t; });

  /* A query that is a document's whole title finds that document first, before titles that
   * only hold it (森林防火条例 before 河南省森林防火条例 and 森林防火条例实施细则, which may
   * name it more often), and so does a national law's short name (刑法: 中华人民共和国刑法,
   * before the amendments and interpretations that say 刑法 more often). The index knows
   * where a title begins, not where it ends: the records of the first few titles that begin
   * with the query, or hold it right after 中华人民共和国, are loaded (the results page loads
   * them anyway) and compared whole. */
  function exactTitlesFirst(result, scored) {
    // the terms as parsed: without the quotation marks or 书名号 round them
    var want = [].concat.apply([], result.terms.map(function (t) { return t.tokens; }));
    var wanted = [want.join(' '), STATE_NAME.concat(want).join(' ')];
    var top = scored.length ? scored[0][0] : 0, named = data.meta.at.title + STATE_NAME.length;
    var id = function (s) { return s[5]; };
    var starts = scored.filter(function (s) { return s[0] === top && s[2]; }).slice(0, EXACT_TITLE_CANDIDATES).map(id);
    // A law calls itself 本法: of the titles holding the query after 中华人民共和国 (the law, its
    // amendments, the interpretations of it), the law's text says it the fewest times.
    var national = scored.filter(function (s) { return s[0] === top && s[1] && s[4] === named; });
    national.sort(function (a, b) { return a[3] - b[3] || b[5] - a[5]; });
    starts = starts.concat(national.slice(0, EXACT_TITLE_CANDIDATES / 2).map(id));
    if (!starts.length) return result;
    var paths = {};
    starts.forEach(function (id) { paths['search/h/' + Math.floor(id / data.meta.head.docs) + '.js'] = true; });
    return Promise.all(Object.keys(paths).sort().map(load)).then(function () {
      var titles = starts.map(function (id) { return data.docs[id] ? tokenize(data.docs[id].t).map(function (t) { return t.t; }).join(' ') : ''; });
      var exact = [];
      wanted.forEach(function (title) {
        starts.forEach(function (id, k) { if (titles[k] === title && exact.indexOf(id) < 0) exact.push(id); });
      });
      if (exact.length) result.ids = exact.concat(result.ids.filter(function (id) { return exact.indexOf(id) < 0; }));
      return result;
    });
  }

  /* Global chunk index of each document's first chunk, and of each pack's first chunk. */
  function chunkStarts() {
    if (!data.chunkStarts) {
      var counts = decodeNumbers(data.meta.chunks), starts = new Array(counts.length + 1), g = 0;
      for (var i = 0; i < counts.length; i++) { starts[i] = g; g += counts[i]; }
      starts[counts.length] = g;
      data.chunkStarts = starts;
    }
    return data.chunkStarts;
  }

  function packStarts() {
    if (!data.packStarts) {
      var gaps = decodeNumbers(data.meta.packs), g = 0;
      data.packStarts = gaps.map(function (d) { g += d; return g; });
    }
    return data.packStarts;
  }

  /* The chunk of document `id` that holds its first body match (0 without one). */
  function chunkOf(id, hit) {
    var starts = chunkStarts(), n = starts[id + 1] - starts[id];
    var k = hit && hit.body >= 0 ? chunkAt(hit.body) : 0;
    return Math.max(0, Math.min(k, n - 1));
  }

  /* The last element of the ascending `list` that is at most `g` (its index). */
  function lastAtMost(list, g) {
    var lo = 0, hi = list.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (list[mid] <= g) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /* The pack file holding global chunk `g`, named by the document and chunk it starts with
   * (so that an edit elsewhere renames no pack). */
  function packOf(g) {
    var first = packStarts()[lastAtMost(packStarts(), g)], id = lastAtMost(chunkStarts(), first);
    return id + '-' + (first - chunkStarts()[id]); // every document has a chunk: starts ascend
  }

  /* Loads what the results id[from..to) show: for each, the heads file with its display record
   * and the start of its text, and, when its first body match lies beyond that start, the pack
   * with the excerpt chunk of the match. */
  function loadPage(result, from, to) {
    var ids = result.ids.slice(from, to), paths = {}, head = data.meta.head;
    var items = ids.map(function (id) {
      var hit = result.hits[id], k = chunkOf(id, hit);
      var local = hit && hit.body >= 0 ? hit.body - data.meta.at.body - k * data.meta.chunk : -1;
      // the head holds the text's beginning: enough when every term shown lies in it
      var fromHead = k === 0 && local < head.use && (!hit || hit.last < 0 || hit.last - data.meta.at.body < head.use);
      paths['search/h/' + Math.floor(id / head.docs) + '.js'] = true;
      if (!fromHead) paths['search/p/' + packOf(chunkStarts()[id] + k) + '.js'] = true;
      return { id: id, k: k, focus: local, fromHead: fromHead };
    });
    return Promise.all(Object.keys(paths).sort().map(load))
      .then(function () {
        return items.map(function (it) {
          var text = (it.fromHead ? data.heads[it.id] : chunkText(chunkStarts()[it.id] + it.k)) || '';
          return { id: it.id, doc: data.docs[it.id], text: text, focus: it.focus < 0 ? -1 : tokenAt(text, it.focus) };
        });
      });
  }

  /* The token of a head or chunk `text` at body position `position` counted from the text's
   * first token (mirror of place_paragraphs in src/search/index.rs): positions run on by one
   * within a line, and a new line starts at the next multiple of meta.paragraph after a gap.
   * The last token before it when none is there (-1 for none). */
  function tokenAt(text, position) {
    var toks = tokenize(text), align = data.meta.paragraph, pos = -1, found = -1;
    for (var i = 0; i < toks.length; i++) {
      pos = i === 0 ? 0 : toks[i].br ? Math.ceil((pos + 2) / align) * align : pos + 1;
      if (pos > position) break;
      found = i;
    }
    return found;
  }

  function chunkText(g) {
    return data.texts[g] === undefined ? '' : data.texts[g];
  }

  /* The texts of a heads file or a pack, decoded (mirror of src/search/lz.rs): per text its
   * length, then literals (an event code for the rank's class, the rank within it; in the
   * last class, the character's code point) and copies of earlier characters of the file. */
  function unpackTexts(coded) {
    if (!data.alphabet) {
      // the table's characters in code order, and the rank range [start, size] of each of its
      // literal classes
      data.alphabet = Array.from(data.meta.chars);
      data.classes = [];
      for (var j = 0, start = 0; j < CLASS_ENDS.length; j++) {
        var end = Math.max(start, Math.min(CLASS_ENDS[j], data.alphabet.length));
        data.classes.push([start, end - start]);
        start = end;
      }
    }
    var alphabet = data.alphabet, n = alphabet.length, classes = data.classes, hist = [], out = [];
    for (var t = 0; t < coded.length; t++) {
      var r = new BitReader(coded[t]), begin = hist.length, len = r.gamma() - 1;
      while (hist.length - begin < len) {
        var e = r.bits(2);
        if (e === 2) {
          var length = r.gamma() - 1 + MIN_MATCH, k = r.truncated(ilog2(hist.length) + 1);
          var from = hist.length - Math.pow(2, k) - r.bits(k);
          if (from < 0) throw new Error('bad excerpt copy');
          for (var m = 0; m < length; m++) hist.push(hist[from + m]);
          continue;
        }
        var j = e < 2 ? e : r.bit() === 0 ? 2 : 3 + r.bit();
        if (j === 4) { // the rarest characters, by code point
          hist.push(String.fromCodePoint(r.truncated(0x110000)));
          continue;
        }
        var c = classes[j], rank = c[0] + r.truncated(c[1]);
        if (rank >= n) throw new Error('bad excerpt character');
        hist.push(alphabet[rank]);
      }
      if (hist.length - begin !== len) throw new Error('bad excerpt copy');
      out.push(hist.slice(begin).join(''));
    }
    return out;
  }

  /* Marked ranges [start, end) of every term occurrence in `text`, overlapping ones merged;
   * `terms` of a range: a bit per term it holds. */
  function matchRanges(text, terms) {
    var toks = tokenize(text), ranges = [];
    terms.forEach(function (term, k) {
      term.forms.forEach(function (form) {
        var n = form.length;
        for (var i = 0; i + n <= toks.length; i++) {
          var ok = true;
          // a phrase does not run from one line (paragraph) into the next, as in the index
          for (var j = 0; j < n && ok; j++) ok = toks[i + j].t === form[j] && (j === 0 || !toks[i + j].br);
          if (ok) ranges.push({ start: toks[i].start, end: toks[i + n - 1].end, token: i, terms: 1 << Math.min(k, 30) });
        }
      });
    });
    ranges.sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r.start <= last.end) { if (r.end > last.end) last.end = r.end; last.terms |= r.terms; }
      else merged.push({ start: r.start, end: r.end, token: r.token, terms: r.terms });
    });
    return { ranges: merged, tokens: toks };
  }

  /* The characters [start, end) of `text` around `anchor`: ~`before` before it, `length` in
   * all, no surrogate pair cut in two. */
  function around(text, anchor, before, length) {
    var start = Math.max(0, anchor - before), end = Math.min(text.length, start + length);
    if (end - start < length) start = Math.max(0, end - length);
    if (start > 0 && /[\udc00-\udfff]/.test(text[start])) start--;
    if (end < text.length && /[\udc00-\udfff]/.test(text[end])) end++;
    return [start, end];
  }

  function bitCount(v) {
    var n = 0;
    for (; v; v &= v - 1) n++;
    return n;
  }

  // Of the terms the main window misses, how many get a short window of their own, and its size.
  var EXTRA_WINDOWS = 2, EXTRA_BEFORE = 15, EXTRA_LENGTH = 50;

  /* An excerpt as [{text, mark}] segments: ~`before` characters before a match and up to
   * `length` characters in all, placed to show as many of the terms as the text holds
   * together, and among such places at the focused match (the body match at token `focus`,
   * else the first one). A term the text holds only further off gets a short window of its
   * own after it, so that the reader sees why the document matched every term. */
  function excerpt(text, terms, focus, before, length) {
    before = before || 40;
    length = length || 140;
    var found = matchRanges(text, terms), ranges = found.ranges;
    var preferred = 0;
    if (focus >= 0 && focus < found.tokens.length) {
      var ft = found.tokens[focus].start;
      for (var i = 0; i < ranges.length; i++) if (ranges[i].start >= ft) { preferred = i; break; }
    }
    var shown = function (w) {
      var bits = 0;
      ranges.forEach(function (r) { if (r.start >= w[0] && r.end <= w[1]) bits |= r.terms; });
      return bits;
    };
    var best = around(text, ranges[preferred] ? ranges[preferred].start : 0, before, length), bestBits = shown(best);
    if (terms.length > 1) {
      ranges.forEach(function (r) {
        var w = around(text, r.start, before, length), bits = shown(w);
        if (bitCount(bits) > bitCount(bestBits)) { best = w; bestBits = bits; }
      });
    }
    var windows = [best], all = 0;
    ranges.forEach(function (r) { all |= r.terms; });
    for (var k = 0; k < terms.length && windows.length <= EXTRA_WINDOWS; k++) {
      var bit = 1 << Math.min(k, 30);
      if (!(all & bit) || windows.some(function (w) { return shown(w) & bit; })) continue;
      var first = ranges.filter(function (r) { return r.terms & bit; })[0];
      windows.push(around(text, first.start, EXTRA_BEFORE, EXTRA_LENGTH));
    }
    windows.sort(function (a, b) { return a[0] - b[0]; });
    var segs = [];
    windows.forEach(function (w, n) {
      var start = n ? Math.max(w[0], windows[n - 1][1]) : w[0], end = w[1], pos = start;
      if (end <= start) return;
      function plain(a, b) { if (b > a) segs.push({ text: text.slice(a, b).replace(/\s+/g, ' '), mark: false }); }
      if (start > 0 && (!n || start > windows[n - 1][1])) segs.push({ text: '…', mark: false });
      ranges.forEach(function (r) {
        if (r.end <= start || r.start >= end) return;
        var a = Math.max(r.start, start), b = Math.min(r.end, end);
        plain(pos, a);
        // a match the window cuts is marked as far as it shows, but is no word to mark elsewhere
        segs.push({ text: text.slice(a, b), mark: true, cut: a > r.start || b < r.end });
        pos = b;
      });
      plain(pos, end);
    });
    if (windows[windows.length - 1][1] < text.length) segs.push({ text: '…', mark: false });
    return segs;
  }

  var api = {
    normalizeChar: normalizeChar,
    tokenize: tokenize,
    parseQuery: parseQuery,
    decodeNumbers: decodeNumbers,
    readPostings: readPostings,
    keyHash: keyHash,
    coverOffsets: coverOffsets,
    termKeys: termKeys,
    matchRanges: matchRanges,
    excerpt: excerpt,
    highlightQuery: highlightQuery,
    search: search,
    loadPage: loadPage,
    chunkOf: chunkOf,
    chunkStarts: chunkStarts,
    data: data,
    PAGE_SIZE: PAGE_SIZE,
    setLoader: function (fn) { loader = fn; loads = {}; },
    // registration functions called by the index files
    build: function (name) { data.build = name; },
    meta: function (m) {
      m.issues = m.issues.map(function (i) { return { year: i[0], number: i[1], title: i[0] + '年第' + i[1] + '期', dir: i[0] + '/' + (i[1] < 10 ? '0' : '') + i[1] + '/' }; });
      data.meta = m;
      data.facets = data.spans = data.chunkStarts = data.packStarts = data.alphabet = null;
    },
    shard: function (n, keys, lists) { data.shards[n] = parseShard(keys, lists); },
    /* Heads: the display records and text beginnings of documents `first`, `first` + 1, … */
    heads: function (n, first, records, texts) {
      var decoded = unpackTexts(texts);
      records.forEach(function (r, j) {
        var id = first + j, f = facetsOf(id), m = data.meta, issue = m.issues[f[0]];
        // index.rs `record`: a URL without a folder is a slug in its issue's folder
        var u = r[3].indexOf('/') < 0 ? issue.dir + r[3] + '.html' : r[3];
        var d = { d: r[0], n: r[1], t: r[2], u: u, x: r[4] || '' }; // x: 已废止, 已失效
        d.s = issue.title;
        d.c = m.sections[f[1]];
        d.i = m.issuers[f[2]];
        data.docs[id] = d;
        data.heads[id] = decoded[j];
      });
    },
    /* A pack: excerpt chunks from chunk `c` of document `id` on. */
    pack: function (id, c, texts) {
      var decoded = unpackTexts(texts), start = chunkStarts()[id] + c;
      for (var j = 0; j < decoded.length; j++) data.texts[start + j] = decoded[j];
    }
  };

  // ---- the page (search.html) ----

  function el(name, cls, text) {
    var e = document.createElement(name);
    if (cls) e.className = cls;
    if (text !== undefined) e.appendChild(document.createTextNode(text));
    return e;
  }

  /* `?hl=…&hl=…` for a result's link: the words the document page marks (highlight.js), as
   * its text prints them (what its excerpts marked: 惠政办发〔2022〕8号 for 惠政办发[2022]8号),
   * and the terms as typed. Nothing when browsing. */
  function highlightQuery(terms, segs) {
    var words = [];
    segs.concat(terms.map(function (t) { return { text: t.raw, mark: true }; })).forEach(function (s) {
      if (s.mark && !s.cut && s.text.trim() && words.indexOf(s.text) < 0) words.push(s.text);
    });
    return words.length ? '?' + words.map(function (w) { return 'hl=' + encodeURIComponent(w); }).join('&') : '';
  }

  function appendSegments(parent, segs) {
    segs.forEach(function (s) {
      if (s.mark) parent.appendChild(el('mark', null, s.text));
      else parent.appendChild(document.createTextNode(s.text));
    });
  }

  /* Index files as <script> tags. Over http(s) a browser may keep index files from before
   * the site was rebuilt, and files of two builds together give wrong results: build.js is
   * asked for anew each time (as the time of asking), every other file under the name it
   * gives, so a rebuild's files are never taken for an earlier build's. From file:// nothing
   * is kept between visits: no names. */
  function scriptLoader(base) {
    var cached = location.protocol === 'http:' || location.protocol === 'https:';
    function version(path) {
      if (!cached) return '';
      return path === 'search/build.js' ? '?t=' + Date.now() : '?v=' + encodeURIComponent(data.build || '');
    }
    var fetchScript = function (path) {
      return new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = base + path + version(path);
        s.onload = function () { s.parentNode.removeChild(s); resolve(); };
        s.onerror = function () { s.parentNode.removeChild(s); reject(new Error('无法载入 ' + path)); };
        document.head.appendChild(s);
      });
    };
    fetchScript.named = cached;
    return fetchScript;
  }

  /* A filter menu's options after its first (all): `values`. */
  function fillSelect(select, values) {
    while (select.options.length > 1) select.remove(1);
    values.forEach(function (v) {
      var o = el('option', null, v);
      o.value = v;
      select.appendChild(o);
    });
  }

  var FILTERS = ['year', 'issue', 'section', 'issuer'];
  var FILTER_NAMES = { year: '年份', issue: '期次', section: '栏目', issuer: '发文机关' };

  /* The filters chosen, as the folded filters' summary names them: "：2022年、通知公告". */
  function chosenFilters(filters) {
    var chosen = FILTERS.filter(function (f) { return filters[f]; }).map(function (f) { return f === 'year' ? filters[f] + '年' : filters[f]; });
    return chosen.length ? '：' + chosen.join('、') : '';
  }

  /* The search a URL's query string asks for. */
  function stateOf(search) {
    var params = new URLSearchParams(search), filters = {};
    FILTERS.forEach(function (f) { filters[f] = params.get(f) || ''; });
    return { q: params.get('q') || '', filters: filters, page: Math.max(1, parseInt(params.get('page'), 10) || 1) };
  }

  /* The query string of a search, as the form's GET would write it. */
  function queryOf(state) {
    var p = new URLSearchParams();
    p.set('q', state.q);
    // only the filters chosen: a link to a search is shared, and read
    FILTERS.forEach(function (f) { if (state.filters[f]) p.set(f, state.filters[f]); });
    if (state.page > 1) p.set('page', String(state.page));
    return '?' + p.toString();
  }

  /* The page: the first search comes from the URL; later ones (the form, a filter, the pager,
   * Back and Forward) run in the page, which keeps every index file it has loaded, and the URL
   * follows with history.pushState. Where the browser refuses that (some file:// setups), the
   * page navigates instead, as a plain form would. */
  function startPage() {
    var box = document.getElementById('search');
    if (!box) return;
    var rootPath = box.getAttribute('data-root') || '';
    api.setLoader(scriptLoader(rootPath));
    var form = document.getElementById('search-form');
    var input = document.getElementById('search-q');
    var count = document.getElementById('result-count');
    var list = document.getElementById('results');
    var pager = document.getElementById('pager');
    var selects = {};
    FILTERS.forEach(function (f) { selects[f] = document.getElementById('f-' + f); });
    // On a phone the filters start folded, so that the first result shows on the first screen;
    // the summary names those chosen.
    var filterBox = document.getElementById('search-filters');
    var filterState = document.getElementById('filter-state');
    if (filterBox && window.matchMedia && window.matchMedia('(max-width: 40rem)').matches) filterBox.open = false;
    var seq = 0, menus = null; // the meta file the filter menus were filled from
    var pageTitle = document.title; // 全文检索 - <site name>

    function formState() {
      var filters = {};
      FILTERS.forEach(function (f) { filters[f] = selects[f].value; });
      return { q: input.value, filters: filters, page: 1 };
    }

    /* `focus`: move to the result count afterwards (a search submitted or a page turned; not a
     * filter chosen, whose menu keeps the focus, so arrow keys go on through its options). */
    function go(state, focus) {
      var url = location.pathname + queryOf(state);
      try {
        history.pushState(null, '', url);
      } catch (e) {
        location.search = queryOf(state); // no history API here: navigate
        return;
      }
      run(state, focus ? 'count' : null);
    }

    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      go(formState(), true);
    });
    // Changing a filter searches again at once; a year keeps only an issue of that year.
    FILTERS.forEach(function (f) {
      selects[f].addEventListener('change', function () {
        if (f === 'year') selects.issue.value = '';
        go(formState(), false);
      });
    });
    pager.addEventListener('click', function (ev) {
      var a = ev.target.closest ? ev.target.closest('a') : null;
      if (!a || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      go(stateOf(a.getAttribute('href').replace(/^[^?]*/, '')), true);
    });
    window.addEventListener('popstate', function () { run(stateOf(location.search), null); });

    function run(state, focusAfter) {
      var mine = ++seq, started = performance.now();
      box.setAttribute('data-state', 'busy');
      input.value = state.q;
      var q = state.q;
      document.title = q.trim() ? '“' + q.trim() + '”的检索结果 - ' + pageTitle.replace(/^[^-]*- /, '') : pageTitle;
      var same = recheck(), fetched = fetches;
      /* Whether to show what the search found: at once if it used only files the page held,
       * which are all of one build; else once the name is confirmed (build.js is asked for
       * beside the first of them, so it seldom comes later), and not if the site was rebuilt;
       * never when a newer search has started. */
      function shown() {
        return (fetches === fetched ? Promise.resolve(true) : same).then(function (ok) { return ok && mine === seq; });
      }
      loadMeta().then(function () {
        // filled from the first meta file, and again from a rebuilt site's (see recheck)
        if (menus !== data.meta) {
          var m = data.meta, years = [];
          m.issues.forEach(function (i) { if (years.indexOf(String(i.year)) < 0) years.push(String(i.year)); });
          fillSelect(selects.year, years);
          fillSelect(selects.section, m.sections);
          fillSelect(selects.issuer, m.issuers);
          menus = m;
        }
        // A value no menu holds (a bookmark from before a correction, a hand-made URL) would
        // find nothing with no menu showing why: it is left out, and the count says so. The
        // year comes first: 期次 lists that year's issues only.
        var ignored = [], year = state.filters.year;
        FILTERS.forEach(function (f) {
          if (f === 'issue') {
            fillSelect(selects.issue, data.meta.issues.filter(function (i) { return !year || String(i.year) === year; }).map(function (i) { return i.title; }));
          }
          var value = state.filters[f] || '';
          selects[f].value = value;
          if (selects[f].value !== value) {
            // an issue of the archive, of another year than the one chosen, is told as such
            var elsewhere = f === 'issue' && data.meta.issues.some(function (i) { return i.title === value; });
            ignored.push(FILTER_NAMES[f] + '「' + value + '」' + (elsewhere ? '不属于' + year + '年' : '本库中没有'));
            state.filters[f] = '';
            selects[f].value = ''; // its menu shows 全部…, not a blank
          }
        });
        if (filterState) filterState.textContent = chosenFilters(state.filters);
        var filtered = FILTERS.some(function (f) { return state.filters[f]; });
        if (!q.trim() && !filtered) return ignored.length ? { empty: true, ignored: ignored } : null;
        if (mine === seq) count.textContent = '正在检索…';
        return (q.trim() ? search(q, state.filters) : browse(state.filters)).then(function (result) {
          var total = result.ids.length;
          var pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
          var page = Math.min(state.page, pages);
          var from = (page - 1) * PAGE_SIZE;
          return loadPage(result, from, from + PAGE_SIZE).then(function (items) {
            return { result: result, items: items, total: total, from: from, page: page, pages: pages, ignored: ignored };
          });
        });
      }).then(function (out) {
        return shown().then(function (show) {
          if (!show) return;
          clear();
          if (out) render(state, out);
          box.setAttribute('data-ms', String(Math.round(performance.now() - started)));
          if (focusAfter === 'count' && out) count.focus();
        });
      }).catch(function (e) {
        return shown().then(function (show) {
          if (!show) return;
          clear();
          count.textContent = '检索出错：' + e.message;
        });
      }).then(function () {
        // The search is done when the index's name is confirmed. If the site was rebuilt
        // meanwhile, the page drops what it holds and searches again (see recheck).
        return same;
      }).then(function (ok) {
        if (mine !== seq) return;
        if (ok) {
          box.setAttribute('data-state', 'done');
        } else {
          forget();
          run(state, focusAfter);
        }
      });
    }

    function clear() {
      count.textContent = '';
      count.className = 'result-count';
      while (list.firstChild) list.removeChild(list.firstChild);
      while (pager.firstChild) pager.removeChild(pager.firstChild);
    }

    function render(state, out) {
      var result = out.result, total = out.total, page = out.page, pages = out.pages;
      if (out.ignored.length) {
        count.appendChild(el('span', 'ignored', '已忽略筛选条件：' + out.ignored.join('；') + '。'));
      }
      if (out.empty) {
        count.appendChild(document.createTextNode('请输入检索词，或选择筛选条件浏览文件。'));
        return;
      }
      var browsing = !state.q.trim();
      if (!total) {
        var q = '“' + state.q.trim() + '”', left = result.unfiltered;
        count.appendChild(document.createTextNode(browsing ? '没有符合筛选条件的文件，请减少筛选条件。'
          : left ? '找到 0 篇文件。本库有 ' + left + ' 篇文件包含' + q + '，但都不符合所选筛选条件，请减少或取消筛选条件。'
            : '找到 0 篇文件。本库没有包含' + q + '的文件，请检查用字或减少检索词。'));
        count.className = 'result-count empty';
        return;
      }
      count.appendChild(document.createTextNode(browsing ? '符合筛选条件的文件共 ' : '找到 '));
      count.appendChild(el('strong', null, String(total)));
      count.appendChild(document.createTextNode(' 篇' + (browsing ? '，按成文日期从新到旧' : '文件') + (pages > 1 ? '，第 ' + page + '/' + pages + ' 页' : '')));
      // an issue browsed: its 目录 lists the same documents in print order
      var issue = browsing && state.filters.issue && data.meta.issues.filter(function (i) { return i.title === state.filters.issue; })[0];
      if (issue) {
        count.appendChild(document.createTextNode('。'));
        var toc = el('a', null, '按印刷顺序查看本期目录');
        toc.href = rootPath + issue.dir + 'index.html';
        count.appendChild(toc);
      }
      list.setAttribute('start', String(out.from + 1));
      out.items.forEach(function (item) {
        var d = item.doc, li = el('li', 'result');
        var a = el('a', 'result-title');
        var title = excerpt(d.t, result.terms, -1, 1000, 1000), number = d.n ? excerpt(d.n, result.terms, -1, 100, 100) : [];
        var body = excerpt(item.text, result.terms, item.focus);
        a.href = d.u + highlightQuery(result.terms, title.concat(number, body));
        appendSegments(a, title);
        var h = el('h2');
        h.appendChild(a);
        if (d.x) { h.appendChild(document.createTextNode(' ')); h.appendChild(el('span', 'badge-repealed', d.x)); }
        li.appendChild(h);
        var meta = el('p', 'result-meta');
        if (d.n) { var n = el('span', 'result-number'); appendSegments(n, number); meta.appendChild(n); }
        meta.appendChild(el('span', 'result-issuer', d.i));
        meta.appendChild(el('span', 'result-issue', d.s));
        if (d.d) { meta.appendChild(el('span', 'result-date', d.d)); } // none for a 大事记 printed undated
        li.appendChild(meta);
        var ex = el('p', 'result-excerpt');
        appendSegments(ex, body);
        li.appendChild(ex);
        list.appendChild(li);
      });
      if (pages > 1) {
        var link = function (cls, text, p, rel) {
          var a = el('a', cls, text);
          a.href = 'search.html' + queryOf({ q: state.q, filters: state.filters, page: p });
          a.rel = rel;
          pager.appendChild(a);
        };
        if (page > 1) link('prev', '上一页', page - 1, 'prev');
        pager.appendChild(el('span', 'page', '第 ' + page + ' 页，共 ' + pages + ' 页'));
        // the first and last pages and two on either side of this one, the rest as …
        var numbers = el('span', 'pages'), last = 0;
        pager.appendChild(numbers);
        for (var p = 1; p <= pages; p++) {
          if (p !== 1 && p !== pages && Math.abs(p - page) > 2) continue;
          if (p > last + 1) numbers.appendChild(el('span', 'gap', '…'));
          if (p === page) {
            var here = el('span', 'current', String(p));
            here.setAttribute('aria-current', 'page');
            numbers.appendChild(here);
          } else {
            var a = el('a', 'number', String(p));
            a.href = 'search.html' + queryOf({ q: state.q, filters: state.filters, page: p });
            a.setAttribute('aria-label', '第 ' + p + ' 页');
            numbers.appendChild(a);
          }
          last = p;
        }
        if (page < pages) link('next', '下一页', page + 1, 'next');
      }
    }

    var first = stateOf(location.search);
    if (!first.q.trim()) input.focus();
    run(first, null);
  }

  root.gongbaoSearch = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', startPage);
    else startPage();
  }
})(typeof window !== 'undefined' ? window : globalThis);
