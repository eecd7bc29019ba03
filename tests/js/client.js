// Runs themes/default/static/search.js in node against an index on disk: the index files are
// evaluated in the same vm context, exactly as <script> tags would run them in a page, and
// every file loaded is recorded with its size (what a browser would download).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { execFileSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');
const SEARCH_JS = path.join(REPO, 'themes', 'default', 'static', 'search.js');

// Builds an index with the Rust code (examples/search_fixture.rs) into a temp dir.
function buildFixture(source, queries, { release = false } = {}) {
  const out = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'gongbao-search-'));
  process.on('exit', () => fs.rmSync(out, { recursive: true, force: true }));
  const args = ['run', '--quiet', ...(release ? ['--release'] : []), '--example', 'search_fixture', '--', source, out, ...queries];
  execFileSync('cargo', args, { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  return {
    dir: out,
    publicDir: path.join(out, 'public'),
    truth: JSON.parse(fs.readFileSync(path.join(out, 'truth.json'), 'utf8')),
    tokens: JSON.parse(fs.readFileSync(path.join(out, 'tokens.json'), 'utf8')),
  };
}

// A script's text as a browser decodes it: a UTF-16LE byte order mark (the index's shards, heads
// and packs) or UTF-8.
function decodeScript(bytes) {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString('utf16le', 2);
  return bytes.toString('utf8');
}

// A fresh client (empty caches) over `publicDir`.
function client(publicDir) {
  const context = vm.createContext({ console, Promise, Map, Array, Math, Object, String, JSON, Error, URLSearchParams });
  vm.runInContext(fs.readFileSync(SEARCH_JS, 'utf8'), context, { filename: 'search.js' });
  const api = context.gongbaoSearch;
  const loaded = [];
  api.setLoader((rel) => new Promise((resolve, reject) => {
    const file = path.join(publicDir, rel);
    let bytes;
    try { bytes = fs.readFileSync(file); } catch (e) { reject(e); return; }
    loaded.push({ path: rel, bytes: bytes.length });
    const code = decodeScript(bytes);
    vm.runInContext(code, context, { filename: rel });
    resolve();
  }));
  // A whole query as the page runs it: result set, then the first page's documents + excerpts.
  async function query(q, filters) {
    const result = await api.search(q, filters || {});
    const items = await api.loadPage(result, 0, api.PAGE_SIZE);
    return { result, items, urls: result.ids.map((id) => itemUrl(id)), };
  }
  function itemUrl(id) { return api.data.docs[id] ? api.data.docs[id].u : null; }
  // URLs of every result (loads every result's document file; tests only).
  async function allUrls(result) {
    await Promise.all(result.ids.map((id) => api.loadPage({ ids: [id], hits: result.hits }, 0, 1)));
    return result.ids.map((id) => api.data.docs[id].u);
  }
  return { api, loaded, query, allUrls, context };
}

module.exports = { buildFixture, client, decodeScript, REPO };
