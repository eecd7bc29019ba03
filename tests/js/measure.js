// Per-query cost of the search client over a built index: bytes of every file a query loads
// (meta, shards, and the first page's documents, chunks and character table) and time in node.
// Used by benches/search.rs:  node tests/js/measure.js <public-dir> <query>…  → JSON on stdout.
'use strict';
const { client } = require('./client.js');

async function measure(publicDir, queries) {
  const rows = [];
  for (const q of queries) {
    const c = client(publicDir); // cold: nothing loaded yet, as a first query from a fresh page
    const t0 = process.hrtime.bigint();
    const r = await c.query(q);
    const cold = Number(process.hrtime.bigint() - t0) / 1e6;
    const t1 = process.hrtime.bigint();
    await c.query(q);
    const warm = Number(process.hrtime.bigint() - t1) / 1e6;
    rows.push({ q, results: r.result.ids.length, files: c.loaded.length, bytes: c.loaded.reduce((s, f) => s + f.bytes, 0), coldMs: cold, warmMs: warm });
  }
  return rows;
}

module.exports = { measure };
if (require.main === module) {
  const [dir, ...queries] = process.argv.slice(2);
  measure(dir, queries).then((rows) => process.stdout.write(JSON.stringify(rows)));
}
