// Exactness on the benchmark corpus (../shared/corpus/lawrefbook.jsonl.xz, 3,476 laws): for
// every query of the fixed list (tests/support/corpus.rs QUERIES), the client's result set must
// equal the documents that contain the query, found by plain token search in Rust.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { buildFixture, client, REPO } = require('./client.js');

const CORPUS = path.join(REPO, '..', 'shared', 'corpus', 'lawrefbook.jsonl.xz');

test('corpus: result sets equal the documents containing each query', { timeout: 30 * 60 * 1000 }, async (t) => {
  if (!fs.existsSync(CORPUS)) {
    console.log(`# corpus absent (${CORPUS}): exactness check skipped`);
    t.skip('corpus absent');
    return;
  }
  const fx = buildFixture(CORPUS, [], { release: true });
  const queries = Object.keys(fx.truth);
  assert.ok(queries.length >= 30, `${queries.length} queries`);
  let exact = 0;
  const wrong = [];
  for (const q of queries) {
    const c = client(fx.publicDir);
    const r = await c.api.search(q, {});
    const got = (await c.allUrls(r)).sort();
    const want = fx.truth[q];
    if (JSON.stringify(got) === JSON.stringify(want)) exact++;
    else wrong.push(`${q}: got ${got.length}, want ${want.length}`);
  }
  console.log(`# corpus exactness: ${exact}/${queries.length} queries exact`);
  fs.rmSync(fx.dir, { recursive: true, force: true });
  assert.deepEqual(wrong, []);
});
